package ui

import (
	"context"
	"fmt"
	"sync"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"github.com/wallboard/wallboard/charts"
	"github.com/wallboard/wallboard/datasources"
	"github.com/wallboard/wallboard/layouts"
	"github.com/wallboard/wallboard/wall"
)

// Runtime is what the widgets need to run a wall: the wall's runtime
// (scheduler, sources, alerting, clock), the palette, and the operator's
// saved views. Several views (and another app embedding one) can share one
// Runtime; none of them owns the Fyne app.
type Runtime struct {
	*wall.Runtime
	Palette *charts.Theme
	// Views keeps the operator's saved views; nil disables them.
	Views *ViewStore
}

// DashboardView is one dashboard as a grid of panels; it is a plain Fyne
// widget, so another Fyne app can embed it. Start subscribes its queries and
// runs its render loops; Stop ends them all.
type DashboardView struct {
	widget.BaseWidget

	// Dashboard is the layout being shown.
	Dashboard *layouts.Dashboard

	rt      *Runtime
	present *presenter // batches the panels' hand-overs to Fyne
	panels  []*Panel
	grid    *fyne.Container
	scroll  *container.Scroll

	// Set by the shell before Start, on Fyne's goroutine.
	kiosk     bool
	pageEvery time.Duration                        // kiosk: how long each screenful shows
	pageTimer func(time.Duration) <-chan time.Time // default time.After; tests drive it
	onTap     func(widgetID string)
	onZoom    func(from, to time.Time)

	mu     sync.Mutex
	cancel context.CancelFunc
	unsub  []func()
	wg     sync.WaitGroup
}

// NewDashboardView returns a view of d; nothing runs until Start.
func NewDashboardView(rt *Runtime, d *layouts.Dashboard) *DashboardView {
	v := &DashboardView{Dashboard: d, rt: rt, present: newPresenter(DefaultFrameGap)}
	objs := make([]fyne.CanvasObject, len(d.Widgets))
	for i := range d.Widgets {
		p := NewPanel(&d.Widgets[i], rt.Palette)
		p.post = v.present.post
		id := d.Widgets[i].ID
		p.OnTapped = func() {
			if v.onTap != nil {
				v.onTap(id)
			}
		}
		p.OnZoom = func(from, to time.Time) {
			if v.onZoom != nil {
				v.onZoom(from, to)
			}
		}
		w := &d.Widgets[i]
		p.decorate = func(f *charts.Frame) {
			a := rt.Alerts
			if a == nil {
				return
			}
			switch w.Type {
			case layouts.WidgetTimeSeries:
				f.Annotations = alertAnnotations(a, d.ID, w.ID, f.From, f.To)
			case layouts.WidgetAlertList:
				f.Alerts = alertRows(a, nil)
			}
		}
		v.panels = append(v.panels, p)
		objs[i] = p
	}
	v.grid = container.New(&gridLayout{d: d}, objs...)
	v.scroll = container.NewVScroll(v.grid)
	v.scroll.OnScrolled = func(off fyne.Position) { v.updateVisible(off) }
	v.ExtendBaseWidget(v)
	return v
}

// visibleMargin is how far outside the viewport a panel still counts as
// visible, so a scroll shows drawn panels rather than empty frames.
const visibleMargin = 200

// updateVisible tells every panel whether it is on screen (scrolled to
// off): only those draw, so a dashboard of thousands of widgets costs what
// its screenful costs. On Fyne's goroutine.
func (v *DashboardView) updateVisible(off fyne.Position) {
	g := v.grid.Layout.(*gridLayout)
	cells, vp := g.laidOut()
	if len(cells) != len(v.panels) || vp.Height <= 0 {
		return
	}
	top, bottom := off.Y-visibleMargin, off.Y+vp.Height+visibleMargin
	for i, p := range v.panels {
		c := cells[i]
		p.setVisible(c.Y+c.H >= top && c.Y <= bottom)
	}
}

// ContentHeight is the height of the dashboard's grid at a viewport: more
// than the viewport's when its rows do not fit (see layouts.MinRowHeight).
func (v *DashboardView) ContentHeight(viewport fyne.Size) float32 {
	g := v.grid.Layout.(*gridLayout)
	return max(bottomOf(g.cells(viewport)), viewport.Height)
}

// Panels returns the view's panels in widget order.
func (v *DashboardView) Panels() []*Panel { return v.panels }

// CreateRenderer shows the grid in a vertical scroller (used below the
// phone breakpoint, where the grid becomes one tall column).
func (v *DashboardView) CreateRenderer() fyne.WidgetRenderer {
	return &viewRenderer{v: v}
}

type viewRenderer struct{ v *DashboardView }

func (r *viewRenderer) Layout(size fyne.Size) {
	// Size the grid's content for this viewport before the scroller asks
	// for its MinSize, so a phone column scrolls from the first frame.
	r.v.grid.Layout.(*gridLayout).prepare(size)
	r.v.scroll.Resize(size)
	// In the phone column a swipe over a panel scrolls the column.
	var fwd fyne.Draggable
	if layouts.IsPhone(size.Width) {
		fwd = r.v.scroll
	}
	for _, p := range r.v.panels {
		p.forward = fwd
	}
	r.v.updateVisible(r.v.scroll.Offset)
}

func (r *viewRenderer) MinSize() fyne.Size           { return fyne.NewSize(100, 100) }
func (r *viewRenderer) Refresh()                     { r.v.scroll.Refresh() }
func (r *viewRenderer) Objects() []fyne.CanvasObject { return []fyne.CanvasObject{r.v.scroll} }
func (r *viewRenderer) Destroy()                     {}

// Start subscribes every panel's queries with s and runs the render loops
// until Stop. Starting a running view restarts it with the new settings.
func (v *DashboardView) Start(s wall.Settings) error {
	v.Stop()
	sp, err := wall.ResolveSpan(s.Time, v.rt.Clock())
	if err != nil {
		return fmt.Errorf("dashboard %s: time range: %w", v.Dashboard.ID, err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	v.mu.Lock()
	v.cancel = cancel
	v.mu.Unlock()

	var unsub []func()
	defer func() {
		v.mu.Lock()
		v.unsub = unsub
		v.mu.Unlock()
	}()
	for _, p := range v.panels {
		w := p.Widget
		p.reset(len(w.Queries), sp.Window, sp.From, sp.To)
		for i, q := range w.Queries {
			req, err := v.rt.Request(v.Dashboard, w, q, sp, s)
			if err != nil {
				p.Deliver(i, &datasources.Result{Err: err})
				continue
			}
			unsub = append(unsub, v.rt.Scheduler.Subscribe(req, func(r *datasources.Result) { p.Deliver(i, r) }))
		}
		v.wg.Add(1)
		go func() {
			defer v.wg.Done()
			v.renderLoop(ctx, p)
		}()
	}
	v.wg.Add(1)
	go func() {
		defer v.wg.Done()
		v.ageLoop(ctx)
	}()
	if v.kiosk {
		v.wg.Add(1)
		go func() {
			defer v.wg.Done()
			v.pageLoop(ctx)
		}()
	}
	return nil
}

// DefaultPageEvery is how long a kiosk wall shows each screenful of a
// dashboard taller than the screen.
const DefaultPageEvery = 15 * time.Second

// pageLoop pages a kiosk wall through a dashboard taller than the screen,
// a screenful at a time, back to the top after the last; a dashboard that
// fits never moves.
func (v *DashboardView) pageLoop(ctx context.Context) {
	every := v.pageEvery
	if every <= 0 {
		every = DefaultPageEvery
	}
	timer := v.pageTimer
	if timer == nil {
		timer = time.After
	}
	for {
		select {
		case <-ctx.Done():
			return
		case <-timer(every):
		}
		fyne.Do(func() {
			if ctx.Err() != nil {
				return
			}
			vp := v.scroll.Size()
			content := v.grid.MinSize().Height
			if vp.Height <= 0 || content <= vp.Height+1 {
				return
			}
			next := v.scroll.Offset.Y + vp.Height - gridGap
			if next >= content-gridGap {
				next = 0
			}
			v.scroll.ScrollToOffset(fyne.NewPos(0, min(next, content-vp.Height)))
		})
	}
}

// Stop unsubscribes every query and ends the render loops.
func (v *DashboardView) Stop() {
	v.mu.Lock()
	cancel, unsub := v.cancel, v.unsub
	v.cancel, v.unsub = nil, nil
	v.mu.Unlock()
	for _, u := range unsub {
		u()
	}
	if cancel != nil {
		cancel()
	}
	v.wg.Wait()
	for _, p := range v.panels {
		p.releaseSpares()
	}
}

// renderLoop redraws p whenever its data or size changes.
func (v *DashboardView) renderLoop(ctx context.Context, p *Panel) {
	for {
		select {
		case <-ctx.Done():
			return
		case <-p.dirty:
		}
		p.render(ctx, v.rt.Clock())
	}
}

// ageLoop keeps every "updated 3s ago" badge true, and the ages in alert
// lists.
func (v *DashboardView) ageLoop(ctx context.Context) {
	everySecond(ctx, v.rt.Clock, v.present.post, func(now time.Time) {
		for _, p := range v.panels {
			p.tick(now)
			if p.Widget.Type == layouts.WidgetAlertList {
				p.markDirty()
			}
		}
	})
}

// alertsChanged recolours the frames and redraws the alert lists; on
// Fyne's goroutine.
func (v *DashboardView) alertsChanged() {
	a := v.rt.Alerts
	if a == nil {
		return
	}
	for _, p := range v.panels {
		p.SetAlertLevel(a.Level(v.Dashboard.ID, p.Widget.ID))
		if p.Widget.Type == layouts.WidgetAlertList {
			p.markDirty()
		}
	}
}

// alertsTransitioned redraws the time series, whose firing periods change
// only when an alert changes state (not with every new value); on Fyne's
// goroutine.
func (v *DashboardView) alertsTransitioned() {
	for _, p := range v.panels {
		if p.Widget.Type == layouts.WidgetTimeSeries {
			p.markDirty()
		}
	}
}

// everySecond calls fn on Fyne's goroutine (through post: fyne.Do or a
// view's presenter) once a second with the clock's time, until ctx ends; a
// call queued before ctx ended is dropped, so fn never runs after its owner
// stopped (or the app ended).
func everySecond(ctx context.Context, clock func() time.Time, post func(func()), fn func(now time.Time)) {
	t := time.NewTicker(time.Second)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			now := clock()
			post(func() {
				if ctx.Err() == nil {
					fn(now)
				}
			})
		}
	}
}

// WaitReady blocks until every panel on screen shows its first data or
// error, or ctx ends.
func (v *DashboardView) WaitReady(ctx context.Context) error {
	t := time.NewTicker(5 * time.Millisecond)
	defer t.Stop()
	for {
		ready := true
		for _, p := range v.panels {
			if p.Visible() && (!p.Ready() || !p.Current()) {
				ready = false
				break
			}
		}
		if ready {
			return nil
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("dashboard %s not ready: %w", v.Dashboard.ID, ctx.Err())
		case <-t.C:
		}
	}
}

// gridLayout places panels with layouts.Cells; below the phone breakpoint the
// cells form one tall column and MinSize reports its height so the scroller
// scrolls.
type gridLayout struct {
	d        *layouts.Dashboard
	mu       sync.Mutex
	viewport fyne.Size
	height   float32
	laid     []layouts.Rect // the cells of the last prepare
}

// laidOut returns the cells of the last prepare and its viewport.
func (g *gridLayout) laidOut() ([]layouts.Rect, fyne.Size) {
	g.mu.Lock()
	defer g.mu.Unlock()
	return g.laid, g.viewport
}

const gridGap = 8

// prepare records the viewport so MinSize and Layout agree on the cells.
func (g *gridLayout) prepare(viewport fyne.Size) {
	cells := g.cells(viewport)
	bottom := bottomOf(cells)
	g.mu.Lock()
	g.viewport = viewport
	g.laid = cells
	g.height = 0
	if bottom > viewport.Height+1 {
		g.height = bottom
	}
	g.mu.Unlock()
}

// bottomOf is the height the cells need, with the bottom margin.
func bottomOf(cells []layouts.Rect) float32 {
	var bottom float32
	for _, c := range cells {
		bottom = max(bottom, c.Y+c.H)
	}
	return bottom + gridGap
}

func (g *gridLayout) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	g.mu.Lock()
	vp := g.viewport
	g.mu.Unlock()
	if vp.Width != size.Width {
		vp = size
	}
	cells := g.cells(vp)
	for i, o := range objs {
		if i >= len(cells) {
			o.Hide()
			continue
		}
		c := cells[i]
		o.Move(fyne.NewPos(c.X, c.Y))
		o.Resize(fyne.NewSize(c.W, c.H))
	}
}

// cells are the panels' rectangles inside a gridGap margin.
func (g *gridLayout) cells(viewport fyne.Size) []layouts.Rect {
	w, h := max(viewport.Width-2*gridGap, 0), max(viewport.Height-2*gridGap, 0)
	cells := layouts.Cells(g.d, w, h, gridGap)
	for i := range cells {
		cells[i].X += gridGap
		cells[i].Y += gridGap
	}
	return cells
}

func (g *gridLayout) MinSize([]fyne.CanvasObject) fyne.Size {
	g.mu.Lock()
	defer g.mu.Unlock()
	return fyne.NewSize(0, g.height)
}
