package layouts

import (
	"cmp"
	"maps"
	"slices"
)

// Units of widget values, shared with the charts package, which formats
// values by them.
const (
	UnitPercent     = "percent"     // 0..100
	UnitPercentUnit = "percentunit" // 0..1, shown as a percentage
	UnitSeconds     = "s"
	UnitMillis      = "ms"
	UnitBytes       = "bytes"
	UnitBytesPerSec = "Bps"         // bytes per second, decimal: B/s, kB/s, MB/s
	UnitBitsPerSec  = "bps"         // bits per second, decimal: b/s, kb/s, Mb/s
	UnitReqPerSec   = "reqps"       // requests per second
	UnitOpsPerSec   = "ops"         // operations (here: processed files) per second
	UnitUSD         = "currencyUSD" // US dollars
	UnitShort       = "short"       // a plain number, with k/M/G for large ones
	UnitNone        = "none"        // the number as it is
)

// Units lists every known unit. An empty Widget.Unit means UnitNone.
var Units = []string{
	UnitPercent, UnitPercentUnit, UnitSeconds, UnitMillis, UnitBytes,
	UnitBytesPerSec, UnitBitsPerSec, UnitReqPerSec, UnitOpsPerSec, UnitUSD,
	UnitShort, UnitNone,
}

// UnitRange returns the natural bounds of values in unit: 0..100 for
// percent, 0..1 for percentunit; ok is false for unbounded units.
func UnitRange(unit string) (lo, hi float64, ok bool) {
	switch unit {
	case UnitPercent:
		return 0, 100, true
	case UnitPercentUnit:
		return 0, 1, true
	}
	return 0, 0, false
}

// MetricDef is a named metric of the catalog: a PromQL expression over the
// simulator's metrics (docs/metrics.md), which a Prometheus scraping
// `wallboard simulate` answers the same way.
type MetricDef struct {
	Name   string
	Title  string // for a widget showing only this metric
	Expr   string // PromQL
	Legend string // series name template
	Unit   string
	// Min and Max are the bounds of the metric's values when it has
	// natural ones (a 0..1 score); both are 0 otherwise.
	Min, Max float64
}

// Bounded reports whether the metric has natural bounds (Min < Max).
func (m MetricDef) Bounded() bool { return m.Min < m.Max }

// Range returns the bounds of the metric's values: its own, or its unit's.
func (m MetricDef) Range() (lo, hi float64, ok bool) {
	if m.Bounded() {
		return m.Min, m.Max, true
	}
	return UnitRange(m.Unit)
}

const (
	requestRate = `sum(rate(audio_requests_total[1m]))`
	errorRate   = `sum(rate(audio_request_errors_total[5m])) / sum(rate(audio_requests_total[5m]))`
	successRate = `sum(rate(success_count[5m])) / sum(rate(total_count[5m]))`
	costPerFile = `sum(rate(total_cost[1h])) / sum(rate(audio_count[1h]))`
)

// latency returns the q quantile of request latency over all regions.
func latency(q string) string {
	return `histogram_quantile(` + q + `, sum by (le) (rate(audio_request_duration_seconds_bucket[5m])))`
}

var catalog = map[string]MetricDef{}

func init() {
	for _, m := range []MetricDef{
		{Name: "requests_per_second", Title: "Requests/s", Expr: requestRate, Legend: "requests/s", Unit: UnitReqPerSec},
		{Name: "errors_per_second", Title: "Errors/s", Expr: `sum(rate(audio_request_errors_total[1m]))`, Legend: "errors/s", Unit: UnitReqPerSec},
		{Name: "error_rate", Title: "Error rate", Expr: errorRate, Legend: "error rate", Unit: UnitPercentUnit},
		{Name: "throughput", Title: "Throughput (processed audio/s)", Expr: `sum(rate(processed_audio_total[1m]))`, Legend: "processed/s", Unit: UnitOpsPerSec},
		{Name: "p50_latency", Title: "Latency p50", Expr: latency("0.5"), Legend: "p50", Unit: UnitSeconds},
		{Name: "p95_latency", Title: "Latency p95", Expr: latency("0.95"), Legend: "p95", Unit: UnitSeconds},
		{Name: "p99_latency", Title: "Latency p99", Expr: latency("0.99"), Legend: "p99", Unit: UnitSeconds},
		{Name: "enhancement_quality_score", Title: "Enhancement quality score", Expr: `avg(enhancement_quality_score)`, Legend: "quality", Unit: UnitShort, Max: 1},
		{Name: "success_rate", Title: "Success rate", Expr: successRate, Legend: "success rate", Unit: UnitPercentUnit},
		{Name: "cost_per_audio", Title: "Cost per audio", Expr: costPerFile, Legend: "cost per audio", Unit: UnitUSD},
		{Name: "cpu_usage", Title: "CPU usage", Expr: `avg(cpu_usage_percent)`, Legend: "CPU", Unit: UnitPercent},
		{Name: "memory_usage", Title: "Memory usage", Expr: `100 * sum(memory_usage_bytes) / sum(memory_total_bytes)`, Legend: "memory", Unit: UnitPercent},
		{Name: "gpu_usage", Title: "GPU usage", Expr: `avg(gpu_usage_percent)`, Legend: "GPU", Unit: UnitPercent},
		{Name: "queue_depth", Title: "Queue depth", Expr: `sum(queue_depth)`, Legend: "queued", Unit: UnitShort},
		// The business KPIs of the spec's example, by the names it gives them.
		{Name: "daily_processed", Title: "Processed (24h)", Expr: `sum(increase(processed_audio_total[1d]))`, Legend: "processed", Unit: UnitShort},
		{Name: "avg_quality", Title: "Average quality", Expr: `avg(quality_score)`, Legend: "quality", Unit: UnitShort, Max: 1},
		{Name: "spend_rate", Title: "Spend rate ($/h)", Expr: `sum(rate(total_cost[5m])) * 3600`, Legend: "$/h", Unit: UnitUSD},
	} {
		catalog[m.Name] = m
	}
}

// Metric returns the catalog's definition of the named metric.
func Metric(name string) (MetricDef, bool) {
	m, ok := catalog[name]
	return m, ok
}

// Catalog returns every named metric, sorted by name.
func Catalog() []MetricDef {
	all := slices.Collect(maps.Values(catalog))
	slices.SortFunc(all, func(a, b MetricDef) int { return cmp.Compare(a.Name, b.Name) })
	return all
}

// metricNames returns the catalog's names, sorted.
func metricNames() []string { return slices.Sorted(maps.Keys(catalog)) }
