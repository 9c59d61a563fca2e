package layouts

import (
	"errors"
	"fmt"
	"strings"
	"testing"
)

// TestTooManyErrors checks that a layout with many problems reports the
// first MaxErrors, in document order, then how many more there are.
func TestTooManyErrors(t *testing.T) {
	tests := []struct {
		name     string
		widgets  int
		overlaps bool
		wantN    int // errors listed
		wantMore int
	}{
		{"valid", 200, false, 0, 0},
		{"few", 10, true, 9, 0},
		{"at the cap", MaxErrors + 1, true, MaxErrors, 0},
		{"beyond the cap", 200, true, MaxErrors, 199 - MaxErrors},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Parse("big.json", bigLayout(tt.widgets, tt.overlaps))
			if tt.wantN == 0 {
				if err != nil {
					t.Fatalf("Parse: %v", err)
				}
				return
			}
			var ve *ValidationError
			if !errors.As(err, &ve) || ve.Path != "$.dashboards[0].widgets[1].position" {
				t.Errorf("first error %v", ve)
			}
			lines := strings.Split(err.Error(), "\n")
			var tm *TooManyErrors
			if tt.wantMore == 0 {
				if errors.As(err, &tm) || len(lines) != tt.wantN {
					t.Fatalf("%d lines (%T), want %d", len(lines), err, tt.wantN)
				}
				return
			}
			if !errors.As(err, &tm) {
				t.Fatalf("error %T, want *TooManyErrors", err)
			}
			if len(tm.First) != tt.wantN || tm.More != tt.wantMore {
				t.Errorf("First %d, More %d; want %d, %d", len(tm.First), tm.More, tt.wantN, tt.wantMore)
			}
			if want := fmt.Sprintf("and %d more problems", tt.wantMore); lines[len(lines)-1] != want || len(lines) != tt.wantN+1 {
				t.Errorf("last of %d lines %q, want %q", len(lines), lines[len(lines)-1], want)
			}
			if want := `big.json:52:220: $.dashboards[0].widgets[50].position: overlaps widget "w0" ($.dashboards[0].widgets[0]) at row 1, col 1`; lines[49] != want {
				t.Errorf("line 50 = %s\nwant %s", lines[49], want)
			}
			var errs Errors
			if !errors.As(err, &errs) || len(errs) != MaxErrors {
				t.Errorf("errors.As(Errors) = %d errors", len(errs))
			}
		})
	}
	t.Run("Validate", func(t *testing.T) {
		l, err := Parse("big.json", bigLayout(200, false))
		if err != nil {
			t.Fatal(err)
		}
		for i := range l.Dashboards[0].Widgets {
			l.Dashboards[0].Widgets[i].Position = Position{Row: 1, Col: 1}
		}
		var tm *TooManyErrors
		if err := Validate(l); !errors.As(err, &tm) || len(tm.First) != MaxErrors || tm.More != 199-MaxErrors {
			t.Fatalf("Validate = %v", err)
		}
	})
}

func TestCheckExpr(t *testing.T) {
	chain := func(n int) string { return "avg(x" + strings.Repeat(" + 0", n) + ")" }
	tests := []struct {
		name string
		expr string
		want error // nil: accepted
	}{
		{"plain", `sum(rate(audio_requests_total{region=~"$region"}[5m]))`, nil},
		{"operators at the bound", chain(MaxExprDepth), nil},
		{"operators beyond", chain(MaxExprDepth + 1), ErrExprTooDeep},
		{"1 MB of terms", chain(262144), ErrExprTooLong},
		{"words as operators", "a" + strings.Repeat(" OR b", MaxExprDepth+1), ErrExprTooDeep},
		{"brackets at the bound", strings.Repeat("(", MaxExprDepth) + "1" + strings.Repeat(")", MaxExprDepth), nil},
		{"brackets beyond", strings.Repeat("(", MaxExprDepth+1) + "1" + strings.Repeat(")", MaxExprDepth+1), ErrExprTooDeep},
		{"brackets in a string", `x{a="` + strings.Repeat("(+", 1000) + `"}`, nil},
		{"brackets in a comment", "x # " + strings.Repeat("(+", 1000) + "\n+ 1", nil},
		{"matchers are no operators", "x{" + strings.Repeat(`a!="b",`, 1000) + "}", nil},
		{"exponents are no operators", "1" + strings.Repeat(" * 1e-3", MaxExprDepth-1), nil},
		{"length at the bound", "x" + strings.Repeat(" ", MaxExprLen-1), nil},
		{"length beyond", "x" + strings.Repeat(" ", MaxExprLen), ErrExprTooLong},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := CheckExpr(tt.expr)
			if tt.want == nil && err != nil || tt.want != nil && !errors.Is(err, tt.want) {
				t.Errorf("CheckExpr = %v, want %v", err, tt.want)
			}
		})
	}
}

// TestParseBounds checks that what would make loading slow is refused
// with a located message.
func TestParseBounds(t *testing.T) {
	long := "avg(x" + strings.Repeat(" + 0", 262144) + ")"
	tests := []struct {
		name string
		data string
		want string
	}{
		{"long expression", edit(t, `"expr": "up"`, `"expr": "`+long+`"`),
			`x.json:9:58: $.dashboards[0].widgets[0].queries[0].expr: expression too long: 1048582 bytes; at most 16384`},
		{"deep expression", edit(t, `"expr": "up"`, `"expr": "`+strings.Repeat("(", 300)+"1"+strings.Repeat(")", 300)+`"`),
			`x.json:9:58: $.dashboards[0].widgets[0].queries[0].expr: expression too deep: brackets nest more than 256 deep`},
		{"rule expression", edit(t, `"dashboards"`, `"rules": [{"name": "r", "value": 1, "expr": "x`+strings.Repeat(" or x", 300)+`"}], "dashboards"`),
			`x.json:3:47: $.rules[0].expr: expression too deep: more than 256 operators`},
		{"too many widgets", `{"version": 1, "dashboards": [{"widgets": [` + strings.Repeat("{},", MaxWidgets) + `{}]}]}`,
			`x.json:1:30: $.dashboards: 100001 widgets; a layout may have at most 100000`},
		{"too many dashboards", `{"version": 1, "dashboards": [` + strings.Repeat("{},", MaxDashboards) + `{}]}`,
			`x.json:1:30: $.dashboards: 10001 dashboards; a layout may have at most 10000`},
		{"too large", `{"version": 1, "title": "` + strings.Repeat("x", MaxFileSize) + `"}`,
			`x.json:1:1: $: the layout is larger than 64 MiB`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Parse("x.json", []byte(tt.data))
			checkErrors(t, err, []string{tt.want})
		})
	}
}

// TestParseEncodingAndDuplicates checks that a document is read as it is
// written: no invalid UTF-8 turned into U+FFFD, and a repeated version
// reported as a repeat, not as a newer document.
func TestParseEncodingAndDuplicates(t *testing.T) {
	tests := []struct {
		name string
		data string
		want []string // nil: valid
	}{
		{"invalid UTF-8", edit(t, `"title": "A"`, "\"title\": \"A\xff\xfe\""),
			[]string{`x.json:6:18: $.dashboards[0].title: syntax error: invalid UTF-8 (byte 0xff) in string; save the file as UTF-8`}},
		{"truncated UTF-8", edit(t, `"title": "A"`, "\"title\": \"\xc3\""),
			[]string{`x.json:6:17: $.dashboards[0].title: syntax error: invalid UTF-8 (byte 0xc3) in string; save the file as UTF-8`}},
		{"lone surrogate", edit(t, `"title": "A"`, `"title": "\udc00"`),
			[]string{`x.json:6:17: $.dashboards[0].title: syntax error: lone UTF-16 surrogate \udc00 in string; want a pair such as \ud83d\ude00`}},
		{"UTF-8 is fine", edit(t, `"title": "A"`, `"title": "Qualité 😀 \u00e9\ud83d\ude00"`), nil},
		{"duplicate newer version", edit(t, `"version": 1,`, `"version": 1, "version": 2,`),
			[]string{`x.json:2:17: $.version: duplicate field "version"`}},
		{"duplicate same version", edit(t, `"version": 1,`, `"version": 1, "version": 1,`),
			[]string{`x.json:2:17: $.version: duplicate field "version"`}},
		{"bytes per second", edit(t, `"type": "stat",`, `"type": "stat", "unit": "Bps",`), nil},
		{"bits per second", edit(t, `"type": "stat",`, `"type": "stat", "unit": "bps",`), nil},
		{"bytes per second misspelt", edit(t, `"type": "stat",`, `"type": "stat", "unit": "BPS",`),
			[]string{`x.json:9:45: $.dashboards[0].widgets[0].unit: unknown unit "BPS" (known: percent, percentunit, s, ms, bytes, Bps, bps, reqps, ops, currencyUSD, short, none); did you mean "Bps"?`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Parse("x.json", []byte(tt.data))
			if tt.want == nil {
				if err != nil {
					t.Fatalf("Parse: %v", err)
				}
				return
			}
			checkErrors(t, err, tt.want)
		})
	}
}
