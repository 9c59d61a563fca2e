package ui

import (
	"context"
	"fmt"
	"image"
	"image/color"
	"strings"
	"sync"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/widget"

	"github.com/wallboard/wallboard/charts"
	"github.com/wallboard/wallboard/datasources"
	"github.com/wallboard/wallboard/layouts"
)

// Text sizes of a panel's frame, in logical pixels (1 logical px = 1 screen
// px on a 1080p wall): a 20 px bold title reads from across a NOC room.
const (
	panelTitleSize  = 20
	panelStatusSize = 14
	panelPad        = 10
	panelTitleH     = 30
)

// Panel is the frame of one widget on a dashboard: title, the age of its data
// (or a stale / error badge), and the chart body drawn by package charts.
//
// Results arrive from the scheduler's goroutines through Deliver; the body is
// rendered off Fyne's goroutine by the render loop the DashboardView runs, and
// only the finished image is handed to Fyne inside fyne.Do; the loop waits
// for that hand-over (or for its view to stop) before reusing the other buffer.
type Panel struct {
	widget.BaseWidget

	// Widget is the layout entry this panel shows.
	Widget *layouts.Widget
	// OnTapped, if set, is called when the panel is tapped (drill-down).
	OnTapped func()
	// OnZoom, if set, is called with the time range an operator selected by
	// dragging across a time series.
	OnZoom func(from, to time.Time)

	// forward receives drags the panel does not use (the phone column's
	// scroller, so a vertical swipe scrolls).
	forward fyne.Draggable
	// onData sees every series after each render; on Fyne's goroutine.
	onData func([]datasources.Series)
	// decorate adds what is not query data to a frame before drawing:
	// alert annotations, alert list rows. Called off Fyne's goroutine.
	decorate func(f *charts.Frame)
	alert    layouts.Level // worst firing alert on this widget
	sort     charts.TableSort
	lastNow  time.Time // the clock at the last status update
	only     string    // show only the series with this name ("" all)
	drag     struct {
		on         bool
		start, end float32
	}
	sel *canvas.Rectangle

	mu       sync.Mutex
	results  []*datasources.Result // one per query
	from, to time.Time             // the range of the data shown
	window   time.Duration
	palette  *charts.Theme
	pxSize   image.Point // body size in device pixels, set by Layout
	scale    float32
	dirty    chan struct{}
	rendered bool // at least one data or error state rendered
	frames   int  // bodies handed to Fyne so far
	// bufs are the chart bodies drawn off Fyne's goroutine. shown is the one
	// Fyne paints; busy marks those handed over but not yet swapped in
	// (a swap can outlive the render loop that asked for it).
	bufs  [3]*image.RGBA
	shown int
	busy  uint8

	// Fyne objects, touched only on Fyne's goroutine.
	bg     *canvas.Rectangle
	title  *canvas.Text
	status *canvas.Text
	body   *canvas.Image
	notice *canvas.Text
	// statusText is the badge's full text; layoutHeader may shorten it.
	statusText string
}

// NewPanel returns a panel for w, drawn with palette.
func NewPanel(w *layouts.Widget, palette *charts.Theme) *Panel {
	p := &Panel{Widget: w, palette: palette, dirty: make(chan struct{}, 1), scale: 1}
	p.ExtendBaseWidget(p)
	return p
}

// Title is the text shown in the panel's header.
func (p *Panel) Title() string {
	if p.Widget.Title != "" {
		return p.Widget.Title
	}
	return p.Widget.ID
}

// Tapped opens the drill-down, if the panel has one.
// A tap on a table's header sorts by that column (again: the other way).
func (p *Panel) Tapped(e *fyne.PointEvent) {
	if col, ok := p.tableColumnAt(e.Position); ok {
		p.mu.Lock()
		p.sort = p.sort.Click(col)
		p.mu.Unlock()
		p.markDirty()
		return
	}
	if p.OnTapped != nil {
		p.OnTapped()
	}
}

// frameFor is the chart frame for the panel's current data and size.
func (p *Panel) frameFor(s snapshot) (charts.Frame, image.Point) {
	p.mu.Lock()
	defer p.mu.Unlock()
	return charts.Frame{From: s.from, To: s.to, Scale: float64(p.scale), Theme: p.palette, Sort: p.sort, Now: p.lastNow}, p.pxSize
}

// bodyPoint maps a position in the panel to a pixel of the chart body.
func (p *Panel) bodyPoint(pos fyne.Position) image.Point {
	p.mu.Lock()
	scale := p.scale
	p.mu.Unlock()
	return image.Pt(int((pos.X-bodyOffsetX)*scale), int((pos.Y-p.bodyTop())*scale))
}

func (p *Panel) bodyTop() float32 { return panelTitleH + panelPad/2 }

func (p *Panel) tableColumnAt(pos fyne.Position) (int, bool) {
	if p.Widget.Type != layouts.WidgetTable {
		return 0, false
	}
	s := p.snapshot()
	f, size := p.frameFor(s)
	return charts.TableColumnAt(p.Widget, s.series, f, size, p.bodyPoint(pos))
}

// reset prepares the panel for n queries over a new time range; called
// before subscribing.
func (p *Panel) reset(n int, window time.Duration, from, to time.Time) {
	p.mu.Lock()
	p.results = make([]*datasources.Result, n)
	p.window, p.from, p.to = window, from, to
	p.rendered = false
	p.mu.Unlock()
	p.markDirty()
}

// Deliver records the result of query i; safe from any goroutine.
func (p *Panel) Deliver(i int, r *datasources.Result) {
	p.mu.Lock()
	if i < len(p.results) {
		p.results[i] = r
	}
	p.mu.Unlock()
	p.markDirty()
}

func (p *Panel) markDirty() {
	select {
	case p.dirty <- struct{}{}:
	default:
	}
}

// snapshot is the combined state of all queries of a panel.
type snapshot struct {
	series   []datasources.Series // the series shown
	all      []datasources.Series // every series, before isolation
	loading  bool
	stale    bool
	err      error
	fetched  time.Time // oldest fetch among the queries
	from, to time.Time
}

func (p *Panel) snapshot() snapshot {
	p.mu.Lock()
	defer p.mu.Unlock()
	s := snapshot{from: p.from, to: p.to}
	for _, r := range p.results {
		if r == nil {
			s.loading = true
			continue
		}
		s.series = append(s.series, r.Series...)
		if r.Stale {
			s.stale = true
		}
		if r.Err != nil && s.err == nil {
			s.err = r.Err
		}
		if !r.Fetched.IsZero() && (s.fetched.IsZero() || r.Fetched.Before(s.fetched)) {
			s.fetched = r.Fetched
		}
	}
	if p.window > 0 && !s.fetched.IsZero() {
		s.to = s.fetched
		s.from = s.to.Add(-p.window)
	}
	s.all = s.series
	if p.only != "" {
		s.series = nil
		for _, ser := range s.all {
			if ser.Name == p.only {
				s.series = append(s.series, ser)
			}
		}
	}
	return s
}

// SetAlertLevel colours the frame by the worst firing alert on the
// widget; on Fyne's goroutine.
func (p *Panel) SetAlertLevel(l layouts.Level) {
	if p.alert == l {
		return
	}
	p.alert = l
	if p.status != nil {
		p.mu.Lock()
		now := p.lastNow
		p.mu.Unlock()
		p.tick(now)
	}
}

// AlertLevel is the level SetAlertLevel last set.
func (p *Panel) AlertLevel() layouts.Level { return p.alert }

// Only is the name of the one series shown, or "" when all are.
func (p *Panel) Only() string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.only
}

// SetOnly shows only the series called name ("" shows all again).
func (p *Panel) SetOnly(name string) {
	p.mu.Lock()
	p.only = name
	p.mu.Unlock()
	p.markDirty()
}

// bodyOffsetX is where the chart body starts inside the panel.
const bodyOffsetX = 1

// Dragged selects a time range across a time series (to zoom into it); in
// a phone column it scrolls instead.
func (p *Panel) Dragged(e *fyne.DragEvent) {
	if p.forward != nil {
		p.forward.Dragged(e)
		return
	}
	if p.OnZoom == nil || p.Widget.Type != layouts.WidgetTimeSeries || p.sel == nil {
		return
	}
	if !p.drag.on {
		p.drag.on = true
		p.drag.start = e.Position.X - e.Dragged.DX
	}
	p.drag.end = e.Position.X
	x0, x1 := min(p.drag.start, p.drag.end), max(p.drag.start, p.drag.end)
	p.sel.Move(fyne.NewPos(x0, panelTitleH))
	p.sel.Resize(fyne.NewSize(x1-x0, p.Size().Height-panelTitleH-panelPad))
	p.sel.Show()
	p.sel.Refresh()
}

// DragEnd zooms to the selected range.
func (p *Panel) DragEnd() {
	if p.forward != nil {
		p.forward.DragEnd()
		return
	}
	if !p.drag.on {
		return
	}
	p.drag.on = false
	if p.sel != nil {
		p.sel.Hide()
	}
	a, b := p.drag.start, p.drag.end
	if max(a, b)-min(a, b) < 8 { // a click with a tremble, not a selection
		return
	}
	t1, ok1 := p.timeAtClamped(a)
	t2, ok2 := p.timeAtClamped(b)
	if ok1 && ok2 && p.OnZoom != nil {
		p.OnZoom(t1, t2)
	}
}

// render draws the body for the current data and size into the back buffer
// and hands it to Fyne. It reports whether the panel now shows data or an error.
func (p *Panel) render(ctx context.Context, now time.Time) bool {
	s := p.snapshot()
	p.mu.Lock()
	size, palette := p.pxSize, p.palette
	back := -1 // a buffer neither shown nor about to be
	for i := range p.bufs {
		if i != p.shown && p.busy&(1<<i) == 0 {
			back = i
			break
		}
	}
	if back < 0 || size.X <= 0 || size.Y <= 0 {
		p.mu.Unlock()
		return false
	}
	buf := p.bufs[back]
	if buf == nil || buf.Rect.Size() != size {
		buf = image.NewRGBA(image.Rectangle{Max: size})
		p.bufs[back] = buf
	}
	p.busy |= 1 << back
	p.mu.Unlock()

	done := !s.loading || s.err != nil
	if s.loading && s.err == nil {
		clear(buf.Pix) // nothing to draw until the first result
		fill(buf, palette.Panel)
	} else {
		f, _ := p.frameFor(s)
		f.Now = now
		if p.decorate != nil {
			p.decorate(&f)
		}
		charts.Draw(buf, p.Widget, s.series, f)
	}
	// Not DoAndWait: Stop runs on Fyne's goroutine and waits for this loop,
	// so the loop must be able to give up waiting when its view stops.
	swapped := make(chan struct{})
	fyne.Do(func() {
		defer close(swapped)
		p.mu.Lock()
		p.busy &^= 1 << back
		if p.body != nil {
			p.shown = back
		}
		p.mu.Unlock()
		if p.body == nil { // never shown
			return
		}
		p.body.Image = buf
		p.body.Refresh()
		p.applyStatus(s, now)
		if p.onData != nil {
			p.onData(s.all)
		}
	})
	select {
	case <-swapped:
	case <-ctx.Done():
		return false
	}
	p.mu.Lock()
	p.rendered = p.rendered || done
	p.frames++
	p.mu.Unlock()
	return done
}

func withAlpha(c color.NRGBA, a uint8) color.NRGBA {
	c.A = a
	return c
}

func fill(img *image.RGBA, c color.NRGBA) {
	r, g, b, a := c.RGBA()
	px := [4]uint8{uint8(r >> 8), uint8(g >> 8), uint8(b >> 8), uint8(a >> 8)}
	for i := 0; i < len(img.Pix); i += 4 {
		copy(img.Pix[i:i+4], px[:])
	}
}

// releaseSpares frees the buffers not on screen (a stopped view keeps
// only what it shows); call after the render loop ended.
func (p *Panel) releaseSpares() {
	p.mu.Lock()
	defer p.mu.Unlock()
	for i := range p.bufs {
		if i != p.shown && p.busy&(1<<i) == 0 {
			p.bufs[i] = nil
		}
	}
}

// Frames counts the chart bodies handed to Fyne so far.
func (p *Panel) Frames() int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.frames
}

// Ready reports whether the panel has shown its first data or error.
func (p *Panel) Ready() bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.rendered
}

// applyStatus updates the header badge and the centred notice; on Fyne's goroutine.
func (p *Panel) applyStatus(s snapshot, now time.Time) {
	p.mu.Lock()
	p.lastNow = now
	p.mu.Unlock()
	pal := p.palette
	notice := ""
	noticeColor := pal.TextDim
	status, statusColor := "", pal.TextDim
	switch {
	case s.loading && s.err == nil:
		notice = "Loading…"
	case len(s.series) == 0 && s.err != nil:
		notice = Explain(s.err)
		noticeColor = pal.Critical
		status, statusColor = "error", pal.Critical
	case s.stale:
		status, statusColor = "stale "+Age(now.Sub(s.fetched)), pal.Warning
	case !s.fetched.IsZero():
		status = "updated " + Age(now.Sub(s.fetched)) + " ago"
	}
	p.statusText, p.status.Color = status, statusColor
	p.layoutHeader(p.Size())
	p.status.Refresh()
	p.title.Refresh()
	p.notice.Text, p.notice.Color = notice, noticeColor
	p.notice.Hidden = notice == ""
	p.notice.Refresh()
	border, width := pal.Border, float32(1)
	if s.stale {
		border = pal.Warning
	}
	if p.alert != layouts.LevelOK { // its rules fire: the whole frame says so
		border, width = pal.LevelColor(p.alert), 3
	}
	p.bg.StrokeColor, p.bg.StrokeWidth = border, width
	p.bg.Refresh()
}

// layoutHeader fits the title and the badge on one line: the badge keeps
// its width and the title is cut with an ellipsis; on Fyne's goroutine.
func (p *Panel) layoutHeader(size fyne.Size) {
	status := p.statusText
	// In a narrow panel "updated 3s ago" gives way to "3s ago" before the
	// title is cut.
	if short := strings.TrimPrefix(status, "updated "); short != status {
		need := fyne.MeasureText(p.Title(), panelTitleSize, p.title.TextStyle).Width +
			fyne.MeasureText(status, panelStatusSize, fyne.TextStyle{}).Width + 3*panelPad
		if need > size.Width {
			status = short
		}
	}
	p.status.Text = status
	statusW := fyne.MeasureText(status, panelStatusSize, fyne.TextStyle{}).Width
	if status != "" {
		statusW += panelPad
	}
	titleW := max(size.Width-2*panelPad-statusW, 0)
	p.title.Text = fitText(p.Title(), titleW, panelTitleSize, p.title.TextStyle)
	p.title.Move(fyne.NewPos(panelPad, panelPad/2))
	p.title.Resize(fyne.NewSize(titleW, panelTitleH))
	p.status.Move(fyne.NewPos(size.Width-panelPad-statusW, panelPad/2+4))
	p.status.Resize(fyne.NewSize(statusW, panelTitleH-4))
}

// fitText cuts s with an ellipsis so that it is at most width wide.
func fitText(s string, width, size float32, style fyne.TextStyle) string {
	if fyne.MeasureText(s, size, style).Width <= width {
		return s
	}
	r := []rune(s)
	for n := len(r) - 1; n > 0; n-- {
		t := strings.TrimRight(string(r[:n]), " ") + "…"
		if fyne.MeasureText(t, size, style).Width <= width {
			return t
		}
	}
	return ""
}

// tick refreshes the age badge; on Fyne's goroutine.
func (p *Panel) tick(now time.Time) {
	if p.status == nil {
		return
	}
	p.applyStatus(p.snapshot(), now)
}

// Age formats a duration the way an operator reads it: "4s", "2m", "3h", "2d".
func Age(d time.Duration) string {
	switch {
	case d < 0:
		return "0s"
	case d < time.Minute:
		return fmt.Sprintf("%ds", int(d.Seconds()))
	case d < time.Hour:
		return fmt.Sprintf("%dm", int(d.Minutes()))
	case d < 48*time.Hour:
		return fmt.Sprintf("%dh", int(d.Hours()))
	}
	return fmt.Sprintf("%dd", int(d.Hours()/24))
}

// CreateRenderer builds the frame's canvas objects.
func (p *Panel) CreateRenderer() fyne.WidgetRenderer {
	pal := p.palette
	p.bg = canvas.NewRectangle(pal.Panel)
	p.bg.StrokeColor = pal.Border
	p.bg.StrokeWidth = 1
	p.bg.CornerRadius = 6
	p.title = canvas.NewText(p.Title(), pal.Text)
	p.title.TextSize = panelTitleSize
	p.title.TextStyle.Bold = true
	p.status = canvas.NewText("", pal.TextDim)
	p.status.TextSize = panelStatusSize
	p.status.Alignment = fyne.TextAlignTrailing
	p.body = canvas.NewImageFromImage(image.NewRGBA(image.Rect(0, 0, 1, 1)))
	p.body.FillMode = canvas.ImageFillStretch
	p.body.ScaleMode = canvas.ImageScaleFastest
	p.sel = canvas.NewRectangle(withAlpha(pal.Series[0], 60))
	p.sel.StrokeColor = pal.Series[0]
	p.sel.StrokeWidth = 1
	p.sel.Hide()
	p.notice = canvas.NewText("Loading…", pal.TextDim)
	p.notice.TextSize = panelTitleSize
	p.notice.Alignment = fyne.TextAlignCenter
	return &panelRenderer{p: p, objects: []fyne.CanvasObject{p.bg, p.body, p.title, p.status, p.notice, p.sel}}
}

type panelRenderer struct {
	p       *Panel
	objects []fyne.CanvasObject
}

func (r *panelRenderer) Layout(size fyne.Size) {
	p := r.p
	p.bg.Resize(size)
	p.layoutHeader(size)
	bodyPos := fyne.NewPos(bodyOffsetX, p.bodyTop())
	bodySize := fyne.NewSize(max(size.Width-2, 0), max(size.Height-bodyPos.Y-1, 0))
	p.body.Move(bodyPos)
	p.body.Resize(bodySize)
	p.notice.Move(fyne.NewPos(panelPad, bodyPos.Y+bodySize.Height/2-panelTitleSize))
	p.notice.Resize(fyne.NewSize(max(size.Width-2*panelPad, 0), 2*panelTitleSize))

	scale := float32(1)
	if c := fyne.CurrentApp().Driver().CanvasForObject(p); c != nil {
		scale = c.Scale()
	}
	px := image.Pt(int(bodySize.Width*scale+0.5), int(bodySize.Height*scale+0.5))
	p.mu.Lock()
	changed := px != p.pxSize || scale != p.scale
	p.pxSize, p.scale = px, scale
	p.mu.Unlock()
	if changed {
		p.markDirty()
	}
}

func (r *panelRenderer) MinSize() fyne.Size {
	return fyne.NewSize(120, panelTitleH+60)
}

func (r *panelRenderer) Refresh() {
	pal := r.p.palette
	r.p.title.Color = pal.Text
	r.p.layoutHeader(r.p.Size())
	r.p.bg.FillColor = pal.Panel
	for _, o := range r.objects {
		o.Refresh()
	}
}

func (r *panelRenderer) Objects() []fyne.CanvasObject { return r.objects }

func (r *panelRenderer) Destroy() {}
