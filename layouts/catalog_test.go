package layouts

import (
	"cmp"
	"slices"
	"testing"
)

func TestCatalog(t *testing.T) {
	metrics := simMetrics(t)
	spec := map[string]string{ // the spec's metrics and their units
		"requests_per_second":       UnitReqPerSec,
		"errors_per_second":         UnitReqPerSec,
		"error_rate":                UnitPercentUnit,
		"throughput":                UnitOpsPerSec,
		"p50_latency":               UnitSeconds,
		"p95_latency":               UnitSeconds,
		"p99_latency":               UnitSeconds,
		"enhancement_quality_score": UnitShort,
		"success_rate":              UnitPercentUnit,
		"cost_per_audio":            UnitUSD,
		"cpu_usage":                 UnitPercent,
		"memory_usage":              UnitPercent,
		"gpu_usage":                 UnitPercent,
		"queue_depth":               UnitShort,
	}
	for name, unit := range spec {
		t.Run(name, func(t *testing.T) {
			m, ok := Metric(name)
			if !ok {
				t.Fatalf("Metric(%q) not found", name)
			}
			if m.Name != name || m.Unit != unit || m.Title == "" || m.Legend == "" {
				t.Errorf("Metric(%q) = %+v, want unit %s", name, m, unit)
			}
		})
	}
	all := Catalog()
	if !slices.IsSortedFunc(all, func(a, b MetricDef) int { return cmp.Compare(a.Name, b.Name) }) {
		t.Error("Catalog is not sorted by name")
	}
	for _, m := range all {
		if err := checkPromQL(m.Expr, metrics); err != nil {
			t.Errorf("%s: %s: %v", m.Name, m.Expr, err)
		}
		if !slices.Contains(Units, m.Unit) {
			t.Errorf("%s: unknown unit %q", m.Name, m.Unit)
		}
	}
	if _, ok := Metric("nope"); ok {
		t.Error(`Metric("nope") found`)
	}
}

func TestRanges(t *testing.T) {
	tests := []struct {
		metric   string
		min, max float64
		ok       bool
	}{
		{"cpu_usage", 0, 100, true},
		{"error_rate", 0, 1, true},
		{"enhancement_quality_score", 0, 1, true},
		{"p95_latency", 0, 0, false},
	}
	for _, tt := range tests {
		t.Run(tt.metric, func(t *testing.T) {
			m, _ := Metric(tt.metric)
			lo, hi, ok := m.Range()
			if lo != tt.min || hi != tt.max || ok != tt.ok {
				t.Errorf("Range() = %v, %v, %t; want %v, %v, %t", lo, hi, ok, tt.min, tt.max, tt.ok)
			}
		})
	}
}
