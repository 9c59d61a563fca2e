package jsonpos

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"unicode/utf16"
	"unicode/utf8"
)

// Problem is a finding at a place of a document: the JSON path of the
// value at fault and the byte offset where it is.
type Problem struct {
	Path   string
	Off    int
	Reason string
}

// Error returns "offset OFF: PATH: reason".
func (p *Problem) Error() string {
	return fmt.Sprintf("offset %d: %s: %s", p.Off, p.Path, p.Reason)
}

// DefaultMaxDepth is the nesting bound Decode applies when given 0.
const DefaultMaxDepth = 64

// Span locates a value of a document: the byte offsets of its object key
// (-1 for list elements and the root) and of the value itself.
type Span struct{ Key, Val int }

// scanner reads one JSON document. Decoding builds values and keeps only
// the segments of the current path, joined into a string only for a
// problem; locating (want set) builds no values and follows only the paths
// asked for.
type scanner struct {
	data     []byte
	pos      int
	depth    int
	maxDepth int
	build    bool
	segs     Stack
	dups     []Problem

	want  *wanted // the tree of paths to locate, when locating
	found map[string]Span
}

// Decode parses data, which must hold exactly one JSON value (after an
// optional UTF-8 byte order mark), into generic values: map[string]any,
// []any, string, json.Number, bool and nil. It nests at most maxDepth
// levels (DefaultMaxDepth when 0). It returns the value, the duplicate
// keys of objects (whose last value is kept), and the syntax error that
// stopped it, if any, with the offset of the fault and a reason that
// starts with "syntax error: ".
func Decode(data []byte, maxDepth int) (v any, dups []Problem, err *Problem) {
	s := newScanner(data, maxDepth)
	s.build = true
	v, err = s.document()
	return v, s.dups, err
}

// Locate finds where the values at paths are in data: the result holds a
// Span for each path that is in the document. A path that is not (such as
// a missing field) is left out; look up its Parent instead. Locate reads
// data again, but builds only the paths that lead to those asked for.
func Locate(data []byte, paths []string) map[string]Span {
	s := newScanner(data, 0)
	s.want = wantTree(paths)
	s.found = map[string]Span{}
	s.maxDepth = 1 << 30 // Decode has already bounded the depth
	s.document()
	return s.found
}

// wanted is a node of the tree of paths Locate looks for, with the
// children that lead to them by key and by index.
type wanted struct {
	path string
	keys map[string]*wanted
	idx  map[int]*wanted
}

// wantTree builds the tree of paths and all their parents; a path that is
// not one Key and Index build is left out.
func wantTree(paths []string) *wanted {
	root := &wanted{path: Root}
	nodes := map[string]*wanted{Root: root}
	var node func(p string) *wanted
	node = func(p string) *wanted {
		if n, ok := nodes[p]; ok || p == "" {
			return n
		}
		parentPath := Parent(p)
		parent := node(parentPath)
		if parent == nil {
			return nil
		}
		n := &wanted{path: p}
		switch seg := p[len(parentPath):]; {
		case strings.HasPrefix(seg, "."):
			if parent.keys == nil {
				parent.keys = map[string]*wanted{}
			}
			parent.keys[seg[1:]] = n
		case strings.HasPrefix(seg, `["`):
			k, err := strconv.Unquote(seg[1 : len(seg)-1])
			if err != nil {
				return nil
			}
			if parent.keys == nil {
				parent.keys = map[string]*wanted{}
			}
			parent.keys[k] = n
		default:
			i, err := strconv.Atoi(strings.Trim(seg, "[]"))
			if err != nil {
				return nil
			}
			if parent.idx == nil {
				parent.idx = map[int]*wanted{}
			}
			parent.idx[i] = n
		}
		nodes[p] = n
		return n
	}
	for _, p := range paths {
		node(p)
	}
	return root
}

func newScanner(data []byte, maxDepth int) *scanner {
	if maxDepth <= 0 {
		maxDepth = DefaultMaxDepth
	}
	return &scanner{data: data, maxDepth: maxDepth}
}

func (s *scanner) document() (any, *Problem) {
	if len(s.data) >= 3 && s.data[0] == 0xEF && s.data[1] == 0xBB && s.data[2] == 0xBF {
		s.pos = 3 // a UTF-8 byte order mark, as some Windows editors write
	}
	s.skipSpace()
	if s.pos == len(s.data) {
		return nil, s.fail("empty document; want a JSON object")
	}
	if s.want != nil {
		s.found[Root] = Span{Key: -1, Val: s.pos}
	}
	v, perr := s.value(s.want)
	if perr != nil {
		return nil, perr
	}
	s.skipSpace()
	if s.pos < len(s.data) {
		return nil, s.fail("unexpected " + s.describe() + " after the end of the document")
	}
	return v, nil
}

// path joins the segments of the current path.
func (s *scanner) path() string { return s.segs.String() }

func (s *scanner) fail(msg string) *Problem {
	return &Problem{Path: s.path(), Reason: "syntax error: " + msg, Off: s.pos}
}

func (s *scanner) skipSpace() {
	for s.pos < len(s.data) {
		switch s.data[s.pos] {
		case ' ', '\t', '\n', '\r':
			s.pos++
		default:
			return
		}
	}
}

// describe names the character at the current position for an error.
func (s *scanner) describe() string {
	if s.pos >= len(s.data) {
		return "end of file"
	}
	r, _ := utf8.DecodeRune(s.data[s.pos:])
	switch {
	case r == utf8.RuneError:
		return fmt.Sprintf("byte 0x%02x", s.data[s.pos])
	case r < 0x20 || r == 0x7f:
		return fmt.Sprintf("control character %U", r)
	}
	return strconv.QuoteRune(r)
}

// value reads the value at the current position; w is its node when
// locating and its path is wanted, else nil.
func (s *scanner) value(w *wanted) (any, *Problem) {
	if s.pos >= len(s.data) {
		return nil, s.fail("unexpected end of file; want a value")
	}
	switch c := s.data[s.pos]; {
	case c == '{':
		return s.object(w)
	case c == '[':
		return s.array(w)
	case c == '"':
		return s.str()
	case c == '-' || '0' <= c && c <= '9':
		return s.number()
	default:
		return s.literal()
	}
}

func (s *scanner) enter() *Problem {
	s.depth++
	if s.depth > s.maxDepth {
		return s.fail(fmt.Sprintf("nested more than %d levels deep", s.maxDepth))
	}
	return nil
}

// found records where the value of wanted node w starts, if w is set.
func (s *scanner) record(w *wanted, keyOff int) {
	if w != nil {
		s.found[w.path] = Span{Key: keyOff, Val: s.pos}
	}
}

func (s *scanner) object(w *wanted) (any, *Problem) {
	if p := s.enter(); p != nil {
		return nil, p
	}
	defer func() { s.depth-- }()
	s.pos++ // '{'
	var m map[string]any
	if s.build {
		m = map[string]any{}
	}
	s.skipSpace()
	if s.pos < len(s.data) && s.data[s.pos] == '}' {
		s.pos++
		return m, nil
	}
	for {
		s.skipSpace()
		if s.pos >= len(s.data) {
			return nil, s.fail("unexpected end of file; want a field name or '}'")
		}
		if c := s.data[s.pos]; c != '"' {
			if c == '}' {
				return nil, s.fail("trailing comma before '}'")
			}
			return nil, s.fail("want a field name in double quotes, got " + s.describe())
		}
		keyOff := s.pos
		k, child, p := s.key(w)
		if p != nil {
			return nil, p
		}
		s.skipSpace()
		if s.pos >= len(s.data) || s.data[s.pos] != ':' {
			return nil, s.fail(fmt.Sprintf("want ':' after field name %q, got %s", k, s.describe()))
		}
		s.pos++
		s.skipSpace()
		var v any
		if s.build {
			s.segs.PushKey(k)
			if _, dup := m[k]; dup {
				s.dups = append(s.dups, Problem{Path: s.path(), Reason: fmt.Sprintf("duplicate field %q", k), Off: keyOff})
			}
			v, p = s.value(nil)
			s.segs.Pop()
			m[k] = v
		} else {
			s.record(child, keyOff)
			_, p = s.value(child)
		}
		if p != nil {
			return nil, p
		}
		s.skipSpace()
		if s.pos >= len(s.data) {
			return nil, s.fail("unexpected end of file; want ',' or '}'")
		}
		switch s.data[s.pos] {
		case ',':
			s.pos++
		case '}':
			s.pos++
			return m, nil
		default:
			return nil, s.fail(fmt.Sprintf("want ',' or '}' after field %q, got %s", k, s.describe()))
		}
	}
}

// key reads an object key: when decoding, the key itself; when locating,
// the wanted child of w that it names, if any, with no key made unless it
// has escapes.
func (s *scanner) key(w *wanted) (k string, child *wanted, p *Problem) {
	start := s.pos
	build := s.build
	s.build = false
	_, p = s.str()
	s.build = build
	if p != nil {
		return "", nil, p
	}
	raw := s.data[start+1 : s.pos-1]
	escaped := bytes.IndexByte(raw, '\\') >= 0
	switch {
	case !s.build && (w == nil || w.keys == nil):
		return "", nil, nil
	case !s.build && !escaped:
		return "", w.keys[string(raw)], nil
	case !escaped:
		k = string(raw)
	default:
		if err := json.Unmarshal(s.data[start:s.pos], &k); err != nil {
			s.pos = start
			return "", nil, s.fail(err.Error())
		}
	}
	if !s.build {
		return "", w.keys[k], nil
	}
	return k, nil, nil
}

func (s *scanner) array(w *wanted) (any, *Problem) {
	if p := s.enter(); p != nil {
		return nil, p
	}
	defer func() { s.depth-- }()
	s.pos++ // '['
	var a []any
	if s.build {
		a = []any{}
	}
	s.skipSpace()
	if s.pos < len(s.data) && s.data[s.pos] == ']' {
		s.pos++
		return a, nil
	}
	for i := 0; ; i++ {
		s.skipSpace()
		if s.pos < len(s.data) && s.data[s.pos] == ']' {
			return nil, s.fail("trailing comma before ']'")
		}
		var p *Problem
		if s.build {
			var v any
			s.segs.PushIndex(i)
			v, p = s.value(nil)
			s.segs.Pop()
			a = append(a, v)
		} else {
			var child *wanted
			if w != nil {
				child = w.idx[i]
			}
			s.record(child, -1)
			_, p = s.value(child)
		}
		if p != nil {
			return nil, p
		}
		s.skipSpace()
		if s.pos >= len(s.data) {
			return nil, s.fail("unexpected end of file; want ',' or ']'")
		}
		switch s.data[s.pos] {
		case ',':
			s.pos++
		case ']':
			s.pos++
			return a, nil
		default:
			return nil, s.fail("want ',' or ']' after a list element, got " + s.describe())
		}
	}
}

// str reads a string literal. It rejects what encoding/json would quietly
// replace by U+FFFD: invalid UTF-8 and escapes of lone UTF-16 surrogates.
func (s *scanner) str() (any, *Problem) {
	start := s.pos
	s.pos++ // '"'
	escaped := false
	for {
		if s.pos >= len(s.data) {
			s.pos = start
			return nil, s.fail("string not terminated")
		}
		switch c := s.data[s.pos]; {
		case c == '"':
			s.pos++
			if !s.build {
				return nil, nil
			}
			raw := s.data[start+1 : s.pos-1]
			if !escaped {
				return string(raw), nil
			}
			var v string
			if err := json.Unmarshal(s.data[start:s.pos], &v); err != nil {
				s.pos = start
				return nil, s.fail(err.Error())
			}
			return v, nil
		case c == '\\':
			escaped = true
			s.pos++
			if s.pos >= len(s.data) {
				continue
			}
			switch s.data[s.pos] {
			case '"', '\\', '/', 'b', 'f', 'n', 'r', 't':
				s.pos++
			case 'u':
				r, ok := s.hex4(s.pos + 1)
				if !ok {
					return nil, s.fail(`bad \u escape in string; want four hex digits`)
				}
				if utf16.IsSurrogate(r) {
					r2, ok2 := rune(0), false
					if s.pos+6 < len(s.data) && s.data[s.pos+5] == '\\' && s.data[s.pos+6] == 'u' {
						r2, ok2 = s.hex4(s.pos + 7)
					}
					if !ok2 || utf16.DecodeRune(r, r2) == utf8.RuneError {
						s.pos-- // at the backslash
						return nil, s.fail(fmt.Sprintf(`lone UTF-16 surrogate \u%04x in string; want a pair such as \ud83d\ude00`, r))
					}
					s.pos += 6
				}
				s.pos += 5
			default:
				r, _ := utf8.DecodeRune(s.data[s.pos:])
				return nil, s.fail(fmt.Sprintf(`bad escape \%c in string; write a backslash itself as \\`, r))
			}
		case c < 0x20:
			return nil, s.fail(fmt.Sprintf(`control character %U in string; write it as an escape such as \n or \t`, rune(c)))
		case c < utf8.RuneSelf:
			s.pos++
		default:
			r, n := utf8.DecodeRune(s.data[s.pos:])
			if r == utf8.RuneError && n <= 1 {
				return nil, s.fail(fmt.Sprintf("invalid UTF-8 (byte 0x%02x) in string; save the file as UTF-8", c))
			}
			s.pos += n
		}
	}
}

// hex4 reads four hex digits at off.
func (s *scanner) hex4(off int) (rune, bool) {
	var r rune
	for i := range 4 {
		if off+i >= len(s.data) {
			return 0, false
		}
		c := s.data[off+i]
		var d byte
		switch {
		case '0' <= c && c <= '9':
			d = c - '0'
		case 'a' <= c && c <= 'f':
			d = c - 'a' + 10
		case 'A' <= c && c <= 'F':
			d = c - 'A' + 10
		default:
			return 0, false
		}
		r = r<<4 | rune(d)
	}
	return r, true
}

func (s *scanner) number() (any, *Problem) {
	start := s.pos
	digits := func() int {
		n := 0
		for s.pos < len(s.data) && '0' <= s.data[s.pos] && s.data[s.pos] <= '9' {
			s.pos++
			n++
		}
		return n
	}
	bad := func() (any, *Problem) {
		end := s.pos
		for end < len(s.data) && isNumberByte(s.data[end]) {
			end++
		}
		p := s.fail(fmt.Sprintf("bad number %q", s.data[start:end]))
		p.Off = start
		return nil, p
	}
	if s.data[s.pos] == '-' {
		s.pos++
	}
	if s.pos < len(s.data) && s.data[s.pos] == '0' {
		s.pos++
		if s.pos < len(s.data) && '0' <= s.data[s.pos] && s.data[s.pos] <= '9' {
			return bad() // leading zero
		}
	} else if digits() == 0 {
		return bad()
	}
	if s.pos < len(s.data) && s.data[s.pos] == '.' {
		s.pos++
		if digits() == 0 {
			return bad()
		}
	}
	if s.pos < len(s.data) && (s.data[s.pos] == 'e' || s.data[s.pos] == 'E') {
		s.pos++
		if s.pos < len(s.data) && (s.data[s.pos] == '+' || s.data[s.pos] == '-') {
			s.pos++
		}
		if digits() == 0 {
			return bad()
		}
	}
	if s.pos < len(s.data) && isNumberByte(s.data[s.pos]) {
		return bad()
	}
	if !s.build {
		return nil, nil
	}
	return json.Number(s.data[start:s.pos]), nil
}

func isNumberByte(c byte) bool {
	return '0' <= c && c <= '9' || c == '.' || c == '-' || c == '+' || c == 'e' || c == 'E'
}

func isWordByte(c byte) bool {
	return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '_'
}

func (s *scanner) literal() (any, *Problem) {
	end := s.pos
	for end < len(s.data) && isWordByte(s.data[end]) {
		end++
	}
	switch word := string(s.data[s.pos:end]); word {
	case "true":
		s.pos = end
		return true, nil
	case "false":
		s.pos = end
		return false, nil
	case "null":
		s.pos = end
		return nil, nil
	case "":
		return nil, s.fail("want a value, got " + s.describe())
	default:
		if len(word) > 40 {
			word = word[:40] + "..."
		}
		return nil, s.fail(fmt.Sprintf("bad value %s (strings need double quotes)", word))
	}
}
