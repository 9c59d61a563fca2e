package ui

import (
	"context"
	"errors"
	"image"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"github.com/wallboard/wallboard/charts"
	"github.com/wallboard/wallboard/datasources"
	"github.com/wallboard/wallboard/datasources/live"
	"github.com/wallboard/wallboard/internal/golden"
	"github.com/wallboard/wallboard/layouts"
	"github.com/wallboard/wallboard/wall"
)

// fixedNow is the clock of every deterministic UI test.
var fixedNow = time.Date(2026, 11, 27, 14, 0, 0, 0, time.UTC)

func newTestRuntime(t *testing.T, l *layouts.Layout, now func() time.Time) *Runtime {
	t.Helper()
	if now == nil {
		now = func() time.Time { return fixedNow }
	}
	s := live.New(context.Background(), live.Options{Now: now, Timeout: 2 * time.Second})
	t.Cleanup(s.Close)
	return &Runtime{Runtime: &wall.Runtime{Scheduler: s, Sources: wall.OpenSources(l), Now: now}, Palette: charts.Dark()}
}

func TestSystemHealthGolden(t *testing.T) {
	l := layouts.Builtin()
	for _, tc := range []struct {
		name  string
		size  fyne.Size
		theme string
	}{
		{"system_health_wall_dark.png", fyne.NewSize(1920, 1080), "dark"},
		{"system_health_wall_light.png", fyne.NewSize(1920, 1080), "light"},
		{"system_health_phone_dark.png", fyne.NewSize(390, 844), "dark"},
		{"system_health_4k_dark.png", fyne.NewSize(3840, 2160), "dark"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rt := newTestRuntime(t, l, nil)
			rt.Palette, _ = charts.ThemeNamed(tc.theme)
			ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
			defer cancel()
			img, err := Render(ctx, rt, l, layouts.TypeSystemHealth, tc.size, nil)
			if err != nil {
				t.Fatal(err)
			}
			assertGolden(t, tc.name, img)
		})
	}
}

// flakySource fails while down is set and hangs while hang is set.
type flakySource struct {
	down, hang atomic.Bool
}

func (f *flakySource) Query(ctx context.Context, q datasources.Query) (*datasources.Result, error) {
	if f.hang.Load() {
		<-ctx.Done()
		return nil, ctx.Err()
	}
	if f.down.Load() {
		return nil, &datasources.QueryError{Kind: datasources.ErrUnreachable, Expr: q.Expr, Err: errors.New("connection refused")}
	}
	var pts []datasources.Point
	for t := q.Start; !t.After(q.End); t = t.Add(q.Step) {
		pts = append(pts, datasources.Point{T: t.UnixMilli(), V: 42})
	}
	return &datasources.Result{Series: []datasources.Series{{Name: "x", Points: pts}}, Fetched: q.End}, nil
}

type oneSource struct{ src datasources.Source }

func (o oneSource) Source(string) (datasources.Source, error) { return o.src, nil }

func singlePanelLayout() *layouts.Layout {
	return &layouts.Layout{Version: layouts.Version, Dashboards: []layouts.Dashboard{{
		ID: "d", Title: "D", Time: layouts.TimeRange{From: "now-1h", To: "now"}, Columns: 1,
		Widgets: []layouts.Widget{{ID: "w", Type: layouts.WidgetTimeSeries, Title: "Requests",
			Queries: []layouts.Query{{Expr: "x"}}, Position: layouts.Position{Row: 1, Col: 1}}},
	}}}
}

// TestPanelStates walks one panel through loading, data, stale and error,
// through the real scheduler and render loop.
func TestPanelStates(t *testing.T) {
	test.NewTempApp(t)
	var clock atomic.Int64
	clock.Store(fixedNow.UnixNano())
	now := func() time.Time { return time.Unix(0, clock.Load()) }
	l := singlePanelLayout()
	rt := newTestRuntime(t, l, now)
	src := &flakySource{}
	rt.Sources = oneSource{src}

	v := NewDashboardView(rt, &l.Dashboards[0])
	w := test.NewTempWindow(t, v)
	w.Resize(fyne.NewSize(600, 400))
	p := v.Panels()[0]
	if err := v.Start(wall.Settings{Time: l.Dashboards[0].Time, Refresh: 20 * time.Millisecond}); err != nil {
		t.Fatal(err)
	}
	defer v.Stop()
	waitFor(t, "data", func() bool { return p.Ready() && strings.HasPrefix(shownStatus(p), "updated") })

	src.down.Store(true)
	clock.Add(int64(2*time.Minute + 5*time.Second))
	waitFor(t, "stale badge", func() bool { return shownStatus(p) == "stale 2m · unreachable" })
	if n := shownNotice(p); n != "" {
		t.Errorf("stale panel hides its data behind %q", n)
	}

	src.down.Store(false)
	waitFor(t, "recovery", func() bool { return strings.HasPrefix(shownStatus(p), "updated") })
}

func TestPanelErrorWithoutData(t *testing.T) {
	test.NewTempApp(t)
	l := singlePanelLayout()
	rt := newTestRuntime(t, l, nil)
	src := &flakySource{}
	src.down.Store(true)
	rt.Sources = oneSource{src}
	v := NewDashboardView(rt, &l.Dashboards[0])
	w := test.NewTempWindow(t, v)
	w.Resize(fyne.NewSize(600, 400))
	if err := v.Start(wall.Settings{Time: l.Dashboards[0].Time}); err != nil {
		t.Fatal(err)
	}
	defer v.Stop()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := v.WaitReady(ctx); err != nil {
		t.Fatal(err)
	}
	p := v.Panels()[0]
	// One message, the most specific: the chart says why there is no data
	// (charts draws Frame.Error), and the frame adds no notice over it.
	waitFor(t, "error badge", func() bool { return shownStatus(p) == "error" })
	if n := shownNotice(p); n != "" {
		t.Errorf("notice %q drawn over the chart's own message", n)
	}
	if got := Explain(p.snapshot().err); got != "Source unreachable" {
		t.Errorf("message = %q", got)
	}
}

// shownStatus is the badge text the panel's renderer shows.
func shownStatus(p *Panel) string {
	var s string
	fyne.DoAndWait(func() { s = test.WidgetRenderer(p).(*panelRenderer).status.Text })
	return s
}

// shownNotice is the notice the panel's renderer shows ("" when hidden).
func shownNotice(p *Panel) string {
	var s string
	fyne.DoAndWait(func() {
		n := test.WidgetRenderer(p).(*panelRenderer).notice
		if !n.Hidden {
			s = n.Text
		}
	})
	return s
}

func TestSwitchingDashboardsStopsPollers(t *testing.T) {
	test.NewTempApp(t)
	l := layouts.Builtin()
	rt := newTestRuntime(t, l, nil)
	s := NewShell(rt, l)
	defer s.Close()
	w := test.NewTempWindow(t, s.Content())
	w.Resize(fyne.NewSize(1280, 800))
	for _, d := range l.Dashboards {
		if err := s.Show(d.ID); err != nil {
			t.Fatal(err)
		}
		want := distinctQueries(d)
		if got := rt.Scheduler.Pollers(); got != want {
			t.Errorf("%s: %d pollers running, want %d (its own distinct queries only)", d.ID, got, want)
		}
	}
}

func distinctQueries(d layouts.Dashboard) int {
	seen := map[string]bool{}
	for _, w := range d.Widgets {
		for _, q := range w.Queries {
			seen[w.Source+"\x00"+q.Expr+"\x00"+q.Legend] = true
		}
	}
	return len(seen)
}

func TestAge(t *testing.T) {
	for _, tc := range []struct {
		d    time.Duration
		want string
	}{
		{-time.Second, "0s"}, {3 * time.Second, "3s"}, {125 * time.Second, "2m"},
		{3 * time.Hour, "3h"}, {72 * time.Hour, "3d"},
	} {
		if got := Age(tc.d); got != tc.want {
			t.Errorf("Age(%v) = %q, want %q", tc.d, got, tc.want)
		}
	}
}

func TestExplain(t *testing.T) {
	for _, tc := range []struct {
		err  error
		want string
	}{
		{&datasources.QueryError{Kind: datasources.ErrTimeout, Err: context.DeadlineExceeded}, "Source did not answer in time"},
		{&datasources.QueryError{Kind: datasources.ErrUnreachable, Err: errors.New("refused")}, "Source unreachable"},
		{&datasources.QueryError{Kind: datasources.ErrBadQuery, Err: errors.New("parse")}, "Query error: check the panel's expression"},
		{errors.New("boom"), "Error: boom"},
	} {
		if got := Explain(tc.err); got != tc.want {
			t.Errorf("Explain(%v) = %q, want %q", tc.err, got, tc.want)
		}
	}
}

func waitFor(t *testing.T, what string, ok func() bool) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for !ok() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

func assertGolden(t *testing.T, name string, img image.Image) {
	t.Helper()
	golden.Assert(t, name, img)
}
