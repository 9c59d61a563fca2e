package sim

import (
	"context"
	"math"
	"slices"
	"testing"
	"time"

	"github.com/prometheus/prometheus/model/labels"
	"github.com/prometheus/prometheus/storage"
	"github.com/prometheus/prometheus/tsdb/chunkenc"
)

// testNow is a fixed "now" for the tests: a Wednesday afternoon (UTC).
var testNow = time.Date(2026, 3, 4, 15, 0, 0, 0, time.UTC)

// selectAll reads every series matching ms over [from, to] through the
// Queryable, as name -> labels string -> samples.
type sampleList struct {
	lbls labels.Labels
	t    []int64
	v    []float64
}

func readSeries(t *testing.T, s *Sim, from, to time.Time, ms ...*labels.Matcher) []sampleList {
	t.Helper()
	q, err := s.Querier(from.UnixMilli(), to.UnixMilli())
	if err != nil {
		t.Fatal(err)
	}
	defer q.Close()
	set := q.Select(context.Background(), true, nil, ms...)
	var out []sampleList
	var it chunkenc.Iterator
	for set.Next() {
		ser := set.At()
		sl := sampleList{lbls: ser.Labels()}
		it = ser.Iterator(it)
		for it.Next() == chunkenc.ValFloat {
			ts, v := it.At()
			sl.t = append(sl.t, ts)
			sl.v = append(sl.v, v)
		}
		if err := it.Err(); err != nil {
			t.Fatal(err)
		}
		out = append(out, sl)
	}
	if err := set.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

func mustMatcher(t *testing.T, typ labels.MatchType, name, value string) *labels.Matcher {
	t.Helper()
	m, err := labels.NewMatcher(typ, name, value)
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func TestCatalogue(t *testing.T) {
	s := New(DefaultSeed)
	for _, f := range families {
		want := map[string]int{
			"region,model": nRegions * nModels, "region,model,reason": nRegions * nModels * nReasons,
			"region": nRegions, "instance": nInstances, "kind": len(incidentKinds),
		}[join(f.labels)]
		if f.typ == typeHistogram {
			for suffix, n := range map[string]int{"_bucket": nRegions * nBuckets, "_sum": nRegions, "_count": nRegions} {
				if got := len(s.byName[f.name+suffix]); got != n {
					t.Errorf("%s%s: %d series, want %d", f.name, suffix, got, n)
				}
			}
			continue
		}
		if got := len(s.byName[f.name]); got != want {
			t.Errorf("%s: %d series, want %d", f.name, got, want)
		}
	}
	for i := 1; i < len(s.series); i++ {
		if labels.Compare(s.series[i-1].lbls, s.series[i].lbls) >= 0 {
			t.Fatalf("catalogue not sorted at %d: %s >= %s", i, s.series[i-1].lbls, s.series[i].lbls)
		}
	}
}

func join(ss []string) string {
	out := ""
	for i, s := range ss {
		if i > 0 {
			out += ","
		}
		out += s
	}
	return out
}

func TestDeterminism(t *testing.T) {
	from, to := testNow.Add(-6*time.Hour), testNow
	all := mustMatcher(t, labels.MatchRegexp, labels.MetricName, ".+")
	a := readSeries(t, New(42), from, to, all)
	tests := []struct {
		name string
		seed int64
		same bool
	}{
		{"same seed", 42, true},
		{"other seed", 43, false},
		{"default seed", 0, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			b := readSeries(t, New(tc.seed), from, to, all)
			if len(a) != len(b) {
				t.Fatalf("%d series vs %d", len(a), len(b))
			}
			differ := 0
			for i := range a {
				if !labels.Equal(a[i].lbls, b[i].lbls) || len(a[i].v) != len(b[i].v) {
					t.Fatalf("series %d: %s (%d samples) vs %s (%d)", i, a[i].lbls, len(a[i].v), b[i].lbls, len(b[i].v))
				}
				for j := range a[i].v {
					if a[i].t[j] != b[i].t[j] {
						t.Fatalf("%s: timestamps differ", a[i].lbls)
					}
					if a[i].v[j] != b[i].v[j] {
						differ++
						if tc.same {
							t.Fatalf("%s at %d: %v vs %v", a[i].lbls, a[i].t[j], a[i].v[j], b[i].v[j])
						}
					}
				}
			}
			if !tc.same && differ == 0 {
				t.Fatal("different seeds gave identical series")
			}
		})
	}
	t.Run("order independent", func(t *testing.T) {
		// A value does not depend on what was generated before.
		s1, s2 := New(7), New(7)
		d := s1.byName[MetricErrors][5]
		k := testNow.UnixMilli() / stepMs
		v1 := s1.valueAt(d, k)
		for w := int64(-5); w < 5; w++ {
			s2.week(weekOfStep(k) + w*3)
		}
		if v2 := s2.valueAt(s2.byName[MetricErrors][5], k); v1 != v2 {
			t.Fatalf("%v vs %v", v1, v2)
		}
		if v3 := s1.valueAt(d, k); v3 != v1 {
			t.Fatalf("%v vs %v", v1, v3)
		}
	})
	t.Run("seed 0 is DefaultSeed", func(t *testing.T) {
		if New(0).Seed() != DefaultSeed {
			t.Fatal("New(0) does not use DefaultSeed")
		}
	})
}

func TestCountersNeverDecrease(t *testing.T) {
	s := New(DefaultSeed)
	// The busiest day (most incidents) of a few weeks, and a day across a
	// week boundary (Thursday 00:00 UTC), where incidents are settled.
	busiest, most := time.Time{}, -1
	for d := 0; d < 21; d++ {
		day := testNow.Truncate(24*time.Hour).AddDate(0, 0, -d)
		if n := len(s.Incidents(day, day.Add(24*time.Hour))); n > most {
			busiest, most = day, n
		}
	}
	weekStart := time.Unix(floorDiv(testNow.Unix(), weekSec)*weekSec, 0).UTC()
	tests := []struct {
		name string
		from time.Time
	}{
		{"busiest day", busiest},
		{"across a week boundary", weekStart.Add(-12 * time.Hour)},
		{"far future", time.Date(2031, 7, 1, 0, 0, 0, 0, time.UTC)},
	}
	counters := map[string]bool{}
	for _, d := range s.series {
		counters[d.lbls.Get(labels.MetricName)] = d.counter
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			all := readSeries(t, s, tc.from, tc.from.Add(24*time.Hour), mustMatcher(t, labels.MatchRegexp, labels.MetricName, ".+"))
			checked := 0
			for _, sl := range all {
				if !counters[sl.lbls.Get(labels.MetricName)] {
					continue
				}
				checked++
				if len(sl.v) != int(24*time.Hour/Step)+1 {
					t.Fatalf("%s: %d samples", sl.lbls, len(sl.v))
				}
				for i := 1; i < len(sl.v); i++ {
					if sl.v[i] < sl.v[i-1] || math.IsNaN(sl.v[i]) {
						t.Fatalf("%s decreases at %v: %v -> %v", sl.lbls, time.UnixMilli(sl.t[i]).UTC(), sl.v[i-1], sl.v[i])
					}
					if sl.t[i]-sl.t[i-1] != stepMs {
						t.Fatalf("%s: samples %d ms apart", sl.lbls, sl.t[i]-sl.t[i-1])
					}
				}
			}
			if want := 21 + 63 + 21 + 7*10 + 7 + 7 + 7*5; checked != want {
				t.Fatalf("checked %d counter series, want %d", checked, want)
			}
		})
	}
}

func TestHistogramBucketsCumulative(t *testing.T) {
	s := New(DefaultSeed)
	// Times spread over years, plus every step of each latency spike of a week.
	var steps []int64
	for i := int64(0); i < 3000; i++ {
		steps = append(steps, testNow.UnixMilli()/stepMs-i*7919)
	}
	for _, in := range s.Incidents(testNow.Add(-7*24*time.Hour), testNow) {
		if in.Kind == LatencySpike {
			for ts := in.Start.Add(-time.Minute); ts.Before(in.End.Add(time.Minute)); ts = ts.Add(Step) {
				steps = append(steps, ts.UnixMilli()/stepMs)
			}
		}
	}
	for r, rs := range regionSpecs {
		t.Run(rs.Name, func(t *testing.T) {
			var buckets [nBuckets]*seriesDef
			var count, total *seriesDef
			for _, d := range s.byName[MetricDuration+"_bucket"] {
				if d.r == r {
					buckets[d.x] = d
				}
			}
			for _, d := range s.byName[MetricDuration+"_count"] {
				if d.r == r {
					count = d
				}
			}
			for _, d := range s.byName[MetricTotal] {
				if d.r == r {
					total = d
				}
			}
			for _, k := range steps {
				prev := -1.0
				for i, d := range buckets {
					v := s.valueAt(d, k)
					if v < prev {
						t.Fatalf("step %d: bucket le=%v (%v) < previous (%v)", k, bucketLE[i], v, prev)
					}
					prev = v
				}
				c := s.valueAt(count, k)
				if prev != c {
					t.Fatalf("step %d: +Inf bucket %v != _count %v", k, prev, c)
				}
				if tot := s.valueAt(total, k); tot != c {
					t.Fatalf("step %d: total_count %v != _count %v", k, tot, c)
				}
			}
		})
	}
}

func TestIncidentSchedule(t *testing.T) {
	s := New(DefaultSeed)
	from := testNow.Truncate(24*time.Hour).AddDate(0, 0, -28)
	incs := s.Incidents(from, from.AddDate(0, 0, 28))
	perDay := map[int64]int{}
	for i, in := range incs {
		d := in.End.Sub(in.Start)
		if d < 5*time.Minute || d > 30*time.Minute {
			t.Errorf("%+v lasts %v", in, d)
		}
		if in.Start.Unix()%15 != 0 {
			t.Errorf("%+v does not start on the grid", in)
		}
		if i > 0 && in.Start.Before(incs[i-1].Start) {
			t.Errorf("incidents out of order at %d", i)
		}
		if in.Intensity <= 0 || in.Intensity > 0.6 {
			t.Errorf("%+v: intensity", in)
		}
		perDay[in.Start.Unix()/daySec]++
	}
	for d, n := range perDay {
		if n < 1 || n > 4 {
			t.Errorf("day %d: %d incidents", d, n)
		}
	}
	if len(perDay) != 28 {
		t.Errorf("incidents on %d of 28 days", len(perDay))
	}
	// A sub-range sees the incidents overlapping it.
	in := incs[len(incs)/2]
	sub := s.Incidents(in.Start.Add(time.Minute), in.Start.Add(2*time.Minute))
	found := false
	for _, x := range sub {
		found = found || x == in
	}
	if !found {
		t.Errorf("%+v not found in a range inside it: %+v", in, sub)
	}
	if again := New(DefaultSeed).Incidents(from, from.AddDate(0, 0, 28)); len(again) != len(incs) || again[3] != incs[3] {
		t.Error("incidents are not reproducible")
	}
}

// The queryable honours the hints' narrower range and the querier's bounds.
func TestSelectRange(t *testing.T) {
	s := New(DefaultSeed)
	q, _ := s.Querier(testNow.Add(-time.Hour).UnixMilli(), testNow.UnixMilli()+7)
	defer q.Close()
	hints := &storage.SelectHints{Start: testNow.Add(-10*time.Minute).UnixMilli() + 1, End: testNow.Add(time.Hour).UnixMilli()}
	set := q.Select(context.Background(), true, hints, mustMatcher(t, labels.MatchEqual, labels.MetricName, MetricQueue),
		mustMatcher(t, labels.MatchEqual, "region", "eu-west"))
	n := 0
	for set.Next() {
		n++
		it := set.At().Iterator(nil)
		var ts []int64
		for it.Next() != chunkenc.ValNone {
			ts = append(ts, it.AtT())
		}
		if len(ts) != 40 || ts[0] != testNow.Add(-10*time.Minute+Step).UnixMilli() || ts[39] != testNow.UnixMilli() {
			t.Fatalf("%d samples from %v to %v", len(ts), time.UnixMilli(ts[0]).UTC(), time.UnixMilli(ts[len(ts)-1]).UTC())
		}
		// Seek, then Next, like the engine.
		it = set.At().Iterator(it)
		if it.Seek(testNow.Add(-5*time.Minute).UnixMilli()-1) != chunkenc.ValFloat || it.AtT() != testNow.Add(-5*time.Minute).UnixMilli() {
			t.Fatalf("seek landed at %v", time.UnixMilli(it.AtT()).UTC())
		}
		if it.Next() != chunkenc.ValFloat || it.AtT() != testNow.Add(-5*time.Minute+Step).UnixMilli() {
			t.Fatal("next after seek")
		}
		if it.Seek(testNow.Add(time.Minute).UnixMilli()) != chunkenc.ValNone {
			t.Fatal("seek past the end")
		}
	}
	if n != 1 {
		t.Fatalf("%d series", n)
	}
}

func TestQuerierLabels(t *testing.T) {
	s := New(DefaultSeed)
	s.Push(Sample{Labels: map[string]string{"__name__": "custom", "host": "a"}, T: testNow, V: 1})
	q, _ := s.Querier(testNow.Add(-time.Hour).UnixMilli(), testNow.UnixMilli())
	defer q.Close()
	ctx := context.Background()
	tests := []struct {
		name  string
		label string // "" asks for label names
		hints *storage.LabelHints
		ms    []*labels.Matcher
		want  []string
	}{
		{"names of a metric", "", nil, []*labels.Matcher{mustMatcher(t, labels.MatchEqual, labels.MetricName, MetricErrors)},
			[]string{"__name__", "model", "reason", "region"}},
		{"names of pushed", "", nil, []*labels.Matcher{mustMatcher(t, labels.MatchEqual, "host", "a")}, []string{"__name__", "host"}},
		{"instances", "instance", nil, nil, Instances()},
		{"regions of a regex", "region", nil, []*labels.Matcher{mustMatcher(t, labels.MatchRegexp, "region", "ap-.*|sa-.*")},
			[]string{"ap-northeast", "ap-south", "sa-east"}},
		{"limit", "region", &storage.LabelHints{Limit: 2}, nil, []string{"ap-northeast", "ap-south"}},
		{"metric names", "__name__", nil, []*labels.Matcher{mustMatcher(t, labels.MatchRegexp, labels.MetricName, "memory.*|custom")},
			[]string{"custom", MetricMemoryTotal, MetricMemory}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var got []string
			var err error
			if tc.label == "" {
				got, _, err = q.LabelNames(ctx, tc.hints, tc.ms...)
			} else {
				got, _, err = q.LabelValues(ctx, tc.label, tc.hints, tc.ms...)
			}
			if err != nil || !slices.Equal(got, tc.want) {
				t.Fatalf("%v %v, want %v", got, err, tc.want)
			}
		})
	}
}
