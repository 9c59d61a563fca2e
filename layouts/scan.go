package layouts

import (
	"encoding/json"
	"fmt"
	"strconv"
	"unicode/utf8"
)

// maxDepth bounds the nesting of a layout document. Real layouts nest about
// six levels deep; the bound keeps hostile input from exhausting the stack.
const maxDepth = 64

// span locates a value of the document: the byte offsets of its object key
// (-1 for array elements and the root) and of the value itself.
type span struct{ key, val int }

// problem is one finding before it is turned into a ValidationError. It is
// located either by an explicit byte offset or, when off is -1, by looking
// its path (or, with key set, the key at that path) up in the index.
type problem struct {
	path   string
	reason string
	off    int
	key    bool
}

// scanner parses JSON into generic values (map[string]any, []any, string,
// json.Number, bool and nil), recording where every value starts. It exists
// because encoding/json neither reports exact positions for all syntax
// errors nor tells where a value begins.
type scanner struct {
	data  []byte
	pos   int
	depth int
	index map[string]span
	dups  []problem
}

// scan parses data, which must hold exactly one JSON value. It returns the
// value, the index of positions by JSON path, duplicate-key problems, and
// the syntax error that stopped it, if any.
func scan(data []byte) (any, map[string]span, []problem, *problem) {
	s := &scanner{data: data, index: map[string]span{}}
	if len(data) >= 3 && data[0] == 0xEF && data[1] == 0xBB && data[2] == 0xBF {
		s.pos = 3 // a UTF-8 byte order mark, as some Windows editors write
	}
	s.skipSpace()
	if s.pos == len(data) {
		return nil, s.index, s.dups, s.fail("$", "empty document; want a JSON object")
	}
	s.index["$"] = span{key: -1, val: s.pos}
	v, perr := s.value("$")
	if perr != nil {
		return nil, s.index, s.dups, perr
	}
	s.skipSpace()
	if s.pos < len(data) {
		return nil, s.index, s.dups, s.fail("$", "unexpected "+s.describe()+" after the end of the document")
	}
	return v, s.index, s.dups, nil
}

func (s *scanner) fail(path, msg string) *problem {
	return &problem{path: path, reason: "syntax error: " + msg, off: s.pos}
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

func (s *scanner) value(path string) (any, *problem) {
	if s.pos >= len(s.data) {
		return nil, s.fail(path, "unexpected end of file; want a value")
	}
	switch c := s.data[s.pos]; {
	case c == '{':
		return s.object(path)
	case c == '[':
		return s.array(path)
	case c == '"':
		return s.str(path)
	case c == '-' || '0' <= c && c <= '9':
		return s.number(path)
	default:
		return s.literal(path)
	}
}

func (s *scanner) enter(path string) *problem {
	s.depth++
	if s.depth > maxDepth {
		return s.fail(path, fmt.Sprintf("nested more than %d levels deep", maxDepth))
	}
	return nil
}

func (s *scanner) object(path string) (any, *problem) {
	if p := s.enter(path); p != nil {
		return nil, p
	}
	defer func() { s.depth-- }()
	s.pos++ // '{'
	m := map[string]any{}
	s.skipSpace()
	if s.pos < len(s.data) && s.data[s.pos] == '}' {
		s.pos++
		return m, nil
	}
	for {
		s.skipSpace()
		if s.pos >= len(s.data) {
			return nil, s.fail(path, "unexpected end of file; want a field name or '}'")
		}
		if c := s.data[s.pos]; c != '"' {
			if c == '}' {
				return nil, s.fail(path, "trailing comma before '}'")
			}
			return nil, s.fail(path, "want a field name in double quotes, got "+s.describe())
		}
		keyOff := s.pos
		k, p := s.str(path)
		if p != nil {
			return nil, p
		}
		key := k.(string)
		s.skipSpace()
		if s.pos >= len(s.data) || s.data[s.pos] != ':' {
			return nil, s.fail(path, fmt.Sprintf("want ':' after field name %q, got %s", key, s.describe()))
		}
		s.pos++
		s.skipSpace()
		fieldPath := path + pathKey(key)
		if _, dup := m[key]; dup {
			s.dups = append(s.dups, problem{path: fieldPath, reason: fmt.Sprintf("duplicate field %q", key), off: keyOff})
		}
		s.index[fieldPath] = span{key: keyOff, val: s.pos}
		v, p := s.value(fieldPath)
		if p != nil {
			return nil, p
		}
		m[key] = v
		s.skipSpace()
		if s.pos >= len(s.data) {
			return nil, s.fail(path, "unexpected end of file; want ',' or '}'")
		}
		switch s.data[s.pos] {
		case ',':
			s.pos++
		case '}':
			s.pos++
			return m, nil
		default:
			return nil, s.fail(path, fmt.Sprintf("want ',' or '}' after field %q, got %s", key, s.describe()))
		}
	}
}

func (s *scanner) array(path string) (any, *problem) {
	if p := s.enter(path); p != nil {
		return nil, p
	}
	defer func() { s.depth-- }()
	s.pos++ // '['
	a := []any{}
	s.skipSpace()
	if s.pos < len(s.data) && s.data[s.pos] == ']' {
		s.pos++
		return a, nil
	}
	for {
		s.skipSpace()
		if s.pos < len(s.data) && s.data[s.pos] == ']' {
			return nil, s.fail(path, "trailing comma before ']'")
		}
		elemPath := path + pathIndex(len(a))
		s.index[elemPath] = span{key: -1, val: s.pos}
		v, p := s.value(elemPath)
		if p != nil {
			return nil, p
		}
		a = append(a, v)
		s.skipSpace()
		if s.pos >= len(s.data) {
			return nil, s.fail(path, "unexpected end of file; want ',' or ']'")
		}
		switch s.data[s.pos] {
		case ',':
			s.pos++
		case ']':
			s.pos++
			return a, nil
		default:
			return nil, s.fail(path, "want ',' or ']' after a list element, got "+s.describe())
		}
	}
}

// str scans a string literal, leaving the decoding (escapes, invalid UTF-8)
// to encoding/json so that both agree on every string.
func (s *scanner) str(path string) (any, *problem) {
	start := s.pos
	s.pos++ // '"'
	escaped := false
	for {
		if s.pos >= len(s.data) {
			s.pos = start
			return nil, s.fail(path, "string not terminated")
		}
		switch c := s.data[s.pos]; {
		case c == '"':
			s.pos++
			raw := s.data[start+1 : s.pos-1]
			if !escaped && utf8.Valid(raw) {
				return string(raw), nil
			}
			var v string
			if err := json.Unmarshal(s.data[start:s.pos], &v); err != nil {
				s.pos = start
				return nil, s.fail(path, err.Error())
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
				for i := 1; i <= 4; i++ {
					if s.pos+i >= len(s.data) || !isHex(s.data[s.pos+i]) {
						s.pos += i
						return nil, s.fail(path, `bad \u escape in string; want four hex digits`)
					}
				}
				s.pos += 5
			default:
				r, _ := utf8.DecodeRune(s.data[s.pos:])
				return nil, s.fail(path, fmt.Sprintf(`bad escape \%c in string; write a backslash itself as \\`, r))
			}
		case c < 0x20:
			return nil, s.fail(path, fmt.Sprintf(`control character %U in string; write it as an escape such as \n or \t`, rune(c)))
		default:
			s.pos++
		}
	}
}

func isHex(c byte) bool {
	return '0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F'
}

func (s *scanner) number(path string) (any, *problem) {
	start := s.pos
	digits := func() int {
		n := 0
		for s.pos < len(s.data) && '0' <= s.data[s.pos] && s.data[s.pos] <= '9' {
			s.pos++
			n++
		}
		return n
	}
	bad := func() (any, *problem) {
		end := s.pos
		for end < len(s.data) && isNumberByte(s.data[end]) {
			end++
		}
		p := s.fail(path, fmt.Sprintf("bad number %q", s.data[start:end]))
		p.off = start
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
	return json.Number(s.data[start:s.pos]), nil
}

func isNumberByte(c byte) bool {
	return '0' <= c && c <= '9' || c == '.' || c == '-' || c == '+' || c == 'e' || c == 'E'
}

func isWordByte(c byte) bool {
	return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '_'
}

func (s *scanner) literal(path string) (any, *problem) {
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
		return nil, s.fail(path, "want a value, got "+s.describe())
	default:
		if len(word) > 40 {
			word = word[:40] + "..."
		}
		return nil, s.fail(path, fmt.Sprintf("bad value %s (strings need double quotes)", word))
	}
}

// pathKey is the JSON path segment of an object field: .name, or ["name"]
// when name is not a plain identifier.
func pathKey(name string) string {
	if isIdent(name) {
		return "." + name
	}
	return "[" + strconv.Quote(name) + "]"
}

// pathIndex is the JSON path segment of a list element.
func pathIndex(i int) string { return "[" + strconv.Itoa(i) + "]" }

func isIdent(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c == '_' || 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || i > 0 && '0' <= c && c <= '9') {
			return false
		}
	}
	return true
}

// parentPath removes the last segment of a JSON path built by pathKey and
// pathIndex; the parent of "$" is "".
func parentPath(p string) string {
	if p == "$" || p == "" {
		return ""
	}
	if p[len(p)-1] == ']' {
		if len(p) >= 2 && p[len(p)-2] == '"' {
			// A quoted key. strconv.Quote escapes every '"' inside it, so
			// the segment starts at the last `["` that begins a valid
			// quoted string (a key ending in '[' puts one before the
			// closing quote).
			for i := len(p) - 2; i >= 0; i-- {
				if p[i] == '[' && p[i+1] == '"' {
					if _, err := strconv.Unquote(p[i+1 : len(p)-1]); err == nil {
						return p[:i]
					}
				}
			}
			return "$"
		}
		for i := len(p) - 1; i >= 0; i-- {
			if p[i] == '[' {
				return p[:i]
			}
		}
		return "$"
	}
	for i := len(p) - 1; i >= 0; i-- {
		if p[i] == '.' {
			return p[:i]
		}
	}
	return "$"
}
