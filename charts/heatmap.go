package charts

import (
	"math"
	"slices"
	"strconv"
	"time"

	"github.com/wallboard/wallboard/datasources"
	"github.com/wallboard/wallboard/layouts"
)

// heatLe is one "le" bucket series, by bound.
type heatLe struct {
	le float64
	i  int // series index
}

// heatGrid is a heat map ready to draw: rows x cols cells (row 0 the
// lowest bucket), each a mean count per column or NaN (no data).
type heatGrid struct {
	rows, cols int
	cells      []float64
	// edges are the row bounds (rows+1 values); categorical rows are
	// Prometheus buckets, drawn equally tall.
	edges       []float64
	categorical bool
	max         float64
}

func (g *heatGrid) at(r, k int) float64 { return g.cells[r*g.cols+k] }

// heatColumns is how many time columns a heat map gets: one per sample
// step when they are at least minW wide, else as many as fit.
func heatColumns(series []datasources.Series, from, to int64, width, minW float64) int {
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
	return max(1, min(most, int(width/minW)))
}

// bucketGrid builds the grid from cumulative "le" bucket series (summed
// over their other labels): per column the mean of each bucket series,
// then each bucket's count is its cumulative value minus the one below.
func bucketGrid(sc *scratch, series []datasources.Series, from, to int64, cols int) heatGrid {
	les := sc.les[:0]
	for i := range series {
		le, err := strconv.ParseFloat(series[i].Labels["le"], 64)
		if err != nil || math.IsNaN(le) {
			continue
		}
		les = append(les, heatLe{le, i})
	}
	slices.SortFunc(les, func(a, b heatLe) int {
		switch {
		case a.le < b.le:
			return -1
		case a.le > b.le:
			return 1
		}
		return a.i - b.i
	})
	sc.les = les
	// Distinct bounds.
	rows := 0
	for j := range les {
		if j == 0 || les[j].le != les[j-1].le {
			rows++
		}
	}
	g := heatGrid{rows: rows, cols: cols, categorical: true}
	if rows == 0 {
		return g
	}
	sc.cells = growF64(sc.cells, rows*cols)
	g.cells = sc.cells
	nan := math.NaN()
	for k := range g.cells {
		g.cells[k] = nan
	}
	sc.cum = growF64(sc.cum, rows+1)
	g.edges = sc.cum
	r := -1
	for j, b := range les {
		if j == 0 || b.le != les[j-1].le {
			r++
			g.edges[r+1] = b.le
		}
		sc.vals = columnValues(sc.vals, series[b.i].Points, from, to, cols, false, math.MaxInt64)
		row := g.cells[r*cols : (r+1)*cols]
		for k, v := range sc.vals {
			if !finite(v) {
				continue
			}
			if math.IsNaN(row[k]) {
				row[k] = 0
			}
			row[k] += v
		}
	}
	// The lowest bucket's lower edge: 0 for positive bounds.
	g.edges[0] = 0
	if g.edges[1] <= 0 {
		g.edges[0] = g.edges[1] - 1
	}
	// Cumulative to per bucket, top down.
	for r := rows - 1; r >= 1; r-- {
		for k := 0; k < cols; k++ {
			hi, lo := g.cells[r*cols+k], g.cells[(r-1)*cols+k]
			if finite(hi) && finite(lo) {
				g.cells[r*cols+k] = max(0, hi-lo)
			}
		}
	}
	for _, v := range g.cells {
		if finite(v) {
			g.max = max(g.max, v)
		}
	}
	return g
}

// sampleGrid builds the grid from raw samples: rows are equal value bins
// over the data (or the widget's Min/Max), cells count the samples of
// every series falling in them per column.
func sampleGrid(sc *scratch, w *layouts.Widget, series []datasources.Series, from, to int64, cols, maxRows int) heatGrid {
	lo, hi := math.Inf(1), math.Inf(-1)
	for i := range series {
		for _, p := range series[i].Points {
			if p.T >= from && p.T <= to && finite(p.V) {
				lo, hi = min(lo, p.V), max(hi, p.V)
			}
		}
	}
	fixedLo := w.Min != nil && finite(*w.Min)
	fixedHi := w.Max != nil && finite(*w.Max)
	if fixedLo {
		lo = *w.Min
	}
	if fixedHi {
		hi = *w.Max
	}
	rows := maxRows
	if w.Bins > 0 {
		rows = min(w.Bins, maxRows)
	}
	rows = max(rows, 1)
	ar := niceRange(lo, hi, rows+1, w.Unit, fixedLo, fixedHi)
	if ar.step > 0 && !fixedLo && !fixedHi {
		rows = max(1, int(math.Round((ar.hi-ar.lo)/ar.step)))
	}
	g := heatGrid{rows: rows, cols: cols}
	sc.cum = growF64(sc.cum, rows+1)
	g.edges = sc.cum
	step := (ar.hi - ar.lo) / float64(rows)
	for r := range g.edges {
		g.edges[r] = ar.lo + float64(r)*step
	}
	sc.cells = growF64(sc.cells, rows*cols)
	g.cells = sc.cells
	clear(g.cells)
	if !(step > 0) || to <= from {
		return g
	}
	span := float64(to - from)
	for i := range series {
		for _, p := range series[i].Points {
			if p.T < from || p.T > to || !finite(p.V) || p.V < ar.lo || p.V > ar.hi {
				continue
			}
			k := min(cols-1, int(float64(p.T-from)/span*float64(cols)))
			r := min(rows-1, int((p.V-ar.lo)/step))
			g.cells[max(r, 0)*cols+max(k, 0)]++
		}
	}
	for _, v := range g.cells {
		g.max = max(g.max, v)
	}
	return g
}

func drawHeatmap(c *canvas, w *layouts.Widget, series []datasources.Series, f Frame) {
	th := c.th
	sc := c.sc
	W, H := float64(c.w), float64(c.h)
	from, to := timeRange(f, series)
	fs := c.smallText()
	tf := getFace(fontRegular, fs)
	pad := c.px(8)
	showAxes := c.logicalH() >= 100 && c.logicalW() >= 160
	showLegend := c.logicalH() >= 120 && c.logicalW() >= 180

	plot := rect{c.px(4), c.px(4), W - c.px(4), H - c.px(4)}
	if showLegend {
		plot.y0 = math.Ceil(pad + tf.height() + c.px(6))
	}
	if showAxes {
		plot.y1 = math.Floor(H - c.px(4) - tf.height() - c.px(4))
		plot.x1 = W - c.px(12)
	}
	buckets := bucketSeries(series)
	// Row labels decide the left edge; the grid needs the column count,
	// which needs the width: guess the label width first.
	labelW := 0.0
	if showAxes {
		labelW = tf.measure("00.0 ms") + c.px(8)
		plot.x0 = math.Ceil(pad + labelW)
	}
	if plot.w() < 8 || plot.h() < 8 {
		showAxes, showLegend = false, false
		plot = rect{0, 0, W, H}
	}
	cols := heatColumns(series, from, to, plot.w(), c.px(5))
	var g heatGrid
	if buckets {
		g = bucketGrid(sc, series, from, to, cols)
	} else {
		maxRows := max(1, min(20, int(plot.h()/c.px(14))))
		g = sampleGrid(sc, w, series, from, to, cols, maxRows)
	}
	if g.rows == 0 || !(g.max > 0) {
		c.noData(f)
		return
	}
	// Now the real label width.
	if showAxes {
		lw := 0.0
		for r := 0; r < g.rows; r++ {
			if g.categorical {
				lw = max(lw, tf.measure(c.boundLabel(g.edges[r], g.edges[r+1], w.Unit)))
			} else {
				lw = max(lw, tf.measure(c.fmtValue(g.edges[r], w.Unit, nil)), tf.measure(c.fmtValue(g.edges[r+1], w.Unit, nil)))
			}
		}
		plot.x0 = math.Ceil(pad + lw + c.px(8))
		if plot.w() < 8 {
			showAxes = false
			plot.x0 = c.px(4)
		}
	}
	rowH := plot.h() / float64(g.rows)
	colW := plot.w() / float64(g.cols)

	// Row labels: a bucket's upper bound at its middle; value bins'
	// edges at theirs. Every k-th when rows are thin.
	if showAxes {
		every := 1
		for float64(every)*rowH < tf.height()*1.05 && every < g.rows {
			every++
		}
		if g.categorical {
			for r := g.rows - 1; r >= 0; r -= every {
				y := plot.y1 - (float64(r)+0.5)*rowH
				c.textMid(tf, c.boundLabel(g.edges[r], g.edges[r+1], w.Unit), plot.x0-c.px(6), y, alignRight, th.TextDim)
			}
		} else {
			for r := 0; r <= g.rows; r += every {
				y := plot.y1 - float64(r)*rowH
				c.textMid(tf, c.fmtValue(g.edges[r], w.Unit, nil), plot.x0-c.px(6), clampF(y, tf.capTop, H), alignRight, th.TextDim)
			}
		}
	}

	// Cells: the colour of sqrt(count/max) on the theme's scale, so that
	// the tail shows; empty cells stay the panel colour.
	// Rows are parted by a line; columns only when wide enough for it
	// not to stripe the map.
	gapY, gapX := 0.0, 0.0
	if rowH >= c.px(4) {
		gapY = math.Max(1, math.Round(c.s))
	}
	if colW >= c.px(10) {
		gapX = math.Max(1, math.Round(c.s))
	}
	for r := 0; r < g.rows; r++ {
		y0 := math.Round(plot.y1 - float64(r+1)*rowH)
		y1 := math.Round(plot.y1-float64(r)*rowH) - gapY
		for k := 0; k < g.cols; k++ {
			v := g.at(r, k)
			if !(v > 0) {
				continue
			}
			x0 := math.Round(plot.x0 + float64(k)*colW)
			x1 := math.Round(plot.x0+float64(k+1)*colW) - gapX
			c.fillRectF(x0, y0, max(x1, x0+1), max(y1, y0+1), th.scaleColor(math.Sqrt(v/g.max)))
		}
	}

	if showAxes {
		gridT := math.Max(1, math.Round(c.s))
		maxX := max(2, int(plot.w()/(tf.measure("00:00")+fs*1.6)))
		loc := f.From.Location()
		sc.tt = timeTicks(sc.tt, &sc.arena, time.UnixMilli(from).In(loc), time.UnixMilli(to).In(loc), maxX)
		base := plot.y1 + c.px(4) + tf.ascent
		lastEnd := math.Inf(-1)
		kx := plot.w() / float64(to-from)
		for _, tk := range sc.tt {
			x := math.Round(plot.x0 + float64(tk.t.UnixMilli()-from)*kx)
			lw := tf.measure(tk.label)
			lx := clampF(x-lw/2, plot.x0-c.px(4), W-c.px(2)-lw)
			if lx < lastEnd+c.px(10) {
				continue
			}
			c.vline(x, plot.y1, plot.y1+c.px(3), gridT, th.Axis)
			c.text(tf, tk.label, lx, base, alignLeft, th.TextDim)
			lastEnd = lx + lw
		}
	}
	if showLegend {
		c.scaleLegend(tf, g.max, W-pad, pad, min(c.px(160), W*0.45))
	}
}

// boundLabel is a bucket's row label: its upper bound, or "> lower" for
// the +Inf bucket.
func (c *canvas) boundLabel(lo, le float64, unit string) string {
	if math.IsInf(le, 1) {
		return c.join("> ", c.fmtValue(lo, unit, nil))
	}
	return c.fmtValue(le, unit, nil)
}

// scaleLegend draws the colour scale right-aligned at x1 with its top at
// y: "0", a gradient bar barW wide, and the maximum; the middle of the bar
// is a quarter of the maximum (the scale is a square root).
func (c *canvas) scaleLegend(tf *face, vmax, x1, y, barW float64) {
	th := c.th
	maxS := c.fmtValue(vmax, "short", nil)
	mid := y + tf.height()/2
	x := x1 - tf.measure(maxS)
	c.textMid(tf, maxS, x, mid, alignLeft, th.TextDim)
	bx1 := math.Round(x - c.px(6))
	bx0 := math.Round(bx1 - barW)
	bh := math.Round(c.px(10))
	by := math.Round(mid - bh/2)
	n := int(bx1 - bx0)
	for i := 0; i < n; i++ {
		c.fillRect(int(bx0)+i, int(by), int(bx0)+i+1, int(by+bh), th.scaleColor(float64(i)/float64(max(n-1, 1))))
	}
	c.textMid(tf, "0", bx0-c.px(6), mid, alignRight, th.TextDim)
}
