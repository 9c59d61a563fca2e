package live

import (
	"context"
	"errors"
	"os"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/wallboard/wallboard/datasources"
	"github.com/wallboard/wallboard/datasources/history"
)

// switchSource answers like rangeSource until hang is set, then hangs
// until the query's context ends (a Prometheus that stopped answering).
type switchSource struct {
	rangeSource
	hang    atomic.Bool
	badExpr string // this expression is a bad query
}

func (s *switchSource) Query(ctx context.Context, q datasources.Query) (*datasources.Result, error) {
	if q.Expr == s.badExpr {
		return nil, &datasources.QueryError{Kind: datasources.ErrBadQuery, Expr: q.Expr, Err: errors.New("parse error")}
	}
	if s.hang.Load() {
		<-ctx.Done()
		return nil, ctx.Err()
	}
	return s.rangeSource.Query(ctx, q)
}

// TestNewSubscriberOfFailingSourceGetsStaleError is the dashboard switch
// during an outage: a panel subscribing while its source (or its query)
// is failing must get, as its very first result, data marked Stale with
// the reason, not fresh-looking history until its own query times out.
func TestNewSubscriberOfFailingSourceGetsStaleError(t *testing.T) {
	const timeout = 300 * time.Millisecond
	for _, tc := range []struct {
		name string
		// resubscribe returns the request that subscribes after the failure.
		resubscribe func(first Request) Request
		// dropFirst unsubscribes the first subscriber before (a switch).
		dropFirst bool
		wantKind  error
		wantStale bool
	}{
		{"second subscriber of the failing poller", func(r Request) Request { return r }, false, datasources.ErrTimeout, true},
		{"same query after a dashboard switch", func(r Request) Request { return r }, true, datasources.ErrTimeout, true},
		{"another query of the hung source after a switch", func(r Request) Request {
			r.Query.Expr = "other"
			return r
		}, true, datasources.ErrTimeout, true},
		{"another source is not stale", func(r Request) Request {
			r.SourceName = "influx"
			r.Source = &rangeSource{regions: []string{"eu-west"}}
			return r
		}, true, nil, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			h := openHistory(t)
			clk := newClock(time.Date(2026, 11, 27, 12, 0, 0, 0, time.UTC))
			src := &switchSource{rangeSource: rangeSource{regions: []string{"eu-west"}}}
			s := New(context.Background(), Options{Now: clk.now, History: h, Logger: quiet, Timeout: timeout, MaxBackoff: time.Hour})
			defer s.Close()
			first := Request{SourceName: "prom", Source: src, Query: datasources.Query{Expr: "rate(x[1m])", Step: step}, Window: time.Hour, Interval: 10 * time.Second}
			later := tc.resubscribe(first)
			// Both queries were shown before, so both have history.
			for _, r := range []Request{first, later} {
				c := newCollector()
				u := s.Subscribe(r, c.fn)
				c.wait(t, 1)
				u()
				waitStored(t, h, r, clk.now())
			}
			clk.add(20 * time.Second) // well within 3 steps + the interval: not stale for its age

			// The source hangs; the panel's poller times out and goes stale.
			src.hang.Store(true)
			a := newCollector()
			ua := s.Subscribe(first, a.fn)
			for i := 1; ; i++ {
				if r := a.wait(t, i)[i-1]; r.Stale {
					break
				}
			}
			if tc.dropFirst {
				ua()
			} else {
				defer ua()
			}

			start := time.Now()
			b := newCollector()
			defer s.Subscribe(later, b.fn)()
			got := b.wait(t, 1)[0]
			if d := time.Since(start); d >= timeout {
				t.Fatalf("first result after %v: it waited for the query's timeout", d)
			}
			if got.Stale != tc.wantStale || tc.wantKind == nil && got.Err != nil || tc.wantKind != nil && !errors.Is(got.Err, tc.wantKind) {
				t.Fatalf("first result: stale %v, err %v; want stale %v with %v", got.Stale, got.Err, tc.wantStale, tc.wantKind)
			}
			if len(got.Series) != 1 || got.Fetched.IsZero() {
				t.Fatalf("first result: %d series fetched %v, want the cached data and its fetch time", len(got.Series), got.Fetched)
			}
			if tc.wantKind == datasources.ErrTimeout && !strings.Contains(got.Err.Error(), "no answer within "+timeout.String()) {
				t.Fatalf("timeout error %q does not say how long was waited", got.Err)
			}
		})
	}
}

// waitStored waits until the history holds data of r at now (the poller
// writes it after delivering it).
func waitStored(t *testing.T, h *history.Store, r Request, now time.Time) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for {
		got, _, err := h.Range(context.Background(), r.SourceName, history.QueryKey(r.Query), now.Add(-r.Window), now)
		if err == nil && len(got) > 0 {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("history never held %s: %v", r.Query.Expr, err)
		}
		time.Sleep(2 * time.Millisecond)
	}
}

// TestBadQueryDoesNotMarkItsSource checks that a bad query's failure stays
// with that query: another query of the same source starts fresh.
func TestBadQueryDoesNotMarkItsSource(t *testing.T) {
	h := openHistory(t)
	src := &switchSource{rangeSource: rangeSource{regions: []string{"eu-west"}}, badExpr: "bad("}
	s := New(context.Background(), Options{History: h, Logger: quiet})
	defer s.Close()
	good := Request{SourceName: "prom", Source: src, Query: datasources.Query{Expr: "up", Step: step}, Window: time.Hour, Interval: time.Hour}
	bad := good
	bad.Query.Expr = "bad("
	for _, tc := range []struct {
		name      string
		req       Request
		wantStale bool
	}{
		{"the bad query", bad, true},
		{"a good query of the same source", good, false},
		{"the bad query again, after its poller ended", bad, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := newCollector()
			u := s.Subscribe(tc.req, c.fn)
			defer u()
			r := c.wait(t, 1)[0]
			if r.Stale != tc.wantStale || tc.wantStale && !errors.Is(r.Err, datasources.ErrBadQuery) {
				t.Fatalf("stale %v err %v, want stale %v", r.Stale, r.Err, tc.wantStale)
			}
		})
	}
}

// lagSource answers one series whose newest sample is lag before the end
// of the range asked.
type lagSource struct{ lag time.Duration }

func (l lagSource) Query(_ context.Context, q datasources.Query) (*datasources.Result, error) {
	s := datasources.Series{Name: "x"}
	for t := q.Start; !t.After(q.End.Add(-l.lag)); t = t.Add(q.Step) {
		s.Points = append(s.Points, datasources.Point{T: t.UnixMilli(), V: 1})
	}
	return &datasources.Result{Series: []datasources.Series{s}}, nil
}

// TestStaleForTheAgeOfItsSamples: on a live range a result whose newest
// sample is older than the step allows is stale (with no error: nothing
// failed); an absolute range in the past is not, and its age is how long
// ago it was fetched.
func TestStaleForTheAgeOfItsSamples(t *testing.T) {
	now := time.Date(2026, 11, 27, 12, 0, 0, 0, time.UTC)
	for _, tc := range []struct {
		name      string
		req       Request
		lag       time.Duration
		wantStale bool
	}{
		{"live, current samples", Request{Window: time.Hour, Interval: 10 * time.Second}, 0, false},
		{"live, newest sample two steps late", Request{Window: time.Hour, Interval: 10 * time.Second}, 2 * step, false},
		{"live, newest sample ten minutes old", Request{Window: time.Hour, Interval: 10 * time.Second}, 10 * time.Minute, true},
		{"absolute range last week", Request{From: now.Add(-8 * 24 * time.Hour), To: now.Add(-7 * 24 * time.Hour)}, 0, false},
		{"absolute range ending in a gap", Request{From: now.Add(-2 * time.Hour), To: now.Add(-time.Hour)}, 30 * time.Minute, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := New(context.Background(), Options{Now: func() time.Time { return now }, Logger: quiet})
			defer s.Close()
			req := tc.req
			req.SourceName, req.Source = "lag", lagSource{lag: tc.lag}
			req.Query = datasources.Query{Expr: "x", Step: step}
			c := newCollector()
			defer s.Subscribe(req, c.fn)()
			r := c.wait(t, 1)[0]
			if r.Stale != tc.wantStale || r.Err != nil {
				t.Fatalf("stale %v err %v, want stale %v and no error", r.Stale, r.Err, tc.wantStale)
			}
			if !r.Fetched.Equal(now) || r.Age(now.Add(time.Minute)) != time.Minute {
				t.Fatalf("fetched %v, age %v: the age is from the fetch", r.Fetched, r.Age(now.Add(time.Minute)))
			}
		})
	}
}

// TestDeliveryInOrder subscribes while the poller publishes as fast as it
// can: every subscriber must see results in the order they were
// published, its first one (the last known when it subscribed) included.
func TestDeliveryInOrder(t *testing.T) {
	for _, tc := range []struct {
		name string
		subs int
	}{
		{"one at a time", 1},
		{"many at once", 8},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := New(context.Background(), Options{Logger: quiet})
			defer s.Close()
			src := &fakeSource{} // the value is the call count: it only grows
			req := Request{SourceName: "fake", Source: src, Query: datasources.Query{Expr: "up"}, Window: time.Hour, Interval: time.Microsecond}
			keep := newCollector()
			defer s.Subscribe(req, keep.fn)() // keeps the poller running
			keep.wait(t, 1)
			for round := 0; round < 100; round++ {
				var wg sync.WaitGroup
				for range tc.subs {
					wg.Add(1)
					go func() {
						defer wg.Done()
						c := newCollector()
						u := s.Subscribe(req, c.fn)
						got := c.wait(t, 3)
						u()
						for i := 1; i < len(got); i++ {
							if a, b := got[i-1].Series[0].Points[0].V, got[i].Series[0].Points[0].V; b < a {
								t.Errorf("round %d: result %d (value %v) delivered after a newer one (value %v)", round, i, b, a)
							}
						}
					}()
				}
				wg.Wait()
				if t.Failed() {
					return
				}
			}
		})
	}
}

// TestNoDeliveryAfterUnsubscribeOrClose checks that the goroutines that
// call subscribers are owned: unsubscribe and Close wait for a call in
// progress, and nothing is called once they have returned.
func TestNoDeliveryAfterUnsubscribeOrClose(t *testing.T) {
	for _, tc := range []struct {
		name string
		end  func(s *Scheduler, unsub func())
	}{
		{"unsubscribe", func(_ *Scheduler, unsub func()) { unsub() }},
		{"close", func(s *Scheduler, _ func()) { s.Close() }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := New(context.Background(), Options{Logger: quiet})
			defer s.Close()
			req := Request{SourceName: "fake", Source: &fakeSource{}, Query: datasources.Query{Expr: "up"}, Window: time.Hour, Interval: time.Hour}
			first := newCollector()
			defer s.Subscribe(req, first.fn)()
			first.wait(t, 1)

			var running, calls, after atomic.Int64
			var ended atomic.Bool
			entered := make(chan struct{}, 1)
			unsub := s.Subscribe(req, func(*datasources.Result) {
				if ended.Load() {
					after.Add(1)
				}
				calls.Add(1)
				running.Add(1)
				select {
				case entered <- struct{}{}:
				default:
				}
				time.Sleep(50 * time.Millisecond) // a slow subscriber
				running.Add(-1)
			})
			<-entered // its first result (the last known) is being delivered
			tc.end(s, unsub)
			ended.Store(true)
			if n := running.Load(); n != 0 {
				t.Fatalf("%s returned while the subscriber was still being called", tc.name)
			}
			s.Refresh()
			time.Sleep(100 * time.Millisecond)
			if n := after.Load(); n != 0 {
				t.Fatalf("subscriber called %d times after %s returned", n, tc.name)
			}
		})
	}
}

// TestBrokenHistoryKeepsSourcesFlowing damages the history file under a
// running scheduler (truncated: reading it faults): the wall goes on from
// its sources, and the history's error is logged, not fatal.
func TestBrokenHistoryKeepsSourcesFlowing(t *testing.T) {
	for _, tc := range []struct {
		name   string
		damage func(t *testing.T, path string)
	}{
		{"truncated to nothing", func(t *testing.T, path string) {
			if err := os.Truncate(path, 0); err != nil {
				t.Fatal(err)
			}
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			h := openHistory(t)
			clk := newClock(time.Date(2026, 11, 27, 12, 0, 0, 0, time.UTC))
			regions := []string{"eu-west", "us-east"}
			src := &rangeSource{regions: regions}
			s := New(context.Background(), Options{Now: clk.now, History: h, Logger: quiet})
			defer s.Close()
			req := Request{SourceName: "prom", Source: src, Query: datasources.Query{Expr: "rate(x[1m])", Step: step}, Window: time.Hour, Interval: time.Hour}
			c := newCollector()
			u := s.Subscribe(req, c.fn)
			c.wait(t, 1)
			u()

			tc.damage(t, h.Path())
			clk.add(time.Minute)
			for _, expr := range []string{"rate(x[1m])", "rate(y[1m])"} {
				r := req
				r.Query.Expr = expr
				c := newCollector()
				defer s.Subscribe(r, c.fn)()
				got := c.wait(t, 1)[0]
				if got.Stale || got.Err != nil {
					t.Fatalf("%s: stale %v err %v, want fresh data from the source", expr, got.Stale, got.Err)
				}
				checkSeries(t, expr, got.Series, regions, clk.now().Add(-time.Hour), clk.now())
			}
			if h.Broken() == nil {
				t.Fatal("history not broken by the damage")
			}
		})
	}
}

// TestAbsoluteRangeAgeIsFetchAge: a dashboard over Dec 2013–Feb 2014 used
// to say "updated 4668d ago", the age of the range's end; the age of what
// it shows is how long ago it was fetched.
func TestAbsoluteRangeAgeIsFetchAge(t *testing.T) {
	now := time.Date(2026, 12, 1, 12, 0, 0, 0, time.UTC)
	from, to := time.Date(2013, 12, 1, 0, 0, 0, 0, time.UTC), time.Date(2014, 2, 28, 0, 0, 0, 0, time.UTC)
	src := rangeEndSource{}
	s := New(context.Background(), Options{Now: func() time.Time { return now }})
	defer s.Close()
	got := make(chan *datasources.Result, 4)
	defer s.Subscribe(Request{SourceName: "old", Source: src, Query: datasources.Query{Expr: "x", Step: time.Hour}, From: from, To: to},
		func(r *datasources.Result) { got <- r })()
	select {
	case r := <-got:
		if age := r.Age(now); age != 0 || r.Stale {
			t.Errorf("age %v stale %v, want 0 and fresh: the data was just fetched", age, r.Stale)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("no result")
	}
}

// rangeEndSource answers like Prometheus: one sample at the range's end,
// Fetched the range's end.
type rangeEndSource struct{}

func (rangeEndSource) Query(_ context.Context, q datasources.Query) (*datasources.Result, error) {
	return &datasources.Result{Series: []datasources.Series{{Name: "x", Points: []datasources.Point{{T: q.End.UnixMilli(), V: 1}}}}, Fetched: q.End}, nil
}
