package charts

import (
	"math"

	"github.com/wallboard/wallboard/datasources"
	"github.com/wallboard/wallboard/layouts"
)

// Gauge geometry: a 240° arc open at the bottom; angles are in radians,
// clockwise on screen from the +x axis.
const (
	gaugeStart = 150 * math.Pi / 180
	gaugeSweep = 240 * math.Pi / 180
	maxGauges  = 6
)

// valueBounds is a widget's value range for gauges and bars: Min/Max when
// set, 0..100 for percent, 0..1 for percentunit, else from lo..hi (data
// and thresholds), with hi rounded up to a nice number when nice.
func valueBounds(w *layouts.Widget, lo, hi float64, nice bool) (float64, float64) {
	min0, max0 := 0.0, math.NaN()
	switch w.Unit {
	case "percent":
		max0 = 100
	case "percentunit":
		max0 = 1
	}
	if finite(lo) && lo < 0 {
		min0 = lo
	}
	if !finite(max0) {
		max0 = hi
		if !finite(max0) || max0 <= min0 {
			max0 = min0 + 1
		}
		if nice {
			ar := niceRange(min0, max0, 6, w.Unit, true, false)
			max0 = ar.hi
		}
		if finite(lo) && lo < 0 && nice {
			ar := niceRange(min0, max0, 6, w.Unit, false, true)
			min0 = ar.lo
		}
	}
	if w.Min != nil && finite(*w.Min) {
		min0 = *w.Min
	}
	if w.Max != nil && finite(*w.Max) {
		max0 = *w.Max
	}
	if !(max0 > min0) {
		max0 = min0 + 1
	}
	return min0, max0
}

func drawGauge(c *canvas, w *layouts.Widget, series []datasources.Series, f Frame) {
	W, H := float64(c.w), float64(c.h)
	n := min(len(series), maxGauges)
	more := len(series) - n
	// Shared range over the gauges shown.
	lo, hi := math.Inf(1), math.Inf(-1)
	for i := 0; i < n; i++ {
		if v, ok := widgetReduce(w, series[i]); ok && finite(v) {
			lo, hi = min(lo, v), max(hi, v)
		}
	}
	warn, crit := thresholdValues(w)
	if w.Thresholds != nil && w.Thresholds.Direction != "below" {
		for _, t := range [2]float64{warn, crit} {
			if finite(t) {
				hi = max(hi, t*1.1)
			}
		}
	}
	vmin, vmax := valueBounds(w, lo, hi, true)

	small := getFace(fontRegular, c.smallText())
	bottom := H
	if more > 0 {
		bottom -= small.height() + c.px(4)
		c.text(small, c.itoa("+", more, " more"), W/2, H-c.px(4)-small.descent, alignCenter, c.th.TextDim)
	}
	// Grid of cells maximising the gauge radius.
	best, bestR := 1, 0.0
	for cols := 1; cols <= n; cols++ {
		rows := (n + cols - 1) / cols
		r := gaugeRadius(c, W/float64(cols), bottom/float64(rows), n > 1, small)
		if r > bestR {
			best, bestR = cols, r
		}
	}
	cols := best
	rows := (n + cols - 1) / cols
	cw, ch := W/float64(cols), bottom/float64(rows)
	names := c.seriesNames(series[:n])
	for i := 0; i < n; i++ {
		r := rect{float64(i%cols) * cw, float64(i/cols) * ch, 0, 0}
		r.x1, r.y1 = r.x0+cw, r.y0+ch
		name := ""
		if n > 1 {
			name = names[i]
		}
		v, ok := widgetReduce(w, series[i])
		if !ok {
			v = math.NaN()
		}
		c.gauge(w, r, name, v, vmin, vmax, small)
	}
}

// gaugeRadius is the outer radius of a gauge in a cell of cw x ch.
func gaugeRadius(c *canvas, cw, ch float64, named bool, small *face) float64 {
	pad := c.px(8)
	hAvail := ch - 2*pad - small.height() - c.px(2)
	if named {
		hAvail -= small.height() + c.px(4)
	}
	return max(0, min(cw/2-pad, hAvail/1.5))
}

// gauge draws one gauge in cell r.
func (c *canvas) gauge(w *layouts.Widget, r rect, name string, v, vmin, vmax float64, small *face) {
	th := c.th
	pad := c.px(8)
	R := gaugeRadius(c, r.w(), r.h(), name != "", small)
	bandW := max(c.px(3), 0.05*R)
	gap := max(c.px(2), 0.025*R)
	arcW := 0.17 * R
	rv1 := R - bandW - gap
	rv0 := rv1 - arcW
	n, s := c.widgetParts(w, v)
	size := min(0.34*c.logicalH()*c.s, 0.62*rv0)
	bv := fitBigValue(n, s, math.Floor(size), c.px(16), 1.7*rv0, c.s)
	if R < c.px(12) || bv.width > 2*rv0 {
		// Too small for an arc with the value inside: the value alone.
		bv := fitBigValue(n, s, max(r.h()*0.5, c.px(14)), c.px(14), r.w()-pad, c.s)
		bv.draw(c, (r.x0+r.x1)/2, (r.y0+r.y1)/2+bv.nf.capTop/2, th.valueColor(w.Thresholds, v, th.Text))
		return
	}
	top := r.y0 + pad
	if name != "" {
		c.text(small, c.truncate(small, name, r.w()-2*pad), (r.x0+r.x1)/2, top+small.ascent, alignCenter, th.TextDim)
		top += small.height() + c.px(4)
	}
	// Centre the block (arc 1.5R, labels) in what is left.
	blockH := 1.5*R + c.px(2) + small.height()
	top += max(0, (r.y1-pad-top-blockH)/2)
	cx, cy := (r.x0+r.x1)/2, top+R

	frac := func(x float64) float64 { return clampF((x-vmin)/(vmax-vmin), 0, 1) }
	ang := func(x float64) float64 { return gaugeStart + gaugeSweep*frac(x) }

	// Threshold bands on the outer ring.
	warn, crit := thresholdValues(w)
	if finite(warn) || finite(crit) {
		// Band edges in value order; a band is coloured by the level of
		// its middle.
		edges := [4]float64{vmin, vmin, vmin, vmax}
		cuts := 1
		for _, t := range sortedPair(warn, crit) {
			if finite(t) && t > vmin && t < vmax {
				edges[cuts] = t
				cuts++
			}
		}
		edges[cuts] = vmax
		for k := 0; k < cuts; k++ {
			a, b := edges[k], edges[k+1]
			col := th.LevelColor(w.Thresholds.Level((a + b) / 2))
			c.arc(cx, cy, R-bandW, R, ang(a), ang(b), col)
		}
	}
	// Value arc, and the empty track after it.
	valCol := th.valueColor(w.Thresholds, v, th.seriesColor(0))
	end := gaugeStart
	if !math.IsNaN(v) {
		end = ang(v) // ±Inf clamp to the ends
		c.arc(cx, cy, rv0, rv1, gaugeStart, end, valCol)
	}
	c.arc(cx, cy, rv0, rv1, end, gaugeStart+gaugeSweep, th.Grid)

	// Value in the middle.
	textCol := th.valueColor(w.Thresholds, v, th.Text)
	if !finite(v) && !math.IsInf(v, 0) {
		textCol = th.TextDim
	}
	vy := cy + bv.nf.capTop*0.45
	bv.draw(c, cx, vy, textCol)

	// Min and max under the arc's ends, when they fit: apart, inside the
	// cell and clear of the value; else they go before the value does.
	ly := cy + 0.5*R + c.px(2) + small.ascent
	ex := math.Cos(gaugeStart) * (rv0 + R) / 2
	smin, smax := c.fmtWidget(w, vmin), c.fmtWidget(w, vmax)
	value := rect{cx - bv.width/2, vy - bv.nf.capTop, cx + bv.width/2, vy + bv.nf.descent}
	if gaugeLabelsFit(r, value, small, smin, smax, cx+ex, cx-ex, ly, c.px(6)) {
		c.text(small, smin, cx+ex, ly, alignCenter, th.TextDim)
		c.text(small, smax, cx-ex, ly, alignCenter, th.TextDim)
	}
}

// gaugeLabelsFit reports whether a gauge's min and max labels, centred at
// x0 and x1 on the baseline y in face f, stay gap apart, inside the cell
// and off the value's box.
func gaugeLabelsFit(cell, value rect, f *face, smin, smax string, x0, x1, y, gap float64) bool {
	w0, w1 := f.measure(smin), f.measure(smax)
	lo := rect{x0 - w0/2, y - f.ascent, x0 + w0/2, y + f.descent}
	hi := rect{x1 - w1/2, y - f.ascent, x1 + w1/2, y + f.descent}
	if lo.x1+gap > hi.x0 {
		return false
	}
	for _, b := range [2]rect{lo, hi} {
		if b.x0 < cell.x0 || b.x1 > cell.x1 || b.y1 > cell.y1 {
			return false
		}
		if b.x0 < value.x1+gap && value.x0-gap < b.x1 && b.y0 < value.y1 && value.y0 < b.y1 {
			return false
		}
	}
	return true
}

func sortedPair(a, b float64) [2]float64 {
	if finite(a) && finite(b) && b < a {
		return [2]float64{b, a}
	}
	return [2]float64{a, b}
}
