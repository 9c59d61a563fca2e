package ui

import (
	"context"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"github.com/wallboard/wallboard/charts"
	"github.com/wallboard/wallboard/datasources"
	"github.com/wallboard/wallboard/layouts"
)

func TestFitText(t *testing.T) {
	test.NewTempApp(t)
	style := fyne.TextStyle{Bold: true}
	full := "Latency p99 by region and model"
	w := fyne.MeasureText(full, panelTitleSize, style).Width
	for _, tc := range []struct {
		name  string
		width float32
	}{{"fits", w}, {"most", w * 0.8}, {"half", w / 2}, {"tiny", 20}, {"none", 1}} {
		t.Run(tc.name, func(t *testing.T) {
			got := fitText(full, tc.width, panelTitleSize, style)
			if got != "" && fyne.MeasureText(got, panelTitleSize, style).Width > tc.width {
				t.Fatalf("%q is wider than %.0f", got, tc.width)
			}
			if got == full || got == "" {
				return
			}
			// The longest cut: one more rune would not fit.
			n := len([]rune(strings.TrimSuffix(got, "…")))
			longer := strings.TrimRight(string([]rune(full)[:n+1]), " ") + "…"
			if n+1 < len([]rune(full)) && fyne.MeasureText(longer, panelTitleSize, style).Width <= tc.width {
				t.Errorf("%q: %q would fit too", got, longer)
			}
		})
	}
}

func TestStaleText(t *testing.T) {
	for _, tc := range []struct {
		d    time.Duration
		want string
	}{
		{0, "stale"}, {4900 * time.Millisecond, "stale"}, {5 * time.Second, "stale 5s"},
		{14 * time.Second, "stale 10s"}, {59 * time.Second, "stale 55s"}, {125 * time.Second, "stale 2m"},
	} {
		if got := staleText(tc.d); got != tc.want {
			t.Errorf("staleText(%v) = %q, want %q", tc.d, got, tc.want)
		}
	}
}

// TestStaleRepeatRedrawsNothing: a failing source repeats its last good
// answer, stale, at every retry; the panel used to redraw (and the window
// repaint) each time although nothing on it changed but the badge.
func TestStaleRepeatRedrawsNothing(t *testing.T) {
	test.NewTempApp(t)
	l := singlePanelLayout()
	rt := newTestRuntime(t, l, nil)
	v := NewDashboardView(rt, &l.Dashboards[0])
	w := test.NewTempWindow(t, v)
	w.Resize(fyne.NewSize(600, 400))
	p := v.Panels()[0]
	p.reset(1, time.Hour, fixedNow.Add(-time.Hour), fixedNow)
	v.wg.Add(1)
	ctx, cancel := context.WithCancel(context.Background())
	go func() { defer v.wg.Done(); v.renderLoop(ctx, p) }()
	defer func() { cancel(); v.wg.Wait() }()
	waitFor(t, "visible", func() bool { return p.Visible() })

	good := &datasources.Result{Series: []datasources.Series{{Name: "a", Points: []datasources.Point{{T: fixedNow.UnixMilli(), V: 1}}}}, Fetched: fixedNow}
	p.Deliver(0, good)
	waitFor(t, "first frame", func() bool { return p.Ready() && p.Frames() > 0 })
	frames := p.Frames()
	stale := &datasources.Result{Series: good.Series, Fetched: good.Fetched, Stale: true, Err: datasources.ErrUnreachable}
	for range 5 {
		p.Deliver(0, stale)
	}
	time.Sleep(300 * time.Millisecond)
	if n := p.Frames() - frames; n != 0 {
		t.Errorf("%d redraws for stale repeats of the data on screen", n)
	}
	fresh := &datasources.Result{Series: []datasources.Series{{Name: "a", Points: []datasources.Point{{T: fixedNow.UnixMilli(), V: 2}}}}, Fetched: fixedNow.Add(time.Second)}
	p.Deliver(0, fresh)
	waitFor(t, "a redraw for new data", func() bool { return p.Frames() > frames })
}

// TestStaleBadgeGivesWay: on a dense wall "stale 50s · unreachable" was
// wider than its panel and drawn over the title; it sheds its reason, then
// its age, and never leaves the panel.
func TestStaleBadgeGivesWay(t *testing.T) {
	test.NewTempApp(t)
	p := NewPanel(&layouts.Widget{ID: "w", Title: "audio requests by region"}, charts.Dark())
	p.look.status = "stale 50s · unreachable"
	for _, width := range []float32{600, 240, 170, 120, 80, 40} {
		title, status, statusW := p.header(width, fyne.TextStyle{Bold: true})
		tw := fyne.MeasureText(title, panelTitleSize, fyne.TextStyle{Bold: true}).Width
		sw := fyne.MeasureText(status, panelStatusSize, fyne.TextStyle{}).Width
		if status != "" && !strings.HasPrefix(status, "stale") {
			t.Errorf("width %.0f: badge %q", width, status)
		}
		if tw+sw+2*panelPad > width+1 || statusW > width {
			t.Errorf("width %.0f: title %q (%.0f) and badge %q (%.0f) do not fit", width, title, tw, status, sw)
		}
	}
	if _, status, _ := p.header(600, fyne.TextStyle{Bold: true}); status != "stale 50s · unreachable" {
		t.Errorf("a wide panel dropped its reason: %q", status)
	}
}
