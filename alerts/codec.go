package alerts

import (
	"encoding/binary"
	"errors"
	"fmt"
	"math"
	"sort"
	"time"

	"github.com/wallboard/wallboard/datasources"
	"github.com/wallboard/wallboard/internal/record"
)

// ErrCorrupt marks a history record that cannot be decoded.
var ErrCorrupt = errors.New("alerts: corrupt history record")

// recordVersion is the version byte of an encoded transition.
const recordVersion = 1

// maxString bounds a string in a record (a label value, a rule name).
const maxString = 1 << 16

// transitionKey is a record's key: the time (big-endian, sign bit flipped
// so that keys sort by time), then the alert ID and the new state, so that
// recording the same transition twice keeps one copy.
func transitionKey(dst []byte, t *Transition) []byte {
	dst = timeKey(dst, t.At)
	dst = append(dst, t.ID...)
	return append(dst, 0, byte(t.To))
}

// timeKey is the 8-byte prefix of the keys of records at t.
func timeKey(dst []byte, t time.Time) []byte {
	return binary.BigEndian.AppendUint64(dst, uint64(t.UnixNano())^(1<<63))
}

var appendString = record.AppendString

// encodeTransition appends t's record to dst: a version byte, the states,
// the time in Unix nanoseconds, the value's bits, the identity strings and
// the labels in name order.
func encodeTransition(dst []byte, t *Transition) []byte {
	dst = append(dst, recordVersion, byte(t.From), byte(t.To))
	dst = binary.AppendVarint(dst, t.At.UnixNano())
	dst = binary.LittleEndian.AppendUint64(dst, math.Float64bits(t.Value))
	for _, s := range []string{t.ID, t.Origin, t.Source, t.Rule, t.Severity, t.Dashboard, t.Widget} {
		dst = appendString(dst, s)
	}
	names := make([]string, 0, len(t.Labels))
	for k := range t.Labels {
		names = append(names, k)
	}
	sort.Strings(names)
	dst = binary.AppendUvarint(dst, uint64(len(names)))
	for _, k := range names {
		dst = appendString(dst, k)
		dst = appendString(dst, t.Labels[k])
	}
	return dst
}

func readState(r *record.Reader, what string) State {
	c := r.Byte(what)
	if c > byte(Resolved) {
		r.Fail(what)
		return Inactive
	}
	return State(c)
}

// decodeTransition decodes a record written by encodeTransition. Any
// damage is an error wrapping ErrCorrupt, never a panic.
func decodeTransition(b []byte) (Transition, error) {
	r := record.NewReader(b, ErrCorrupt)
	if v := r.Byte("version"); r.Err() == nil && v != recordVersion {
		return Transition{}, fmt.Errorf("%w: record version %d, this version reads %d", ErrCorrupt, v, recordVersion)
	}
	var t Transition
	t.From = readState(r, "from state")
	t.To = readState(r, "to state")
	t.At = time.Unix(0, r.Varint("time"))
	t.Value = r.Float64("value")
	for _, p := range []*string{&t.ID, &t.Origin, &t.Source, &t.Rule, &t.Severity, &t.Dashboard, &t.Widget} {
		*p = r.String("identity", maxString)
	}
	n := r.Count("label count", 2)
	if r.Err() == nil && n > 0 {
		t.Labels = make(datasources.Labels, n)
		for range n {
			k := r.String("label name", maxString)
			v := r.String("label value", maxString)
			if r.Err() != nil {
				break
			}
			t.Labels[k] = v
		}
	}
	r.End()
	if r.Err() != nil {
		return Transition{}, r.Err()
	}
	return t, nil
}
