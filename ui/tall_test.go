package ui

import (
	"context"
	"fmt"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

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
