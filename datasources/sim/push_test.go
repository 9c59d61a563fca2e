package sim

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/prometheus/prometheus/model/labels"

	"github.com/wallboard/wallboard/datasources"
)

func TestPush(t *testing.T) {
	tests := []struct {
		name  string
		push  []Sample
		expr  string
		at    time.Time
		want  float64
		count int // series in the result
	}{
		{
			name: "new series",
			push: []Sample{{Labels: datasources.Labels{"__name__": "deploys_total", "region": "eu-west"}, T: testNow.Add(-time.Minute), V: 3}},
			expr: `deploys_total{region="eu-west"}`, at: testNow, want: 3, count: 1,
		},
		{
			name: "latest value wins",
			push: []Sample{
				{Labels: datasources.Labels{"__name__": "temp"}, T: testNow.Add(-30 * time.Second), V: 20},
				{Labels: datasources.Labels{"__name__": "temp"}, T: testNow.Add(-10 * time.Second), V: 21},
				{Labels: datasources.Labels{"__name__": "temp"}, T: testNow.Add(-10 * time.Second), V: 22}, // same time: overwrite
				{Labels: datasources.Labels{"__name__": "temp"}, T: testNow.Add(-20 * time.Second), V: 99}, // out of order: dropped
			},
			expr: `temp`, at: testNow, want: 22, count: 1,
		},
		{
			name: "merged with generated series",
			push: []Sample{{Labels: datasources.Labels{"__name__": MetricQueue, "region": "mars-1"}, T: testNow, V: 5}},
			expr: `count(queue_depth)`, at: testNow, want: 8, count: 1,
		},
		{
			name: "shadows a generated series",
			push: []Sample{{Labels: datasources.Labels{"__name__": MetricQueue, "region": "sa-east"}, T: testNow, V: 1234}},
			expr: `queue_depth{region="sa-east"}`, at: testNow, want: 1234, count: 1,
		},
		{
			name: "rate over pushed counter",
			push: func() []Sample {
				var out []Sample
				for i := 0; i <= 20; i++ {
					out = append(out, Sample{Labels: datasources.Labels{"__name__": "jobs_total", "empty": ""}, T: testNow.Add(time.Duration(i-20) * 10 * time.Second), V: float64(i * 50)})
				}
				return out
			}(),
			expr: `rate(jobs_total[2m])`, at: testNow, want: 5, count: 1,
		},
		{
			name: "no name is dropped",
			push: []Sample{{Labels: datasources.Labels{"region": "x"}, T: testNow, V: 1}},
			expr: `count({region="x"})`, at: testNow, count: 0,
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s := New(DefaultSeed)
			s.Push(tc.push...)
			ser := instant(t, s, tc.expr, tc.at)
			if len(ser) != tc.count {
				t.Fatalf("%d series: %+v", len(ser), ser)
			}
			if tc.count > 0 && ser[0].Points[0].V != tc.want {
				t.Fatalf("= %v, want %v", ser[0].Points[0].V, tc.want)
			}
		})
	}
}

func TestPushBounds(t *testing.T) {
	t.Run("ring keeps the last samples", func(t *testing.T) {
		s := New(DefaultSeed)
		var smp []Sample
		for i := 0; i < defaultPushSamples+100; i++ {
			smp = append(smp, Sample{Labels: datasources.Labels{"__name__": "x"}, T: testNow.Add(time.Duration(i-defaultPushSamples-99) * time.Second), V: float64(i)})
		}
		s.Push(smp...)
		got := readSeries(t, s, testNow.Add(-24*time.Hour), testNow, mustMatcher(t, labels.MatchEqual, labels.MetricName, "x"))
		if len(got) != 1 || len(got[0].v) != defaultPushSamples || got[0].v[0] != 100 || got[0].v[len(got[0].v)-1] != float64(defaultPushSamples+99) {
			t.Fatalf("%d series, %d samples, first %v", len(got), len(got[0].v), got[0].v[0])
		}
		for i := 1; i < len(got[0].t); i++ {
			if got[0].t[i] <= got[0].t[i-1] {
				t.Fatal("ring read out of order")
			}
		}
	})
	t.Run("least recently written series is evicted", func(t *testing.T) {
		p := newPushStore(3, 4)
		for _, name := range []string{"a", "b", "c", "a", "d"} {
			p.push([]Sample{{Labels: datasources.Labels{"__name__": name}, T: testNow, V: 1}})
		}
		if len(p.series) != 3 || p.series[`{__name__="b"}`] != nil || p.series[`{__name__="a"}`] == nil {
			t.Fatalf("kept %v", p.series)
		}
	})
	t.Run("stats", func(t *testing.T) {
		s := New(DefaultSeed)
		s.Push(Sample{Labels: datasources.Labels{"__name__": "y"}, T: testNow, V: 1},
			Sample{Labels: datasources.Labels{"__name__": "y"}, T: testNow.Add(-time.Second), V: 1},
			Sample{Labels: datasources.Labels{"region": "z"}, T: testNow, V: 1})
		if n, dropped := s.PushStats(); n != 1 || dropped != 2 {
			t.Fatalf("%d series, %d dropped", n, dropped)
		}
	})
}

func TestPushConcurrent(t *testing.T) {
	s := New(DefaultSeed)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var wg sync.WaitGroup
	for w := 0; w < 4; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < 500; i++ {
				s.Push(Sample{Labels: datasources.Labels{"__name__": "live", "w": string(rune('a' + w))}, T: testNow.Add(time.Duration(i) * time.Millisecond), V: float64(i)})
			}
		}()
	}
	for i := 0; i < 50; i++ {
		if _, err := s.Query(ctx, datasources.Query{Expr: `sum(live) + sum(rate(audio_requests_total[1m]))`, End: testNow.Add(time.Second), Instant: true}); err != nil {
			t.Fatal(err)
		}
	}
	wg.Wait()
	if v := scalar(t, s, `sum(live)`, testNow.Add(time.Second)); v != 4*499 {
		t.Fatalf("sum(live) = %v", v)
	}
	vals, err := s.LabelValues(ctx, "w")
	if err != nil || len(vals) != 4 {
		t.Fatalf("%v %v", vals, err)
	}
}
