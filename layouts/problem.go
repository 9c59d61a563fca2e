package layouts

import (
	"fmt"

	"github.com/wallboard/wallboard/internal/jsonpos"
)

// problem is one finding before it is turned into a ValidationError. It is
// located either by an explicit byte offset or, when off is -1, by looking
// its path (or, with key set, the key at that path) up in the document.
// When args is set, reason is a format for them, applied only for the
// problems reported: a layout with thousands of problems formats MaxErrors.
type problem struct {
	path   string
	reason string
	args   []any
	off    int
	key    bool
}

// text is the reason of the problem.
func (p *problem) text() string {
	if p.args == nil {
		return p.reason
	}
	return fmt.Sprintf(p.reason, p.args...)
}

// pathKey is the JSON path segment of an object field: .name, or ["name"]
// when name is not a plain identifier.
func pathKey(name string) string { return jsonpos.Key(name) }

// pathIndex is the JSON path segment of a list element.
func pathIndex(i int) string { return jsonpos.Index(i) }

func isIdent(s string) bool { return jsonpos.IsIdent(s) }

// parentPath removes the last segment of a JSON path built by pathKey and
// pathIndex; the parent of "$" is "".
func parentPath(p string) string { return jsonpos.Parent(p) }
