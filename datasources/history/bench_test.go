package history

import (
	"context"
	"fmt"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"go.etcd.io/bbolt"

	"github.com/wallboard/wallboard/datasources"
	"github.com/wallboard/wallboard/datasources/sim"
)

// benchEnd is the end of the benchmarks' data: a fixed instant, so every
// run stores the same numbers.
var benchEnd = time.Date(2026, 11, 26, 0, 0, 0, 0, time.UTC)

var (
	simData   = map[string][]datasources.Series{}
	simDataMu sync.Mutex
)

// simDay returns 24 h at 15 s of expr from the simulator (the numbers a
// wall actually stores).
func simDay(b *testing.B, expr string) []datasources.Series {
	simDataMu.Lock()
	defer simDataMu.Unlock()
	if s, ok := simData[expr]; ok {
		return s
	}
	res, err := sim.New(sim.DefaultSeed).Query(context.Background(), datasources.Query{
		Expr: expr, Start: benchEnd.Add(-24*time.Hour + step), End: benchEnd, Step: step,
	})
	if err != nil {
		b.Fatal(err)
	}
	simData[expr] = res.Series
	return res.Series
}

// BenchmarkHistoryRange24h reads 24 h at 15 s (5,760 samples) of one
// series, a p95 latency panel's, from a warm file.
func BenchmarkHistoryRange24h(b *testing.B) {
	ctx := context.Background()
	series := simDay(b, `histogram_quantile(0.95, sum by (le) (rate(audio_request_duration_seconds_bucket[5m])))`)
	if len(series) != 1 || len(series[0].Points) != 5760 {
		b.Fatalf("got %d series", len(series))
	}
	s, err := Open(ctx, filepath.Join(b.TempDir(), "history.db"), Options{})
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	if err := s.Append(ctx, "sim", "p95", series...); err != nil {
		b.Fatal(err)
	}
	from, to := benchEnd.Add(-24*time.Hour), benchEnd
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		got, _, err := s.Range(ctx, "sim", "p95", from, to)
		if err != nil || len(got) != 1 || len(got[0].Points) != 5760 {
			b.Fatalf("range: %v, %d series", err, len(got))
		}
	}
}

// BenchmarkHistoryIngest stores answers of 24 h at 15 s, one query per
// write (one transaction, fsync'ed), into a growing file, and reports the
// ingest rate (samples/s) and the bytes per sample: B/sample counts the
// pages in use (data, keys, page headers and free space inside pages);
// file-B/sample the whole file, including the free space that bbolt
// preallocates as it grows. Shapes: raw scraped counters and gauges (what
// Prometheus stores) and panel queries (rates and quantiles: full-precision
// floats, which XOR cannot shrink much).
func BenchmarkHistoryIngest(b *testing.B) {
	for _, tc := range []struct {
		name  string
		exprs []string
	}{
		{"raw-counters", []string{`audio_requests_total`, `processed_audio_total`, `success_count`, `total_count`}},
		{"raw-gauges", []string{`queue_depth`, `cpu_usage_percent`, `memory_usage_bytes`, `enhancement_quality_score`}},
		{"panel-queries", []string{
			`sum by (region) (rate(audio_requests_total[1m]))`,
			`histogram_quantile(0.95, sum by (le, region) (rate(audio_request_duration_seconds_bucket[5m])))`,
			`avg by (region) (quality_score)`,
			`sum by (region) (rate(audio_request_errors_total[5m])) / sum by (region) (rate(audio_requests_total[5m]))`,
		}},
	} {
		b.Run(tc.name, func(b *testing.B) {
			ctx := context.Background()
			var answers [][]datasources.Series
			perOp := 0
			for _, e := range tc.exprs {
				ser := simDay(b, e)
				answers = append(answers, ser)
				for _, s := range ser {
					perOp += len(s.Points)
				}
			}
			perOp /= len(answers)
			s, err := Open(ctx, filepath.Join(b.TempDir(), "history.db"), Options{MaxAge: -1, MaxBytes: -1})
			if err != nil {
				b.Fatal(err)
			}
			defer s.Close()
			samples := 0
			b.ResetTimer()
			start := time.Now()
			i := 0
			for b.Loop() {
				ans := answers[i%len(answers)]
				if err := s.Write(ctx, Batch{Source: "sim", Query: fmt.Sprint(tc.name, i), Step: step, Series: ans}); err != nil {
					b.Fatal(err)
				}
				for _, a := range ans {
					samples += len(a.Points)
				}
				i++
			}
			elapsed := time.Since(start)
			b.StopTimer()
			st, err := s.Stats(ctx)
			if err != nil {
				b.Fatal(err)
			}
			b.ReportMetric(float64(samples)/elapsed.Seconds(), "samples/s")
			b.ReportMetric(float64(st.UsedBytes)/float64(samples), "B/sample")
			b.ReportMetric(float64(st.FileBytes)/float64(samples), "file-B/sample")
		})
	}
}

// BenchmarkChunkEncoding reports what the XOR chunks alone cost per sample
// for each shape (no bbolt), to tell encoding from storage overhead.
func BenchmarkChunkEncoding(b *testing.B) {
	for _, tc := range []struct{ name, expr string }{
		{"counter", `audio_requests_total`},
		{"gauge", `queue_depth`},
		{"rate", `sum by (region) (rate(audio_requests_total[1m]))`},
	} {
		b.Run(tc.name, func(b *testing.B) {
			series := simDay(b, tc.expr)
			var bytes, samples int
			for b.Loop() {
				bytes, samples = 0, 0
				for _, s := range series {
					for p := s.Points; len(p) > 0; {
						n := min(120, len(p))
						bytes += len(encodeChunk(nil, p[:n]))
						samples += n
						p = p[n:]
					}
				}
			}
			b.ReportMetric(float64(bytes)/float64(samples), "B/sample")
		})
	}
}

// BenchmarkEmptyTransaction is the cost of one empty read transaction:
// through the Store's guard (SetPanicOnFault, recover, the begin lock)
// and straight on bbolt, the guard's whole overhead per read.
func BenchmarkEmptyTransaction(b *testing.B) {
	s, err := Open(context.Background(), filepath.Join(b.TempDir(), "history.db"), Options{})
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	for _, tc := range []struct {
		name string
		view func(func(*bbolt.Tx) error) error
	}{
		{"guarded", s.view},
		{"bbolt", s.db.View},
	} {
		b.Run(tc.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if err := tc.view(func(*bbolt.Tx) error { return nil }); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
