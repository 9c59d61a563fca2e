package live

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/wallboard/wallboard/datasources"
)

// fakeSource counts calls and fails while failing is set.
type fakeSource struct {
	calls   atomic.Int64
	failing atomic.Bool
	hang    bool
}

func (f *fakeSource) Query(ctx context.Context, q datasources.Query) (*datasources.Result, error) {
	n := f.calls.Add(1)
	if f.hang {
		<-ctx.Done()
		return nil, ctx.Err()
	}
	if f.failing.Load() {
		return nil, &datasources.QueryError{Kind: datasources.ErrUnreachable, Expr: q.Expr, Err: errors.New("connection refused")}
	}
	return &datasources.Result{Series: []datasources.Series{{Name: q.Expr, Points: []datasources.Point{{T: q.End.UnixMilli(), V: float64(n)}}}}}, nil
}

// collector gathers results delivered to a subscriber.
type collector struct {
	mu  sync.Mutex
	got []*datasources.Result
	ch  chan struct{}
}

func newCollector() *collector { return &collector{ch: make(chan struct{}, 100)} }

func (c *collector) fn(r *datasources.Result) {
	c.mu.Lock()
	c.got = append(c.got, r)
	c.mu.Unlock()
	select {
	case c.ch <- struct{}{}:
	default: // wait looks at got anyway
	}
}

func (c *collector) wait(t *testing.T, n int) []*datasources.Result {
	t.Helper()
	deadline := time.After(5 * time.Second)
	for {
		c.mu.Lock()
		if len(c.got) >= n {
			got := append([]*datasources.Result(nil), c.got...)
			c.mu.Unlock()
			return got
		}
		c.mu.Unlock()
		select {
		case <-c.ch:
		case <-deadline:
			t.Fatalf("waited for %d results", n)
		}
	}
}

func TestSharedPoller(t *testing.T) {
	s := New(context.Background(), Options{})
	defer s.Close()
	src := &fakeSource{}
	req := Request{SourceName: "fake", Source: src, Query: datasources.Query{Expr: "up"}, Window: time.Hour, Interval: 20 * time.Millisecond}
	a, b := newCollector(), newCollector()
	ua := s.Subscribe(req, a.fn)
	ub := s.Subscribe(req, b.fn)
	if got := s.Pollers(); got != 1 {
		t.Fatalf("pollers = %d, want 1 for identical queries", got)
	}
	other := req
	other.Query.Expr = "down"
	uc := s.Subscribe(other, newCollector().fn)
	if got := s.Pollers(); got != 2 {
		t.Fatalf("pollers = %d, want 2", got)
	}
	a.wait(t, 3)
	b.wait(t, 3)
	ua()
	ub()
	uc()
	if got := s.Pollers(); got != 0 {
		t.Fatalf("pollers after unsubscribe = %d, want 0", got)
	}
	calls := src.calls.Load()
	time.Sleep(80 * time.Millisecond)
	if src.calls.Load() > calls+2 { // a poll in flight may finish
		t.Fatalf("source still polled after unsubscribe: %d -> %d", calls, src.calls.Load())
	}
}

func TestStaleKeepsLastGoodData(t *testing.T) {
	now := time.Date(2026, 11, 27, 12, 0, 0, 0, time.UTC)
	var clock atomic.Int64
	clock.Store(now.UnixNano())
	s := New(context.Background(), Options{Now: func() time.Time { return time.Unix(0, clock.Load()) }, MaxBackoff: 30 * time.Millisecond})
	defer s.Close()
	src := &fakeSource{}
	c := newCollector()
	defer s.Subscribe(Request{SourceName: "fake", Source: src, Query: datasources.Query{Expr: "up"}, Window: time.Hour, Interval: 10 * time.Millisecond}, c.fn)()
	first := c.wait(t, 1)[0]
	if first.Stale || len(first.Series) != 1 {
		t.Fatalf("first result = %+v, want fresh data", first)
	}
	src.failing.Store(true)
	clock.Add(int64(2 * time.Minute))
	var stale *datasources.Result
	for i := 2; stale == nil; i++ {
		r := c.wait(t, i)[i-1]
		if r.Stale {
			stale = r
		}
	}
	if len(stale.Series) != 1 {
		t.Fatalf("stale result lost the last good data: %+v", stale)
	}
	if !errors.Is(stale.Err, datasources.ErrUnreachable) {
		t.Fatalf("stale error = %v, want ErrUnreachable", stale.Err)
	}
	if age := stale.Age(time.Unix(0, clock.Load())); age < 2*time.Minute {
		t.Fatalf("stale age = %v, want >= 2m", age)
	}
	src.failing.Store(false)
	for i := len(c.wait(t, 1)) + 1; ; i++ {
		if r := c.wait(t, i)[i-1]; !r.Stale {
			break
		}
	}
}

func TestHangingSourceTimesOut(t *testing.T) {
	s := New(context.Background(), Options{Timeout: 50 * time.Millisecond})
	defer s.Close()
	hang := &fakeSource{hang: true}
	good := &fakeSource{}
	hc, gc := newCollector(), newCollector()
	defer s.Subscribe(Request{SourceName: "hang", Source: hang, Query: datasources.Query{Expr: "x"}, Window: time.Hour, Interval: time.Second}, hc.fn)()
	defer s.Subscribe(Request{SourceName: "good", Source: good, Query: datasources.Query{Expr: "y"}, Window: time.Hour, Interval: 10 * time.Millisecond}, gc.fn)()
	gc.wait(t, 3) // other queries keep flowing while one hangs
	r := hc.wait(t, 1)[0]
	if !r.Stale || !errors.Is(r.Err, datasources.ErrTimeout) {
		t.Fatalf("hanging source result = %+v, want stale with ErrTimeout", r)
	}
}

func TestLateSubscriberGetsLastResult(t *testing.T) {
	s := New(context.Background(), Options{})
	defer s.Close()
	req := Request{SourceName: "fake", Source: &fakeSource{}, Query: datasources.Query{Expr: "up"}, Window: time.Hour, Interval: time.Hour}
	a := newCollector()
	defer s.Subscribe(req, a.fn)()
	a.wait(t, 1)
	b := newCollector()
	defer s.Subscribe(req, b.fn)()
	b.wait(t, 1) // without waiting an hour for the next poll
}

func TestBackoff(t *testing.T) {
	for _, tc := range []struct {
		n        int
		min, max time.Duration
	}{
		{1, 4 * time.Second, 6 * time.Second},
		{2, 8 * time.Second, 12 * time.Second},
		{3, 16 * time.Second, 24 * time.Second},
		{10, 48 * time.Second, 72 * time.Second},
	} {
		for i := 0; i < 50; i++ {
			d := backoff(5*time.Second, tc.n, time.Minute)
			if d < tc.min || d > tc.max {
				t.Fatalf("backoff(5s, %d) = %v, want in [%v, %v]", tc.n, d, tc.min, tc.max)
			}
		}
	}
}

// deafSource ignores its context: it answers only when released, as the
// PromQL parser deep in a huge expression does.
type deafSource struct{ release chan struct{} }

func (d deafSource) Query(context.Context, datasources.Query) (*datasources.Result, error) {
	<-d.release
	return &datasources.Result{}, nil
}

// TestCloseDoesNotWaitForDeafSource: a query no context can end used to
// keep Scheduler.Close (and so render and the GUI's exit) waiting forever.
func TestCloseDoesNotWaitForDeafSource(t *testing.T) {
	src := deafSource{release: make(chan struct{})}
	defer close(src.release)
	s := New(context.Background(), Options{Timeout: 100 * time.Millisecond})
	got := make(chan *datasources.Result, 4)
	s.Subscribe(Request{SourceName: "deaf", Source: src, Query: datasources.Query{Expr: "avg(x + 0 + 0)", Step: time.Second}, Window: time.Minute, Interval: time.Hour},
		func(r *datasources.Result) { got <- r })
	select {
	case r := <-got:
		if !errors.Is(r.Err, datasources.ErrTimeout) {
			t.Errorf("first result: %v, want a timeout", r.Err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("no result while the source is deaf")
	}
	closed := make(chan struct{})
	go func() { s.Close(); close(closed) }()
	select {
	case <-closed:
	case <-time.After(2 * time.Second):
		t.Fatal("Close waits for a query that no context ends")
	}
}

func TestAligned(t *testing.T) {
	base := time.Date(2026, 12, 1, 12, 0, 0, 0, time.UTC)
	for _, tc := range []struct {
		now      time.Time
		interval time.Duration
		want     time.Duration
	}{
		{base.Add(300 * time.Millisecond), time.Second, 700 * time.Millisecond},
		{base.Add(950 * time.Millisecond), time.Second, 1050 * time.Millisecond}, // too close: the next one
		{base.Add(2 * time.Second), 5 * time.Second, 3 * time.Second},
		{base, 0, 0},
	} {
		if got := aligned(tc.now, tc.interval); got != tc.want {
			t.Errorf("aligned(%v, %v) = %v, want %v", tc.now.Format("05.000"), tc.interval, got, tc.want)
		}
	}
}

// TestOneLogLinePerFailingSource: a wall of a hundred queries on one source
// that goes down used to log a hundred "query failed" lines at once.
func TestOneLogLinePerFailingSource(t *testing.T) {
	var buf syncBuffer
	s := New(context.Background(), Options{Logger: slog.New(slog.NewTextHandler(&buf, &slog.HandlerOptions{Level: slog.LevelInfo}))})
	defer s.Close()
	down := &fakeSource{}
	down.failing.Store(true)
	got := make(chan struct{}, 100)
	for i := range 20 {
		defer s.Subscribe(Request{SourceName: "prom", Source: down, Query: datasources.Query{Expr: fmt.Sprintf("q%d", i)}, Window: time.Hour, Interval: time.Hour},
			func(*datasources.Result) { got <- struct{}{} })()
	}
	for range 20 {
		select {
		case <-got:
		case <-time.After(5 * time.Second):
			t.Fatal("not every query answered")
		}
	}
	if n := strings.Count(buf.String(), "query failed"); n != 1 {
		t.Errorf("%d 'query failed' lines for one failing source, want 1:\n%s", n, buf.String())
	}
}

// syncBuffer is a bytes.Buffer safe for the loggers of several pollers.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}
