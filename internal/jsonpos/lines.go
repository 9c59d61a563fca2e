package jsonpos

import (
	"bytes"
	"sort"
	"unicode/utf8"
)

// Lines converts byte offsets of one document to lines and columns. Build
// it once with NewLines to locate many offsets of a large document.
type Lines struct {
	data   []byte
	starts []int // the offset of each line's first byte
}

// NewLines indexes the line starts of data in one pass.
func NewLines(data []byte) *Lines {
	l := &Lines{data: data, starts: []int{0}}
	for off := 0; ; {
		i := bytes.IndexByte(data[off:], '\n')
		if i < 0 {
			return l
		}
		off += i + 1
		l.starts = append(l.starts, off)
	}
}

// Pos returns the 1-based line and the 1-based column, counted in
// characters, of byte offset off (clamped to the document).
func (l *Lines) Pos(off int) (line, col int) {
	off = min(max(off, 0), len(l.data))
	i := sort.Search(len(l.starts), func(i int) bool { return l.starts[i] > off }) - 1
	return i + 1, utf8.RuneCount(l.data[l.starts[i]:off]) + 1
}

// LineCol returns the 1-based line and column (in characters) of byte
// offset off of data; see Lines for many offsets.
func LineCol(data []byte, off int) (line, col int) {
	off = min(max(off, 0), len(data))
	line = 1 + bytes.Count(data[:off], []byte{'\n'})
	start := bytes.LastIndexByte(data[:off], '\n') + 1
	return line, utf8.RuneCount(data[start:off]) + 1
}
