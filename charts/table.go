package charts

import (
	"image"
	"math"
	"slices"
	"strings"

	"github.com/wallboard/wallboard/datasources"
	"github.com/wallboard/wallboard/layouts"
)

// Table columns, as TableSort.Column and TableColumnAt name them: the
// series name, then its reductions over the time range.
const (
	ColumnName = iota
	ColumnLast
	ColumnMin
	ColumnMax
	ColumnMean
	numColumns
)

// TableColumns are the header texts of the table columns, by index.
var TableColumns = [numColumns]string{"Name", "Last", "Min", "Max", "Mean"}

// TableSort orders a table's rows by one column. Rows without a value
// sort last either way; ties keep the query order.
type TableSort struct {
	Column int
	Desc   bool
}

// Click returns the sort after a click on the header of column: that
// column, ascending for names and descending for values (the worst first
// for most metrics), or the other way if it was already sorted by it.
func (s TableSort) Click(column int) TableSort {
	if column == s.Column {
		return TableSort{Column: column, Desc: !s.Desc}
	}
	return TableSort{Column: column, Desc: column != ColumnName}
}

// columnOrder is the order in which value columns are dropped from the
// right when the body is narrow: min first, then mean, then max; name and
// last always stay.
var columnPriority = [numColumns]int{ColumnName, ColumnLast, ColumnMax, ColumnMean, ColumnMin}

// tableLayout is the geometry of a table panel.
type tableLayout struct {
	cols      [numColumns]bool
	x0, x1    [numColumns]float64 // column extents
	headerH   float64
	rowH      float64
	hf, cf    *face // header, cell
	rows      int   // rows shown (including the "+N more" row)
	n         int   // series
	nameW     float64
	textInset float64
}

// tableValues reduces every series to its last, min, max and mean, in
// sc.vals (4 per series), and orders the rows in sc.order.
func (c *canvas) tableValues(series []datasources.Series, sort TableSort) {
	sc := c.sc
	n := len(series)
	sc.vals = growF64(sc.vals, 4*n)
	for i := range series {
		for k, how := range [4]string{"last", "min", "max", "mean"} {
			v, ok := Reduce(series[i], how)
			if !ok {
				v = math.NaN()
			}
			sc.vals[4*i+k] = v
		}
	}
	names := c.seriesNames(series)
	order := sc.order[:0]
	for i := range series {
		order = append(order, i)
	}
	col := min(max(sort.Column, 0), numColumns-1)
	slices.SortStableFunc(order, func(a, b int) int {
		if col == ColumnName {
			r := strings.Compare(names[a], names[b])
			if sort.Desc {
				r = -r
			}
			return r
		}
		va, vb := sc.vals[4*a+col-1], sc.vals[4*b+col-1]
		switch {
		case !finite(va) && !finite(vb):
			return 0
		case !finite(va):
			return 1
		case !finite(vb):
			return -1
		case va == vb:
			return 0
		case (va < vb) != sort.Desc:
			return -1
		}
		return 1
	})
	sc.order = order
}

func (c *canvas) layoutTable(w *layouts.Widget, series []datasources.Series, f Frame) tableLayout {
	W, H := float64(c.w), float64(c.h)
	var l tableLayout
	l.n = len(series)
	ts := c.s * math.Round(clampF(0.058*c.logicalH(), 14, 22))
	l.hf, l.cf = getFace(fontMedium, c.smallText()), getFace(fontRegular, ts)
	l.rowH = math.Ceil(ts * 1.75)
	l.headerH = math.Ceil(l.hf.height() + c.px(10))
	l.textInset = c.px(8)
	names := c.seriesNames(series)
	// Column widths: values as wide as their widest text or header.
	var want [numColumns]float64
	for i := range series {
		want[ColumnName] = max(want[ColumnName], l.cf.measure(names[i]))
		for k := 1; k < numColumns; k++ {
			want[k] = max(want[k], l.cf.measure(c.fmtWidget(w, c.sc.vals[4*i+k-1])))
		}
	}
	for k := range want {
		want[k] = max(want[k], l.hf.measure(TableColumns[k])+l.hf.measure(" ▼")) + 2*l.textInset
	}
	// Keep columns while the name column keeps at least 30% of the width
	// (or its own width, if less).
	minName := min(want[ColumnName], 0.3*W)
	used := minName
	for _, k := range columnPriority {
		if k == ColumnName {
			continue
		}
		if k == ColumnLast || used+want[k] <= W {
			l.cols[k] = true
			used += want[k]
		}
	}
	l.cols[ColumnName] = true
	// The name column takes the rest.
	valuesW := 0.0
	for k := 1; k < numColumns; k++ {
		if l.cols[k] {
			valuesW += want[k]
		}
	}
	l.nameW = max(0, W-valuesW)
	x := 0.0
	for k := 0; k < numColumns; k++ {
		if !l.cols[k] {
			continue
		}
		wk := want[k]
		if k == ColumnName {
			wk = l.nameW
		}
		l.x0[k], l.x1[k] = x, x+wk
		x += wk
	}
	l.rows = max(0, int((H-l.headerH)/l.rowH))
	return l
}

func drawTable(c *canvas, w *layouts.Widget, series []datasources.Series, f Frame) {
	th := c.th
	sc := c.sc
	W := float64(c.w)
	c.tableValues(series, f.Sort)
	l := c.layoutTable(w, series, f)
	names := c.seriesNames(series)

	// Header.
	c.fillRectF(0, 0, W, l.headerH, mix(th.Panel, th.Text, 0.05))
	c.hline(0, W, l.headerH-c.px(0.5), math.Max(1, math.Round(c.s)), th.Axis)
	hy := l.headerH / 2
	for k := 0; k < numColumns; k++ {
		if !l.cols[k] {
			continue
		}
		label := TableColumns[k]
		col := th.TextDim
		if k == min(max(f.Sort.Column, 0), numColumns-1) {
			arrow := " ▲"
			if f.Sort.Desc {
				arrow = " ▼"
			}
			label = c.join(label, arrow)
			col = th.Text
		}
		if k == ColumnName {
			c.textMid(l.hf, c.truncate(l.hf, label, l.x1[k]-l.x0[k]-2*l.textInset), l.x0[k]+l.textInset, hy, alignLeft, col)
		} else {
			c.textMid(l.hf, label, l.x1[k]-l.textInset, hy, alignRight, col)
		}
	}

	// Rows, in sort order; the last visible row says how many are hidden.
	shown := min(l.n, l.rows)
	if l.n > l.rows && shown > 0 {
		shown--
	}
	for r := 0; r < shown; r++ {
		i := sc.order[r]
		y0 := l.headerH + float64(r)*l.rowH
		mid := y0 + l.rowH/2
		if r%2 == 1 {
			c.fillRectF(0, y0, W, y0+l.rowH, mix(th.Panel, th.Text, 0.035))
		}
		c.textMid(l.cf, c.truncate(l.cf, names[i], l.nameW-2*l.textInset), l.textInset, mid, alignLeft, th.Text)
		for k := 1; k < numColumns; k++ {
			if !l.cols[k] {
				continue
			}
			v := sc.vals[4*i+k-1]
			col := th.Text
			if !finite(v) {
				col = th.TextDim
			} else if hasThresholds(w) {
				if lv := w.Thresholds.Level(v); lv != layouts.LevelOK {
					c.fillRectF(l.x0[k]+c.px(2), y0+c.px(2), l.x1[k]-c.px(2), y0+l.rowH-c.px(2), mix(th.Panel, th.LevelColor(lv), 0.22))
					col = th.LevelColor(lv)
				}
			}
			c.textMid(l.cf, c.fmtWidget(w, v), l.x1[k]-l.textInset, mid, alignRight, col)
		}
	}
	if hidden := l.n - shown; hidden > 0 && l.rows > 0 {
		mid := l.headerH + float64(shown)*l.rowH + l.rowH/2
		c.textMid(l.cf, c.itoa("+", hidden, " more"), l.textInset, mid, alignLeft, th.TextDim)
	}
}

// TableColumnAt returns the column (ColumnName ... ColumnMean) whose
// header is under pt (body pixels) in a table panel of size, and false
// when pt is not on the header or the column is hidden for lack of room.
// A click there should sort by it: f.Sort = f.Sort.Click(column).
func TableColumnAt(w *layouts.Widget, series []datasources.Series, f Frame, size, pt image.Point) (int, bool) {
	if w == nil || w.Type != layouts.WidgetTable || !hasData(series) {
		return 0, false
	}
	c := newLayoutCanvas(size, f)
	defer c.release()
	if !c.ok() {
		return 0, false
	}
	c.tableValues(series, f.Sort)
	l := c.layoutTable(w, series, f)
	x, y := float64(pt.X)+0.5, float64(pt.Y)+0.5
	if y < 0 || y >= l.headerH {
		return 0, false
	}
	for k := 0; k < numColumns; k++ {
		if l.cols[k] && x >= l.x0[k] && x < l.x1[k] {
			return k, true
		}
	}
	return 0, false
}
