package charts

import (
	"math"
	"time"

	"github.com/wallboard/wallboard/datasources"
	"github.com/wallboard/wallboard/layouts"
)

// Timeseries styles (layouts.Widget.Style).
const (
	styleLine    = "line"
	styleArea    = "area"
	styleStacked = "stacked"
	styleBars    = "bars"
)

// plotXY maps values to device pixels inside a plot rectangle.
type plotXY struct {
	r        rect
	from, to int64
	lo, hi   float64
	kx, ky   float64
}

func newPlotXY(r rect, from, to int64, lo, hi float64) plotXY {
	p := plotXY{r: r, from: from, to: to, lo: lo, hi: hi}
	if to > from {
		p.kx = r.w() / float64(to-from)
	}
	if hi > lo {
		p.ky = r.h() / (hi - lo)
	}
	return p
}

func (p plotXY) x(t int64) float64   { return p.r.x0 + float64(t-p.from)*p.kx }
func (p plotXY) y(v float64) float64 { return p.r.y1 - (v-p.lo)*p.ky }

// appendXY converts points to pixel pairs; a non-finite value becomes a
// NaN pair (a break).
func (p plotXY) appendXY(xy []float32, pts []datasources.Point) []float32 {
	nan := float32(math.NaN())
	for _, q := range pts {
		if !finite(q.V) {
			xy = append(xy, nan, nan)
			continue
		}
		xy = append(xy, float32(p.x(q.T)), float32(p.y(q.V)))
	}
	return xy
}

// tsLayout is the geometry of a time series panel: what Draw, Hover and
// PlotArea share.
type tsLayout struct {
	from, to   int64
	loc        *time.Location
	fs         float64
	tf, vf     *face
	showAxes   bool
	showLegend bool
	lg         legend
	bottom     float64
	plot       rect
	ar         axisRange
	pm         plotXY
}

// layoutTimeSeries lays out the panel: legend, axes (ticks in sc.tick and
// labels in sc.lbls) and the plot rectangle.
func (c *canvas) layoutTimeSeries(w *layouts.Widget, series []datasources.Series, f Frame) tsLayout {
	sc := c.sc
	W, H := float64(c.w), float64(c.h)
	var l tsLayout
	l.from, l.to = timeRange(f, series)
	l.loc = f.From.Location()
	from, to := l.from, l.to
	fs := c.smallText()
	l.fs = fs
	tf := getFace(fontRegular, fs)
	l.tf, l.vf = tf, getFace(fontMedium, fs)
	pad := c.px(8)
	style := w.Style
	l.showAxes = c.logicalH() >= 100 && c.logicalW() >= 160
	l.showLegend = c.logicalH() >= 150 && c.logicalW() >= 200

	bottom := H - c.px(4)
	if l.showLegend {
		rowH := tf.height() + c.px(6)
		maxRows := max(1, min(3, int(0.25*H/rowH)))
		l.lg = c.layoutLegend(w, series, pad, W-pad, maxRows, tf, l.vf)
		bottom -= l.lg.height + c.px(2)
	}
	l.bottom = bottom
	plot := rect{c.px(4), c.px(4), W - c.px(4), bottom}
	if l.showAxes {
		plot.y0 = math.Ceil(tf.capTop/2 + c.px(6))
		plot.y1 = math.Floor(bottom - (tf.height() + c.px(4)))
		plot.x1 = W - c.px(12)
	}
	if plot.h() < 8 || plot.w() < 8 {
		l.showAxes = false
		plot = rect{0, 0, W, H}
	}

	// Value range: from the data in view (stacked sums or bar means for
	// those styles), the widget's Min/Max, and zero where it belongs.
	widthGuess := max(1, int(plot.w()-tf.measure("0000")))
	lo, hi := math.Inf(1), math.Inf(-1)
	switch style {
	case styleStacked:
		lo, hi = stackedRange(sc, series, from, to, widthGuess, f.Step)
	case styleBars:
		n := barBuckets(c, series, from, to, float64(widthGuess))
		for i := range series {
			sc.vals = columnValues(sc.vals, series[i].Points, from, to, n, false, math.MaxInt64)
			lo, hi = extent(sc.vals, lo, hi)
		}
	default:
		for i := range series {
			for _, p := range series[i].Points {
				if p.T >= from && p.T <= to && finite(p.V) {
					lo, hi = min(lo, p.V), max(hi, p.V)
				}
			}
		}
	}
	if lo > hi { // all values outside the time range
		lo, hi = math.NaN(), math.NaN()
	}
	fixedLo := w.Min != nil && finite(*w.Min)
	fixedHi := w.Max != nil && finite(*w.Max)
	if !fixedLo && finite(lo) {
		if style == styleArea || style == styleStacked || style == styleBars {
			lo = min(lo, 0)
		} else if lo > 0 && lo <= hi-lo {
			lo = 0
		}
	}
	if !fixedHi && finite(hi) && (style == styleArea || style == styleStacked || style == styleBars) {
		hi = max(hi, 0)
	}
	if fixedLo {
		lo = *w.Min
	}
	if fixedHi {
		hi = *w.Max
	}
	if fixedLo && fixedHi && hi < lo {
		lo, hi = hi, lo
	}
	maxTicks := max(2, min(8, int(plot.h()/(fs*2.4))))
	l.ar = niceRange(lo, hi, maxTicks, w.Unit, fixedLo, fixedHi)
	sc.tick = l.ar.ticks(sc.tick)
	if l.showAxes {
		sc.lbls = tickLabels(sc.lbls, &sc.arena, sc.tick, w.Unit)
		lw := 0.0
		for _, s := range sc.lbls {
			lw = max(lw, tf.measure(s))
		}
		// In a narrow body, rates lose their " req/s" on the axis (the
		// legend keeps it) rather than half the plot.
		if u := axisUnit(w.Unit); lw > 0.28*W && u != w.Unit {
			sc.lbls = tickLabels(sc.lbls, &sc.arena, sc.tick, u)
			lw = 0
			for _, s := range sc.lbls {
				lw = max(lw, tf.measure(s))
			}
		}
		plot.x0 = math.Ceil(pad + lw + c.px(8))
		if plot.w() < 8 {
			l.showAxes = false
			plot = rect{0, 0, W, H}
		}
	}
	// Whole pixels, so that PlotArea is exact.
	plot = rect{math.Ceil(plot.x0), math.Ceil(plot.y0), math.Floor(plot.x1), math.Floor(plot.y1)}
	l.plot = plot
	l.pm = newPlotXY(plot, from, to, l.ar.lo, l.ar.hi)
	return l
}

func drawTimeSeries(c *canvas, w *layouts.Widget, series []datasources.Series, f Frame) {
	th := c.th
	sc := c.sc
	W, H := float64(c.w), float64(c.h)
	l := c.layoutTimeSeries(w, series, f)
	from, to := l.from, l.to
	tf, fs, plot, pm, ar := l.tf, l.fs, l.plot, l.pm, l.ar
	style := w.Style
	gridT := math.Max(1, math.Round(c.s))

	// Grid, axes and labels.
	if l.showAxes {
		for i, v := range sc.tick {
			y := math.Round(pm.y(v))
			c.hline(plot.x0, plot.x1, y, gridT, th.Grid)
			c.textMid(tf, sc.lbls[i], plot.x0-c.px(8), y, alignRight, th.TextDim)
		}
		loc := l.loc
		maxX := max(2, int(plot.w()/(tf.measure("00:00")+fs*1.6)))
		sc.tt = timeTicks(sc.tt, &sc.arena, time.UnixMilli(from).In(loc), time.UnixMilli(to).In(loc), maxX)
		base := plot.y1 + c.px(4) + tf.ascent
		lastEnd := math.Inf(-1)
		for _, tk := range sc.tt {
			x := math.Round(pm.x(tk.t.UnixMilli()))
			c.vline(x, plot.y0, plot.y1, gridT, th.Grid)
			lw := tf.measure(tk.label)
			lx := clampF(x-lw/2, plot.x0-c.px(4), W-c.px(2)-lw)
			if lx < lastEnd+c.px(10) {
				continue
			}
			c.text(tf, tk.label, lx, base, alignLeft, th.TextDim)
			lastEnd = lx + lw
		}
		c.hline(plot.x0, plot.x1, math.Round(plot.y1), gridT, th.Axis)
	}

	// Threshold zones and annotations, under the data.
	warn, crit := thresholdValues(w)
	if f.ThresholdBands {
		c.thresholdBands(w, pm, warn, crit)
	}
	c.annotations(f.Annotations, pm, tf)
	for _, tv := range [2]struct {
		v   float64
		col colorT
	}{{warn, th.Warning}, {crit, th.Critical}} {
		if finite(tv.v) && tv.v >= ar.lo && tv.v <= ar.hi {
			c.dashH(plot.x0, plot.x1, pm.y(tv.v), c.px(1.5), c.px(7), c.px(5), tv.col)
		}
	}

	// Data.
	lineW := c.px(2)
	if len(series) > 6 {
		lineW = c.px(1.5)
	}
	grow := int(math.Ceil(lineW/2 + 1))
	clip := c.clipOf(plot)
	clip.y0, clip.y1 = max(0, clip.y0-grow), min(c.h, clip.y1+grow)
	clip.x0, clip.x1 = max(0, clip.x0-grow), min(c.w, clip.x1+grow)
	fillClip := c.clipOf(plot)
	cols := max(1, int(plot.w()))
	// Lines are downsampled to one bucket per line width: the min and
	// max of each, so spikes stay, and no detail finer than the line.
	lineCols := max(1, int(plot.w()/max(1, lineW)))
	switch style {
	case styleStacked:
		c.drawStacked(series, pm, cols, lineW, clip, fillClip, f.Step)
	case styleBars:
		c.drawBars(series, pm, fillClip)
	default:
		if style == styleArea {
			base := pm.y(clampF(0, ar.lo, ar.hi))
			for i := range series {
				sc.pts = minMax(sc.pts, series[i].Points, from, to, lineCols, gapLimit(series[i].Points, f.Step))
				sc.xy = pm.appendXY(sc.xy[:0], sc.pts)
				c.fillUnder(sc.xy, base, fillClip, withAlpha(th.seriesColor(i), 56))
			}
		}
		for i := range series {
			sc.pts = minMax(sc.pts, series[i].Points, from, to, lineCols, gapLimit(series[i].Points, f.Step))
			sc.xy = pm.appendXY(sc.xy[:0], sc.pts)
			c.polyline(sc.xy, lineW, th.seriesColor(i), clip)
		}
	}

	if l.showLegend {
		c.drawLegend(l.lg, H-c.px(4)-l.lg.height)
	}
	if !f.Cursor.IsZero() {
		c.crosshair(w, series, l, f.Cursor.UnixMilli())
	}
}

// thresholdBands shades the zones beyond the warning and critical
// thresholds, in the threshold direction.
func (c *canvas) thresholdBands(w *layouts.Widget, pm plotXY, warn, crit float64) {
	below := w.Thresholds != nil && w.Thresholds.Direction == layouts.DirectionBelow
	// Each zone runs from its threshold to the next worse one, or to the
	// edge of the plot.
	edge := pm.r.y0
	if below {
		edge = pm.r.y1
	}
	zone := func(from, to float64, col colorT) {
		y0 := clampF(pm.y(from), pm.r.y0, pm.r.y1)
		y1 := edge
		if finite(to) {
			y1 = clampF(pm.y(to), pm.r.y0, pm.r.y1)
		}
		if y1 < y0 {
			y0, y1 = y1, y0
		}
		c.fillRectF(pm.r.x0, y0, pm.r.x1, y1, col)
	}
	critWorse := finite(crit) && finite(warn) && ((!below && crit > warn) || (below && crit < warn))
	if finite(warn) {
		to := math.NaN()
		if critWorse {
			to = crit
		}
		zone(warn, to, withAlpha(c.th.Warning, 30))
	}
	if finite(crit) {
		zone(crit, math.NaN(), withAlpha(c.th.Critical, 36))
	}
}

// annotations draws time regions: a translucent band over the plot in the
// level's colour, a bar along its top and its text in the band when it
// fits; an instant is a dashed line.
func (c *canvas) annotations(as []Annotation, pm plotXY, tf *face) {
	placed := c.sc.boxes[:0]
	for _, a := range as {
		col := c.th.Info
		switch a.Level {
		case layouts.LevelWarning:
			col = c.th.Warning
		case layouts.LevelCritical:
			col = c.th.Critical
		}
		if a.From.IsZero() {
			continue
		}
		t0, t1 := a.From.UnixMilli(), a.To.UnixMilli()
		if !a.To.After(a.From) {
			t1 = t0
		}
		if t1 < pm.from || t0 > pm.to {
			continue
		}
		x0 := clampF(pm.x(t0), pm.r.x0, pm.r.x1)
		x1 := x0
		if a.To.After(a.From) {
			x1 = clampF(pm.x(t1), pm.r.x0, pm.r.x1)
		}
		barH := math.Max(2, math.Round(c.px(3)))
		if x1-x0 < c.px(2) {
			c.dashV(x0, pm.r.y0, pm.r.y1, c.px(2), c.px(5), c.px(4), withAlpha(col, 200))
			x1 = x0 + c.px(2)
		} else {
			c.fillRectF(x0, pm.r.y0, x1, pm.r.y1, withAlpha(col, 40))
		}
		c.fillRectF(x0, pm.r.y0, x1, pm.r.y0+barH, col)
		if a.Text == "" {
			continue
		}
		// The label starts in the band and may run past it; near the right
		// edge it ends there instead. At most 60% of the plot wide.
		s := c.truncate(tf, a.Text, max(0.6*pm.r.w(), x1-x0))
		if s == "" {
			continue
		}
		lw := tf.measure(s)
		lx := x0 + c.px(4)
		if lx+lw > pm.r.x1-c.px(4) {
			lx = max(pm.r.x0+c.px(4), pm.r.x1-c.px(4)-lw)
		}
		// Under the labels already placed when they would collide.
		ly := pm.r.y0 + barH + c.px(3)
		box := rect{lx - c.px(2), ly, lx + lw + c.px(2), ly + tf.height()}
		for tries := 0; tries < 3; tries++ {
			clash := false
			for _, o := range placed {
				if box.x0 < o.x1 && o.x0 < box.x1 && box.y0 < o.y1 && o.y0 < box.y1 {
					clash = true
					break
				}
			}
			if !clash {
				break
			}
			box.y0 += tf.height() + c.px(2)
			box.y1 += tf.height() + c.px(2)
		}
		if box.y1 > pm.r.y1 {
			continue
		}
		placed = append(placed, box)
		c.fillRectF(box.x0, box.y0, box.x1, box.y1, withAlpha(c.th.Panel, 200))
		c.text(tf, s, lx, box.y0+tf.ascent, alignLeft, col)
	}
	c.sc.boxes = placed
}

// axisUnit is the unit of axis labels in a narrow body: rates and
// unknown units without their suffix; units whose suffix is their scale
// (time, bytes, percent, money) as they are.
func axisUnit(unit string) string {
	switch unit {
	case "reqps", "ops":
		return "short"
	case "percent", "percentunit", "s", "ms", "bytes", "Bps", "bps", "currencyUSD", "short", "none", "":
		return unit
	}
	return "short"
}

// extent widens [lo, hi] by the finite values of vs.
func extent(vs []float64, lo, hi float64) (float64, float64) {
	for _, v := range vs {
		if finite(v) {
			lo, hi = min(lo, v), max(hi, v)
		}
	}
	return lo, hi
}

func growF64(s []float64, n int) []float64 {
	if cap(s) < n {
		return make([]float64, n)
	}
	return s[:n]
}

func growF32(s []float32, n int) []float32 {
	if cap(s) < n {
		return make([]float32, n)
	}
	return s[:n]
}

// columnValues resamples pts to n columns over [from, to]: each column
// the mean of its finite points; with interpolate, an empty column
// between two values not separated by a gap (a non-finite value, or two
// samples more than limit ms apart) takes the linear interpolation. Other
// columns are NaN.
func columnValues(vals []float64, pts []datasources.Point, from, to int64, n int, interpolate bool, limit int64) []float64 {
	vals = growF64(vals, n)
	nan := math.NaN()
	for i := range vals {
		vals[i] = nan
	}
	if n <= 0 || to <= from {
		return vals
	}
	span := float64(to - from)
	cur, cnt, sum := math.MinInt, 0, 0.0
	lastC, lastV, haveLast := 0, 0.0, false
	var prevT int64
	havePrev := false
	closeCol := func() {
		if cnt > 0 {
			m := sum / float64(cnt)
			if cur >= 0 && cur < n {
				vals[cur] = m
			}
			lastC, lastV, haveLast = cur, m, true
		}
		cnt, sum = 0, 0
	}
	for _, p := range pts {
		if !finite(p.V) || (havePrev && p.T-prevT > limit) {
			// A gap: nothing is interpolated across it.
			closeCol()
			haveLast = false
			cur = math.MinInt
		}
		if !finite(p.V) {
			havePrev = false
			continue
		}
		prevT, havePrev = p.T, true
		fc := math.Floor(float64(p.T-from) / span * float64(n))
		if fc < -1 || fc > float64(n) {
			fc = max(-1, min(fc, float64(n)))
		}
		col := int(fc)
		if col != cur {
			closeCol()
			if interpolate && haveLast && col > lastC+1 {
				for k := max(lastC+1, 0); k < min(col, n); k++ {
					f := float64(k-lastC) / float64(col-lastC)
					vals[k] = lastV + (p.V-lastV)*f
				}
			}
			cur = col
		}
		cnt++
		sum += p.V
	}
	closeCol()
	return vals
}

// stackedRange is the value range of the series stacked per column, not
// interpolated across gaps (step as in Frame.Step).
func stackedRange(sc *scratch, series []datasources.Series, from, to int64, cols int, step time.Duration) (float64, float64) {
	sc.cum = growF64(sc.cum, cols)
	clear(sc.cum)
	lo, hi := math.Inf(1), math.Inf(-1)
	for i := range series {
		sc.vals = columnValues(sc.vals, series[i].Points, from, to, cols, true, gapLimit(series[i].Points, step))
		for k, v := range sc.vals {
			if finite(v) {
				sc.cum[k] += v
				lo, hi = min(lo, sc.cum[k]), max(hi, sc.cum[k])
			}
		}
	}
	return lo, hi
}

// drawStacked draws series stacked per pixel column: bands filled between
// the running sums, then each sum's line on top; a series' band and line
// break where its data has a gap (step as in Frame.Step).
func (c *canvas) drawStacked(series []datasources.Series, pm plotXY, cols int, lineW float64, clip, fillClip irect, step time.Duration) {
	sc := c.sc
	sc.cum = growF64(sc.cum, cols)
	clear(sc.cum)
	stride := 2 * cols
	sc.xy = growF32(sc.xy, stride*len(series))
	nan := float32(math.NaN())
	colW := pm.r.w() / float64(cols)
	for i := range series {
		sc.vals = columnValues(sc.vals, series[i].Points, pm.from, pm.to, cols, true, gapLimit(series[i].Points, step))
		col := withAlpha(c.th.seriesColor(i), 110)
		xy := sc.xy[i*stride : (i+1)*stride]
		for k, v := range sc.vals {
			if !finite(v) {
				xy[2*k], xy[2*k+1] = nan, nan
				continue
			}
			y0 := pm.y(sc.cum[k])
			sc.cum[k] += v
			y1 := pm.y(sc.cum[k])
			x := pm.r.x0 + (float64(k)+0.5)*colW
			xy[2*k], xy[2*k+1] = float32(x), float32(y1)
			c.fillColumn(int(math.Floor(x)), min(y0, y1), max(y0, y1), col, fillClip)
		}
	}
	for i := range series {
		c.polyline(sc.xy[i*stride:(i+1)*stride], lineW, c.th.seriesColor(i), clip)
	}
}

// barBuckets is how many time buckets bars get: one per point when there
// is room, else as many as fit with bars at least 3 px wide.
func barBuckets(c *canvas, series []datasources.Series, from, to int64, width float64) int {
	most := 0
	for i := range series {
		n := 0
		for _, p := range series[i].Points {
			if p.T >= from && p.T <= to {
				n++
			}
		}
		most = max(most, n)
	}
	k := max(1, len(series))
	fit := int(width / (c.px(3)*float64(k) + c.px(2)))
	return max(1, min(most, fit))
}

// drawBars draws grouped bars, one group per time bucket.
func (c *canvas) drawBars(series []datasources.Series, pm plotXY, clip irect) {
	sc := c.sc
	n := barBuckets(c, series, pm.from, pm.to, pm.r.w())
	bw := pm.r.w() / float64(n)
	gap := max(1, math.Round(bw*0.2))
	k := float64(len(series))
	each := max(1, (bw-gap)/k)
	base := pm.y(clampF(0, pm.lo, pm.hi))
	for i := range series {
		sc.vals = columnValues(sc.vals, series[i].Points, pm.from, pm.to, n, false, math.MaxInt64)
		col := c.th.seriesColor(i)
		for b, v := range sc.vals {
			if !finite(v) {
				continue
			}
			x0 := pm.r.x0 + float64(b)*bw + gap/2 + float64(i)*each
			y := clampF(pm.y(v), float64(clip.y0), float64(clip.y1))
			c.fillRectF(x0, min(y, base), x0+each-min(1, each/4), max(y, base), col)
		}
	}
}

// fillColumn fills pixel column x between y0 < y1 (fractional ends get
// partial coverage), within clip.
func (c *canvas) fillColumn(x int, y0, y1 float64, col colorT, clip irect) {
	if x < clip.x0 || x >= clip.x1 {
		return
	}
	y0 = max(y0, float64(clip.y0))
	y1 = min(y1, float64(clip.y1))
	if !(y1 > y0) {
		return
	}
	iy0, iy1 := int(math.Floor(y0)), int(math.Ceil(y1))
	full := newPaint(col, 255)
	for y := iy0; y < iy1; y++ {
		o := y*c.stride + x*4
		if y > iy0 && y < iy1-1 {
			full.over(c.pix[o:])
			continue
		}
		cov := min(float64(y+1), y1) - max(float64(y), y0)
		if cov > 0 {
			blend(c.pix, o, col, uint32(cov*255+0.5))
		}
	}
}

// fillUnder fills between the polyline xy and the baseline y base, per
// pixel column, using the line's extent within each column.
func (c *canvas) fillUnder(xy []float32, base float64, clip irect, col colorT) {
	sc := c.sc
	sc.tops = growF32(sc.tops, c.w)
	sc.bots = growF32(sc.bots, c.w)
	inf := float32(math.Inf(1))
	for x := clip.x0; x < clip.x1; x++ {
		sc.tops[x], sc.bots[x] = inf, -inf
	}
	n := len(xy) / 2
	for i := 0; i+1 < n; i++ {
		xa, ya, xb, yb := xy[2*i], xy[2*i+1], xy[2*i+2], xy[2*i+3]
		if xa != xa || xb != xb || ya != ya || yb != yb {
			continue
		}
		if xb < xa {
			xa, ya, xb, yb = xb, yb, xa, ya
		}
		c0 := max(clip.x0, int(floor32(xa)))
		c1 := min(clip.x1-1, int(floor32(xb)))
		for k := c0; k <= c1; k++ {
			xl, xr := max(xa, float32(k)), min(xb, float32(k+1))
			y0, y1 := ya, yb
			if xb > xa {
				y0 = ya + (xl-xa)*(yb-ya)/(xb-xa)
				y1 = ya + (xr-xa)*(yb-ya)/(xb-xa)
			}
			sc.tops[k] = min(sc.tops[k], y0, y1)
			sc.bots[k] = max(sc.bots[k], y0, y1)
		}
	}
	for x := clip.x0; x < clip.x1; x++ {
		t, b := sc.tops[x], sc.bots[x]
		if t == inf {
			continue
		}
		c.fillColumn(x, min(float64(t), base), max(float64(b), base), col, clip)
	}
}
