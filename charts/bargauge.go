package charts

import (
	"math"

	"github.com/wallboard/wallboard/datasources"
	"github.com/wallboard/wallboard/layouts"
)

func drawBarGauge(c *canvas, w *layouts.Widget, series []datasources.Series, f Frame) {
	th := c.th
	sc := c.sc
	W, H := float64(c.w), float64(c.h)
	pad := c.px(8)
	n := len(series)

	// Reduced values and their range.
	sc.vals = growF64(sc.vals, n)
	lo, hi := math.Inf(1), math.Inf(-1)
	for i := range series {
		v, ok := widgetReduce(w, series[i])
		if !ok {
			v = math.NaN()
		}
		sc.vals[i] = v
		if finite(v) {
			lo, hi = min(lo, v), max(hi, v)
		}
	}
	vmin, vmax := valueBounds(w, lo, hi, false)

	// Rows: as tall as fits up to 56 logical px; too many for 1.6 lines
	// of the small text each and the rest becomes "+N more".
	minRow := c.smallText() * 1.6
	rowH := min(H/float64(n), c.px(56))
	shown := n
	moreH := 0.0
	if rowH < minRow {
		moreH = c.smallText() * 1.4
		shown = max(1, int((H-moreH)/minRow))
		rowH = (H - moreH) / float64(shown)
	}
	names := c.seriesNames(series)
	// Text as large as the rows allow, but smaller (down to 14) rather
	// than cutting names short.
	var nf, vf *face
	var nameW, valW float64
	for fs := c.s * math.Round(clampF(rowH/c.s*0.42, 14, 26)); ; fs -= c.s {
		nf, vf = getFace(fontRegular, fs), getFace(fontBold, fs)
		nameW, valW = 0, 0
		for i := 0; i < shown; i++ {
			nameW = max(nameW, nf.measure(names[i]))
			valW = max(valW, vf.measure(c.fmtWidget(w, sc.vals[i])))
		}
		if nameW <= 0.32*W || fs-c.s < 14*c.s {
			break
		}
	}
	nameW = min(nameW, 0.32*W)
	barX0 := pad + nameW + c.px(10)
	barX1 := W - pad - valW - c.px(10)
	if barX1-barX0 < c.px(30) { // no room for names
		nameW = 0
		barX0 = pad
	}
	barW := barX1 - barX0
	top := max(0, (H-moreH-rowH*float64(shown))/2)
	warn, crit := thresholdValues(w)
	for i := 0; i < shown; i++ {
		v := sc.vals[i]
		mid := math.Round(top + (float64(i)+0.5)*rowH)
		barH := math.Round(min(rowH*0.62, c.px(30)))
		if nameW > 0 {
			name := c.truncate(nf, names[i], nameW)
			c.textMid(nf, name, pad, mid, alignLeft, th.Text)
		}
		valCol := th.valueColor(w.Thresholds, v, th.seriesColor(i))
		textCol := th.valueColor(w.Thresholds, v, th.Text)
		if !finite(v) {
			textCol = th.TextDim
		}
		c.textMid(vf, c.fmtWidget(w, v), W-pad, mid, alignRight, textCol)
		if barW <= 0 {
			continue
		}
		y0, y1 := mid-barH/2, mid+barH/2
		c.fillRectF(barX0, y0, barX1, y1, th.Grid)
		x := func(u float64) float64 { return barX0 + barW*clampF((u-vmin)/(vmax-vmin), 0, 1) }
		if !math.IsNaN(v) {
			zero := x(clampF(0, vmin, vmax))
			xv := x(clampF(v, vmin, vmax))
			if xv != zero {
				c.fillRectF(min(zero, xv), y0, max(zero, xv), y1, valCol)
			}
		}
		for _, t := range [2]struct {
			v   float64
			col colorT
		}{{warn, th.Warning}, {crit, th.Critical}} {
			if finite(t.v) && t.v > vmin && t.v < vmax {
				c.vline(x(t.v), y0-c.px(3), y1+c.px(3), c.px(2), t.col)
			}
		}
	}
	if more := n - shown; more > 0 {
		c.text(nf, c.itoa("+", more, " more"), pad, H-c.px(4)-nf.descent, alignLeft, th.TextDim)
	}
}
