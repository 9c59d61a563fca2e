package tests

import (
	"context"
	"image"
	"math"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"github.com/wallboard/wallboard/charts"
	"github.com/wallboard/wallboard/datasources"
	"github.com/wallboard/wallboard/datasources/history"
	"github.com/wallboard/wallboard/datasources/prometheus"
	"github.com/wallboard/wallboard/layouts"
	"github.com/wallboard/wallboard/ui"
	"github.com/wallboard/wallboard/wall"
)

// trustLayout is two dashboards on one Prometheus: a live one and one over
// an absolute range that ended before now.
func trustLayout(url string, abs layouts.TimeRange) *layouts.Layout {
	widgets := func(prefix string) []layouts.Widget {
		var ws []layouts.Widget
		for i, e := range []string{`avg(cpu_usage_percent)`, `sum(rate(audio_requests_total[1m]))`, `sum(queue_depth)`} {
			ws = append(ws, layouts.Widget{ID: prefix + string(rune('a'+i)), Type: layouts.WidgetStat, Title: e,
				Queries: []layouts.Query{{Expr: e}}, Position: layouts.Position{Row: 1, Col: i + 1}})
		}
		return ws
	}
	return &layouts.Layout{Version: layouts.Version,
		Sources: []layouts.Source{{Name: "prom", Kind: layouts.KindPrometheus, URL: url, Timeout: layouts.Duration(time.Second)}},
		Dashboards: []layouts.Dashboard{
			{ID: "one", Title: "One", Time: layouts.TimeRange{From: "now-5m", To: "now"}, Refresh: layouts.Duration(time.Second), Columns: 3, Widgets: widgets("o")},
			{ID: "two", Title: "Two", Time: layouts.TimeRange{From: "now-5m", To: "now"}, Refresh: layouts.Duration(time.Second), Columns: 3, Widgets: widgets("t")},
			{ID: "past", Title: "Past", Time: abs, Refresh: layouts.Duration(time.Second), Columns: 3, Widgets: widgets("p")},
		}}
}

// statuses are the badges of the shown dashboard's panels.
func statuses(s *ui.Shell) []string {
	var out []string
	fyne.DoAndWait(func() {
		for _, p := range s.Current().Panels() {
			out = append(out, p.Status())
		}
	})
	return out
}

func waitStatuses(t *testing.T, s *ui.Shell, within time.Duration, what string, ok func(string) bool) []string {
	t.Helper()
	deadline := time.Now().Add(within)
	for {
		st := statuses(s)
		all := len(st) > 0
		for _, x := range st {
			all = all && ok(x)
		}
		if all {
			return st
		}
		if time.Now().After(deadline) {
			t.Fatalf("%s: badges %q after %v", what, st, within)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// TestPanelsTellTheTruthAboutPrometheus runs the GUI's shell on a real
// Prometheus: (7) a past absolute range's age is its fetch's, not its end's;
// (8) a hung Prometheus shows why on every panel ("stale 5s · timeout");
// (6) switching dashboards during the hang keeps every panel stale, as its
// data says, instead of a grey "updated 33s ago" until its own first failure.
func TestPanelsTellTheTruthAboutPrometheus(t *testing.T) {
	t.Parallel()
	target := startSimulate(t)
	prom := startPrometheus(t, time.Second, target)
	start := time.Now()
	time.Sleep(25 * time.Second)
	past := ui.Absolute(start, start.Add(10*time.Second))
	l := trustLayout(prom.URL(), past)
	if err := layouts.Validate(l); err != nil {
		t.Fatal(err)
	}
	test.NewTempApp(t)
	h, err := history.Open(context.Background(), filepath.Join(t.TempDir(), "history.db"), history.Options{Logger: quietLogger()})
	if err != nil {
		t.Fatal(err)
	}
	defer h.Close()
	w := wall.New(l, wall.Options{History: h, MaxBackoff: time.Second, Logger: quietLogger()})
	defer w.Close()
	shell := ui.NewShell(&ui.Runtime{Runtime: w.Runtime, Palette: charts.Dark()}, l)
	shell.ShowError = func(err error) { t.Log(err) }
	win := test.NewTempWindow(t, shell.Content())
	win.Resize(fyne.NewSize(1280, 720))
	defer fyne.DoAndWait(shell.Close)

	show := func(id string) {
		var err error
		fyne.DoAndWait(func() { err = shell.Show(id) })
		if err != nil {
			t.Fatal(err)
		}
	}
	// (7) The past range was fetched just now: "updated 0s ago", fresh,
	// although its newest sample is 15 s old.
	show("past")
	waitStatuses(t, shell, 10*time.Second, "a past range just fetched", func(s string) bool {
		return s == "updated 0s ago" || s == "updated 1s ago" || s == "updated 2s ago"
	})

	show("one")
	waitStatuses(t, shell, 10*time.Second, "live data", func(s string) bool { return strings.HasPrefix(s, "updated") })

	// (8) Hung: each panel says it is stale and why.
	_ = prom.proc.cmd.Process.Signal(syscall.SIGSTOP)
	defer func() { _ = prom.proc.cmd.Process.Signal(syscall.SIGCONT) }()
	waitStatuses(t, shell, 15*time.Second, "the hang on every panel", func(s string) bool {
		return strings.HasPrefix(s, "stale") && strings.HasSuffix(s, "· timeout")
	})

	// (6) Another dashboard (the same queries, answered from the history)
	// and back: stale at once, from the data.
	show("two")
	st := waitStatuses(t, shell, 1500*time.Millisecond, "stale on a dashboard opened during the hang", func(s string) bool {
		return strings.HasPrefix(s, "stale")
	})
	t.Logf("dashboard two during the hang: %q", st)
	show("one")
	st = waitStatuses(t, shell, 1500*time.Millisecond, "stale on switching back", func(s string) bool { return strings.HasPrefix(s, "stale") })
	t.Logf("dashboard one, back during the hang: %q", st)
}

// TestOutageIsAGapOnScreen: Prometheus down for 15 s leaves a hole in
// query_range (count_over_time(up[3s]) has no samples there); line charts
// used to draw a straight line across it, hiding the outage. The time
// series now breaks there.
func TestOutageIsAGapOnScreen(t *testing.T) {
	t.Parallel()
	target := startSimulate(t)
	prom := startPrometheus(t, time.Second, target)
	src, err := prometheus.New(prometheus.Config{URL: prom.URL(), Timeout: 5 * time.Second, MinStep: time.Second})
	if err != nil {
		t.Fatal(err)
	}
	defer src.Close()
	scrapes := func() int {
		r, err := src.Query(context.Background(), datasources.Query{Expr: "count_over_time(up[1h])", Instant: true})
		if err != nil || len(r.Series) == 0 || len(r.Series[0].Points) == 0 {
			return 0
		}
		return int(r.Series[0].Points[0].V)
	}
	waitScrapes := func(n int, what string) {
		t.Helper()
		deadline := time.Now().Add(60 * time.Second)
		for scrapes() < n {
			if time.Now().After(deadline) {
				t.Fatalf("fewer than %d scrapes %s", n, what)
			}
			time.Sleep(500 * time.Millisecond)
		}
	}
	waitScrapes(10, "before the outage")
	n := scrapes()
	prom.kill()
	time.Sleep(15 * time.Second)
	prom.start()
	waitScrapes(n+10, "after the outage")

	end := time.Now()
	q := datasources.Query{Expr: `count_over_time(up[3s])`, Start: end.Add(-60 * time.Second), End: end, Step: time.Second}
	res, err := src.Query(context.Background(), q)
	if err != nil || len(res.Series) != 1 {
		t.Fatalf("query: %v, %d series", err, len(res.Series))
	}
	pts := res.Series[0].Points
	var before, after int64
	for i := 1; i < len(pts); i++ {
		if dt := pts[i].T - pts[i-1].T; dt > after-before {
			before, after = pts[i-1].T, pts[i].T
		}
	}
	if after-before < 8000 || len(pts) < 20 {
		t.Fatalf("no outage in Prometheus' answer: %d points, largest hole %d ms", len(pts), after-before)
	}
	w := &layouts.Widget{Type: layouts.WidgetTimeSeries}
	th := charts.Dark()
	f := charts.Frame{From: q.Start, To: q.End, Theme: th, Scale: 1, Step: q.Step}
	size := image.Pt(900, 300)
	img := image.NewRGBA(image.Rectangle{Max: size})
	charts.Draw(img, w, res.Series, f)
	plot := charts.PlotArea(w, res.Series, f, size)
	xAt := func(ms int64) float64 {
		return float64(plot.Min.X) + float64(ms-q.Start.UnixMilli())/float64(q.End.Sub(q.Start).Milliseconds())*float64(plot.Dx())
	}
	x0, x1 := int(math.Ceil(xAt(before)+6)), int(math.Floor(xAt(after)-6))
	line := th.Series[0]
	near := func(a, b uint8) bool { return int(a)-int(b) < 24 && int(b)-int(a) < 24 }
	for x := x0; x <= x1; x++ {
		for y := plot.Min.Y; y < plot.Max.Y; y++ {
			if c := img.RGBAAt(x, y); near(c.R, line.R) && near(c.G, line.G) && near(c.B, line.B) {
				t.Fatalf("the line is drawn across the outage at (%d,%d); the hole (%d points, %d ms) spans columns %d..%d",
					x, y, len(pts), after-before, x0, x1)
			}
		}
	}
	t.Logf("a %d ms hole in Prometheus' answer (%d points at 1 s) is %d px of blank plot", after-before, len(pts), x1-x0)
}
