package record

import (
	"errors"
	"math"
	"testing"
)

var errCorrupt = errors.New("corrupt")

func TestRoundTrip(t *testing.T) {
	var b []byte
	b = append(b, 7)
	b = AppendString(b, "hello")
	b = AppendFloat64(b, math.Pi)
	r := NewReader(b, errCorrupt)
	if r.Byte("version") != 7 || r.String("s", 0) != "hello" || r.Float64("v") != math.Pi {
		t.Fatal("round trip lost a field")
	}
	r.End()
	if r.Err() != nil {
		t.Fatal(r.Err())
	}
}

func TestDamage(t *testing.T) {
	for _, tc := range []struct {
		name string
		b    []byte
		read func(*Reader)
		want string
	}{
		{"empty", nil, func(r *Reader) { r.Byte("version") }, "corrupt: record version"},
		{"string past the end", AppendString(nil, "hello")[:3], func(r *Reader) { r.String("name", 0) }, "corrupt: record name"},
		{"string too long", AppendString(nil, "hello"), func(r *Reader) { r.String("name", 3) }, "corrupt: record name"},
		{"huge count", []byte{0xff, 0xff, 0x03}, func(r *Reader) { r.Count("series", 2) }, "corrupt: record series"},
		{"trailing", []byte{1, 2}, func(r *Reader) { r.Byte("a"); r.End() }, "corrupt: record trailing bytes"},
		{"first problem sticks", nil, func(r *Reader) { r.Varint("time"); r.Uvarint("later") }, "corrupt: record time"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := NewReader(tc.b, errCorrupt)
			tc.read(r)
			if r.Err() == nil || r.Err().Error() != tc.want || !errors.Is(r.Err(), errCorrupt) {
				t.Fatalf("err = %v, want %q wrapping the sentinel", r.Err(), tc.want)
			}
		})
	}
}
