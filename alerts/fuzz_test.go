package alerts

import (
	"bytes"
	"math"
	"testing"
	"time"

	"github.com/wallboard/wallboard/datasources"
)

// FuzzTransitionDecode feeds arbitrary bytes to the history record
// decoder: it never panics, and whatever it accepts encodes back to a
// record that decodes to the same encoding.
func FuzzTransitionDecode(f *testing.F) {
	seeds := []Transition{
		{},
		{ID: "w0123456789abcdef", Origin: OriginWallboard, Source: "prom", Rule: "p99 latency", From: Pending, To: Firing,
			At: time.Date(2026, 3, 2, 12, 0, 0, 0, time.UTC), Value: 2.5, Severity: "critical", Dashboard: "perf", Widget: "latency",
			Labels: datasources.Labels{"region": "eu-west", "model": "denoise-v3"}},
		{ID: "p1", Origin: OriginPrometheus, From: Firing, To: Resolved, At: time.Unix(-1, 5), Value: math.NaN(), Labels: datasources.Labels{"": ""}},
	}
	for i := range seeds {
		b := encodeTransition(nil, &seeds[i])
		f.Add(b)
		f.Add(b[:len(b)/2])
	}
	f.Add([]byte{})
	f.Add([]byte{recordVersion, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 0xff, 0xff, 0x0f})
	f.Fuzz(func(t *testing.T, b []byte) {
		tr, err := decodeTransition(b)
		if err != nil {
			return
		}
		enc := encodeTransition(nil, &tr)
		again, err := decodeTransition(enc)
		if err != nil {
			t.Fatalf("re-encoded record does not decode: %v", err)
		}
		if !bytes.Equal(encodeTransition(nil, &again), enc) {
			t.Fatalf("encoding not stable: %+v vs %+v", tr, again)
		}
	})
}

func TestTransitionRoundTrip(t *testing.T) {
	in := Transition{ID: "w1", Origin: OriginWallboard, Source: "sim", Rule: "r", From: Resolved, To: Pending,
		At: time.Date(2026, 3, 2, 12, 0, 0, 123, time.UTC), Value: -0.5, Severity: "info", Dashboard: "d", Widget: "w",
		Labels: datasources.Labels{"b": "2", "a": "1"}}
	out, err := decodeTransition(encodeTransition(nil, &in))
	if err != nil {
		t.Fatal(err)
	}
	if !out.At.Equal(in.At) || out.ID != in.ID || out.Origin != in.Origin || out.Source != in.Source || out.Rule != in.Rule ||
		out.From != in.From || out.To != in.To || out.Value != in.Value || out.Severity != in.Severity ||
		out.Dashboard != in.Dashboard || out.Widget != in.Widget || out.Labels.String() != in.Labels.String() {
		t.Errorf("round trip: %+v\nwant %+v", out, in)
	}
	for _, bad := range [][]byte{nil, {2}, {recordVersion, 7}, append(encodeTransition(nil, &in), 0)} {
		if _, err := decodeTransition(bad); err == nil {
			t.Errorf("decoded %v", bad)
		}
	}
}
