package ui

import (
	"context"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"github.com/wallboard/wallboard/alerts"
	"github.com/wallboard/wallboard/charts"
	"github.com/wallboard/wallboard/datasources"
	"github.com/wallboard/wallboard/layouts"
	"github.com/wallboard/wallboard/wall"
)

// incidentSource answers "errors" with 2/s except 13:20-13:35 (12/s) and
// "cpu" with a steady 95%, once gate is closed.
type incidentSource struct{ gate chan struct{} }

func (s incidentSource) Query(ctx context.Context, q datasources.Query) (*datasources.Result, error) {
	select {
	case <-s.gate:
	case <-ctx.Done():
		return nil, ctx.Err()
	}
	return &datasources.Result{Series: []datasources.Series{incidentSeries(q.Expr, q.Start, q.End, q.Step)}, Fetched: q.End}, nil
}

func incidentSeries(expr string, from, to time.Time, step time.Duration) datasources.Series {
	if step <= 0 {
		step = 15 * time.Second
	}
	s := datasources.Series{Name: expr}
	for t := from.Truncate(step); !t.After(to); t = t.Add(step) {
		v := 2.0
		switch {
		case expr == "cpu":
			v = 95
		case t.After(fixedNow.Add(-40*time.Minute)) && t.Before(fixedNow.Add(-25*time.Minute)):
			v = 12
		}
		s.Points = append(s.Points, datasources.Point{T: t.UnixMilli(), V: v})
	}
	return s
}

func alertLayout() *layouts.Layout {
	crit := func(w, c float64) *layouts.Thresholds {
		return &layouts.Thresholds{Warning: layouts.Float(w), Critical: layouts.Float(c)}
	}
	return &layouts.Layout{Version: layouts.Version, Sources: []layouts.Source{{Name: "fake", Kind: layouts.KindSim}},
		Alerts: &layouts.AlertDisplay{ShowActive: true, History: layouts.Duration(24 * time.Hour)},
		Dashboards: []layouts.Dashboard{{
			ID: "alerts", Title: "Alerts", Time: layouts.TimeRange{From: "now-1h", To: "now"}, Columns: 3, Refresh: layouts.Duration(time.Hour),
			Widgets: []layouts.Widget{
				{ID: "errors", Type: layouts.WidgetTimeSeries, Title: "Errors", Unit: layouts.UnitOpsPerSec, Thresholds: crit(5, 10),
					Queries: []layouts.Query{{Expr: "errors", Legend: "errors/s"}}, Position: layouts.Position{Row: 1, Col: 1, Width: 2}},
				{ID: "cpu", Type: layouts.WidgetStat, Title: "CPU", Unit: layouts.UnitPercent, Thresholds: crit(70, 90),
					Queries: []layouts.Query{{Expr: "cpu"}}, Position: layouts.Position{Row: 1, Col: 3}},
				{ID: "list", Type: layouts.WidgetAlertList, Title: "Active alerts", Position: layouts.Position{Row: 2, Col: 1, Width: 3}},
			},
		}}}
}

// TestAlertVisualization draws a wall whose rules fired: the alert list, the
// kiosk banner, the firing period on the time series and the red frame.
func TestAlertVisualization(t *testing.T) {
	test.NewTempApp(t).Settings().SetTheme(NewTheme(charts.Dark()))
	l := alertLayout()
	rt := newTestRuntime(t, l, nil)
	src := incidentSource{gate: make(chan struct{})}
	rt.Sources = oneSource{src}
	rt.Alerts = wall.StartAlerting(rt.Runtime, l, nil)
	defer rt.Alerts.Stop()

	// The hour before now, as the evaluator saw it minute by minute.
	var rule alerts.Rule
	for _, r := range alerts.RulesFromLayout(l) {
		if r.Widget == "errors" && r.Severity == layouts.SeverityCritical {
			rule = r
		}
	}
	for at := fixedNow.Add(-time.Hour); at.Before(fixedNow); at = at.Add(time.Minute) {
		rt.Alerts.Evaluator.Observe(rule, []datasources.Series{incidentSeries("errors", at.Add(-5*time.Minute), at, 15*time.Second)}, at)
	}
	close(src.gate)

	s := NewShell(rt, l)
	defer s.Close()
	w := test.NewTempWindow(t, s.Content())
	s.Attach(w)
	w.Resize(fyne.NewSize(1280, 720))
	if err := s.Show("alerts"); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := s.Current().WaitReady(ctx); err != nil {
		t.Fatal(err)
	}
	cpu := s.Current().Panels()[1]
	waitFor(t, "the CPU rule to fire", func() bool { return rt.Alerts.Level("alerts", "cpu") == layouts.LevelCritical })
	fyne.DoAndWait(s.alertsChanged)
	if cpu.AlertLevel() != layouts.LevelCritical {
		t.Fatalf("CPU frame level %v, want critical", cpu.AlertLevel())
	}
	if got := s.bar.alertBtn.Text; got != "1" {
		t.Errorf("toolbar count %q, want 1 (the CPU's critical alert outranks its warning)", got)
	}
	periods := alertAnnotations(rt.Alerts, "alerts", "errors", fixedNow.Add(-time.Hour), fixedNow)
	if len(periods) != 1 || periods[0].From.Before(fixedNow.Add(-41*time.Minute)) || periods[0].To.After(fixedNow.Add(-24*time.Minute)) {
		t.Fatalf("firing periods %+v, want one around 13:20-13:35", periods)
	}
	waitForFrames(t, s.Current())
	assertGolden(t, "alerts_wall_dark.png", w.Canvas().Capture())

	s.SetKiosk(true)
	if !s.banner.root.Visible() {
		t.Fatal("no kiosk banner for a firing critical alert")
	}
	waitForFrames(t, s.Current())
	assertGolden(t, "alerts_kiosk_dark.png", w.Canvas().Capture())

	// Acknowledging hides the banner, not the alert.
	test.Tap(s.banner.ack)
	waitFor(t, "banner hidden", func() bool {
		fyne.DoAndWait(s.alertsChanged)
		return !s.banner.root.Visible()
	})
	if n := len(rt.Alerts.Active(alerts.DisplayFilter(&rt.Alerts.Display))); n != 1 {
		t.Fatalf("acknowledging removed the alert: %d active", n)
	}
}

// waitForFrames waits until every panel has drawn since the alerts changed.
func waitForFrames(t *testing.T, v *DashboardView) {
	t.Helper()
	before := make([]int, len(v.Panels()))
	for i, p := range v.Panels() {
		before[i] = p.Frames()
		p.markDirty()
	}
	waitFor(t, "redraw", func() bool {
		for i, p := range v.Panels() {
			if p.Frames() <= before[i] || !p.Current() {
				return false
			}
		}
		return true
	})
}
