package layouts

import (
	"cmp"
	"slices"
)

// Rect is a widget's place on screen, in logical pixels from the top left
// of the dashboard's area.
type Rect struct{ X, Y, W, H float32 }

// PhoneBreakpoint is the width, in logical pixels, below which a dashboard
// is laid out for a phone: one column, in reading order, scrolling.
const PhoneBreakpoint = 600

// PhoneRowHeight is the height, in logical pixels, of one grid row of a
// widget in the phone layout; a widget Height rows high gets that many.
const PhoneRowHeight = 240

// MinRowHeight is the shortest a grid row gets on a wall or desktop, in
// logical pixels: a panel's title and a readable body. A dashboard with
// more rows than fit its area is taller than the area: a desktop scrolls
// it, a kiosk wall pages through it, a render draws it whole.
const MinRowHeight = 80

// IsPhone reports whether a dashboard area width wide gets the phone layout.
func IsPhone(width float32) bool { return width < PhoneBreakpoint }

// Cells places the widgets of d in an area of width x height with gap
// between neighbours, returning one Rect per widget in widget order.
//
// On a wall or desktop (width >= PhoneBreakpoint) the grid has d's columns
// of equal width and as many rows as the widgets use, of equal height,
// filling the area, but never shorter than MinRowHeight (the content is
// then taller than height; ContentSize tells its size). Below the breakpoint the widgets are stacked in one
// column in reading order (see ReadingOrder), each PhoneRowHeight per row it
// spans, so the content may be taller than height and scroll; ContentSize
// tells its size. Positions out of the grid are clamped into it.
func Cells(d *Dashboard, width, height, gap float32) []Rect {
	if d == nil {
		return nil
	}
	rects := make([]Rect, len(d.Widgets))
	if len(rects) == 0 {
		return rects
	}
	width, height, gap = max(width, 0), max(height, 0), max(gap, 0)
	if IsPhone(width) {
		y := float32(0)
		for _, i := range ReadingOrder(d) {
			h := float32(PhoneRowHeight * spanOf(d.Widgets[i].Position.Height, MaxRows))
			rects[i] = Rect{X: 0, Y: y, W: width, H: h}
			y += h + gap
		}
		return rects
	}
	cols := columnsOf(d)
	rows := rowsOf(d)
	cellW := max((width-gap*float32(cols-1))/float32(cols), 0)
	cellH := max((height-gap*float32(rows-1))/float32(rows), MinRowHeight)
	for i, w := range d.Widgets {
		col := min(max(w.Position.Col, 1), cols)
		row := min(max(w.Position.Row, 1), rows)
		span := min(spanOf(w.Position.Width, cols), cols-col+1)
		tall := min(spanOf(w.Position.Height, rows), rows-row+1)
		rects[i] = Rect{
			X: float32(col-1) * (cellW + gap),
			Y: float32(row-1) * (cellH + gap),
			W: float32(span)*cellW + float32(span-1)*gap,
			H: float32(tall)*cellH + float32(tall-1)*gap,
		}
	}
	return rects
}

// ContentSize is the size of what Cells lays out: the area itself on a wall
// whose rows fit it, else the area's width by the height of the rows (or,
// on a phone, of the stacked widgets), which exceeds height: the view
// scrolls.
func ContentSize(d *Dashboard, width, height, gap float32) (w, h float32) {
	if d == nil {
		return width, height
	}
	if !IsPhone(width) {
		rows := float32(rowsOf(d))
		return width, max(height, rows*MinRowHeight+(rows-1)*max(gap, 0))
	}
	for _, r := range Cells(d, width, height, gap) {
		h = max(h, r.Y+r.H)
	}
	return width, h
}

// ReadingOrder returns the indexes of d's widgets sorted by row, then
// column, then their order in d: the order for one column and for
// keyboard focus.
func ReadingOrder(d *Dashboard) []int {
	if d == nil {
		return nil
	}
	order := make([]int, len(d.Widgets))
	for i := range order {
		order[i] = i
	}
	slices.SortStableFunc(order, func(a, b int) int {
		pa, pb := d.Widgets[a].Position, d.Widgets[b].Position
		if c := cmp.Compare(pa.Row, pb.Row); c != 0 {
			return c
		}
		return cmp.Compare(pa.Col, pb.Col)
	})
	return order
}

// columnsOf is the number of grid columns of d.
func columnsOf(d *Dashboard) int {
	if d.Columns < 1 || d.Columns > MaxColumns {
		return DefaultColumns
	}
	return d.Columns
}

// rowsOf is the number of grid rows d's widgets use (at least 1).
func rowsOf(d *Dashboard) int {
	rows := 1
	for _, w := range d.Widgets {
		row := min(max(w.Position.Row, 1), MaxRows)
		rows = max(rows, min(row+spanOf(w.Position.Height, MaxRows)-1, MaxRows))
	}
	return rows
}

// spanOf is a width or height in cells: 0 means 1, and it is at most limit.
func spanOf(n, limit int) int {
	return min(max(n, 1), limit)
}
