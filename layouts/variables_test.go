package layouts

import "testing"

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
