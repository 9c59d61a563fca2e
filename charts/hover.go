package charts

import (
	"image"
	"image/color"
	"math"
	"sort"
	"strings"
	"time"

	"github.com/wallboard/wallboard/datasources"
	"github.com/wallboard/wallboard/layouts"
)

// HoverValue is one series' value under the cursor of a time series.
type HoverValue struct {
	// Name is the series' display name, as the legend shows it.
	Name string
	// Value is the sample nearest the cursor; NaN when the series has
	// none near it (a gap, or no data there).
	Value float64
	// Text is Value formatted as the panel formats it (unit, mappings).
	Text string
	// T is the time of that sample (zero when Value is NaN).
	T time.Time
	// Color is the series' colour in the frame's theme.
	Color color.NRGBA
}

// PlotArea returns the rectangle, in the body's pixels (origin at the
// body's top left, device pixels as Frame.Scale gives them), where a time
// series panel of size plots its data; an empty rectangle for other kinds
// or when nothing is plotted.
//
// Time maps linearly across it: the pixel coordinate x (a float; the
// centre of column i is i+0.5) shows the time
//
//	From + (x - Min.X) / Dx() * (To - From)
//
// where From and To are the frame's range (the data's extent when the frame
// has none). So a drag from x0 to x1 over the plot selects the range
// [TimeAt(x0), TimeAt(x1)]. Values map linearly along y, top the highest.
func PlotArea(w *layouts.Widget, series []datasources.Series, f Frame, size image.Point) image.Rectangle {
	if w == nil || w.Type != layouts.WidgetTimeSeries || !hasData(series) {
		return image.Rectangle{}
	}
	c := newLayoutCanvas(size, f)
	defer c.release()
	if !c.ok() {
		return image.Rectangle{}
	}
	l := c.layoutTimeSeries(w, series, f)
	return image.Rect(int(l.plot.x0), int(l.plot.y0), int(l.plot.x1), int(l.plot.y1))
}

// TimeAt returns the time shown at the pixel coordinate x of a time
// series panel of size (see PlotArea), and whether x is over the plot;
// outside, the time is clamped to the plot's range.
func TimeAt(w *layouts.Widget, series []datasources.Series, f Frame, size image.Point, x float64) (time.Time, bool) {
	if w == nil || w.Type != layouts.WidgetTimeSeries || !hasData(series) || !finite(x) {
		return time.Time{}, false
	}
	c := newLayoutCanvas(size, f)
	defer c.release()
	if !c.ok() {
		return time.Time{}, false
	}
	l := c.layoutTimeSeries(w, series, f)
	t, in := l.timeAt(x)
	return time.UnixMilli(t).In(f.From.Location()), in
}

// timeAt maps a pixel coordinate to Unix ms, clamped to the range.
func (l *tsLayout) timeAt(x float64) (int64, bool) {
	in := x >= l.plot.x0 && x <= l.plot.x1
	fx := clampF((x-l.plot.x0)/l.plot.w(), 0, 1)
	return l.from + int64(math.Round(fx*float64(l.to-l.from))), in
}

// Hover returns what a time series panel of size shows at the pixel
// column x (its centre, x+0.5; see PlotArea): the time there and, per
// series in legend order, the nearest sample. ok is false when x is not
// over the plot, the widget is not a time series or there is no data.
// To draw the crosshair too, set Frame.Cursor to t and redraw.
func Hover(w *layouts.Widget, series []datasources.Series, f Frame, size image.Point, x int) (t time.Time, values []HoverValue, ok bool) {
	if w == nil || w.Type != layouts.WidgetTimeSeries || !hasData(series) {
		return time.Time{}, nil, false
	}
	c := newLayoutCanvas(size, f)
	defer c.release()
	if !c.ok() {
		return time.Time{}, nil, false
	}
	l := c.layoutTimeSeries(w, series, f)
	ms, in := l.timeAt(float64(x) + 0.5)
	if !in {
		return time.Time{}, nil, false
	}
	loc := f.From.Location()
	names := c.seriesNames(series)
	tol := l.tolerance(c)
	values = make([]HoverValue, len(series))
	for i := range series {
		hv := HoverValue{Name: strings.Clone(names[i]), Value: math.NaN(), Color: c.th.seriesColor(i)}
		if p, found := nearest(series[i].Points, ms, tol); found {
			hv.Value, hv.T = p.V, time.UnixMilli(p.T).In(loc)
		}
		hv.Text = FormatWidget(w, hv.Value)
		values[i] = hv
	}
	return time.UnixMilli(ms).In(loc), values, true
}

// tolerance is how far from the cursor, in ms, a sample may be to count
// as under it: 10 logical pixels.
func (l *tsLayout) tolerance(c *canvas) int64 {
	if l.pm.kx <= 0 {
		return 0
	}
	return int64(c.px(10) / l.pm.kx)
}

// nearest returns the finite sample of pts (in time order) nearest t,
// within tol ms, or within 0.6 of the series' own average step when that
// is larger.
func nearest(pts []datasources.Point, t, tol int64) (datasources.Point, bool) {
	n := len(pts)
	if n == 0 {
		return datasources.Point{}, false
	}
	if n > 1 {
		tol = max(tol, (pts[n-1].T-pts[0].T)/int64(n-1)*6/10)
	}
	i := sort.Search(n, func(i int) bool { return pts[i].T >= t })
	best, bestD := -1, int64(math.MaxInt64)
	for _, j := range [2]int{i - 1, i} {
		if j < 0 || j >= n {
			continue
		}
		d := pts[j].T - t
		if d < 0 {
			d = -d
		}
		if d < bestD {
			best, bestD = j, d
		}
	}
	if best < 0 || bestD > tol || !finite(pts[best].V) {
		return datasources.Point{}, false
	}
	return pts[best], true
}

// crosshair draws the cursor at t: a vertical line, a dot on each series'
// nearest sample, and a box with the time and the values.
func (c *canvas) crosshair(w *layouts.Widget, series []datasources.Series, l tsLayout, t int64) {
	if t < l.from || t > l.to {
		return
	}
	th := c.th
	pm, plot := l.pm, l.plot
	x := math.Round(pm.x(t))
	c.vline(x, plot.y0, plot.y1, math.Max(1, math.Round(c.px(1.5))), withAlpha(th.Text, 170))
	tol := l.tolerance(c)
	names := c.seriesNames(series)
	stacked := w.Style == styleStacked
	cum := 0.0
	r := c.px(4.5)
	rows := 0
	tf, vf := l.tf, getFace(fontBold, l.fs)
	pad := c.px(8)
	rowH := tf.height() + c.px(4)
	by := plot.y0 + c.px(4)
	// The box stays inside the body: as many rows under the time as fit
	// (the last one "+N more" when series are left out).
	fitRows := int((float64(c.h)-c.px(2)-by-2*pad+c.px(4))/rowH) - 1
	maxRows := fitRows
	if len(series) > fitRows {
		maxRows = fitRows - 1
	}
	nameW, valW := 0.0, 0.0
	sc := c.sc
	sc.items = sc.items[:0]
	for i := range series {
		p, ok := nearest(series[i].Points, t, tol)
		v := math.NaN()
		if ok {
			v = p.V
			y := p.V
			if stacked {
				cum += p.V
				y = cum
			}
			cx, cy := pm.x(p.T), pm.y(y)
			if cy >= plot.y0-r && cy <= plot.y1+r {
				c.arc(cx, cy, 0, r+c.px(1.5), 0, 2*math.Pi, th.Panel)
				c.arc(cx, cy, 0, r, 0, 2*math.Pi, th.seriesColor(i))
			}
		}
		if rows < maxRows {
			val := c.fmtWidget(w, v)
			sc.items = append(sc.items, legendItem{name: names[i], value: val, col: th.seriesColor(i)})
			nameW = max(nameW, tf.measure(names[i]))
			valW = max(valW, vf.measure(val))
			rows++
		}
	}
	// The box: time, then one row per series.
	layout := "15:04:05"
	if l.to-l.from > int64(26*time.Hour/time.Millisecond) {
		layout = "Mon 2 15:04"
	}
	start := len(sc.arena)
	sc.arena = time.UnixMilli(t).In(l.loc).AppendFormat(sc.arena, layout)
	head := c.view(start)
	if more := len(series) - rows; more > 0 && fitRows > 0 {
		rows++
	}
	if fitRows < 0 {
		return // not even the time fits: the line and the dots
	}
	sw := c.px(10)
	// Names give way (cut, then left out) before the box leaves the body;
	// a box that does not fit even so is not drawn.
	maxW := float64(c.w) - 2*c.px(2)
	fixedW := sw + c.px(6) + c.px(12) + valW + 2*pad
	nameW = min(nameW, c.px(180), maxW-fixedW)
	if nameW < tf.measure("ab…") {
		nameW = -c.px(6) // swatch and value only
	}
	boxW := max(tf.measure(head)+2*pad, fixedW+nameW)
	if boxW > maxW {
		return
	}
	boxH := float64(rows+1)*rowH + 2*pad - c.px(4)
	bx := x + c.px(12)
	if bx+boxW > float64(c.w)-c.px(2) {
		bx = x - c.px(12) - boxW
	}
	bx = max(bx, c.px(2))
	c.fillRectF(bx-1, by-1, bx+boxW+1, by+boxH+1, th.Axis)
	c.fillRectF(bx, by, bx+boxW, by+boxH, mix(th.Panel, th.Text, 0.06))
	c.occlude(rect{bx - 1, by - 1, bx + boxW + 1, by + boxH + 1})
	y := by + pad + tf.ascent
	c.text(getFace(fontMedium, l.fs), head, bx+pad, y, alignLeft, th.Text)
	for _, it := range sc.items {
		y += rowH
		mid := y - tf.capTop/2
		c.fillRectF(bx+pad, mid-sw/2, bx+pad+sw, mid+sw/2, it.col)
		if nameW > 0 {
			c.text(tf, c.truncate(tf, it.name, nameW), bx+pad+sw+c.px(6), y, alignLeft, th.TextDim)
		}
		c.text(vf, it.value, bx+boxW-pad, y, alignRight, th.Text)
	}
	if more := len(series) - len(sc.items); more > 0 && fitRows > 0 {
		y += rowH
		c.text(tf, c.itoa("+", more, " more"), bx+pad, y, alignLeft, th.TextDim)
	}
}
