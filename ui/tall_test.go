package ui

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"github.com/wallboard/wallboard/charts"
	"github.com/wallboard/wallboard/datasources"
	"github.com/wallboard/wallboard/layouts"
	"github.com/wallboard/wallboard/wall"
)

// tallLayout is one dashboard of rows x cols stat panels on the simulator.
func tallLayout(rows, cols int) *layouts.Layout {
	d := layouts.Dashboard{ID: "tall", Title: "Tall", Time: layouts.TimeRange{From: "now-15m", To: "now"}, Columns: cols}
	for r := 1; r <= rows; r++ {
		for c := 1; c <= cols; c++ {
			d.Widgets = append(d.Widgets, layouts.Widget{ID: fmt.Sprintf("w%d_%d", r, c), Type: layouts.WidgetStat,
				Title: fmt.Sprintf("Row %d col %d", r, c), Queries: []layouts.Query{{Expr: "sum(queue_depth)"}},
				Position: layouts.Position{Row: r, Col: c}})
		}
	}
	return &layouts.Layout{Version: layouts.Version, Sources: []layouts.Source{{Name: "sim", Kind: layouts.KindSim}}, Dashboards: []layouts.Dashboard{d}}
}

// TestTallDashboardScrolls: 23 rows at 1920x1080 used to squash the panels
// into overlapping header strips; now rows keep layouts.MinRowHeight, the
// view scrolls, and only panels on screen draw (and hold buffers).
func TestTallDashboardScrolls(t *testing.T) {
	test.NewTempApp(t)
	l := tallLayout(23, 4)
	rt := newTestRuntime(t, l, nil)
	v := NewDashboardView(rt, &l.Dashboards[0])
	w := test.NewTempWindow(t, v)
	w.SetPadded(false)
	w.Resize(fyne.NewSize(1920, 1080))
	if err := v.Start(wall.DefaultSettings(&l.Dashboards[0])); err != nil {
		t.Fatal(err)
	}
	defer v.Stop()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := v.WaitReady(ctx); err != nil {
		t.Fatal(err)
	}
	ps := v.Panels()
	for i := 4; i < len(ps); i++ {
		if ps[i].Position().Y < ps[i-4].Position().Y+ps[i-4].Size().Height {
			t.Fatalf("panel %d overlaps the one above it", i)
		}
		if ps[i].Size().Height < layouts.MinRowHeight {
			t.Fatalf("panel %d is %.0f px high", i, ps[i].Size().Height)
		}
	}
	last := ps[len(ps)-1]
	if last.Visible() || last.Ready() || hasBuffers(last) {
		t.Fatalf("the bottom panel, off screen, is visible=%v ready=%v buffers=%v", last.Visible(), last.Ready(), hasBuffers(last))
	}
	if !ps[0].Ready() || !hasBuffers(ps[0]) {
		t.Fatal("the top panel did not draw")
	}
	fyne.DoAndWait(func() { v.scroll.ScrollToBottom() })
	waitFor(t, "the bottom panel drawn after scrolling", func() bool { return last.Visible() && last.Ready() })
}

func hasBuffers(p *Panel) bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	for _, b := range p.bufs {
		if b != nil {
			return true
		}
	}
	return false
}

// TestTallDashboardRendersWhole: render used to wait 30 s for panels that
// had no room and fail; now the image grows to the whole dashboard.
func TestTallDashboardRendersWhole(t *testing.T) {
	l := tallLayout(23, 4)
	w := wall.New(l, wall.Options{Renderer: Renderer{}})
	defer w.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	img, err := w.RenderView(ctx, "tall", wall.View{Width: 1920, Height: 1080})
	if err != nil {
		t.Fatal(err)
	}
	minH := 23*layouts.MinRowHeight + 22*gridGap
	if b := img.Bounds(); b.Dx() != 1920 || b.Dy() < minH {
		t.Errorf("image %v, want 1920 wide and at least %d high", b, minH)
	}
}

// TestKioskPagesThroughTallDashboard: a kiosk wall shows a dashboard taller
// than the screen a screenful at a time, back to the top after the last.
func TestKioskPagesThroughTallDashboard(t *testing.T) {
	test.NewTempApp(t)
	l := tallLayout(23, 2)
	rt := newTestRuntime(t, l, nil)
	ticks := make(chan time.Time)
	v := NewDashboardView(rt, &l.Dashboards[0])
	v.kiosk = true
	v.pageTimer = func(time.Duration) <-chan time.Time { return ticks }
	w := test.NewTempWindow(t, v)
	w.SetPadded(false)
	w.Resize(fyne.NewSize(1280, 720))
	if err := v.Start(wall.DefaultSettings(&l.Dashboards[0])); err != nil {
		t.Fatal(err)
	}
	defer v.Stop()
	var offsets []float32
	for range 8 {
		ticks <- time.Now()
		var y float32
		prev := float32(-1)
		if len(offsets) > 0 {
			prev = offsets[len(offsets)-1]
		}
		waitFor(t, "a page turn", func() bool {
			fyne.DoAndWait(func() { y = v.scroll.Offset.Y })
			return y != prev
		})
		offsets = append(offsets, y)
	}
	if offsets[0] <= 0 || offsets[1] <= offsets[0] {
		t.Errorf("offsets %v: want pages going down", offsets)
	}
	back := false
	for _, y := range offsets {
		back = back || y == 0
	}
	if !back {
		t.Errorf("offsets %v: never back to the top", offsets)
	}
}

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
