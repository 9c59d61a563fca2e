package history

import (
	"context"
	"testing"
	"time"

	"github.com/prometheus/prometheus/model/labels"
	"github.com/prometheus/prometheus/promql"
	"github.com/prometheus/prometheus/storage"

	"github.com/wallboard/wallboard/datasources"
)

func TestQueryableServesPromQL(t *testing.T) {
	ctx := context.Background()
	s, _ := openTest(t, Options{ChunkSamples: 50})
	// Two raw counters as a Prometheus query of them would return, and a
	// computed series of another query with no labels at all.
	counter := func(region string, perStep float64) datasources.Series {
		return datasources.Series{Name: region, Labels: datasources.Labels{"__name__": "requests_total", "region": region},
			Points: grid(t0, 481, func(i int) float64 { return perStep * float64(i) })}
	}
	if err := s.Append(ctx, "prom", "raw", counter("eu-west", 150), counter("us-east", 300)); err != nil {
		t.Fatal(err)
	}
	if err := s.Append(ctx, "prom", "sum", datasources.Series{Name: "value", Points: grid(t0, 481, func(int) float64 { return 7 })},
		datasources.Series{Name: "other", Points: grid(t0, 481, func(int) float64 { return 8 })}); err != nil {
		t.Fatal(err)
	}
	if err := s.Append(ctx, "influx", "raw", counter("eu-west", 1)); err != nil {
		t.Fatal(err)
	}

	eng := promql.NewEngine(promql.EngineOpts{MaxSamples: 1e6, Timeout: 10 * time.Second, LookbackDelta: 5 * time.Minute})
	q := s.Queryable("prom")
	for _, tc := range []struct {
		name, expr string
		want       map[string]float64 // by region
	}{
		{"rate over stored counters", `sum by (region) (rate(requests_total[5m]))`, map[string]float64{"eu-west": 10, "us-east": 20}},
		{"select by query", `sum by (region) (rate(requests_total{__query__="raw", region="us-east"}[5m]))`, map[string]float64{"us-east": 20}},
		{"series without labels stay apart", `count({__query__="sum"})`, map[string]float64{"": 2}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			qry, err := eng.NewRangeQuery(ctx, q, nil, tc.expr, t0.Add(10*time.Minute), t0.Add(2*time.Hour), time.Minute)
			if err != nil {
				t.Fatal(err)
			}
			defer qry.Close()
			res := qry.Exec(ctx)
			if res.Err != nil {
				t.Fatal(res.Err)
			}
			m, err := res.Matrix()
			if err != nil {
				t.Fatal(err)
			}
			if len(m) != len(tc.want) {
				t.Fatalf("%d series, want %d: %v", len(m), len(tc.want), m)
			}
			for _, ser := range m {
				want, ok := tc.want[ser.Metric.Get("region")]
				if !ok || len(ser.Floats) != 111 {
					t.Fatalf("series %v with %d points", ser.Metric, len(ser.Floats))
				}
				for _, p := range ser.Floats {
					if p.F < want*0.999 || p.F > want*1.001 {
						t.Fatalf("%v at %d = %v, want %v", ser.Metric, p.T, p.F, want)
					}
				}
			}
		})
	}

	qr, err := q.Querier(t0.UnixMilli(), t0.Add(time.Hour).UnixMilli())
	if err != nil {
		t.Fatal(err)
	}
	defer qr.Close()
	vals, _, err := qr.LabelValues(ctx, "region", nil)
	if err != nil || len(vals) != 2 || vals[0] != "eu-west" || vals[1] != "us-east" {
		t.Fatalf("region values %v %v", vals, err)
	}
	names, _, err := qr.LabelNames(ctx, nil, labels.MustNewMatcher(labels.MatchEqual, QueryLabel, "sum"))
	if err != nil || len(names) != 2 || names[0] != QueryLabel || names[1] != SeriesLabel {
		t.Fatalf("label names of the sum query %v %v", names, err)
	}
	set := qr.Select(ctx, true, &storage.SelectHints{Start: t0.Add(30 * time.Minute).UnixMilli(), End: t0.Add(40 * time.Minute).UnixMilli()},
		labels.MustNewMatcher(labels.MatchEqual, "region", "eu-west"))
	n := 0
	for set.Next() {
		n++
		if got := set.At().Labels().Get(QueryLabel); got != "raw" {
			t.Fatalf("series %v: query label %q", set.At().Labels(), got)
		}
	}
	if set.Err() != nil || n != 1 {
		t.Fatalf("select: %d series, %v", n, set.Err())
	}
}
