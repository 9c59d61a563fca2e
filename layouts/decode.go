package layouts

import (
	"encoding/json"
	"fmt"
	"io"
	"os"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"github.com/wallboard/wallboard/internal/jsonpos"
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

// MaxErrors is how many problems Parse and Validate report; the others are
// only counted (see TooManyErrors).
const MaxErrors = 50

// Bounds of a layout document, so that no input makes loading a wall slow.
const (
	MaxFileSize   = 64 << 20 // bytes of a layout file
	MaxWidgets    = 100_000  // widgets of all dashboards of a layout
	MaxDashboards = 10_000
)

// maxDepth bounds the nesting of a layout document. Real layouts nest about
// six levels deep; the bound keeps hostile input from exhausting the stack.
const maxDepth = 64

// TooManyErrors is the error of a layout with more than MaxErrors
// problems: the first MaxErrors of them, in document order, and how many
// more there are. errors.As finds the Errors and each *ValidationError.
type TooManyErrors struct {
	First Errors
	More  int
}

// Error returns the first errors one per line, then "and N more problems".
func (e *TooManyErrors) Error() string {
	return fmt.Sprintf("%s\nand %d more problems", e.First.Error(), e.More)
}

// Unwrap returns the first errors.
func (e *TooManyErrors) Unwrap() error { return e.First }

// asError returns nil, the only error, all of them as Errors, or, beyond
// MaxErrors, a *TooManyErrors; more is the number of errors left out of
// errs already.
func asError(errs []*ValidationError, more int) error {
	if len(errs) > MaxErrors {
		more += len(errs) - MaxErrors
		errs = errs[:MaxErrors]
	}
	switch {
	case more > 0:
		return &TooManyErrors{First: Errors(errs), More: more}
	case len(errs) == 0:
		return nil
	case len(errs) == 1:
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

// Load reads and parses the layout file at path; see Parse. A file larger
// than MaxFileSize is refused without reading it all.
func Load(path string) (*Layout, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("load layout: %w", err)
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, MaxFileSize+1))
	if err != nil {
		return nil, fmt.Errorf("load layout: %w", err)
	}
	return Parse(path, data)
}

// Parse decodes and validates a layout document; name is the file name used
// in errors. Parsing is strict: syntax errors, invalid UTF-8, unknown fields
// (anywhere), values of the wrong JSON type, duplicate fields and trailing
// data are errors, as is everything Validate rejects, and a document may
// hold at most MaxFileSize bytes, MaxDashboards dashboards and MaxWidgets
// widgets. Documents of older versions are migrated to Version first. The
// error is a *ValidationError or, when there are several problems, Errors
// sorted by position (beyond MaxErrors, a *TooManyErrors).
func Parse(name string, data []byte) (*Layout, error) {
	if len(data) > MaxFileSize {
		return nil, locate(name, data, []problem{{path: "$", off: 0,
			reason: fmt.Sprintf("the layout is larger than %d MiB", MaxFileSize>>20)}})
	}
	root, dups, serr := jsonpos.Decode(data, maxDepth)
	blocking := make([]problem, 0, len(dups))
	for _, d := range dups {
		blocking = append(blocking, problem{path: d.Path, reason: d.Reason, off: d.Off})
	}
	if serr != nil {
		return nil, locate(name, data, append(blocking, problem{path: serr.Path, reason: serr.Reason, off: serr.Off}))
	}
	doc, ok := root.(map[string]any)
	if !ok {
		return nil, locate(name, data, []problem{{path: "$", off: -1,
			reason: "want a JSON object with version and dashboards, got " + describe(root)}})
	}
	if coveredBy("$.version", blocking) {
		// Which version is meant is anybody's guess: say only that.
		return nil, locate(name, data, blocking)
	}
	if p, newer := checkVersion(doc); p != nil {
		if newer {
			return nil, locate(name, data, []problem{*p})
		}
		blocking = append(blocking, *p)
	}
	if p := checkSize(doc); p != nil {
		return nil, locate(name, data, append(blocking, *p))
	}
	l := new(Layout)
	w := walker{}
	w.walk(doc, reflect.ValueOf(l).Elem())
	blocking = append(blocking, w.probs...)
	l.Version = Version // migrated, or its absence already reported

	probs := blocking
	covered := coverage(blocking)
	for _, p := range validate(l) {
		if !covered(p.path) {
			probs = append(probs, p)
		}
	}
	if err := locate(name, data, probs); err != nil {
		return nil, err
	}
	return l, nil
}

// checkSize bounds the dashboards and widgets of a generic document before
// it is decoded.
func checkSize(doc map[string]any) *problem {
	dashboards, _ := doc["dashboards"].([]any)
	if len(dashboards) > MaxDashboards {
		return &problem{path: "$.dashboards", off: -1,
			reason: fmt.Sprintf("%d dashboards; a layout may have at most %d", len(dashboards), MaxDashboards)}
	}
	n := 0
	for _, d := range dashboards {
		if d, ok := d.(map[string]any); ok {
			ws, _ := d["widgets"].([]any)
			n += len(ws)
		}
	}
	if n > MaxWidgets {
		return &problem{path: "$.dashboards", off: -1,
			reason: fmt.Sprintf("%d widgets; a layout may have at most %d", n, MaxWidgets)}
	}
	return nil
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
func coveredBy(path string, probs []problem) bool { return coverage(probs)(path) }

// coverage returns coveredBy for many paths: it costs one lookup per
// segment of the path, however many problems there are.
func coverage(probs []problem) func(path string) bool {
	if len(probs) == 0 {
		return func(string) bool { return false }
	}
	at := make(map[string]bool, len(probs))
	for _, p := range probs {
		at[p.path] = true
	}
	return func(path string) bool {
		for p := path; p != ""; p = jsonpos.Parent(p) {
			if at[p] {
				return true
			}
		}
		return false
	}
}

// locate turns problems into errors with line and column, sorted by
// position, dropping exact repeats and keeping the first MaxErrors.
func locate(name string, data []byte, probs []problem) error {
	if len(probs) == 0 {
		return nil
	}
	var paths []string
	for _, p := range probs {
		if p.off < 0 {
			paths = append(paths, p.path)
		}
	}
	var index map[string]jsonpos.Span
	if len(paths) > 0 {
		index = jsonpos.Locate(data, paths)
	}
	for i := range probs {
		if probs[i].off < 0 {
			probs[i].off = lookup(index, probs[i].path, probs[i].key)
		}
	}
	slices.SortStableFunc(probs, func(a, b problem) int { return a.off - b.off })
	lines := jsonpos.NewLines(data)
	var errs []*ValidationError
	more := 0
	for i, p := range probs {
		if isRepeat(probs, i) {
			continue
		}
		if len(errs) == MaxErrors {
			more++
			continue
		}
		line, col := lines.Pos(p.off)
		errs = append(errs, &ValidationError{File: name, Line: line, Col: col, Path: p.path, Reason: p.text()})
	}
	return asError(errs, more)
}

// isRepeat reports whether probs[i], of probs sorted by offset, repeats an
// earlier problem exactly.
func isRepeat(probs []problem, i int) bool {
	p := probs[i]
	for j := i - 1; j >= 0 && probs[j].off == p.off; j-- {
		if probs[j].path == p.path && probs[j].text() == p.text() {
			return true
		}
	}
	return false
}

// lookup finds the offset of the value at path (or of its key), falling back
// to the nearest enclosing value for a path that is not in the document,
// such as a missing field.
func lookup(index map[string]jsonpos.Span, path string, key bool) int {
	for p := path; p != ""; p = jsonpos.Parent(p) {
		if s, ok := index[p]; ok {
			if key && p == path && s.Key >= 0 {
				return s.Key
			}
			return s.Val
		}
	}
	return 0
}

// walker decodes a generic JSON value into a Go value, as encoding/json
// would but strictly: unknown fields and values of the wrong type are
// problems, and the value at fault is left at its zero value.
type walker struct {
	path  jsonpos.Stack
	probs []problem
}

var durationType = reflect.TypeFor[Duration]()

func (w *walker) fail(reason string) {
	w.probs = append(w.probs, problem{path: w.path.String(), reason: reason, off: -1})
}

func (w *walker) mismatch(t reflect.Type, v any) {
	w.fail(fmt.Sprintf("want %s, got %s", wantName(t), describe(v)))
}

// walk decodes v into dst, which must be settable; ok is false when v
// itself is unsound (dst is then left as it was).
func (w *walker) walk(v any, dst reflect.Value) (ok bool) {
	t := dst.Type()
	if t == durationType {
		s, isStr := v.(string)
		if !isStr {
			w.mismatch(t, v)
			return false
		}
		d, err := ParseDuration(s)
		if err != nil {
			w.fail(err.Error())
			return false
		}
		dst.SetInt(int64(d))
		return true
	}
	if v == nil {
		switch t.Kind() {
		case reflect.Pointer, reflect.Slice, reflect.Map, reflect.Interface:
			return true
		}
		w.mismatch(t, v)
		return false
	}
	switch t.Kind() {
	case reflect.Pointer:
		p := reflect.New(t.Elem())
		if !w.walk(v, p.Elem()) {
			return false
		}
		dst.Set(p)
		return true
	case reflect.Struct:
		obj, isObj := v.(map[string]any)
		if !isObj {
			w.mismatch(t, v)
			return false
		}
		info := fieldsOf(t)
		for name, fv := range obj {
			w.path.PushKey(name)
			if f, known := info.byName[name]; known {
				w.walk(fv, dst.Field(f))
			} else {
				w.probs = append(w.probs, problem{path: w.path.String(), off: -1, key: true,
					reason: unknownField(name, typeWords(t), info.names)})
			}
			w.path.Pop()
		}
		return true
	case reflect.Slice:
		list, isList := v.([]any)
		if !isList {
			w.mismatch(t, v)
			return false
		}
		out := reflect.MakeSlice(t, len(list), len(list))
		for i, e := range list {
			w.path.PushIndex(i)
			w.walk(e, out.Index(i)) // a bad element stays zero, keeping the indexes of the others
			w.path.Pop()
		}
		dst.Set(out)
		return true
	case reflect.Map:
		obj, isObj := v.(map[string]any)
		if !isObj {
			w.mismatch(t, v)
			return false
		}
		out := reflect.MakeMapWithSize(t, len(obj))
		for name, e := range obj {
			w.path.PushKey(name)
			ev := reflect.New(t.Elem()).Elem()
			if w.walk(e, ev) {
				out.SetMapIndex(reflect.ValueOf(name).Convert(t.Key()), ev)
			}
			w.path.Pop()
		}
		dst.Set(out)
		return true
	case reflect.Interface:
		dst.Set(reflect.ValueOf(v))
		return true
	case reflect.String:
		s, isStr := v.(string)
		if !isStr {
			w.mismatch(t, v)
			return false
		}
		dst.SetString(s)
		return true
	case reflect.Bool:
		b, isBool := v.(bool)
		if !isBool {
			w.mismatch(t, v)
			return false
		}
		dst.SetBool(b)
		return true
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		num, isNum := v.(json.Number)
		if !isNum {
			w.mismatch(t, v)
			return false
		}
		n, err := strconv.ParseInt(string(num), 10, 64)
		if err != nil {
			f, ferr := num.Float64()
			switch {
			case ferr != nil || f < -(1<<63) || f >= 1<<63:
				w.fail(fmt.Sprintf("number %s is out of range", num))
				return false
			case f != float64(int64(f)):
				w.fail(fmt.Sprintf("want an integer, got %s", num))
				return false
			}
			n = int64(f)
		}
		if dst.OverflowInt(n) {
			w.fail(fmt.Sprintf("number %s is out of range", num))
			return false
		}
		dst.SetInt(n)
		return true
	case reflect.Float32, reflect.Float64:
		num, isNum := v.(json.Number)
		if !isNum {
			w.mismatch(t, v)
			return false
		}
		f, err := strconv.ParseFloat(string(num), t.Bits())
		if err != nil {
			w.fail(fmt.Sprintf("number %s is out of range", num))
			return false
		}
		dst.SetFloat(f)
		return true
	}
	w.fail(fmt.Sprintf("cannot decode into %s", t)) // not reached for layout types
	return false
}

// structInfo is the JSON view of a struct type: field indexes by JSON
// name, and the names in declaration order.
type structInfo struct {
	byName map[string]int
	names  []string
}

var structInfos sync.Map // reflect.Type -> *structInfo

func fieldsOf(t reflect.Type) *structInfo {
	if info, ok := structInfos.Load(t); ok {
		return info.(*structInfo)
	}
	info := &structInfo{byName: map[string]int{}}
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
		info.byName[name] = i
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
