package layouts

import (
	"errors"
	"testing"

	"github.com/prometheus/prometheus/promql/parser"
)

func TestInterpolate(t *testing.T) {
	d := &Dashboard{Variables: []Variable{
		{Name: "region", Query: "region", Multi: true},
		{Name: "model", Default: "denoise-v3"},
		{Name: "reg"},
	}}
	const expr = `sum(rate(audio_requests_total{region=~"$region", model=~"${model}"}[1m])) > $threshold`
	tests := []struct {
		name     string
		selected map[string][]string
		want     string
	}{
		{"defaults", nil,
			`sum(rate(audio_requests_total{region=~".*", model=~"denoise-v3"}[1m])) > $threshold`},
		{"several", map[string][]string{"region": {"us-east", "eu-west"}, "model": {AllValues}},
			`sum(rate(audio_requests_total{region=~"us-east|eu-west", model=~".*"}[1m])) > $threshold`},
		{"quoted", map[string][]string{"region": {"a.b"}},
			`sum(rate(audio_requests_total{region=~"a\\.b", model=~"denoise-v3"}[1m])) > $threshold`},
		{"empty selection means all", map[string][]string{"model": {}},
			`sum(rate(audio_requests_total{region=~".*", model=~".*"}[1m])) > $threshold`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Interpolate(expr, d, tt.selected); got != tt.want {
				t.Errorf("Interpolate =\n%s\nwant\n%s", got, tt.want)
			}
		})
	}
	if got := Interpolate(expr, nil, nil); got != expr {
		t.Errorf("Interpolate without a dashboard changed the expression: %s", got)
	}
}

// TestInterpolateEscapes checks with the PromQL parser that no value can
// change a query: each matcher keeps matching exactly the value chosen.
func TestInterpolateEscapes(t *testing.T) {
	d := &Dashboard{Variables: []Variable{{Name: "region", Multi: true}}}
	p := parser.NewParser(parser.Options{})
	tests := []struct {
		name   string
		expr   string
		values []string
		match  []string // values the region matcher must match
		miss   []string // and must not
	}{
		{"quote", `up{region=~"$region"}`, []string{`a"b`}, []string{`a"b`}, []string{"ab", `a\"b`}},
		{"crafted matcher", `up{region=~"$region"}`, []string{`x", secret=~".+`}, []string{`x", secret=~".+`}, []string{"x"}},
		{"newline and tab", `up{region=~"$region"}`, []string{"a\nb\tc\r"}, []string{"a\nb\tc\r"}, []string{"anbtc"}},
		{"backslash", `up{region=~"$region"}`, []string{`a\b`, `c\\`}, []string{`a\b`, `c\\`}, []string{"ab", `a\\b`}},
		{"regexp characters", `up{region=~"$region"}`, []string{"a.b|c(d)*"}, []string{"a.b|c(d)*"}, []string{"axb", "c"}},
		{"several", `up{region=~"$region"}`, []string{"us-east", "eu|west"}, []string{"us-east", "eu|west"}, []string{"eu", "west"}},
		{"all", `up{region=~"$region"}`, []string{AllValues}, []string{"", "anything"}, nil},
		{"not matching", `up{region!~"${region}"}`, []string{`a"b`}, []string{"ab"}, []string{`a"b`}},
		{"single quotes", `up{region=~'$region'}`, []string{`it's "x"`}, []string{`it's "x"`}, []string{"its"}},
		{"raw string", "up{region=~`$region`}", []string{"a`b\\n\"c"}, []string{"a`b\\n\"c"}, []string{"ab"}},
		{"equality", `up{region="$region"}`, []string{`a.b"c\d`}, []string{`a.b"c\d`}, []string{`a\.b"c\d`}},
		{"control characters", `up{region="$region"}`, []string{"a\x00b\x1f\u2028"}, []string{"a\x00b\x1f\u2028"}, nil},
		{"invalid UTF-8", `up{region="$region"}`, []string{"a\xffb"}, []string{"a\uFFFDb"}, nil},
		{"invalid UTF-8 in a regexp", "up{region=~`$region`}", []string{"a\xffb", "\uFFFD`"}, []string{"a\uFFFDb", "\uFFFD`"}, []string{"ab"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Interpolate(tt.expr, d, map[string][]string{"region": tt.values})
			ms, err := p.ParseMetricSelector(got)
			if err != nil {
				t.Fatalf("Interpolate = %s, which does not parse: %v", got, err)
			}
			if len(ms) != 2 || ms[0].Name != "region" {
				t.Fatalf("Interpolate = %s: matchers %v, want region and __name__", got, ms)
			}
			for _, v := range tt.match {
				if !ms[0].Matches(v) {
					t.Errorf("%s does not match %q", got, v)
				}
			}
			for _, v := range tt.miss {
				if ms[0].Matches(v) {
					t.Errorf("%s matches %q", got, v)
				}
			}
		})
	}
}

func TestInterpolateOutsideStrings(t *testing.T) {
	d := &Dashboard{Variables: []Variable{{Name: "threshold", Default: "0.5"}, {Name: "metric"}}}
	tests := []struct {
		name     string
		expr     string
		selected map[string][]string
		want     string
	}{
		{"number", `rate(x[1m]) > $threshold`, nil, `rate(x[1m]) > 0.5`},
		{"exponent", `x > $threshold`, map[string][]string{"threshold": {"-1.5e3"}}, `x > -1.5e3`},
		{"name", `sum($metric)`, map[string][]string{"metric": {"up"}}, `sum(up)`},
		{"injection left alone", `x > $threshold`, map[string][]string{"threshold": {"1 or vector(1)"}}, `x > $threshold`},
		{"several left alone", `sum($metric)`, map[string][]string{"metric": {"a", "b"}}, `sum($metric)`},
		{"all left alone", `sum($metric)`, nil, `sum($metric)`},
		{"comment", "x # > $threshold \"\n> $threshold", nil, "x # > $threshold \"\n> 0.5"},
		{"escaped quote in a string", `x{a="\"$threshold"} > $threshold`, nil, `x{a="\"0.5"} > 0.5`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Interpolate(tt.expr, d, tt.selected); got != tt.want {
				t.Errorf("Interpolate = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestCheckVars(t *testing.T) {
	d := &Dashboard{ID: "perf", Variables: []Variable{{Name: "region"}, {Name: "model"}}}
	tests := []struct {
		name     string
		d        *Dashboard
		selected map[string][]string
		want     string // "" : no error
	}{
		{"known", d, map[string][]string{"region": {"eu"}, "model": nil}, ""},
		{"none", d, nil, ""},
		{"typo", d, map[string][]string{"regoin": {"eu"}},
			`dashboard "perf": unknown variable "regoin" (known: region, model); did you mean "region"?`},
		{"two", d, map[string][]string{"zz": {"1"}, "a": {"1"}, "model": {"x"}},
			"dashboard \"perf\": unknown variable \"a\" (known: region, model)\ndashboard \"perf\": unknown variable \"zz\" (known: region, model)"},
		{"no variables", &Dashboard{ID: "cost"}, map[string][]string{"region": {"eu"}},
			`dashboard "cost" has no variables (asked for "region")`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.d.CheckVars(tt.selected)
			if tt.want == "" {
				if err != nil {
					t.Fatalf("CheckVars = %v", err)
				}
				return
			}
			var ue *UnknownVariableError
			if err == nil || err.Error() != tt.want || !errors.As(err, &ue) {
				t.Errorf("CheckVars = %v, want %s", err, tt.want)
			}
		})
	}
}
