package layouts

import (
	"encoding/json"
	"fmt"
	"maps"
	"os"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"
)

// ValidationError is one problem of a layout document, located by file,
// line and column (both 1-based; columns count characters) and by the JSON
// path of the value at fault, such as $.dashboards[0].widgets[2].type.
// Line is 0 when the layout was not read from a file (see Validate).
type ValidationError struct {
	File      string
	Line, Col int
	Path      string
	Reason    string
}

// Error returns "FILE:LINE:COL: PATH: reason", leaving out what is unknown:
// "FILE: PATH: reason" or "PATH: reason" for a layout not read from a file.
func (e *ValidationError) Error() string {
	var b strings.Builder
	if e.File != "" {
		b.WriteString(e.File)
		if e.Line > 0 {
			fmt.Fprintf(&b, ":%d:%d", e.Line, e.Col)
		}
		b.WriteString(": ")
	} else if e.Line > 0 {
		fmt.Fprintf(&b, "%d:%d: ", e.Line, e.Col)
	}
	if e.Path != "" {
		b.WriteString(e.Path)
		b.WriteString(": ")
	}
	b.WriteString(e.Reason)
	return b.String()
}

// Errors is several validation errors, in document order.
type Errors []*ValidationError

// Error returns the errors one per line.
func (e Errors) Error() string {
	lines := make([]string, len(e))
	for i, err := range e {
		lines[i] = err.Error()
	}
	return strings.Join(lines, "\n")
}

// Unwrap returns the errors, so errors.As finds the first *ValidationError.
func (e Errors) Unwrap() []error {
	errs := make([]error, len(e))
	for i, err := range e {
		errs[i] = err
	}
	return errs
}

// asError returns nil, the only error, or all of them as Errors.
func asError(errs []*ValidationError) error {
	switch len(errs) {
	case 0:
		return nil
	case 1:
		return errs[0]
	}
	return Errors(errs)
}

// migrations upgrade a document from the version that is their key to the
// next one. They run on the generic form of the document (objects are
// map[string]any, numbers json.Number), before it is checked and decoded,
// so a migration can rename or move fields freely. Version 1 is the first
// version: there is nothing to migrate yet.
var migrations = map[int]func(doc map[string]any) error{}

// Load reads and parses the layout file at path; see Parse.
func Load(path string) (*Layout, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("load layout: %w", err)
	}
	return Parse(path, data)
}

// Parse decodes and validates a layout document; name is the file name used
// in errors. Parsing is strict: syntax errors, unknown fields (anywhere),
// values of the wrong JSON type, duplicate fields and trailing data are
// errors, as is everything Validate rejects. Documents of older versions are
// migrated to Version first. The error is a *ValidationError or, when there
// are several problems, Errors, sorted by position.
func Parse(name string, data []byte) (*Layout, error) {
	root, index, blocking, serr := scan(data)
	if serr != nil {
		return nil, locate(name, data, index, append(blocking, *serr))
	}
	doc, ok := root.(map[string]any)
	if !ok {
		return nil, locate(name, data, index, []problem{{path: "$", off: -1,
			reason: "want a JSON object with version and dashboards, got " + describe(root)}})
	}
	if p, newer := checkVersion(doc); p != nil {
		if newer {
			return nil, locate(name, data, index, []problem{*p})
		}
		blocking = append(blocking, *p)
	}
	var w walker
	clean, _ := w.walk(doc, reflect.TypeFor[Layout](), "$")
	blocking = append(blocking, w.probs...)

	l := new(Layout)
	if b, err := json.Marshal(clean); err != nil {
		blocking = append(blocking, problem{path: "$", reason: err.Error(), off: -1})
	} else if err := json.Unmarshal(b, l); err != nil {
		blocking = append(blocking, problem{path: "$", reason: err.Error(), off: -1})
	}
	l.Version = Version // migrated, or its absence already reported

	probs := blocking
	for _, p := range validate(l) {
		if !coveredBy(p.path, blocking) {
			probs = append(probs, p)
		}
	}
	if err := locate(name, data, index, probs); err != nil {
		return nil, err
	}
	return l, nil
}

// checkVersion checks the document's version and migrates an older
// document. newer reports a document from a newer Wallboard, of which
// nothing else can be said.
func checkVersion(doc map[string]any) (p *problem, newer bool) {
	raw, present := doc["version"]
	if !present {
		return &problem{path: "$.version", off: -1,
			reason: fmt.Sprintf("version is missing (this Wallboard writes version %d)", Version)}, false
	}
	num, ok := raw.(json.Number)
	if !ok {
		return nil, false // the walker reports the type
	}
	v, err := strconv.Atoi(string(num))
	if err != nil {
		if f, ferr := num.Float64(); ferr == nil && f > Version {
			return &problem{path: "$.version", off: -1,
				reason: fmt.Sprintf("written by a newer Wallboard (version %s; this one reads up to %d)", num, Version)}, true
		}
		return nil, false // the walker reports a non-integer
	}
	switch {
	case v > Version:
		return &problem{path: "$.version", off: -1,
			reason: fmt.Sprintf("written by a newer Wallboard (version %d; this one reads up to %d)", v, Version)}, true
	case v < 1:
		return &problem{path: "$.version", off: -1,
			reason: fmt.Sprintf("version must be at least 1, got %d (this Wallboard writes version %d)", v, Version)}, false
	}
	if err := upgrade(doc, v, Version, migrations); err != nil {
		return &problem{path: "$", off: -1, reason: err.Error()}, false
	}
	return nil, false
}

// upgrade migrates doc from version from to version to, one version at a
// time, with the migrations migs (a missing step changes only the number).
func upgrade(doc map[string]any, from, to int, migs map[int]func(map[string]any) error) error {
	for v := from; v < to; v++ {
		if migrate := migs[v]; migrate != nil {
			if err := migrate(doc); err != nil {
				return fmt.Errorf("upgrading from version %d: %w", v, err)
			}
		}
		doc["version"] = json.Number(strconv.Itoa(v + 1))
	}
	return nil
}

// coveredBy reports whether path is at or below the path of one of probs:
// once a value is reported as malformed, what follows from it is noise.
func coveredBy(path string, probs []problem) bool {
	for _, p := range probs {
		if rest, ok := strings.CutPrefix(path, p.path); ok && (rest == "" || rest[0] == '.' || rest[0] == '[') {
			return true
		}
	}
	return false
}

// locate turns problems into errors with line and column, sorted by
// position, dropping exact repeats.
func locate(name string, data []byte, index map[string]span, probs []problem) error {
	type located struct {
		off int
		err *ValidationError
	}
	var all []located
	seen := map[string]bool{}
	for _, p := range probs {
		off := p.off
		if off < 0 {
			off = lookup(index, p.path, p.key)
		}
		line, col := lineCol(data, off)
		e := &ValidationError{File: name, Line: line, Col: col, Path: p.path, Reason: p.reason}
		if k := e.Error(); !seen[k] {
			seen[k] = true
			all = append(all, located{off, e})
		}
	}
	slices.SortStableFunc(all, func(a, b located) int { return a.off - b.off })
	errs := make([]*ValidationError, len(all))
	for i, l := range all {
		errs[i] = l.err
	}
	return asError(errs)
}

// lookup finds the offset of the value at path (or of its key), falling back
// to the nearest enclosing value for a path that is not in the document,
// such as a missing field.
func lookup(index map[string]span, path string, key bool) int {
	for p := path; p != ""; p = parentPath(p) {
		if s, ok := index[p]; ok {
			if key && p == path && s.key >= 0 {
				return s.key
			}
			return s.val
		}
	}
	return 0
}

// lineCol converts a byte offset to a 1-based line and a 1-based column
// counted in characters.
func lineCol(data []byte, off int) (line, col int) {
	off = min(max(off, 0), len(data))
	line, start := 1, 0
	for i := 0; i < off; i++ {
		if data[i] == '\n' {
			line++
			start = i + 1
		}
	}
	return line, utf8.RuneCount(data[start:off]) + 1
}

// walker checks a generic JSON value against a Go type, field by field, as
// encoding/json would decode it but strictly: unknown fields and values of
// the wrong type are problems. It returns a copy holding only the parts that
// are sound, which then decodes without error.
type walker struct {
	probs []problem
}

var durationType = reflect.TypeFor[Duration]()

func (w *walker) fail(path, reason string) {
	w.probs = append(w.probs, problem{path: path, reason: reason, off: -1})
}

func (w *walker) mismatch(path string, t reflect.Type, v any) {
	w.fail(path, fmt.Sprintf("want %s, got %s", wantName(t), describe(v)))
}

// walk checks v against t and returns v's sound parts; ok is false when v
// itself is unsound (the caller leaves it out).
func (w *walker) walk(v any, t reflect.Type, path string) (clean any, ok bool) {
	if t == durationType {
		s, isStr := v.(string)
		if !isStr {
			w.mismatch(path, t, v)
			return nil, false
		}
		if _, err := ParseDuration(s); err != nil {
			w.fail(path, err.Error())
			return nil, false
		}
		return s, true
	}
	if v == nil {
		switch t.Kind() {
		case reflect.Pointer, reflect.Slice, reflect.Map, reflect.Interface:
			return nil, true
		}
		w.mismatch(path, t, v)
		return nil, false
	}
	switch t.Kind() {
	case reflect.Pointer:
		return w.walk(v, t.Elem(), path)
	case reflect.Struct:
		obj, isObj := v.(map[string]any)
		if !isObj {
			w.mismatch(path, t, v)
			return nil, false
		}
		info := fieldsOf(t)
		out := make(map[string]any, len(obj))
		for _, name := range sortedKeys(obj) {
			fieldPath := path + pathKey(name)
			f, known := info.byName[name]
			if !known {
				w.probs = append(w.probs, problem{path: fieldPath, off: -1, key: true,
					reason: unknownField(name, typeWords(t), info.names)})
				continue
			}
			if c, ok := w.walk(obj[name], f, fieldPath); ok {
				out[name] = c
			}
		}
		return out, true
	case reflect.Slice:
		list, isList := v.([]any)
		if !isList {
			w.mismatch(path, t, v)
			return nil, false
		}
		out := make([]any, len(list))
		for i, e := range list {
			c, ok := w.walk(e, t.Elem(), path+pathIndex(i))
			if !ok {
				c = zeroJSON(t.Elem()) // keep the indexes of the others
			}
			out[i] = c
		}
		return out, true
	case reflect.Map:
		obj, isObj := v.(map[string]any)
		if !isObj {
			w.mismatch(path, t, v)
			return nil, false
		}
		out := make(map[string]any, len(obj))
		for _, name := range sortedKeys(obj) {
			if c, ok := w.walk(obj[name], t.Elem(), path+pathKey(name)); ok {
				out[name] = c
			}
		}
		return out, true
	case reflect.Interface:
		return v, true
	case reflect.String:
		if _, isStr := v.(string); !isStr {
			w.mismatch(path, t, v)
			return nil, false
		}
		return v, true
	case reflect.Bool:
		if _, isBool := v.(bool); !isBool {
			w.mismatch(path, t, v)
			return nil, false
		}
		return v, true
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		num, isNum := v.(json.Number)
		if !isNum {
			w.mismatch(path, t, v)
			return nil, false
		}
		n, err := strconv.ParseInt(string(num), 10, 64)
		if err != nil {
			f, ferr := num.Float64()
			switch {
			case ferr != nil || f < -(1<<63) || f >= 1<<63:
				w.fail(path, fmt.Sprintf("number %s is out of range", num))
				return nil, false
			case f != float64(int64(f)):
				w.fail(path, fmt.Sprintf("want an integer, got %s", num))
				return nil, false
			}
			n = int64(f)
		}
		if reflect.New(t).Elem().OverflowInt(n) {
			w.fail(path, fmt.Sprintf("number %s is out of range", num))
			return nil, false
		}
		return json.Number(strconv.FormatInt(n, 10)), true
	case reflect.Float32, reflect.Float64:
		num, isNum := v.(json.Number)
		if !isNum {
			w.mismatch(path, t, v)
			return nil, false
		}
		if _, err := strconv.ParseFloat(string(num), t.Bits()); err != nil {
			w.fail(path, fmt.Sprintf("number %s is out of range", num))
			return nil, false
		}
		return num, true
	}
	w.fail(path, fmt.Sprintf("cannot decode into %s", t)) // not reached for layout types
	return nil, false
}

// zeroJSON is the generic form of t's zero value.
func zeroJSON(t reflect.Type) any {
	switch t.Kind() {
	case reflect.Struct:
		return map[string]any{}
	case reflect.String:
		return ""
	case reflect.Bool:
		return false
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Float32, reflect.Float64:
		if t == durationType {
			return "0s"
		}
		return json.Number("0")
	}
	return nil
}

func sortedKeys(m map[string]any) []string { return slices.Sorted(maps.Keys(m)) }

// structInfo is the JSON view of a struct type: field types by JSON name,
// and the names in declaration order.
type structInfo struct {
	byName map[string]reflect.Type
	names  []string
}

var structInfos sync.Map // reflect.Type -> *structInfo

func fieldsOf(t reflect.Type) *structInfo {
	if info, ok := structInfos.Load(t); ok {
		return info.(*structInfo)
	}
	info := &structInfo{byName: map[string]reflect.Type{}}
	for i := range t.NumField() {
		f := t.Field(i)
		if !f.IsExported() {
			continue
		}
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		if name == "-" {
			continue
		}
		if name == "" {
			name = f.Name
		}
		info.byName[name] = f.Type
		info.names = append(info.names, name)
	}
	structInfos.Store(t, info)
	return info
}

func unknownField(name, in string, known []string) string {
	if s := suggest(name, known); s != "" {
		return fmt.Sprintf("unknown field %q in %s; did you mean %q?", name, in, s)
	}
	return fmt.Sprintf("unknown field %q in %s (known: %s)", name, in, strings.Join(known, ", "))
}

// typeWords names a struct type for people: PlaylistItem is "playlist item".
func typeWords(t reflect.Type) string {
	var b strings.Builder
	for i, r := range t.Name() {
		if unicode.IsUpper(r) {
			if i > 0 {
				b.WriteByte(' ')
			}
			r = unicode.ToLower(r)
		}
		b.WriteRune(r)
	}
	return b.String()
}

// wantName says what JSON a Go type takes.
func wantName(t reflect.Type) string {
	if t == durationType {
		return `a duration string like "5s"`
	}
	switch t.Kind() {
	case reflect.Pointer:
		return wantName(t.Elem())
	case reflect.Struct, reflect.Map:
		return "an object"
	case reflect.Slice:
		return "a list"
	case reflect.String:
		return "a string"
	case reflect.Bool:
		return "true or false"
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return "an integer"
	case reflect.Float32, reflect.Float64:
		return "a number"
	}
	return t.String()
}

// describe says what a generic JSON value is: `string "5"`, "number 5",
// "an object".
func describe(v any) string {
	switch v := v.(type) {
	case nil:
		return "null"
	case bool:
		return strconv.FormatBool(v)
	case json.Number:
		return "number " + string(v)
	case string:
		if utf8.RuneCountInString(v) > 40 {
			v = string([]rune(v)[:40]) + "..."
		}
		return "string " + strconv.Quote(v)
	case []any:
		return "a list"
	case map[string]any:
		return "an object"
	}
	return fmt.Sprintf("%T", v)
}
