package charts

import (
	"math"

	"github.com/wallboard/wallboard/datasources"
	"github.com/wallboard/wallboard/layouts"
)

// bigValue is a value laid out large: number (with sign and currency) in
// one face and the unit suffix in a smaller one.
type bigValue struct {
	num, suffix string
	nf, sf      *face
	width       float64
}

// fitBigValue sizes text for at most size px, shrinking it to fit maxW
// but not below minSize; the suffix is 55% of the number, but not under
// minSize or 14 logical px (scale).
func fitBigValue(n, s string, size, minSize, maxW, scale float64) bigValue {
	size = max(size, minSize)
	for {
		b := bigValue{num: n, suffix: s, nf: getFace(fontBold, size), sf: getFace(fontMedium, max(size*0.55, min(minSize, 14*scale)))}
		b.width = b.nf.measure(b.num) + b.sf.measure(b.suffix)
		if b.width <= maxW || size <= minSize {
			return b
		}
		size = max(minSize, math.Floor(size*min(0.95, maxW/b.width)))
	}
}

// firstLast returns the first and the last finite value of pts, and
// whether there are two, at different times.
func firstLast(pts []datasources.Point) (first, last float64, ok bool) {
	i, j := 0, len(pts)-1
	for i < len(pts) && !finite(pts[i].V) {
		i++
	}
	for j > i && !finite(pts[j].V) {
		j--
	}
	if j <= i || pts[j].T <= pts[i].T {
		return 0, 0, false
	}
	return pts[i].V, pts[j].V, true
}

// draw draws b centred at cx with its baseline at y.
func (b bigValue) draw(c *canvas, cx, y float64, col colorT) {
	x := c.text(b.nf, b.num, cx-b.width/2, y, alignLeft, col)
	c.text(b.sf, b.suffix, x, y, alignLeft, col)
}

func drawStat(c *canvas, w *layouts.Widget, series []datasources.Series, f Frame) {
	th := c.th
	W, H := float64(c.w), float64(c.h)
	pad := c.px(8)
	s0 := series[0]
	v, ok := widgetReduce(w, s0)
	if !ok {
		v = math.NaN()
	}
	hasTh := hasThresholds(w)
	level := layouts.LevelOK
	if hasTh {
		level = w.Thresholds.Level(v)
	}
	valCol := th.valueColor(w.Thresholds, v, th.Text)
	if !ok {
		valCol = th.TextDim
	}
	// A breached threshold tints the whole body: visible across a room.
	if level != layouts.LevelOK {
		c.clear(mix(th.Panel, th.LevelColor(level), 0.14))
	}

	small := getFace(fontMedium, c.smallText())
	top := 0.0
	// "+N series" only when the value still fits under it at its
	// smallest: the value matters more.
	noteFits := 3*pad+small.height()+getFace(fontBold, c.px(24)).capTop <= H
	if n := len(series) - 1; n > 0 && noteFits {
		note := c.itoa("+", n, " series")
		c.text(small, note, W-pad, pad+small.ascent, alignRight, th.TextDim)
		top = pad + small.height()
	}

	// Sparkline along the bottom.
	sparkH := 0.0
	if c.logicalH() >= 110 && c.logicalW() >= 120 {
		sparkH = math.Round(0.26 * H)
		sc := c.sc
		from, to := timeRange(f, series)
		r := rect{0, H - sparkH, W, H - c.px(2)}
		lo, hi := math.Inf(1), math.Inf(-1)
		for _, p := range s0.Points {
			if p.T >= from && p.T <= to && finite(p.V) {
				lo, hi = min(lo, p.V), max(hi, p.V)
			}
		}
		if lo <= hi {
			if hi == lo {
				lo, hi = lo-1, hi+1
			}
			pm := newPlotXY(rect{r.x0, r.y0 + c.px(3), r.x1, r.y1}, from, to, lo, hi)
			sparkCol := valCol
			if !hasTh || !ok {
				sparkCol = th.seriesColor(0)
			}
			sc.pts = minMax(sc.pts, s0.Points, from, to, max(1, c.w), gapLimit(s0.Points, f.Step))
			sc.xy = pm.appendXY(sc.xy[:0], sc.pts)
			clip := c.clipOf(r)
			c.fillUnder(sc.xy, r.y1, clip, withAlpha(sparkCol, 40))
			c.polyline(sc.xy, c.px(1.5), withAlpha(sparkCol, 220), clip)
		}
	}

	// Change from the start of the range to now: only when there is an
	// earlier value to compare with (a single sample has no change, not
	// "= 0%").
	n, s := c.widgetParts(w, v)
	_, isMapped := mapped(w, v)
	isMapped = isMapped && ok
	change, changeCol := "", th.TextDim
	if c.logicalH() >= 90 && !isMapped {
		first, last, ok := firstLast(s0.Points)
		if ok {
			d := last - first
			arrow := "▲ "
			if d < 0 {
				arrow = "▼ "
			} else if d == 0 {
				arrow = "= "
			}
			start := len(c.sc.arena)
			c.sc.arena = append(c.sc.arena, arrow...)
			if first != 0 {
				c.sc.arena, _, _ = appendValue(c.sc.arena, math.Abs(d/first*100), "percent", nil)
			} else {
				c.sc.arena, _, _ = appendValue(c.sc.arena, math.Abs(d), w.Unit, nil)
			}
			change = c.view(start)
			if hasTh && d != 0 {
				bad := d > 0
				if w.Thresholds.Direction == "below" {
					bad = !bad
				}
				changeCol = th.OK
				if bad {
					changeCol = th.Warning
				}
			}
		}
	}
	var cf *face
	changeH := 0.0
	if change != "" {
		cf = getFace(fontMedium, c.s*math.Round(clampF(0.075*c.logicalH(), 14, 30)))
		changeH = cf.capTop + c.px(14)
	}

	// The big value fills what is left.
	areaTop, areaBot := top+pad, H-sparkH-pad
	avail := areaBot - areaTop - changeH
	size := min(0.40*H, avail/0.75)
	bv := fitBigValue(n, s, math.Floor(size), c.px(24), W-2*pad, c.s)
	blockH := bv.nf.capTop + changeH
	y := areaTop + (areaBot-areaTop-blockH)/2 + bv.nf.capTop
	y = max(y, areaTop+bv.nf.capTop)
	bv.draw(c, W/2, y, valCol)
	if change != "" {
		c.text(cf, change, W/2, y+changeH, alignCenter, changeCol)
	}
}
