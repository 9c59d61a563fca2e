package sim

import (
	"context"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/wallboard/wallboard/datasources"
)

func benchQuery(b *testing.B, q datasources.Query) {
	s := New(DefaultSeed)
	ctx := context.Background()
	if _, err := s.Query(ctx, q); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := s.Query(ctx, q); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkQueryRange1h: one typical panel, 7 series × 241 points from 21
// generated counters.
func BenchmarkQueryRange1h(b *testing.B) {
	benchQuery(b, datasources.Query{Expr: `sum by (region) (rate(audio_requests_total[1m]))`,
		Start: testNow.Add(-time.Hour), End: testNow, Step: 15 * time.Second})
}

func BenchmarkQueryP95Range1h(b *testing.B) {
	benchQuery(b, datasources.Query{Expr: `histogram_quantile(0.95, sum by (le) (rate(audio_request_duration_seconds_bucket[5m])))`,
		Start: testNow.Add(-time.Hour), End: testNow, Step: 15 * time.Second})
}

func BenchmarkQueryRange24hAutoStep(b *testing.B) {
	benchQuery(b, datasources.Query{Expr: `sum by (region) (rate(audio_requests_total[5m]))`,
		Start: testNow.Add(-24 * time.Hour), End: testNow})
}

// dashboardQueries are the kinds of queries the built-in dashboards run.
var dashboardQueries = []string{
	`sum(rate(audio_requests_total[1m]))`,
	`sum by (region) (rate(audio_requests_total[1m]))`,
	`sum(rate(audio_request_errors_total[1m]))`,
	`sum(rate(audio_request_errors_total[5m])) / sum(rate(audio_requests_total[5m]))`,
	`histogram_quantile(0.5, sum by (le) (rate(audio_request_duration_seconds_bucket[5m])))`,
	`histogram_quantile(0.95, sum by (le) (rate(audio_request_duration_seconds_bucket[5m])))`,
	`histogram_quantile(0.99, sum by (le) (rate(audio_request_duration_seconds_bucket[5m])))`,
	`sum(success_count) / sum(total_count)`,
	`sum(rate(total_cost[1h])) / sum(rate(audio_count[1h]))`,
	`avg(quality_score)`,
	`cpu_usage_percent`,
	`gpu_usage_percent`,
	`memory_usage_bytes / memory_total_bytes`,
	`sum by (region) (queue_depth)`,
	`enhancement_quality_score`,
	`sum by (reason) (rate(audio_request_errors_total[5m]))`,
	`sum by (model) (rate(processed_audio_total[5m]))`,
}

// BenchmarkRefresh50Panels: one refresh of a 50-panel dashboard, every
// panel a 1 h range query at 15 s (sequential, one goroutine).
func BenchmarkRefresh50Panels(b *testing.B) {
	s := New(DefaultSeed)
	ctx := context.Background()
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		for p := 0; p < 50; p++ {
			q := datasources.Query{Expr: dashboardQueries[p%len(dashboardQueries)], Start: testNow.Add(-time.Hour), End: testNow, Step: 15 * time.Second}
			if _, err := s.Query(ctx, q); err != nil {
				b.Fatal(err)
			}
		}
	}
}

// BenchmarkRefresh50PanelsInstant: the same panels as stat/gauge panels.
func BenchmarkRefresh50PanelsInstant(b *testing.B) {
	s := New(DefaultSeed)
	ctx := context.Background()
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		for p := 0; p < 50; p++ {
			q := datasources.Query{Expr: dashboardQueries[p%len(dashboardQueries)], End: testNow, Instant: true}
			if _, err := s.Query(ctx, q); err != nil {
				b.Fatal(err)
			}
		}
	}
}

func BenchmarkCollect(b *testing.B) {
	s := New(DefaultSeed)
	c := s.Collector(func() time.Time { return testNow })
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		ch := make(chan prometheus.Metric, 512)
		c.Collect(ch)
		close(ch)
		for range ch {
		}
	}
}

// BenchmarkEval: the cost of one generated sample, per kind of series.
func BenchmarkEval(b *testing.B) {
	s := New(DefaultSeed)
	k0 := testNow.UnixMilli() / stepMs
	for _, name := range []string{MetricRequests, MetricErrors, MetricDuration + "_bucket", MetricProcessed, MetricCost, MetricQuality, MetricCPU} {
		b.Run(name, func(b *testing.B) {
			d := s.byName[name][0]
			if name == MetricDuration+"_bucket" {
				d = s.byName[name][3]
			}
			wc := s.week(weekOfStep(k0))
			var bs basis
			s.basisAt(k0, &bs)
			b.ReportAllocs()
			for i := 0; i < b.N; i++ {
				_ = s.eval(d, k0, &bs, wc)
			}
		})
	}
	b.Run("basis", func(b *testing.B) {
		var bs basis
		for i := 0; i < b.N; i++ {
			s.basisAt(k0+int64(i&1023), &bs)
		}
	})
}
