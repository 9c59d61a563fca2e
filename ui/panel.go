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

	// post runs a function on Fyne's goroutine: the view's presenter, which
	// batches every panel's hand-overs (default fyne.Do).
	post func(func())
	// forward receives drags the panel does not use (the phone column's
	// scroller, so a vertical swipe scrolls).
	forward fyne.Draggable
	// onData sees every series, and the last error of the panel's
	// sources, after each render; on Fyne's goroutine.
	onData func(all []datasources.Series, err error)
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

	mu       sync.Mutex
	results  []*datasources.Result // one per query
	from, to time.Time             // the range of the data shown
	window   time.Duration
	palette  *charts.Theme
	pxSize   image.Point // body size in device pixels, set by Layout
	shownPx  image.Point // size of the body Fyne shows
	scale    float32
	dirty    chan struct{}
	rendered bool // at least one data or error state rendered
	visible  bool // on screen: only visible panels draw
	hidden   bool // data changed while not visible: draw when shown
	frames   int  // bodies handed to Fyne so far
	// bufs are the chart bodies drawn off Fyne's goroutine. shown is the one
	// Fyne paints; busy marks those handed over but not yet swapped in
	// (a swap can outlive the render loop that asked for it).
	bufs  [3]*image.RGBA
	shown int
	busy  uint8

	// What the frame shows, on Fyne's goroutine; the renderer draws it.
	look     panelLook
	image    *image.RGBA // the body handed over last (nil: none yet)
	imageGen int         // counts hand-overs, so the renderer repaints each once
	// created is set once the renderer exists: before that nothing is shown
	// and hand-overs only record the buffer.
	created bool
}

// panelLook is the state of a panel's frame that its renderer shows: the
// header badge, the notice over the body, the border. It is a value, so the
// renderer refreshes only the objects whose part changed.
type panelLook struct {
	status      string // the badge's full text; the header may shorten it
	statusColor color.NRGBA
	notice      string // "" hides the notice
	noticeColor color.NRGBA
	border      color.NRGBA
	borderWidth float32
}

// NewPanel returns a panel for w, drawn with palette.
func NewPanel(w *layouts.Widget, palette *charts.Theme) *Panel {
	p := &Panel{Widget: w, palette: palette, dirty: make(chan struct{}, 1), scale: 1, post: fyne.Do}
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
//
// A result that carries the very data the panel already drew (a failing
// source's stale repeat of its last good answer) redraws nothing: the badge
// picks up the new state at the next age tick, within a second. With no
// data to show, the body is the error's message and is redrawn when the
// message changes.
func (p *Panel) Deliver(i int, r *datasources.Result) {
	p.mu.Lock()
	var old *datasources.Result
	if i < len(p.results) {
		old = p.results[i]
		p.results[i] = r
	}
	same := p.rendered && old != nil && r != nil && old.Fetched.Equal(r.Fetched) && sameSeries(old.Series, r.Series) &&
		(len(r.Series) > 0 || Explain(old.Err) == Explain(r.Err))
	p.mu.Unlock()
	if !same {
		p.markDirty()
	}
}

// sameSeries reports whether a and b are the same series values: the same
// points (by identity, as a stale result reuses the last good one's).
func sameSeries(a, b []datasources.Series) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		pa, pb := a[i].Points, b[i].Points
		if len(pa) != len(pb) || a[i].Name != b[i].Name {
			return false
		}
		if len(pa) > 0 && &pa[0] != &pb[0] {
			return false
		}
	}
	return true
}

func (p *Panel) markDirty() {
	select {
	case p.dirty <- struct{}{}:
	default:
	}
}

// snapshot is the combined state of all queries of a panel.
type snapshot struct {
	series   []datasources.Series // the series shown (nil in a status snapshot)
	all      []datasources.Series // every series, before isolation
	empty    bool                 // no series to show
	loading  bool
	stale    bool
	err      error
	fetched  time.Time // oldest fetch among the queries
	from, to time.Time
}

func (p *Panel) snapshot() snapshot { return p.state(true) }

// state is the panel's snapshot; without series it copies none, for the
// once-a-second badge update of every panel on Fyne's goroutine.
func (p *Panel) state(withSeries bool) snapshot {
	p.mu.Lock()
	defer p.mu.Unlock()
	s := snapshot{from: p.from, to: p.to, empty: true}
	for _, r := range p.results {
		if r == nil {
			s.loading = true
			continue
		}
		for i := range r.Series {
			if p.only == "" || r.Series[i].Name == p.only {
				s.empty = false
			}
		}
		if withSeries {
			s.series = append(s.series, r.Series...)
		}
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
	if p.created {
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
	if p.OnZoom == nil || p.Widget.Type != layouts.WidgetTimeSeries {
		return
	}
	if !p.drag.on {
		p.drag.on = true
		p.drag.start = e.Position.X - e.Dragged.DX
	}
	p.drag.end = e.Position.X
	p.Refresh()
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
	p.Refresh()
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
	if !p.visible {
		p.hidden = true // nothing to draw off screen; drawn when scrolled to
		p.mu.Unlock()
		return false
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
		if s.err != nil {
			f.Error = Explain(s.err) // drawn only where there is no data
		}
		if p.decorate != nil {
			p.decorate(&f)
		}
		charts.Draw(buf, p.Widget, s.series, f)
	}
	// Not DoAndWait: Stop runs on Fyne's goroutine and waits for this loop,
	// so the loop must be able to give up waiting when its view stops.
	swapped := make(chan struct{})
	p.post(func() {
		defer close(swapped)
		stopped := ctx.Err() != nil // the view stopped: show nothing new
		p.mu.Lock()
		p.busy &^= 1 << back
		if p.created && !stopped {
			p.shown = back
		}
		p.mu.Unlock()
		if !p.created || stopped {
			return
		}
		p.image = buf
		p.imageGen++
		p.mu.Lock()
		p.shownPx = buf.Rect.Size()
		p.mu.Unlock()
		p.applyStatus(s, now)
		if p.onData != nil {
			p.onData(s.all, s.err)
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

// setVisible says whether the panel is on screen; a panel that becomes
// visible draws what changed while it was not.
func (p *Panel) setVisible(on bool) {
	p.mu.Lock()
	was, pending := p.visible, p.hidden
	p.visible = on
	if on {
		p.hidden = false
	}
	p.mu.Unlock()
	if on && !was && pending {
		p.markDirty()
	}
}

// Visible reports whether the panel is on screen (or near it).
func (p *Panel) Visible() bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.visible
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

// Status is the full text of the panel's badge: "updated 3s ago", "stale
// 12s · timeout", "error", or "" while loading; on Fyne's goroutine.
func (p *Panel) Status() string { return p.look.status }

// Current reports whether the body Fyne shows was drawn at the panel's
// present size.
func (p *Panel) Current() bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.shownPx == p.pxSize
}

// Ready reports whether the panel has shown its first data or error.
func (p *Panel) Ready() bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.rendered
}

// applyStatus shows s as of now in the frame: the header badge, the
// notice, the border; on Fyne's goroutine. The renderer refreshes only what
// changed.
func (p *Panel) applyStatus(s snapshot, now time.Time) {
	p.mu.Lock()
	p.lastNow = now
	p.mu.Unlock()
	p.look = p.lookOf(s, now)
	p.Refresh()
}

// lookOf is the frame for s as of now. An error with no data to show is
// drawn by the chart itself (one message, the most specific), so the
// notice only ever says the panel is loading.
func (p *Panel) lookOf(s snapshot, now time.Time) panelLook {
	pal := p.palette
	l := panelLook{statusColor: pal.TextDim, noticeColor: pal.TextDim, border: pal.Border, borderWidth: 1}
	switch {
	case s.loading && s.err == nil:
		l.notice = "Loading…"
	case s.empty && s.err != nil:
		l.status, l.statusColor = "error", pal.Critical
	case s.stale:
		// Why is on the badge too: "stale 10s · timeout".
		l.status, l.statusColor = staleText(now.Sub(s.fetched)), pal.Warning
		if r := Reason(s.err); r != "" {
			l.status += " · " + r
		}
	case !s.fetched.IsZero():
		l.status = "updated " + Age(now.Sub(s.fetched)) + " ago"
	}
	if s.stale {
		l.border = pal.Warning
	}
	if p.alert != layouts.LevelOK { // its rules fire: the whole frame says so
		l.border, l.borderWidth = pal.LevelColor(p.alert), 3
	}
	return l
}

// header is the panel's header as it fits in width: the title, cut with
// an ellipsis if it must, and the badge. In a narrow panel "updated 3s
// ago" gives way to "3s ago" and then to nothing before the title is cut;
// a stale or error badge is kept.
func (p *Panel) header(width float32, bold fyne.TextStyle) (title, status string, statusW float32) {
	status = p.look.status
	titleNeed := fyne.MeasureText(p.Title(), panelTitleSize, bold).Width
	fits := func(st string) bool {
		return titleNeed+fyne.MeasureText(st, panelStatusSize, fyne.TextStyle{}).Width+3*panelPad <= width
	}
	badgeW := func(st string) float32 { return fyne.MeasureText(st, panelStatusSize, fyne.TextStyle{}).Width }
	if short := strings.TrimPrefix(status, "updated "); short != status {
		switch {
		case fits(status):
		case fits(short):
			status = short
		default:
			status = "" // the age goes before the title is cut
		}
	} else if strings.HasPrefix(status, "stale") {
		// A stale badge matters more than the title's end, but it gives
		// way too: first the reason, then the age; the amber frame stays.
		age, _, _ := strings.Cut(status, " · ")
		const minTitle = 48 // room for a few letters of the title
		chosen := ""
		for _, c := range []string{status, age, "stale"} {
			if badgeW(c)+minTitle+3*panelPad <= width {
				chosen = c
				break
			}
		}
		if chosen == "" && badgeW("stale")+2*panelPad <= width {
			chosen = "stale"
		}
		status = chosen
	}
	if status != "" {
		statusW = min(badgeW(status)+panelPad, max(width-2*panelPad, 0))
	}
	titleW := max(width-2*panelPad-statusW, 0)
	return fitText(p.Title(), titleW, panelTitleSize, bold), status, statusW
}

// fitText cuts s with an ellipsis so that it is at most width wide.
func fitText(s string, width, size float32, style fyne.TextStyle) string {
	if fyne.MeasureText(s, size, style).Width <= width {
		return s
	}
	// The longest prefix that fits with its ellipsis, found by bisection:
	// measuring text is dear, and a wall lays out hundreds of titles.
	r := []rune(s)
	cut := func(n int) string { return strings.TrimRight(string(r[:n]), " ") + "…" }
	lo, hi := 0, len(r)-1 // cut(lo) fits (or lo is 0), cut(hi+1) does not
	for lo < hi {
		mid := (lo + hi + 1) / 2
		if fyne.MeasureText(cut(mid), size, style).Width <= width {
			lo = mid
		} else {
			hi = mid - 1
		}
	}
	if lo == 0 {
		return ""
	}
	return cut(lo)
}

// tick refreshes the age badge; on Fyne's goroutine.
func (p *Panel) tick(now time.Time) {
	if !p.created {
		return
	}
	p.applyStatus(p.state(false), now)
}

// staleText is a stale badge's age: "stale" for the first 5 s, then in
// steps of 5 s up to a minute ("stale 10s"), then as Age does. A wall whose
// source is down then redraws its badges every 5 s, not every second (each
// change of words repaints the window), and an age is never overstated.
func staleText(d time.Duration) string {
	switch {
	case d < 5*time.Second:
		return "stale"
	case d < time.Minute:
		return "stale " + Age(d.Truncate(5*time.Second))
	}
	return "stale " + Age(d)
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
	r := &panelRenderer{p: p}
	r.bg = canvas.NewRectangle(pal.Panel)
	r.bg.StrokeColor = pal.Border
	r.bg.StrokeWidth = 1
	r.bg.CornerRadius = 6
	r.title = canvas.NewText(p.Title(), pal.Text)
	r.title.TextSize = panelTitleSize
	r.title.TextStyle.Bold = true
	r.status = canvas.NewText("", pal.TextDim)
	r.status.TextSize = panelStatusSize
	r.status.Alignment = fyne.TextAlignTrailing
	r.body = canvas.NewImageFromImage(image.NewRGBA(image.Rect(0, 0, 1, 1)))
	r.body.FillMode = canvas.ImageFillStretch
	r.body.ScaleMode = canvas.ImageScaleFastest
	r.sel = canvas.NewRectangle(withAlpha(pal.Series[0], 60))
	r.sel.StrokeColor = pal.Series[0]
	r.sel.StrokeWidth = 1
	r.sel.Hide()
	r.notice = canvas.NewText("Loading…", pal.TextDim)
	r.notice.TextSize = panelTitleSize
	r.notice.Alignment = fyne.TextAlignCenter
	r.objects = []fyne.CanvasObject{r.bg, r.body, r.title, r.status, r.notice, r.sel}
	p.look = panelLook{notice: "Loading…", noticeColor: pal.TextDim, statusColor: pal.TextDim, border: pal.Border, borderWidth: 1}
	r.shown = p.look
	p.created = true
	return r
}

// panelRenderer draws a Panel's state: its frame (panelLook), the body
// image last handed over, and the drag selection.
type panelRenderer struct {
	p       *Panel
	bg      *canvas.Rectangle
	title   *canvas.Text
	status  *canvas.Text
	body    *canvas.Image
	notice  *canvas.Text
	sel     *canvas.Rectangle
	objects []fyne.CanvasObject
	shown   panelLook // what the objects show
	bodyGen int       // the hand-over the body shows
	fit     struct {  // what the header was last fitted for
		ok           bool
		width        float32
		badge, title string
	}
	size fyne.Size // the size the header was laid out for
}

func (r *panelRenderer) Layout(size fyne.Size) {
	p := r.p
	r.size = size
	r.bg.Resize(size)
	r.layoutHeader()
	bodyPos := fyne.NewPos(bodyOffsetX, p.bodyTop())
	bodySize := fyne.NewSize(max(size.Width-2, 0), max(size.Height-bodyPos.Y-1, 0))
	r.body.Move(bodyPos)
	r.body.Resize(bodySize)
	r.notice.Move(fyne.NewPos(panelPad, bodyPos.Y+bodySize.Height/2-panelTitleSize))
	r.notice.Resize(fyne.NewSize(max(size.Width-2*panelPad, 0), 2*panelTitleSize))

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

// layoutHeader fits the title and the badge on one line. Measuring text
// is dear, so the fit is kept until the width or the badge changes.
func (r *panelRenderer) layoutHeader() {
	if r.fit.ok && r.fit.width == r.size.Width && r.fit.badge == r.p.look.status && r.fit.title == r.p.Title() {
		return
	}
	title, status, statusW := r.p.header(r.size.Width, r.title.TextStyle)
	r.fit.ok, r.fit.width, r.fit.badge, r.fit.title = true, r.size.Width, r.p.look.status, r.p.Title()
	r.title.Text, r.status.Text = title, status
	titleW := max(r.size.Width-2*panelPad-statusW, 0)
	r.title.Move(fyne.NewPos(panelPad, panelPad/2))
	r.title.Resize(fyne.NewSize(titleW, panelTitleH))
	r.status.Move(fyne.NewPos(r.size.Width-panelPad-statusW, panelPad/2+4))
	r.status.Resize(fyne.NewSize(statusW, panelTitleH-4))
}

func (r *panelRenderer) MinSize() fyne.Size {
	return fyne.NewSize(120, panelTitleH+60)
}

// Refresh shows the panel's state, refreshing only the objects whose part
// of it changed: a new body repaints the body, an age that reads the same
// repaints nothing.
func (r *panelRenderer) Refresh() {
	p := r.p
	pal := p.palette
	if p.image != nil && r.bodyGen != p.imageGen {
		r.body.Image, r.bodyGen = p.image, p.imageGen
		r.body.Refresh()
	}
	l := p.look
	oldTitle, oldStatus := r.title.Text, r.status.Text
	r.layoutHeader()
	if r.title.Color != pal.Text {
		r.title.Color = pal.Text
		oldTitle = "\x00"
	}
	if r.title.Text != oldTitle {
		r.title.Refresh()
	}
	if r.status.Text != oldStatus || l.statusColor != r.shown.statusColor {
		r.status.Color = l.statusColor
		r.status.Refresh()
	}
	if l.notice != r.shown.notice || l.noticeColor != r.shown.noticeColor {
		r.notice.Text, r.notice.Color = l.notice, l.noticeColor
		r.notice.Hidden = l.notice == ""
		r.notice.Refresh()
	}
	if l.border != r.shown.border || l.borderWidth != r.shown.borderWidth || r.bg.FillColor != color.Color(pal.Panel) {
		r.bg.FillColor = pal.Panel
		r.bg.StrokeColor, r.bg.StrokeWidth = l.border, l.borderWidth
		r.bg.Refresh()
	}
	r.shown = l
	if d := p.drag; d.on {
		x0, x1 := min(d.start, d.end), max(d.start, d.end)
		r.sel.Move(fyne.NewPos(x0, panelTitleH))
		r.sel.Resize(fyne.NewSize(x1-x0, r.size.Height-panelTitleH-panelPad))
		r.sel.Show()
		r.sel.Refresh()
	} else if r.sel.Visible() {
		r.sel.Hide()
	}
}

func (r *panelRenderer) Objects() []fyne.CanvasObject { return r.objects }

func (r *panelRenderer) Destroy() {}
