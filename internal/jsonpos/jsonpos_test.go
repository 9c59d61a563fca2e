package jsonpos

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"
)

func TestDecode(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want any
		dups []Problem
		err  *Problem // nil: no syntax error
	}{
		{"object", `{"a": [1, "x", true, null], "b": {}}`,
			map[string]any{"a": []any{json.Number("1"), "x", true, nil}, "b": map[string]any{}}, nil, nil},
		{"escapes", `"a\"\n\u00e9\ud83d\ude00"`, "a\"\né😀", nil, nil},
		{"bom", "\xEF\xBB\xBF[]", []any{}, nil, nil},
		{"duplicate", `{"a": 1, "b": {"c": 1, "c": 2}}`,
			map[string]any{"a": json.Number("1"), "b": map[string]any{"c": json.Number("2")}},
			[]Problem{{Path: "$.b.c", Off: 23, Reason: `duplicate field "c"`}}, nil},
		{"empty", ``, nil, nil, &Problem{Path: "$", Off: 0, Reason: "syntax error: empty document; want a JSON object"}},
		{"missing comma", `{"a": [1 2]}`, nil, nil,
			&Problem{Path: "$.a", Off: 9, Reason: "syntax error: want ',' or ']' after a list element, got '2'"}},
		{"trailing comma", `{"a": 1,}`, nil, nil, &Problem{Path: "$", Off: 8, Reason: "syntax error: trailing comma before '}'"}},
		{"unquoted value", `{"a": [0, x]}`, nil, nil,
			&Problem{Path: "$.a[1]", Off: 10, Reason: "syntax error: bad value x (strings need double quotes)"}},
		{"invalid UTF-8", "{\"title\": \"ab\xff\"}", nil, nil,
			&Problem{Path: "$.title", Off: 13, Reason: "syntax error: invalid UTF-8 (byte 0xff) in string; save the file as UTF-8"}},
		{"invalid UTF-8 in a key", "{\"a\xc3\": 1}", nil, nil,
			&Problem{Path: "$", Off: 3, Reason: "syntax error: invalid UTF-8 (byte 0xc3) in string; save the file as UTF-8"}},
		{"lone surrogate", `["\ud800x"]`, nil, nil,
			&Problem{Path: "$[0]", Off: 2, Reason: `syntax error: lone UTF-16 surrogate \ud800 in string; want a pair such as \ud83d\ude00`}},
		{"trailing data", `{} {}`, nil, nil, &Problem{Path: "$", Off: 3, Reason: "syntax error: unexpected '{' after the end of the document"}},
		{"too deep", strings.Repeat("[", 65), nil, nil,
			&Problem{Path: "$" + strings.Repeat("[0]", 64), Off: 64, Reason: "syntax error: nested more than 64 levels deep"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v, dups, err := Decode([]byte(tt.in), 0)
			if !reflect.DeepEqual(err, tt.err) {
				t.Fatalf("error = %+v, want %+v", err, tt.err)
			}
			if err != nil {
				return
			}
			if !reflect.DeepEqual(v, tt.want) {
				t.Errorf("value = %#v, want %#v", v, tt.want)
			}
			if !reflect.DeepEqual(dups, tt.dups) {
				t.Errorf("duplicates = %+v, want %+v", dups, tt.dups)
			}
		})
	}
}

func TestLocate(t *testing.T) {
	const doc = `{"a": [10, {"b": "x", "c d": [true]}], "e": null}`
	got := Locate([]byte(doc), []string{"$.a[1].b", `$.a[1]["c d"][0]`, "$.e", "$.missing", "$.a[7]"})
	want := map[string]Span{
		"$":                {-1, 0},
		"$.a":              {1, 6},
		"$.a[1]":           {-1, 11},
		"$.a[1].b":         {12, 17},
		`$.a[1]["c d"]`:    {22, 29},
		`$.a[1]["c d"][0]`: {-1, 30},
		"$.e":              {39, 44},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("Locate = %v, want %v", got, want)
	}
}

func TestLines(t *testing.T) {
	data := []byte("ab\néé\n\nx")
	l := NewLines(data)
	tests := []struct{ off, line, col int }{
		{0, 1, 1}, {2, 1, 3}, {3, 2, 1}, {5, 2, 2}, {7, 2, 3}, {8, 3, 1}, {9, 4, 1}, {10, 4, 2}, {99, 4, 2}, {-1, 1, 1},
	}
	for _, tt := range tests {
		line, col := l.Pos(tt.off)
		if line != tt.line || col != tt.col {
			t.Errorf("Pos(%d) = %d:%d, want %d:%d", tt.off, line, col, tt.line, tt.col)
		}
		if line2, col2 := LineCol(data, tt.off); line2 != line || col2 != col {
			t.Errorf("LineCol(%d) = %d:%d, Pos says %d:%d", tt.off, line2, col2, line, col)
		}
	}
}

func TestParent(t *testing.T) {
	tests := []struct{ in, want string }{
		{"$", ""},
		{"$.a", "$"},
		{"$.a[12]", "$.a"},
		{"$.a[12].b", "$.a[12]"},
		{`$.a["x.y"]`, "$.a"},
		{`$.a["[\"]"]`, "$.a"},
		{`$.a["b"].c`, `$.a["b"]`},
		{"$.x" + Key(`a"b.c[`), "$.x"},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			if got := Parent(tt.in); got != tt.want {
				t.Errorf("Parent(%s) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
	if key := Key(`a"b.c[`); key != `["a\"b.c["]` {
		t.Errorf("Key = %s", key)
	}
}

func TestStack(t *testing.T) {
	var s Stack
	s.PushKey("dashboards")
	s.PushIndex(3)
	s.PushKey("a b")
	if got := s.String(); got != `$.dashboards[3]["a b"]` {
		t.Errorf("String = %s", got)
	}
	s.Pop()
	if got := s.String(); got != "$.dashboards[3]" {
		t.Errorf("after Pop = %s", got)
	}
}

func FuzzDecode(f *testing.F) {
	for _, s := range []string{`{"a":[1,{"b":"\u00e9"}]}`, `[1e999,-0]`, `"\ud800"`, "\"\xff\"", `{"a":1,"a":2}`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		v, _, err := Decode(data, 0)
		if err != nil {
			if err.Off < 0 || err.Off > len(data) || !strings.HasPrefix(err.Path, Root) {
				t.Fatalf("bad error %+v", err)
			}
			return
		}
		// What Decode accepts encoding/json reads as the same value.
		var want any
		d := json.NewDecoder(strings.NewReader(strings.TrimPrefix(string(data), "\xEF\xBB\xBF")))
		d.UseNumber()
		if jerr := d.Decode(&want); jerr != nil {
			t.Fatalf("Decode accepted what encoding/json rejects: %v", jerr)
		}
		if !reflect.DeepEqual(v, want) {
			t.Fatalf("Decode = %#v, encoding/json = %#v", v, want)
		}
		// Locate finds every value where a value of its kind starts.
		values := map[string]any{}
		collect(Root, v, values, 200)
		paths := make([]string, 0, len(values))
		for p := range values {
			paths = append(paths, p)
		}
		found := Locate(data, paths)
		for p, v := range values {
			sp, ok := found[p]
			if !ok {
				t.Fatalf("Locate did not find %s", p)
			}
			if sp.Key >= 0 && data[sp.Key] != '"' || !startsKind(data[sp.Val], v) {
				t.Fatalf("Locate(%s) = %+v: %q", p, sp, data[sp.Val:])
			}
		}
	})
}

// collect records the paths of v and its parts, up to n of them.
func collect(path string, v any, into map[string]any, n int) {
	if len(into) >= n {
		return
	}
	into[path] = v
	switch v := v.(type) {
	case map[string]any:
		for k, e := range v {
			collect(path+Key(k), e, into, n)
		}
	case []any:
		for i, e := range v {
			collect(path+Index(i), e, into, n)
		}
	}
}

// startsKind reports whether c can start a JSON value like v.
func startsKind(c byte, v any) bool {
	switch v.(type) {
	case map[string]any:
		return c == '{'
	case []any:
		return c == '['
	case string:
		return c == '"'
	case json.Number:
		return c == '-' || '0' <= c && c <= '9'
	case bool:
		return c == 't' || c == 'f'
	}
	return c == 'n'
}
