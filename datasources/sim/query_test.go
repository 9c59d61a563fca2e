package sim

import (
	"context"
	"errors"
	"fmt"
	"math"
	"slices"
	"testing"
	"time"

	"github.com/wallboard/wallboard/datasources"
)

func instant(t *testing.T, s *Sim, expr string, at time.Time) []datasources.Series {
	t.Helper()
	res, err := s.Query(context.Background(), datasources.Query{Expr: expr, End: at, Instant: true})
	if err != nil {
		t.Fatalf("%s: %v", expr, err)
	}
	if !res.Fetched.Equal(at) {
		t.Fatalf("Fetched %v, want %v", res.Fetched, at)
	}
	return res.Series
}

func scalar(t *testing.T, s *Sim, expr string, at time.Time) float64 {
	t.Helper()
	ser := instant(t, s, expr, at)
	if len(ser) != 1 || len(ser[0].Points) != 1 {
		t.Fatalf("%s: %d series, want one value", expr, len(ser))
	}
	return ser[0].Points[0].V
}

func TestPromQLKnownAnswers(t *testing.T) {
	s := New(DefaultSeed)
	at := testNow.Add(-37 * time.Second) // between two steps on purpose
	tests := []struct {
		expr   string
		lo, hi float64
	}{
		{`count(audio_requests_total)`, 21, 21},
		{`count(audio_request_errors_total)`, 63, 63},
		{`count(count by (region) (audio_requests_total))`, 7, 7},
		{`count(audio_requests_total{region=~"us-.*"})`, 6, 6},
		{`count(audio_requests_total{region!~"us-.*|eu-.*"})`, 9, 9},
		{`count(audio_requests_total{region!="sa-east", model="denoise-v3"})`, 6, 6},
		{`count({__name__=~"audio_request.*_total"})`, 84, 84},
		{`count({__name__=~"region_l(at|ong)itude"})`, 14, 14},
		{`count(audio_request_duration_seconds_bucket)`, 70, 70},
		{`count(cpu_usage_percent)`, 6, 6},
		{`sum(success_count) / sum(total_count)`, 0.9, 1},
		{`sum(rate(audio_request_errors_total[5m])) / sum(rate(audio_requests_total[5m]))`, 0.001, 0.1},
		{`avg(quality_score)`, 0.7, 0.95},
		{`min(enhancement_quality_score) >= 0`, 0, 1},
		{`max(cpu_usage_percent)`, 1, 100},
		{`max(memory_usage_bytes / memory_total_bytes)`, 0.2, 1},
		{`sum(rate(total_cost[1h])) / sum(rate(audio_count[1h]))`, 0.001, 0.01},
		{`region_latitude{region="sa-east"}`, -23.5, -23.5},
		{`sum(sim_incident_active)`, 0, 2},
		{`histogram_quantile(0.5, sum by (le) (rate(audio_request_duration_seconds_bucket[5m])))`, 0.05, 0.1},
		{`sum(rate(audio_request_duration_seconds_count[5m])) - sum(rate(total_count[5m]))`, 0, 0},
	}
	for _, tc := range tests {
		t.Run(tc.expr, func(t *testing.T) {
			if v := scalar(t, s, tc.expr, at); !(v >= tc.lo && v <= tc.hi) {
				t.Fatalf("= %v, want in [%v, %v]", v, tc.lo, tc.hi)
			}
		})
	}
}

// The rate PromQL computes equals the analytic rate of the model.
func TestRateMatchesModel(t *testing.T) {
	s := New(DefaultSeed)
	for _, at := range []time.Time{testNow, testNow.Add(-9 * time.Hour), testNow.Add(-17*time.Hour - 45*time.Second)} {
		t.Run(at.Format(time.TimeOnly), func(t *testing.T) {
			got := scalar(t, s, `sum(rate(audio_requests_total[5m]))`, at)
			// rate over (t−5m, t] sees the samples t−285s … t and
			// extrapolates by 15 s: the mean rate over those 285 s.
			k := at.UnixMilli() / stepMs
			var b0, b1 basis
			s.basisAt(k-19, &b0)
			s.basisAt(k, &b1)
			want, inst := 0.0, 0.0
			var bm basis
			s.basisAt(k-10, &bm)
			for r := range regionSpecs {
				for m := range modelSpecs {
					want += (s.reqCount[r][m].at(&b1) - s.reqCount[r][m].at(&b0)) / 285
					inst += s.reqRate[r][m].at(&bm)
				}
			}
			if math.Abs(got-want) > 0.01*want {
				t.Errorf("sum(rate) = %v, model mean rate %v", got, want)
			}
			if math.Abs(got-inst) > 0.03*inst {
				t.Errorf("sum(rate) = %v, model rate mid-window %v", got, inst)
			}
		})
	}
}

func TestDiurnalPeaksDiffer(t *testing.T) {
	s := New(DefaultSeed)
	day := time.Date(2026, 3, 3, 0, 0, 0, 0, time.UTC) // a Tuesday
	res, err := s.Query(context.Background(), datasources.Query{
		Expr: `sum by (region) (rate(audio_requests_total[30m]))`, Legend: "{{region}}",
		Start: day, End: day.Add(24 * time.Hour), Step: 15 * time.Minute,
	})
	if err != nil {
		t.Fatal(err)
	}
	peak := map[string]int{}
	for _, ser := range res.Series {
		best := 0
		for i, p := range ser.Points {
			if p.V > ser.Points[best].V {
				best = i
			}
		}
		peak[ser.Name] = time.UnixMilli(ser.Points[best].T).UTC().Hour()
	}
	if len(peak) != 7 {
		t.Fatalf("series %v", peak)
	}
	// Peaks follow the time zones: Tokyo long before London before New York.
	if !(peak["ap-northeast"] < peak["eu-west"] && peak["eu-west"] < peak["us-east"] && peak["us-east"] < peak["us-west"]) {
		t.Fatalf("peak hours (UTC) %v", peak)
	}
}

func TestIncidentsShowInMetrics(t *testing.T) {
	for _, seed := range []int64{DefaultSeed, 99} {
		s := New(seed)
		incs := s.Incidents(testNow.AddDate(0, 0, -10), testNow)
		minBurst, minSpike := math.Inf(1), math.Inf(1)
		for _, in := range incs {
			mid := in.Start.Add(in.End.Sub(in.Start) / 2).Truncate(Step)
			base := in.Start.Add(-time.Hour)
			if busy(incs, in, base.Add(-5*time.Minute), base) {
				continue
			}
			if v := scalar(t, s, fmt.Sprintf(`sim_incident_active{kind=%q}`, in.Kind), mid); v != 1 {
				t.Errorf("%+v: sim_incident_active = %v at %v", in, v, mid)
			}
			switch in.Kind {
			case ErrorBurst:
				expr := fmt.Sprintf(`sum(rate(audio_request_errors_total{region=%q}[2m])) / sum(rate(audio_requests_total{region=%q}[2m]))`, in.Region, in.Region)
				during, before := scalar(t, s, expr, mid), scalar(t, s, expr, base)
				minBurst = min(minBurst, during/before)
				if during < 4*before {
					t.Errorf("seed %d %+v: error ratio %v during, %v an hour before", seed, in, during, before)
				}
				q := fmt.Sprintf(`avg(enhancement_quality_score{region=%q})`, in.Region)
				if qd, qb := scalar(t, s, q, mid), scalar(t, s, q, base); qd > qb-0.05 {
					t.Errorf("%+v: quality %v during, %v before", in, qd, qb)
				}
			case LatencySpike:
				expr := fmt.Sprintf(`histogram_quantile(0.99, sum by (le) (rate(audio_request_duration_seconds_bucket{region=%q}[2m])))`, in.Region)
				during, before := scalar(t, s, expr, mid), scalar(t, s, expr, base)
				minSpike = min(minSpike, during/before)
				if during < 1.5*before {
					t.Errorf("seed %d %+v: p99 %v during, %v an hour before", seed, in, during, before)
				}
			}
		}
		t.Logf("seed %d: %d incidents; error ratio at least %.1fx baseline, p99 at least %.1fx", seed, len(incs), minBurst, minSpike)
	}
}

// busy tells whether another incident of in's kind and region overlaps [from, to].
func busy(incs []Incident, in Incident, from, to time.Time) bool {
	for _, o := range incs {
		if o.Kind == in.Kind && o.Region == in.Region && o.Start.Before(to) && o.End.After(from) {
			return true
		}
	}
	return false
}

func TestQueryShapes(t *testing.T) {
	s := New(DefaultSeed)
	ctx := context.Background()
	t.Run("range with step", func(t *testing.T) {
		res, err := s.Query(ctx, datasources.Query{Expr: `sum by (region) (rate(audio_requests_total[1m]))`, Legend: "rps {{region}}",
			Start: testNow.Add(-time.Hour), End: testNow, Step: 15 * time.Second})
		if err != nil {
			t.Fatal(err)
		}
		if len(res.Series) != 7 || len(res.Series[0].Points) != 241 || res.Series[0].Name != "rps ap-northeast" {
			t.Fatalf("%d series, %d points, first %q", len(res.Series), len(res.Series[0].Points), res.Series[0].Name)
		}
		if !res.Fetched.Equal(testNow) || res.Series[0].Points[240].T != testNow.UnixMilli() {
			t.Fatal("range does not end at End")
		}
	})
	t.Run("auto step", func(t *testing.T) {
		res, err := s.Query(ctx, datasources.Query{Expr: `sum(queue_depth)`, Start: testNow.Add(-24 * time.Hour), End: testNow})
		if err != nil {
			t.Fatal(err)
		}
		pts := res.Series[0].Points
		if step := pts[1].T - pts[0].T; step != int64(210*time.Second/time.Millisecond) || len(pts) != 412 {
			t.Fatalf("step %d ms, %d points", step, len(pts))
		}
		if res.Series[0].Name != "value" {
			t.Fatalf("name %q", res.Series[0].Name)
		}
		if got := AutoStep(testNow.Add(-10*time.Minute), testNow); got != Step {
			t.Fatalf("AutoStep(10m) = %v", got)
		}
		if got := AutoStep(testNow.Add(-4*time.Hour), testNow); got != 30*time.Second {
			t.Fatalf("AutoStep(4h) = %v", got)
		}
	})
	t.Run("scalar", func(t *testing.T) {
		ser := instant(t, s, `1 + 1`, testNow)
		if len(ser) != 1 || ser[0].Name != "value" || ser[0].Points[0].V != 2 {
			t.Fatalf("%+v", ser)
		}
		res, err := s.Query(ctx, datasources.Query{Expr: `scalar(sum(queue_depth))`, Legend: "queue", Start: testNow.Add(-time.Minute), End: testNow, Step: Step})
		if err != nil || len(res.Series) != 1 || res.Series[0].Name != "queue" || len(res.Series[0].Points) != 5 {
			t.Fatalf("%+v %v", res, err)
		}
	})
	t.Run("instant labels", func(t *testing.T) {
		ser := instant(t, s, `queue_depth{region=~"eu-.*"}`, testNow)
		names := []string{ser[0].Name, ser[1].Name}
		slices.Sort(names)
		if len(ser) != 2 || names[0] != `queue_depth{region="eu-central"}` || ser[0].Labels["__name__"] != "queue_depth" {
			t.Fatalf("%+v", ser)
		}
	})
}

func TestQueryErrors(t *testing.T) {
	s := New(DefaultSeed)
	expired, cancel := context.WithDeadline(context.Background(), time.Now().Add(-time.Second))
	defer cancel()
	tests := []struct {
		name string
		ctx  context.Context
		q    datasources.Query
		kind error
	}{
		{"syntax", context.Background(), datasources.Query{Expr: `sum(rate(audio_requests_total[1m])`, End: testNow, Instant: true}, datasources.ErrBadQuery},
		{"unknown function", context.Background(), datasources.Query{Expr: `frobnicate(audio_requests_total)`, End: testNow, Instant: true}, datasources.ErrBadQuery},
		{"type error", context.Background(), datasources.Query{Expr: `rate(audio_requests_total)`, End: testNow, Start: testNow.Add(-time.Hour)}, datasources.ErrBadQuery},
		{"string result", context.Background(), datasources.Query{Expr: `"hello"`, End: testNow, Instant: true}, datasources.ErrBadQuery},
		{"many-to-many", context.Background(), datasources.Query{Expr: `audio_requests_total + on(region) audio_requests_total`, End: testNow, Instant: true}, datasources.ErrBadQuery},
		{"start after end", context.Background(), datasources.Query{Expr: `up`, Start: testNow, End: testNow.Add(-time.Hour)}, datasources.ErrBadQuery},
		{"too many points", context.Background(), datasources.Query{Expr: `queue_depth`, Start: testNow.Add(-30 * 24 * time.Hour), End: testNow, Step: Step}, datasources.ErrBadQuery},
		{"deadline", expired, datasources.Query{Expr: `queue_depth`, End: testNow, Instant: true}, datasources.ErrTimeout},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			res, err := s.Query(tc.ctx, tc.q)
			if !errors.Is(err, tc.kind) {
				t.Fatalf("err = %v, want %v", err, tc.kind)
			}
			var qe *datasources.QueryError
			if !errors.As(err, &qe) || qe.Expr != tc.q.Expr || res != nil {
				t.Fatalf("err %T %v, res %v", err, err, res)
			}
		})
	}
	t.Run("deadline is context.DeadlineExceeded too", func(t *testing.T) {
		_, err := s.Query(expired, datasources.Query{Expr: `queue_depth`, End: testNow, Instant: true})
		if !errors.Is(err, context.DeadlineExceeded) {
			t.Fatal(err)
		}
	})
}

func TestLabelValues(t *testing.T) {
	s := New(DefaultSeed)
	tests := []struct {
		name string
		want []string
	}{
		{"region", []string{"ap-northeast", "ap-south", "eu-central", "eu-west", "sa-east", "us-east", "us-west"}},
		{"model", Models()},
		{"reason", []string{"decode", "internal", "timeout"}},
		{"kind", []string{"error_burst", "latency_spike"}},
		{"nope", []string{}},
	}
	slices.Sort(tests[1].want)
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := s.LabelValues(context.Background(), tc.name)
			if err != nil || !slices.Equal(got, tc.want) {
				t.Fatalf("%v %v, want %v", got, err, tc.want)
			}
		})
	}
	if len(Regions()) != 7 || len(Instances()) != 6 || Instances()[5] != "gpu-node-6" {
		t.Fatal("catalogue helpers")
	}
}
