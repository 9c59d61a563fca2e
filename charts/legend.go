package charts

import (
	"math"

	"github.com/wallboard/wallboard/datasources"
	"github.com/wallboard/wallboard/layouts"
)

// legendItem is one placed legend entry.
type legendItem struct {
	name, value string
	col         colorT
	x, y        float64 // top left
}

// legend is a laid out legend: rows of items at the bottom of a panel.
type legend struct {
	items  []legendItem
	more   int // series not shown
	moreX  float64
	moreY  float64
	height float64
	name   *face
	value  *face
	rowH   float64
}

// layoutLegend flows one item per series (swatch, name, last value) in
// rows across [x0, x1], at most maxRows rows, with names truncated to fit
// and "+N more" when not all fit. Item positions are relative to the
// legend's top.
func (c *canvas) layoutLegend(w *layouts.Widget, series []datasources.Series, x0, x1 float64, maxRows int, nf, vf *face) legend {
	lg := legend{name: nf, value: vf, items: c.sc.items[:0]}
	lg.rowH = math.Ceil(nf.height() + c.px(6))
	sw := c.px(10) + c.px(6)
	gap := c.px(18)
	avail := x1 - x0
	x, row := x0, 0
	placed := 0
	names := c.seriesNames(series)
	for i := range series {
		name := names[i]
		val := NoValue
		if v, ok := Reduce(series[i], "last"); ok {
			val = c.fmtWidget(w, v)
		}
		vw := vf.measure(val)
		nameMax := avail - sw - c.px(6) - vw
		if len(series) <= 2 {
			nameMax = min(nameMax, max(avail*0.6, c.px(80)))
		} else { // room for two items a row
			nameMax = min(nameMax, max(avail/2-gap-sw-c.px(6)-vw, c.px(60)))
		}
		name = c.truncate(nf, name, nameMax)
		itemW := sw + nf.measure(name) + c.px(6) + vw
		if x > x0 && x+itemW > x1 {
			row++
			x = x0
		}
		if row >= maxRows {
			break
		}
		lg.items = append(lg.items, legendItem{name: name, value: val, col: c.th.seriesColor(i), x: x, y: float64(row) * lg.rowH})
		placed++
		x += itemW + gap
	}
	lg.more = len(series) - placed
	if lg.more > 0 {
		for lg.more > 0 {
			label := c.itoa("+", lg.more, " more")
			mw := nf.measure(label)
			last := len(lg.items) - 1
			lastRow := float64(maxRows-1) * lg.rowH
			endX := x0
			for j := last; j >= 0 && lg.items[j].y == lastRow; j-- {
				it := lg.items[j]
				endX = max(endX, it.x+sw+nf.measure(it.name)+c.px(6)+vf.measure(it.value)+gap)
			}
			if endX+mw <= x1 || last < 0 || lg.items[last].y != lastRow {
				lg.moreX, lg.moreY = endX, lastRow
				if last >= 0 && lg.items[last].y != lastRow {
					lg.moreX = x0
				}
				break
			}
			lg.items = lg.items[:last]
			lg.more++
		}
	}
	rows := 0
	for _, it := range lg.items {
		rows = max(rows, int(it.y/lg.rowH)+1)
	}
	if lg.more > 0 {
		rows = max(rows, int(lg.moreY/lg.rowH)+1)
	}
	lg.height = float64(rows) * lg.rowH
	c.sc.items = lg.items
	return lg
}

// drawLegend draws lg with its top at y.
func (c *canvas) drawLegend(lg legend, y float64) {
	sq := c.px(10)
	for _, it := range lg.items {
		mid := y + it.y + lg.rowH/2
		c.fillRectF(it.x, mid-sq/2, it.x+sq, mid+sq/2, it.col)
		x := c.textMid(lg.name, it.name, it.x+sq+c.px(6), mid, alignLeft, c.th.TextDim)
		c.textMid(lg.value, it.value, x+c.px(6), mid, alignLeft, c.th.Text)
	}
	if lg.more > 0 {
		c.textMid(lg.name, c.itoa("+", lg.more, " more"), lg.moreX, y+lg.moreY+lg.rowH/2, alignLeft, c.th.TextDim)
	}
}
