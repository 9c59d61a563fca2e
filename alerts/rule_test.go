package alerts

import (
	"testing"
	"time"

	"github.com/wallboard/wallboard/layouts"
)

func TestRulesFromLayout(t *testing.T) {
	l := layouts.Builtin()
	rules := RulesFromLayout(l)
	byName := map[string]Rule{}
	for _, r := range rules {
		if _, dup := byName[r.Name]; dup {
			t.Errorf("duplicate rule name %q", r.Name)
		}
		byName[r.Name] = r
	}
	cpu, ok := byName["system_health/cpu_usage critical"]
	if !ok {
		t.Fatalf("no critical CPU rule among %d rules", len(rules))
	}
	if cpu.Expr != "avg(cpu_usage_percent)" || cpu.Comparison != AboveOrEqual || cpu.Threshold != 90 || cpu.Severity != "critical" ||
		cpu.Dashboard != "system_health" || cpu.Widget != "cpu_usage" || cpu.Hysteresis != 4.5 || cpu.For != 0 || cpu.Annotations["summary"] == "" {
		t.Errorf("cpu critical rule = %+v", cpu)
	}
	if cpu.Source != l.Sources[0].Name {
		t.Errorf("source = %q, want the layout's first source %q", cpu.Source, l.Sources[0].Name)
	}
	success := byName["system_health/success_rate warning"]
	if want := *findWidget(l, "system_health", "success_rate").Thresholds.Warning; success.Comparison != BelowOrEqual || success.Threshold != want {
		t.Errorf("success rate warning rule = %+v", success)
	}
	// The rule colours like the panel: a threshold rule fires exactly where
	// Thresholds.Level says warning or critical.
	w := findWidget(l, "system_health", "cpu_usage")
	for _, v := range []float64{50, 69.9, 70, 89, 90, 99} {
		lvl := w.Thresholds.Level(v)
		warn := byName["system_health/cpu_usage warning"]
		if warn.Condition(v) != (lvl >= layouts.LevelWarning) || cpu.Condition(v) != (lvl == layouts.LevelCritical) {
			t.Errorf("at %g: rules (%v, %v) disagree with level %s", v, warn.Condition(v), cpu.Condition(v), lvl)
		}
	}

	// Explicit rules, with defaults and a widget's query.
	v, h := 0.05, 0.0
	l.Rules = []layouts.AlertRule{
		{Name: "errors", Expr: "sum(rate(audio_request_errors_total[5m])) / sum(rate(audio_requests_total[5m]))", Value: &v,
			For: layouts.Duration(5 * time.Minute), Severity: "critical", Labels: map[string]string{"team": "audio"},
			Annotations: map[string]string{"runbook_url": "https://wiki.example.com/errors"}},
		{Name: "slow", Dashboard: "system_health", Widget: "p95_latency", Comparison: "below", Value: &v, Hysteresis: &h},
	}
	if err := layouts.Validate(l); err != nil {
		t.Fatalf("layout with rules: %v", err)
	}
	rules = RulesFromLayout(l)
	last := rules[len(rules)-2:]
	e := last[0]
	if e.Name != "errors" || e.Comparison != Above || e.For != 5*time.Minute || e.Severity != "critical" || e.Labels["team"] != "audio" ||
		e.Annotations["runbook_url"] == "" || e.Hysteresis != DefaultHysteresis(0.05) || e.Source != l.Sources[0].Name {
		t.Errorf("explicit rule = %+v", e)
	}
	s := last[1]
	p95 := findWidget(l, "system_health", "p95_latency")
	if p95 == nil {
		t.Fatal("no p95_latency widget in the system health template")
	}
	if s.Expr != p95.Queries[0].Expr || s.Comparison != Below || s.Severity != "warning" || s.Hysteresis != 0 || s.Widget != "p95_latency" {
		t.Errorf("widget rule = %+v", s)
	}
	if RulesFromLayout(nil) != nil {
		t.Error("rules of a nil layout")
	}
}

func TestRuleConditions(t *testing.T) {
	tests := []struct {
		cmp         string
		v           float64
		cond, holds bool
	}{
		{Above, 10, false, true}, {Above, 10.1, true, true}, {Above, 9.1, false, true}, {Above, 9, false, false},
		{AboveOrEqual, 10, true, true}, {AboveOrEqual, 9, false, true}, {AboveOrEqual, 8.9, false, false},
		{Below, 10, false, true}, {Below, 9.9, true, true}, {Below, 10.9, false, true}, {Below, 11, false, false},
		{BelowOrEqual, 10, true, true}, {BelowOrEqual, 11, false, true}, {BelowOrEqual, 11.1, false, false},
		{"", 11, true, true},
	}
	for _, tt := range tests {
		r := Rule{Comparison: tt.cmp, Threshold: 10, Hysteresis: 1}
		if got := r.Condition(tt.v); got != tt.cond {
			t.Errorf("%q %g: Condition = %v", tt.cmp, tt.v, got)
		}
		if got := r.Holds(tt.v); got != tt.holds {
			t.Errorf("%q %g: Holds = %v", tt.cmp, tt.v, got)
		}
	}
}
