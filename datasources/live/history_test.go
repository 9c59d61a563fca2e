package live

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"path/filepath"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/wallboard/wallboard/datasources"
	"github.com/wallboard/wallboard/datasources/history"
)

const step = 15 * time.Second

var quiet = slog.New(slog.NewTextHandler(io.Discard, nil))

// rangeSource answers range queries with one series per region, a point
// every step from Start to End valued by value(t), and records every query.
type rangeSource struct {
	regions []string
	delay   time.Duration
	failing atomic.Bool

	mu       sync.Mutex
	asked    []datasources.Query
	inflight atomic.Int64
	maxIn    atomic.Int64
}

func value(t int64, region string) float64 { return float64(t)/1000 + float64(len(region)) }

func (r *rangeSource) Query(ctx context.Context, q datasources.Query) (*datasources.Result, error) {
	r.mu.Lock()
	r.asked = append(r.asked, q)
	r.mu.Unlock()
	n := r.inflight.Add(1)
	defer r.inflight.Add(-1)
	for {
		m := r.maxIn.Load()
		if n <= m || r.maxIn.CompareAndSwap(m, n) {
			break
		}
	}
	if r.delay > 0 {
		select {
		case <-time.After(r.delay):
		case <-ctx.Done():
			return nil, ctx.Err()
		}
	}
	if r.failing.Load() {
		return nil, &datasources.QueryError{Kind: datasources.ErrUnreachable, Expr: q.Expr, Err: errors.New("connection refused")}
	}
	res := &datasources.Result{Fetched: q.End}
	for _, reg := range r.regions {
		s := datasources.Series{Name: reg, Labels: datasources.Labels{"region": reg}}
		if q.Instant {
			s.Points = []datasources.Point{{T: q.End.UnixMilli(), V: value(q.End.UnixMilli(), reg)}}
		} else {
			for t := q.Start; !t.After(q.End); t = t.Add(q.Step) {
				s.Points = append(s.Points, datasources.Point{T: t.UnixMilli(), V: value(t.UnixMilli(), reg)})
			}
		}
		res.Series = append(res.Series, s)
	}
	return res, nil
}

func (r *rangeSource) queries() []datasources.Query {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]datasources.Query(nil), r.asked...)
}

type clock struct{ ns atomic.Int64 }

func newClock(t time.Time) *clock {
	c := &clock{}
	c.ns.Store(t.UnixNano())
	return c
}
func (c *clock) now() time.Time          { return time.Unix(0, c.ns.Load()) }
func (c *clock) add(d time.Duration)     { c.ns.Add(int64(d)) }
func (c *clock) set(t time.Time)         { c.ns.Store(t.UnixNano()) }
func (c *clock) since(t time.Time) int64 { return c.now().Sub(t).Milliseconds() }

func openHistory(t *testing.T) *history.Store {
	t.Helper()
	h, err := history.Open(context.Background(), filepath.Join(t.TempDir(), "history.db"), history.Options{NoSync: true, Logger: quiet})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = h.Close() })
	return h
}

// checkSeries verifies that every series holds true values on a regular
// enough spacing, ending at end and starting at or after from.
func checkSeries(t *testing.T, what string, series []datasources.Series, regions []string, from, end time.Time) {
	t.Helper()
	if len(series) != len(regions) {
		t.Fatalf("%s: %d series, want %d", what, len(series), len(regions))
	}
	for i, s := range series {
		if s.Name != regions[i] {
			t.Fatalf("%s: series %d is %q, want %q", what, i, s.Name, regions[i])
		}
		pts := s.Points
		if pts[0].T < from.UnixMilli() || pts[len(pts)-1].T != end.UnixMilli() {
			t.Fatalf("%s: %s spans %v..%v, want within %v..%v ending at the end", what, s.Name, pts[0].Time(), pts[len(pts)-1].Time(), from, end)
		}
		for j, p := range pts {
			if p.V != value(p.T, s.Name) {
				t.Fatalf("%s: %s point %d = %v, want %v", what, s.Name, j, p.V, value(p.T, s.Name))
			}
			if j > 0 {
				if d := time.Duration(p.T-pts[j-1].T) * time.Millisecond; d < history.MinGap(step) || d > 2*step {
					t.Fatalf("%s: %s points %d and %d are %v apart", what, s.Name, j-1, j, d)
				}
			}
		}
	}
}

func TestHistoryFirstThenTail(t *testing.T) {
	for _, tc := range []struct {
		name  string
		later time.Duration // between the two runs
	}{
		{"on the grid", 2 * time.Minute},
		{"off the grid", 2*time.Minute + 5*time.Second},
		{"longer than the window", 3 * time.Hour},
	} {
		t.Run(tc.name, func(t *testing.T) {
			h := openHistory(t)
			now0 := time.Date(2026, 11, 27, 12, 0, 0, 0, time.UTC)
			clk := newClock(now0)
			regions := []string{"eu-west", "us-east"}
			src := &rangeSource{regions: regions}
			req := Request{SourceName: "prom", Source: src, Query: datasources.Query{Expr: "rate(x[1m])", Step: step}, Window: time.Hour, Interval: time.Hour}

			// First run: nothing cached, the whole hour is fetched and stored.
			s := New(context.Background(), Options{Now: clk.now, History: h, Logger: quiet})
			c := newCollector()
			unsub := s.Subscribe(req, c.fn)
			r := c.wait(t, 1)[0]
			checkSeries(t, "first run", r.Series, regions, now0.Add(-time.Hour), now0)
			unsub()
			s.Close()
			if q := src.queries(); len(q) != 1 || !q[0].Start.Equal(now0.Add(-time.Hour)) || !q[0].End.Equal(now0) {
				t.Fatalf("first run asked %+v, want the whole hour", q)
			}

			// Second run: the cache at once (with its age), then only the tail.
			clk.add(tc.later)
			now1 := clk.now()
			s = New(context.Background(), Options{Now: clk.now, History: h, Logger: quiet})
			defer s.Close()
			c = newCollector()
			defer s.Subscribe(req, c.fn)()
			got := c.wait(t, 2)
			cached, fresh := got[0], got[1]
			if tc.later < time.Hour {
				if cached.Stale || !cached.Fetched.Equal(now0) || cached.Age(now1) != tc.later {
					t.Fatalf("cached result: stale %v fetched %v age %v, want fresh-looking data fetched at %v", cached.Stale, cached.Fetched, cached.Age(now1), now0)
				}
				checkSeries(t, "cached", cached.Series, regions, now1.Add(-time.Hour), now0)
			} else if len(cached.Series) != 0 {
				t.Fatalf("cached result older than the window has %d series", len(cached.Series))
			}
			if fresh.Stale || !fresh.Fetched.Equal(now1) {
				t.Fatalf("fresh result: stale %v fetched %v", fresh.Stale, fresh.Fetched)
			}
			checkSeries(t, "merged", fresh.Series, regions, now1.Add(-time.Hour), now1)
			asked := src.queries()[1:]
			if len(asked) != 1 || !asked[0].End.Equal(now1) {
				t.Fatalf("second run asked %+v", asked)
			}
			want := now0.Add(-2 * step) // the tail: from a step before the newest cached sample
			if tc.later >= time.Hour {
				want = now1.Add(-time.Hour) // nothing usable cached: the whole window
			}
			if asked[0].Start.Before(want) {
				t.Fatalf("second run asked from %v, want the tail from %v at the earliest", asked[0].Start, want)
			}

			// A refresh asks for the tail again, and the history holds what was shown.
			clk.add(20 * time.Second)
			s.Refresh()
			r = c.wait(t, 3)[2]
			checkSeries(t, "refreshed", r.Series, regions, clk.now().Add(-time.Hour), clk.now())
			if q := src.queries(); q[len(q)-1].Start.Before(now1.Add(-2 * step)) {
				t.Fatalf("refresh asked from %v", q[len(q)-1].Start)
			}
			// The poller stores what it delivered, right after delivering it.
			deadline := time.Now().Add(5 * time.Second)
			for {
				stored, _, err := h.Range(context.Background(), "prom", history.QueryKey(req.Query), clk.now().Add(-time.Hour), clk.now())
				if err != nil {
					t.Fatal(err)
				}
				same := len(stored) == len(r.Series)
				for i := 0; same && i < len(stored); i++ {
					same = slices.Equal(stored[i].Points, r.Series[i].Points)
				}
				if same {
					break
				}
				if time.Now().After(deadline) {
					t.Fatalf("history does not hold what the subscriber got")
				}
				time.Sleep(5 * time.Millisecond)
			}
		})
	}
}

func TestColdStartFromHistorySourcesDown(t *testing.T) {
	for _, tc := range []struct {
		name    string
		instant bool
	}{
		{"range", false},
		{"instant", true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			h := openHistory(t)
			now0 := time.Date(2026, 11, 27, 12, 0, 0, 0, time.UTC)
			clk := newClock(now0)
			regions := []string{"ap-south", "eu-west", "us-east"}
			src := &rangeSource{regions: regions}
			req := Request{SourceName: "prom", Source: src, Query: datasources.Query{Expr: "up", Step: step, Instant: tc.instant}, Window: time.Hour, Interval: 10 * time.Millisecond}

			s := New(context.Background(), Options{Now: clk.now, History: h, Logger: quiet})
			c := newCollector()
			unsub := s.Subscribe(req, c.fn)
			c.wait(t, 1)
			unsub()
			s.Close()

			// The wall restarts three minutes later with every source down.
			src.failing.Store(true)
			clk.add(3 * time.Minute)
			s = New(context.Background(), Options{Now: clk.now, History: h, Logger: quiet, MaxBackoff: 20 * time.Millisecond})
			defer s.Close()
			c = newCollector()
			defer s.Subscribe(req, c.fn)()
			got := c.wait(t, 2)
			cached, stale := got[0], got[1]
			// Samples 3 minutes old on a live range refreshed every 10ms at
			// a 15s step: stale for their age alone, with no error yet.
			if len(cached.Series) != 3 || !cached.Stale || cached.Err != nil || cached.Age(clk.now()) != 3*time.Minute {
				t.Fatalf("cached: %d series, stale %v (%v), age %v; want stale for its age, no error", len(cached.Series), cached.Stale, cached.Err, cached.Age(clk.now()))
			}
			if !stale.Stale || !errors.Is(stale.Err, datasources.ErrUnreachable) || len(stale.Series) != 3 || stale.Age(clk.now()) != 3*time.Minute {
				t.Fatalf("after the failed query: stale %v err %v, %d series, age %v; want stale data aged 3m with ErrUnreachable",
					stale.Stale, stale.Err, len(stale.Series), stale.Age(clk.now()))
			}
			for _, ser := range stale.Series {
				// The hour fetched at now0, less the 3 minutes the window moved on.
				if tc.instant && len(ser.Points) != 1 || !tc.instant && len(ser.Points) != 241-12 {
					t.Fatalf("series %s has %d points", ser.Name, len(ser.Points))
				}
				if last := ser.Points[len(ser.Points)-1]; last.T != now0.UnixMilli() || last.V != value(last.T, ser.Name) {
					t.Fatalf("series %s ends with %v", ser.Name, last)
				}
			}
			// The age keeps growing while the source stays down.
			clk.add(time.Minute)
			for i := 3; ; i++ {
				if r := c.wait(t, i)[i-1]; r.Stale && r.Age(clk.now()) == 4*time.Minute && len(r.Series) == 3 {
					break
				}
			}
			// Back up: fresh data.
			src.failing.Store(false)
			s.Notify("prom")
			for i := len(c.wait(t, 1)) + 1; ; i++ {
				if r := c.wait(t, i)[i-1]; !r.Stale {
					if !r.Fetched.Equal(clk.now()) {
						t.Fatalf("recovered result fetched %v, want now", r.Fetched)
					}
					break
				}
			}
		})
	}
}

func TestConcurrencyLimitPerSource(t *testing.T) {
	for _, tc := range []struct {
		name  string
		limit int
		want  int64
	}{
		{"default", 0, 4},
		{"two", 2, 2},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := New(context.Background(), Options{MaxConcurrentPerSource: tc.limit, Logger: quiet})
			defer s.Close()
			a := &rangeSource{regions: []string{"x"}, delay: 50 * time.Millisecond}
			b := &rangeSource{regions: []string{"x"}, delay: 50 * time.Millisecond}
			var cs []*collector
			for i := range 12 {
				for name, src := range map[string]*rangeSource{"a": a, "b": b} {
					c := newCollector()
					cs = append(cs, c)
					defer s.Subscribe(Request{SourceName: name, Source: src, Query: datasources.Query{Expr: fmt.Sprint("q", i), Step: step}, Window: time.Hour}, c.fn)()
				}
			}
			for _, c := range cs {
				c.wait(t, 1)
			}
			for name, src := range map[string]*rangeSource{"a": a, "b": b} {
				if got := src.maxIn.Load(); got != tc.want {
					t.Fatalf("source %s had %d queries in flight at once, want %d", name, got, tc.want)
				}
			}
		})
	}
}

func TestNotify(t *testing.T) {
	s := New(context.Background(), Options{Logger: quiet})
	defer s.Close()
	pushed, other := &fakeSource{}, &fakeSource{}
	pc, oc, once := newCollector(), newCollector(), newCollector()
	defer s.Subscribe(Request{SourceName: "sim", Source: pushed, Query: datasources.Query{Expr: "a"}, Window: time.Hour, Interval: time.Hour}, pc.fn)()
	defer s.Subscribe(Request{SourceName: "sim", Source: pushed, Query: datasources.Query{Expr: "b"}, From: time.Unix(0, 0), To: time.Unix(3600, 0)}, once.fn)()
	defer s.Subscribe(Request{SourceName: "prom", Source: other, Query: datasources.Query{Expr: "a"}, Window: time.Hour, Interval: time.Hour}, oc.fn)()
	pc.wait(t, 1)
	once.wait(t, 1)
	oc.wait(t, 1)

	start := time.Now()
	s.Notify("sim")
	pc.wait(t, 2)
	once.wait(t, 2) // a fetch-once poller refreshes too
	if d := time.Since(start); d > time.Second {
		t.Fatalf("notified pollers took %v", d)
	}
	time.Sleep(30 * time.Millisecond)
	if n := other.calls.Load(); n != 1 {
		t.Fatalf("a poller of another source was refreshed: %d calls", n)
	}

	// A failing poller waiting out its backoff is woken too.
	pushed.failing.Store(true)
	s.Notify("sim")
	for i := 3; ; i++ {
		if r := pc.wait(t, i)[i-1]; r.Stale {
			break
		}
	}
	pushed.failing.Store(false)
	s.Notify("sim")
	for i := len(pc.wait(t, 1)) + 1; ; i++ {
		if r := pc.wait(t, i)[i-1]; !r.Stale {
			break
		}
	}
}

func TestRelativeRequestsShareAPoller(t *testing.T) {
	s := New(context.Background(), Options{Logger: quiet})
	defer s.Close()
	src := &fakeSource{}
	req := Request{SourceName: "fake", Source: src, Query: datasources.Query{Expr: "up"}, Window: time.Hour, Interval: time.Hour}
	a := req
	a.From, a.To = time.Unix(100, 0), time.Unix(3700, 0)
	b := req
	b.From, b.To = time.Unix(105, 0), time.Unix(3705, 0)
	defer s.Subscribe(a, newCollector().fn)()
	defer s.Subscribe(b, newCollector().fn)()
	if n := s.Pollers(); n != 1 {
		t.Fatalf("%d pollers for one relative query subscribed at two instants", n)
	}
	abs := req
	abs.Window = 0
	abs.From, abs.To = time.Unix(100, 0), time.Unix(3700, 0)
	defer s.Subscribe(abs, newCollector().fn)()
	if n := s.Pollers(); n != 2 {
		t.Fatalf("%d pollers, want the absolute range apart", n)
	}
}
