package layouts

import (
	"bytes"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/wallboard/wallboard/internal/jsonpos"
)

func FuzzParse(f *testing.F) {
	files, _ := filepath.Glob("testdata/*/*.json")
	for _, file := range files {
		data, err := os.ReadFile(file)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	builtin, err := Marshal(Builtin())
	if err != nil {
		f.Fatal(err)
	}
	f.Add(builtin)
	for _, s := range []string{``, `{}`, `[]`, `{"version": 1}`, `{"version": 1, "dashboards": [{}]}`, `"\u00e9\ud800"`, `{"a":[1e999,-0,0.5e-400]}`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		// The scanner agrees with encoding/json on what is JSON.
		_, _, serr := jsonpos.Decode(data, maxDepth)
		plain := bytes.TrimPrefix(data, []byte("\xEF\xBB\xBF"))
		// Stricter only in what it may be: nesting, UTF-8, surrogates.
		stricter := serr != nil && (strings.Contains(serr.Reason, "nested more than") ||
			strings.Contains(serr.Reason, "invalid UTF-8") || strings.Contains(serr.Reason, "lone UTF-16 surrogate"))
		if serr == nil != json.Valid(plain) && !stricter {
			t.Fatalf("scan error %v, but json.Valid = %t", serr, json.Valid(plain))
		}
		if serr == nil && !utf8.Valid(plain) {
			t.Fatalf("scan accepted invalid UTF-8")
		}

		l, err := Parse("fuzz.json", data)
		if err != nil {
			var ve *ValidationError
			if !errors.As(err, &ve) || ve.Line < 1 || ve.Col < 1 || ve.Path == "" {
				t.Fatalf("error %#v is not a located *ValidationError", err)
			}
			return
		}
		if err := Validate(l); err != nil {
			t.Fatalf("Parse accepted what Validate rejects: %v", err)
		}
		out, err := Marshal(l)
		if err != nil {
			t.Fatalf("Marshal of an accepted layout: %v", err)
		}
		again, err := Parse("again.json", out)
		if err != nil {
			t.Fatalf("re-parse of\n%s\nfailed: %v", out, err)
		}
		out2, err := Marshal(again)
		if err != nil || !bytes.Equal(out, out2) {
			t.Fatalf("marshal, parse, marshal is not stable:\n%s", firstDiff(out, out2))
		}
	})
}
