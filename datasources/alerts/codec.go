package alerts

import (
	"encoding/binary"
	"errors"
	"fmt"
	"math"
	"sort"
	"time"

	"github.com/wallboard/wallboard/datasources"
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

func appendString(dst []byte, s string) []byte {
	dst = binary.AppendUvarint(dst, uint64(len(s)))
	return append(dst, s...)
}

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

// reader decodes a record, remembering the first problem.
type reader struct {
	b   []byte
	err error
}

func (r *reader) fail(what string) {
	if r.err == nil {
		r.err = fmt.Errorf("%w: %s", ErrCorrupt, what)
	}
	r.b = nil
}

func (r *reader) byte(what string) byte {
	if r.err != nil || len(r.b) < 1 {
		r.fail(what)
		return 0
	}
	c := r.b[0]
	r.b = r.b[1:]
	return c
}

func (r *reader) uvarint(what string) uint64 {
	if r.err != nil {
		return 0
	}
	v, n := binary.Uvarint(r.b)
	if n <= 0 {
		r.fail(what)
		return 0
	}
	r.b = r.b[n:]
	return v
}

func (r *reader) varint(what string) int64 {
	if r.err != nil {
		return 0
	}
	v, n := binary.Varint(r.b)
	if n <= 0 {
		r.fail(what)
		return 0
	}
	r.b = r.b[n:]
	return v
}

func (r *reader) str(what string) string {
	n := r.uvarint(what)
	if r.err != nil {
		return ""
	}
	if n > maxString || n > uint64(len(r.b)) {
		r.fail(what)
		return ""
	}
	s := string(r.b[:n])
	r.b = r.b[n:]
	return s
}

func (r *reader) state(what string) State {
	c := r.byte(what)
	if c > byte(Resolved) {
		r.fail(what)
		return Inactive
	}
	return State(c)
}

// decodeTransition decodes a record written by encodeTransition. Any
// damage is an error wrapping ErrCorrupt, never a panic.
func decodeTransition(b []byte) (Transition, error) {
	r := reader{b: b}
	if v := r.byte("version"); r.err == nil && v != recordVersion {
		return Transition{}, fmt.Errorf("%w: record version %d, this version reads %d", ErrCorrupt, v, recordVersion)
	}
	var t Transition
	t.From = r.state("from state")
	t.To = r.state("to state")
	t.At = time.Unix(0, r.varint("time"))
	if r.err == nil && len(r.b) < 8 {
		r.fail("value")
	}
	if r.err == nil {
		t.Value = math.Float64frombits(binary.LittleEndian.Uint64(r.b))
		r.b = r.b[8:]
	}
	for _, p := range []*string{&t.ID, &t.Origin, &t.Source, &t.Rule, &t.Severity, &t.Dashboard, &t.Widget} {
		*p = r.str("identity")
	}
	n := r.uvarint("label count")
	if r.err == nil && n > uint64(len(r.b))/2 {
		r.fail("label count")
	}
	if r.err == nil && n > 0 {
		t.Labels = make(datasources.Labels, n)
		for range n {
			k := r.str("label name")
			v := r.str("label value")
			if r.err != nil {
				break
			}
			t.Labels[k] = v
		}
	}
	if r.err == nil && len(r.b) != 0 {
		r.fail("trailing bytes")
	}
	if r.err != nil {
		return Transition{}, r.err
	}
	return t, nil
}
