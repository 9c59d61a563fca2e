package jsonpos

import (
	"strconv"
	"strings"
)

// Root is the path of the whole document.
const Root = "$"

// Key returns the path segment of an object field: .name, or ["name"]
// when name is not a plain identifier.
func Key(name string) string {
	if IsIdent(name) {
		return "." + name
	}
	return "[" + strconv.Quote(name) + "]"
}

// Index returns the path segment of a list element: [i].
func Index(i int) string { return "[" + strconv.Itoa(i) + "]" }

// IsIdent reports whether s is a plain identifier: a letter or _, then
// letters, digits and _ (ASCII only).
func IsIdent(s string) bool {
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

// Parent removes the last segment of a path built with Key and Index; the
// parent of Root is "".
func Parent(p string) string {
	if p == Root || p == "" {
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
			return Root
		}
		for i := len(p) - 1; i >= 0; i-- {
			if p[i] == '[' {
				return p[:i]
			}
		}
		return Root
	}
	for i := len(p) - 1; i >= 0; i-- {
		if p[i] == '.' {
			return p[:i]
		}
	}
	return Root
}

// Stack is a path under construction, kept as segments and joined into a
// string only when String is called, so that following a path through a
// large document allocates nothing per value. The zero Stack is Root.
type Stack struct{ segs []seg }

// seg is one segment: an object key or, when isKey is false, a list index.
type seg struct {
	key   string
	index int
	isKey bool
}

// PushKey descends into the object field name.
func (s *Stack) PushKey(name string) { s.segs = append(s.segs, seg{key: name, isKey: true}) }

// PushIndex descends into list element i.
func (s *Stack) PushIndex(i int) { s.segs = append(s.segs, seg{index: i}) }

// Pop returns to the parent.
func (s *Stack) Pop() { s.segs = s.segs[:len(s.segs)-1] }

// String returns the path, such as $.dashboards[0].widgets[2].
func (s *Stack) String() string {
	var b strings.Builder
	b.WriteString(Root)
	for _, sg := range s.segs {
		if sg.isKey {
			b.WriteString(Key(sg.key))
		} else {
			b.WriteString(Index(sg.index))
		}
	}
	return b.String()
}
