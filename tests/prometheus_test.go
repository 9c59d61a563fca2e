package tests

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math"
	"reflect"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/wallboard/wallboard/datasources"
	"github.com/wallboard/wallboard/datasources/live"
	"github.com/wallboard/wallboard/datasources/prometheus"
	"github.com/wallboard/wallboard/datasources/sim"
	"github.com/wallboard/wallboard/internal/testnet"
	"github.com/wallboard/wallboard/layouts"
)

// scrapeEvery is the scrape interval of the tests' Prometheus. The
// simulator stamps its samples on its own 15 s grid, so a 1 s scrape stores
// every grid sample within a second of its time (the repeats of a sample
// are the same value at the same timestamp, which Prometheus accepts).
const scrapeEvery = time.Second

// newPromSource returns a Prometheus source for the server at url.
func newPromSource(t *testing.T, url string, timeout time.Duration) *prometheus.Source {
	t.Helper()
	src, err := prometheus.New(prometheus.Config{URL: url, Timeout: timeout})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = src.Close() })
	return src
}

// dashboardQuery is one query of a built-in dashboard, its variables
// expanded the way the UI does with nothing selected (".*").
type dashboardQuery struct {
	name    string // widget/ref
	expr    string
	legend  string
	instant bool // stat and gauge widgets show one value
}

func builtinQueries(t *testing.T, id string) []dashboardQuery {
	t.Helper()
	d, ok := layouts.Template(id)
	if !ok {
		t.Fatalf("no built-in dashboard %q", id)
	}
	var out []dashboardQuery
	for _, w := range d.Widgets {
		for _, q := range w.Queries {
			expr := layouts.Interpolate(q.Expr, &d, nil)
			if strings.Contains(expr, "$") {
				t.Fatalf("%s/%s: variables left in %q", w.ID, q.Ref, expr)
			}
			out = append(out, dashboardQuery{
				name: w.ID + "/" + q.Ref, expr: expr, legend: q.Legend,
				instant: w.Type == layouts.WidgetStat || w.Type == layouts.WidgetGauge,
			})
		}
	}
	if len(out) == 0 {
		t.Fatalf("dashboard %q has no queries", id)
	}
	return out
}

// hasNumbers reports whether some series has a point that is not NaN.
func hasNumbers(r *datasources.Result) bool {
	for _, s := range r.Series {
		if _, ok := s.Last(); ok {
			return true
		}
	}
	return false
}

// TestPrometheusEndToEnd: `wallboard simulate` scraped by a real
// Prometheus; every query of the built-in system health dashboard, run
// through the Prometheus source as the UI runs it (range over the
// dashboard's hour, and instant for stat and gauge widgets), returns data
// once Prometheus has scraped two of the simulator's 15 s steps.
func TestPrometheusEndToEnd(t *testing.T) {
	t.Parallel()
	target := startSimulate(t)
	prom := startPrometheus(t, scrapeEvery, target)
	src := newPromSource(t, prom.URL(), 10*time.Second)
	queries := builtinQueries(t, layouts.TypeSystemHealth)

	start := time.Now()
	deadline := start.Add(2 * time.Minute)
	for {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		var missing []string
		now := time.Now()
		for _, dq := range queries {
			qs := []datasources.Query{{Expr: dq.expr, Legend: dq.legend, Start: now.Add(-time.Hour), End: now, Step: 15 * time.Second}}
			if dq.instant {
				qs = append(qs, datasources.Query{Expr: dq.expr, Legend: dq.legend, End: now, Instant: true})
			}
			for _, q := range qs {
				kind := map[bool]string{false: "range", true: "instant"}[q.Instant]
				res, err := src.Query(ctx, q)
				switch {
				case errors.Is(err, datasources.ErrBadQuery):
					t.Fatalf("%s (%s) %q: %v", dq.name, kind, dq.expr, err)
				case err != nil:
					missing = append(missing, fmt.Sprintf("%s (%s): %v", dq.name, kind, err))
				case !hasNumbers(res):
					missing = append(missing, fmt.Sprintf("%s (%s): %d series, no values yet", dq.name, kind, len(res.Series)))
				}
			}
		}
		cancel()
		if len(missing) == 0 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("after %v of scraping, queries without data:\n%s", time.Since(start).Round(time.Second), strings.Join(missing, "\n"))
		}
		time.Sleep(2 * time.Second)
	}
	t.Logf("all %d system health queries returned data %v after Prometheus started", len(queries), time.Since(start).Round(time.Second))

	vals, err := src.LabelValues(context.Background(), "region")
	if err != nil {
		t.Fatal(err)
	}
	var regions []string
	for _, r := range sim.Regions() {
		regions = append(regions, r.Name)
	}
	slices.Sort(regions)
	if !slices.Equal(vals, regions) {
		t.Errorf("label values of region: %v, want %v", vals, regions)
	}
}

// simTolerance is how closely the simulator's PromQL engine and the real
// Prometheus must agree: relative 1e-9 (1e-12 absolute near zero), that is
// float rounding only. It holds because (1) the exporter stamps every
// sample with its 15 s grid time, so Prometheus stores exactly the
// simulator's samples; (2) evaluation times are placed midway between grid
// points (Prometheus 2.42's range selectors include a sample exactly at the
// window's left edge, the embedded Prometheus 3 engine does not; midway,
// both see the same samples); (3) every evaluation time is before the last
// sample Prometheus has scraped and every window lies inside the scraped
// span (the simulator has history from the epoch, this Prometheus only
// since it started). This is the scrape-alignment tolerance: looser
// numbers would hide a real disagreement.
const simTolerance = 1e-9

func closeEnough(a, b float64) bool {
	if math.IsNaN(a) || math.IsNaN(b) {
		return math.IsNaN(a) && math.IsNaN(b)
	}
	return math.Abs(a-b) <= simTolerance*math.Max(math.Abs(a), math.Abs(b))+1e-12
}

// TestSimMatchesPrometheus evaluates the same PromQL with the embedded
// simulator and with a real Prometheus scraping `wallboard simulate`, at
// the same instants and over the same range, and requires agreement within
// simTolerance (see there for why that tolerance is enough).
func TestSimMatchesPrometheus(t *testing.T) {
	t.Parallel()
	target := startSimulate(t)
	prom := startPrometheus(t, scrapeEvery, target)
	src := newPromSource(t, prom.URL(), 10*time.Second)
	s := sim.New(sim.DefaultSeed) // the seed `wallboard simulate` uses
	defer s.Close()
	ctx := context.Background()

	// Wait until Prometheus holds 75 s of grid samples: a [1m] window at a
	// mid-step time needs 4 samples, and the range below gets 3 points.
	var first, last int64
	deadline := time.Now().Add(3 * time.Minute)
	for {
		res, err := src.Query(ctx, datasources.Query{Expr: `cpu_usage_percent{instance="gpu-node-1"}[10m]`, End: time.Now(), Instant: true})
		if err == nil && len(res.Series) == 1 && len(res.Series[0].Points) > 0 {
			pts := res.Series[0].Points
			first, last = pts[0].T, pts[len(pts)-1].T
			if last-first >= 75_000 {
				break
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("Prometheus scraped only %v of samples (last error %v)", time.Duration(last-first)*time.Millisecond, err)
		}
		time.Sleep(time.Second)
	}
	if first%15_000 != 0 || last%15_000 != 0 {
		t.Fatalf("samples at %d..%d are not on the simulator's 15 s grid", first, last)
	}
	at := time.UnixMilli(last + 7_500)             // midway after the last scraped sample
	from := time.UnixMilli(first + 60_000 - 7_500) // the first mid-step time whose [1m] window is all scraped

	// The system health dashboard's queries, with 1m windows where it has
	// 5m (this Prometheus holds only about a minute), and raw series.
	exprs := []string{
		`avg(cpu_usage_percent)`,
		`avg(gpu_usage_percent)`,
		`100 * sum(memory_usage_bytes) / sum(memory_total_bytes)`,
		`sum by (region) (queue_depth{region=~".*"})`,
		`enhancement_quality_score{region=~".*"}`,
		`sum(rate(audio_requests_total{region=~".*"}[1m]))`,
		`sum(rate(audio_request_errors_total{region=~".*"}[1m]))`,
		`sum(rate(success_count{region=~".*"}[1m])) / sum(rate(total_count{region=~".*"}[1m]))`,
		`histogram_quantile(0.95, sum by (le) (rate(audio_request_duration_seconds_bucket{region=~".*"}[1m])))`,
		`sum by (region, model) (rate(audio_request_errors_total[1m]))`,
		`cpu_usage_percent`,
	}
	for _, expr := range exprs {
		for _, q := range []datasources.Query{
			{Expr: expr, End: at, Instant: true},
			{Expr: expr, Start: from, End: at, Step: 15 * time.Second},
		} {
			kind := map[bool]string{false: "range", true: "instant"}[q.Instant]
			t.Run(kind+" "+expr, func(t *testing.T) {
				want, err := s.Query(ctx, q)
				if err != nil {
					t.Fatalf("simulator: %v", err)
				}
				got, err := src.Query(ctx, q)
				if err != nil {
					t.Fatalf("prometheus: %v", err)
				}
				compareResults(t, target, want, got)
			})
		}
	}
}

// compareResults matches series by labels (without the job label and the
// target's instance label that the scrape adds) and compares their points.
func compareResults(t *testing.T, target string, want, got *datasources.Result) {
	t.Helper()
	key := func(l datasources.Labels) string {
		c := datasources.Labels{}
		for k, v := range l {
			if k == "job" || k == "instance" && v == target {
				continue
			}
			c[k] = v
		}
		return c.String()
	}
	if len(want.Series) == 0 || len(want.Series[0].Points) == 0 {
		t.Fatal("the simulator has no data to compare")
	}
	byKey := map[string]datasources.Series{}
	for _, s := range got.Series {
		byKey[key(s.Labels)] = s
	}
	if len(got.Series) != len(want.Series) {
		t.Errorf("prometheus has %d series, the simulator %d", len(got.Series), len(want.Series))
	}
	for _, ws := range want.Series {
		k := key(ws.Labels)
		gs, ok := byKey[k]
		if !ok {
			t.Errorf("series %s: missing from prometheus", k)
			continue
		}
		if len(gs.Points) != len(ws.Points) {
			t.Errorf("series %s: prometheus %d points, simulator %d", k, len(gs.Points), len(ws.Points))
			continue
		}
		for i, wp := range ws.Points {
			gp := gs.Points[i]
			if gp.T != wp.T || !closeEnough(gp.V, wp.V) {
				t.Errorf("series %s at %s: prometheus %v, simulator %v: beyond the scrape-alignment tolerance (relative %g at mid-step times; see simTolerance)",
					k, time.UnixMilli(wp.T).UTC().Format(time.RFC3339Nano), gp, wp, simTolerance)
				break
			}
		}
	}
}

// results collects a subscription's results as they arrive.
type results struct {
	mu   sync.Mutex
	got  []received
	wake chan struct{}
}

type received struct {
	at  time.Time
	res *datasources.Result
}

func newResults() *results { return &results{wake: make(chan struct{}, 1)} }

func (r *results) add(res *datasources.Result) {
	r.mu.Lock()
	r.got = append(r.got, received{at: time.Now(), res: res})
	r.mu.Unlock()
	select {
	case r.wake <- struct{}{}:
	default:
	}
}

// waitFor returns the first result from index i on that satisfies ok, and
// its index, or fails after within.
func (r *results) waitFor(t *testing.T, i int, within time.Duration, what string, ok func(*datasources.Result) bool) (received, int) {
	t.Helper()
	deadline := time.NewTimer(within)
	defer deadline.Stop()
	for {
		r.mu.Lock()
		for ; i < len(r.got); i++ {
			if ok(r.got[i].res) {
				rc := r.got[i]
				r.mu.Unlock()
				return rc, i
			}
		}
		var last *datasources.Result
		if len(r.got) > 0 {
			last = r.got[len(r.got)-1].res
		}
		r.mu.Unlock()
		select {
		case <-r.wake:
		case <-deadline.C:
			if last != nil {
				t.Fatalf("no %s within %v (last: stale %v, err %v, %d series)", what, within, last.Stale, last.Err, len(last.Series))
			}
			t.Fatalf("no %s within %v (no result at all)", what, within)
		}
	}
}

func quietLogger() *slog.Logger { return slog.New(slog.NewTextHandler(io.Discard, nil)) }

// TestSourceOutageRecovery: a real Prometheus is killed while a scheduler
// polls it through the Prometheus source. The results go stale, keep the
// last good data and grow older; the source's error says it is
// unreachable. Prometheus is restarted on the same port and data
// directory: fresh data arrives within one refresh.
func TestSourceOutageRecovery(t *testing.T) {
	t.Parallel()
	target := startSimulate(t)
	prom := startPrometheus(t, scrapeEvery, target)
	src := newPromSource(t, prom.URL(), 2*time.Second)

	const interval = time.Second
	sched := live.New(context.Background(), live.Options{Timeout: 5 * time.Second, MaxBackoff: interval, Logger: quietLogger()})
	defer sched.Close()
	rs := newResults()
	unsubscribe := sched.Subscribe(live.Request{
		SourceName: "prometheus",
		Source:     src,
		Query:      datasources.Query{Expr: `avg(cpu_usage_percent)`, Legend: "CPU", Step: 15 * time.Second},
		Window:     5 * time.Minute,
		Interval:   interval,
	}, rs.add)
	defer unsubscribe()

	fresh := func(r *datasources.Result) bool { return !r.Stale && r.Err == nil && hasNumbers(r) }
	good, i := rs.waitFor(t, 0, 60*time.Second, "data from Prometheus", fresh)

	prom.kill()
	killed := time.Now()
	var (
		prevAge time.Duration
		rc      received
	)
	for stale := 0; stale < 3; stale++ {
		rc, i = rs.waitFor(t, i+1, 10*interval, "stale result after the kill", func(r *datasources.Result) bool { return r.Stale })
		r := rc.res
		if !errors.Is(r.Err, datasources.ErrUnreachable) {
			t.Fatalf("stale result's error %v is not ErrUnreachable", r.Err)
		}
		if !reflect.DeepEqual(r.Series, good.res.Series) || !r.Fetched.Equal(good.res.Fetched) {
			t.Fatalf("stale result does not keep the last good data: %d series fetched %v, want %d fetched %v",
				len(r.Series), r.Fetched, len(good.res.Series), good.res.Fetched)
		}
		age := r.Age(rc.at)
		if age <= prevAge {
			t.Fatalf("stale result's age %v does not grow (previous %v)", age, prevAge)
		}
		prevAge = age
	}
	t.Logf("3 stale results in %v after the kill, the last %v old: %v", time.Since(killed).Round(time.Millisecond), prevAge.Round(time.Millisecond), rc.res.Err)

	prom.start()
	ready := time.Now()
	// One refresh: the interval, the backoff's jitter (up to +20%, capped by
	// MaxBackoff = interval) and the query itself.
	within := interval*12/10 + 2*time.Second
	rc, _ = rs.waitFor(t, i+1, within, "fresh result after the restart", fresh)
	t.Logf("fresh data %v after Prometheus was ready again (allowed %v)", rc.at.Sub(ready).Round(time.Millisecond), within)
	if !rc.res.Fetched.After(ready.Add(-interval)) {
		t.Errorf("the fresh result was fetched at %v, before the restart at %v", rc.res.Fetched, ready)
	}
}

// TestHangingSource: a server that accepts connections and never answers.
// The Prometheus source gives up at its deadline with ErrTimeout, and the
// other subscriptions of the same scheduler keep updating meanwhile.
func TestHangingSource(t *testing.T) {
	t.Parallel()
	const deadline = time.Second
	src := newPromSource(t, "http://"+testnet.Hanging(t), deadline)

	start := time.Now()
	_, err := src.Query(context.Background(), datasources.Query{Expr: "up", Instant: true})
	took := time.Since(start)
	if !errors.Is(err, datasources.ErrTimeout) || !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("hanging query: %v, want ErrTimeout", err)
	}
	if took < deadline || took > deadline+time.Second {
		t.Fatalf("hanging query gave up after %v, want its %v deadline", took, deadline)
	}
	t.Logf("hanging query: %v after %v", err, took.Round(time.Millisecond))

	// The scheduler's own timeout is longer: the source's deadline rules.
	sched := live.New(context.Background(), live.Options{Timeout: 10 * time.Second, MaxBackoff: time.Second, Logger: quietLogger()})
	defer sched.Close()
	s := sim.New(sim.DefaultSeed)
	defer s.Close()
	hung, other := newResults(), newResults()
	u1 := sched.Subscribe(live.Request{SourceName: "hanging", Source: src,
		Query: datasources.Query{Expr: "avg(cpu_usage_percent)", Instant: true}, Window: 5 * time.Minute, Interval: 500 * time.Millisecond}, hung.add)
	defer u1()
	u2 := sched.Subscribe(live.Request{SourceName: "sim", Source: s,
		Query: datasources.Query{Expr: "avg(cpu_usage_percent)", Instant: true}, Window: 5 * time.Minute, Interval: 200 * time.Millisecond}, other.add)
	defer u2()

	subscribed := time.Now()
	rc, _ := hung.waitFor(t, 0, deadline+2*time.Second, "timeout from the hanging source", func(r *datasources.Result) bool { return r.Err != nil })
	if !errors.Is(rc.res.Err, datasources.ErrTimeout) || !rc.res.Stale {
		t.Fatalf("hanging subscription: stale %v, err %v; want a stale ErrTimeout", rc.res.Stale, rc.res.Err)
	}
	if d := rc.at.Sub(subscribed); d < deadline || d > deadline+time.Second {
		t.Errorf("hanging subscription reported its timeout after %v, want about %v", d, deadline)
	}
	// While the hanging query waited out its deadline, the simulator's
	// subscription (every 200 ms) kept delivering fresh values.
	other.mu.Lock()
	freshBefore := 0
	for _, r := range other.got {
		if r.at.Before(rc.at) && !r.res.Stale && r.res.Err == nil && hasNumbers(r.res) {
			freshBefore++
		}
	}
	other.mu.Unlock()
	if freshBefore < 3 {
		t.Fatalf("the other subscription got %d fresh results while the hanging query waited, want at least 3", freshBefore)
	}
	t.Logf("the other subscription got %d fresh results during the %v hang", freshBefore, rc.at.Sub(subscribed).Round(time.Millisecond))
}
