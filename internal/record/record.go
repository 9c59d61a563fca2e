// Package record is the small binary encoding the bbolt stores share
// (history records, alert transitions): varints, length-prefixed strings,
// and a Reader that never panics on damaged input.
package record

import (
	"encoding/binary"
	"fmt"
	"math"
)

// AppendString appends s with its length as a uvarint.
func AppendString(dst []byte, s string) []byte {
	dst = binary.AppendUvarint(dst, uint64(len(s)))
	return append(dst, s...)
}

// AppendFloat64 appends v's bits, little-endian.
func AppendFloat64(dst []byte, v float64) []byte {
	return binary.LittleEndian.AppendUint64(dst, math.Float64bits(v))
}

// Reader walks an encoded record field by field. The first problem sticks,
// as an error wrapping the store's corrupt sentinel and naming the field;
// later reads return zero values, so a decoder reads on and checks Err once.
type Reader struct {
	b       []byte
	err     error
	corrupt error
}

// NewReader reads b; problems wrap corrupt.
func NewReader(b []byte, corrupt error) *Reader { return &Reader{b: b, corrupt: corrupt} }

// Err is the first problem, or nil.
func (r *Reader) Err() error { return r.err }

// Len is how many bytes are left.
func (r *Reader) Len() int { return len(r.b) }

// Fail records a problem with the field what (if none was recorded yet).
func (r *Reader) Fail(what string) {
	if r.err == nil {
		r.err = fmt.Errorf("%w: record %s", r.corrupt, what)
	}
	r.b = nil
}

// Byte reads one byte.
func (r *Reader) Byte(what string) byte {
	if r.err != nil || len(r.b) < 1 {
		r.Fail(what)
		return 0
	}
	c := r.b[0]
	r.b = r.b[1:]
	return c
}

// Uvarint reads an unsigned varint.
func (r *Reader) Uvarint(what string) uint64 {
	if r.err != nil {
		return 0
	}
	v, n := binary.Uvarint(r.b)
	if n <= 0 {
		r.Fail(what)
		return 0
	}
	r.b = r.b[n:]
	return v
}

// Varint reads a signed varint.
func (r *Reader) Varint(what string) int64 {
	if r.err != nil {
		return 0
	}
	v, n := binary.Varint(r.b)
	if n <= 0 {
		r.Fail(what)
		return 0
	}
	r.b = r.b[n:]
	return v
}

// Float64 reads 8 little-endian bytes of a float64.
func (r *Reader) Float64(what string) float64 {
	if r.err != nil || len(r.b) < 8 {
		r.Fail(what)
		return 0
	}
	v := math.Float64frombits(binary.LittleEndian.Uint64(r.b))
	r.b = r.b[8:]
	return v
}

// String reads a length-prefixed string of at most max bytes (0: any that
// fits in the record).
func (r *Reader) String(what string, max int) string {
	n := r.Uvarint(what)
	if r.err != nil {
		return ""
	}
	if n > uint64(len(r.b)) || (max > 0 && n > uint64(max)) {
		r.Fail(what)
		return ""
	}
	s := string(r.b[:n])
	r.b = r.b[n:]
	return s
}

// Count reads an element count whose elements take at least min bytes
// each, so a damaged count can never cause a huge allocation.
func (r *Reader) Count(what string, min int) int {
	n := r.Uvarint(what)
	if r.err != nil {
		return 0
	}
	if n > uint64(len(r.b)/min) {
		r.Fail(what)
		return 0
	}
	return int(n)
}

// End fails unless the whole record was read.
func (r *Reader) End() {
	if r.err == nil && len(r.b) != 0 {
		r.Fail("trailing bytes")
	}
}
