package layouts

import (
	"bytes"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/prometheus/prometheus/model/labels"
	"github.com/prometheus/prometheus/promql/parser"

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
	// testdata/fuzz/FuzzParse holds the inputs of bugs fixed: invalid UTF-8
	// read as U+FFFD, a repeated version called newer, an expression that
	// hangs the PromQL parser.
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

// FuzzInterpolate checks that whatever values are chosen, a matcher keeps
// its meaning: the query parses, has the same matchers, and matches
// exactly the values chosen.
func FuzzInterpolate(f *testing.F) {
	for _, s := range []string{"", "eu-west", `a"b`, `x", secret=~".+`, "a\nb", `\`, "`", "$region", "${region}", "\xff", "\u2028", "'"} {
		f.Add(uint8(0), s, "other")
	}
	f.Add(uint8(5), "0.5", "")
	f.Add(uint8(6), "x # $region \"", "")
	templates := []string{
		`up{region=~"$region"}`, `up{region!~"${region}"}`, `up{region=~'$region'}`,
		"up{region=~`$region`}", `up{region="$region"}`, `x > $region`, ``,
	}
	d := &Dashboard{Variables: []Variable{{Name: "region", Multi: true}}}
	p := parser.NewParser(parser.Options{})
	f.Fuzz(func(t *testing.T, tmpl uint8, v1, v2 string) {
		if int(tmpl) >= len(templates) {
			// any expression: no panic, and nothing but references change
			out := Interpolate(v2, d, map[string][]string{"region": {v1}})
			if !strings.Contains(v2, "$") && out != v2 {
				t.Fatalf("Interpolate changed %q without references to %q", v2, out)
			}
			return
		}
		expr := templates[tmpl]
		for _, values := range [][]string{{v1}, {v1, v2}} {
			got := Interpolate(expr, d, map[string][]string{"region": values})
			if tmpl == 5 {
				if got != expr && got != "x > "+v1 {
					t.Fatalf("Interpolate(%q) = %q", expr, got)
				}
				if _, err := p.ParseExpr(got); got != expr && err != nil {
					t.Fatalf("Interpolate(%q) = %q: %v", expr, got, err)
				}
				continue
			}
			if expr == "" {
				continue
			}
			ms, err := p.ParseMetricSelector(got)
			if err != nil {
				if got == expr {
					continue // left alone: a value a raw string cannot hold
				}
				t.Fatalf("Interpolate(%q, %q) = %s, which does not parse: %v", expr, values, got, err)
			}
			if len(ms) != 2 || ms[0].Name != "region" {
				t.Fatalf("Interpolate(%q, %q) = %s: matchers %v", expr, values, got, ms)
			}
			if tmpl == 4 && len(values) > 1 {
				continue // an equality matcher cannot take several values
			}
			for _, v := range values {
				v = strings.ToValidUTF8(v, "\uFFFD")
				if ms[0].Matches(v) == (ms[0].Type == labels.MatchNotRegexp) {
					t.Fatalf("Interpolate(%q, %q) = %s: matcher %v gets %q wrong", expr, values, got, ms[0], v)
				}
			}
		}
	})
}

// FuzzTimeRange checks that time expressions parse without panics and
// that a range that validates resolves.
func FuzzTimeRange(f *testing.F) {
	for _, s := range [][2]string{{"now-1h", ""}, {"1h", "now"}, {"now-7d", "now-1d"}, {"2026-11-27T10:00:00Z", "2026-11-27T12:00:00+01:00"}, {"now - 1.5w", "now+5m"}, {"now-9223372036s", "now"}} {
		f.Add(s[0], s[1])
	}
	now := time.Date(2026, 12, 1, 12, 0, 0, 0, time.UTC)
	f.Fuzz(func(t *testing.T, from, to string) {
		r := TimeRange{From: from, To: to}
		_ = r.String()
		ParseTime(from, now)
		field, reason := r.check()
		f, tt, err := r.Resolve(now)
		if err == nil && !f.Before(tt) {
			t.Fatalf("Resolve(%+v) = %v, %v: from not before to", r, f, tt)
		}
		if reason == "" {
			fe, te, err := r.exprs()
			if err != nil {
				t.Fatalf("check accepted %+v, exprs: %v", r, err)
			}
			if fe.abs == te.abs {
				if _, _, err := r.Resolve(now); err != nil {
					t.Fatalf("check accepted %+v, Resolve: %v", r, err)
				}
			}
		} else if field != "" && field != "from" && field != "to" {
			t.Fatalf("check field %q", field)
		}
	})
}

// FuzzParseDuration checks the duration units against time.ParseDuration
// and that a duration's String parses back to it.
func FuzzParseDuration(f *testing.F) {
	for _, s := range []string{"5s", "1h30m", "7d", "1.5w", "-2d", "0", "+0", "1µs", "1μs", "9223372036854775807ns", "2562047h47m16.854775807s", ".5m", "1e3s"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		d, err := ParseDuration(s)
		if !strings.ContainsAny(s, "dw") {
			td, terr := time.ParseDuration(s)
			if (err == nil) != (terr == nil) || err == nil && d != td {
				// time.ParseDuration rounds fractions differently; the
				// results may differ by a nanosecond per unit.
				if err != nil || terr != nil || max(d-td, td-d) > time.Duration(len(s)) {
					t.Fatalf("ParseDuration(%q) = %v, %v; time.ParseDuration = %v, %v", s, d, err, td, terr)
				}
			}
		}
		if err != nil {
			return
		}
		again, err := ParseDuration(Duration(d).String())
		if err != nil || again != d {
			t.Fatalf("ParseDuration(%q) = %v, whose String %q parses as %v, %v", s, d, Duration(d).String(), again, err)
		}
	})
}

// FuzzCheckExpr checks that CheckExpr never panics and keeps its bounds.
func FuzzCheckExpr(f *testing.F) {
	for _, s := range []string{`sum(rate(x{a="(("}[5m])) > 1e-3`, "a # ((\n+ b", "`", `"\`, "((((", "))))", "a and b or c unless d"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		err := CheckExpr(s)
		if err == nil && len(s) > MaxExprLen {
			t.Fatalf("CheckExpr accepted %d bytes", len(s))
		}
		if err != nil && !errors.Is(err, ErrExprTooLong) && !errors.Is(err, ErrExprTooDeep) {
			t.Fatalf("CheckExpr error %v is not classified", err)
		}
		if err == nil && strings.Count(s, "(") > MaxExprDepth && !strings.ContainsAny(s, "\"'`#)") {
			t.Fatalf("CheckExpr accepted %d open brackets", strings.Count(s, "("))
		}
	})
}
