package layouts

import (
	"reflect"
	"testing"
)

// sameRects compares rectangles to within a thousandth of a pixel, as
// float rounding (and fused multiply-add) may differ between platforms.
func sameRects(a, b []Rect) bool {
	if len(a) != len(b) {
		return false
	}
	near := func(x, y float32) bool { return x-y < 1e-3 && y-x < 1e-3 }
	for i := range a {
		if !near(a[i].X, b[i].X) || !near(a[i].Y, b[i].Y) || !near(a[i].W, b[i].W) || !near(a[i].H, b[i].H) {
			return false
		}
	}
	return true
}

func gridDashboard() *Dashboard {
	return &Dashboard{Widgets: []Widget{
		{ID: "c", Position: Position{Row: 2, Col: 1, Width: 3}},
		{ID: "a", Position: Position{Row: 1, Col: 1}},
		{ID: "b", Position: Position{Row: 1, Col: 2, Width: 2}},
		{ID: "d", Position: Position{Row: 2, Col: 4, Height: 2}},
		{ID: "e", Position: Position{Row: 3, Col: 1}},
	}}
}

func TestCellsWall(t *testing.T) {
	// 1920x1080 with a gap of 8: cells of (1920-3*8)/4 = 474 by (1080-2*8)/3 = 354.67.
	got := Cells(gridDashboard(), 1920, 1080, 8)
	const h = float32(1064) / 3
	want := []Rect{
		{X: 0, Y: h + 8, W: 3*474 + 2*8, H: h},
		{X: 0, Y: 0, W: 474, H: h},
		{X: 474 + 8, Y: 0, W: 2*474 + 8, H: h},
		{X: 3 * (474 + 8), Y: h + 8, W: 474, H: 2*h + 8},
		{X: 0, Y: 2 * (h + 8), W: 474, H: h},
	}
	if !sameRects(got, want) {
		t.Errorf("Cells =\n%v\nwant\n%v", got, want)
	}
}

func TestCellsColumnsAndClamping(t *testing.T) {
	d := &Dashboard{Columns: 2, Widgets: []Widget{
		{Position: Position{Row: 1, Col: 2, Width: 5}}, // wider than the grid: clamped
		{Position: Position{Row: 0, Col: 0}},           // invalid: clamped to 1, 1
	}}
	got := Cells(d, 1000, 500, 0)
	want := []Rect{{X: 500, Y: 0, W: 500, H: 500}, {X: 0, Y: 0, W: 500, H: 500}}
	if !sameRects(got, want) {
		t.Errorf("Cells = %v, want %v", got, want)
	}
}

func TestCellsPhone(t *testing.T) {
	d := gridDashboard()
	got := Cells(d, 400, 800, 10)
	// Reading order: a (1,1), b (1,2), c (2,1), d (2,4, two rows), e (3,1).
	want := []Rect{
		{X: 0, Y: 500, W: 400, H: 240},
		{X: 0, Y: 0, W: 400, H: 240},
		{X: 0, Y: 250, W: 400, H: 240},
		{X: 0, Y: 750, W: 400, H: 480},
		{X: 0, Y: 1240, W: 400, H: 240},
	}
	if !sameRects(got, want) {
		t.Errorf("Cells =\n%v\nwant\n%v", got, want)
	}
	w, h := ContentSize(d, 400, 800, 10)
	if w != 400 || h != 1480 {
		t.Errorf("ContentSize = %v, %v; want 400, 1480 (taller than the screen: it scrolls)", w, h)
	}
	if w, h := ContentSize(d, 1920, 1080, 10); w != 1920 || h != 1080 {
		t.Errorf("ContentSize on a wall = %v, %v; want the area", w, h)
	}
}

func TestCellsEdgeCases(t *testing.T) {
	if got := Cells(nil, 100, 100, 0); got != nil {
		t.Errorf("Cells(nil) = %v", got)
	}
	if got := Cells(&Dashboard{}, 1000, 100, 0); len(got) != 0 {
		t.Errorf("Cells(empty) = %v", got)
	}
	// A tiny or negative area never yields negative sizes.
	for _, r := range Cells(gridDashboard(), 700, -5, 50) {
		if r.W < 0 || r.H < 0 {
			t.Errorf("negative rect %v", r)
		}
	}
}

func TestReadingOrder(t *testing.T) {
	if got, want := ReadingOrder(gridDashboard()), []int{1, 2, 0, 3, 4}; !reflect.DeepEqual(got, want) {
		t.Errorf("ReadingOrder = %v, want %v", got, want)
	}
}

func TestCellsTallerThanTheArea(t *testing.T) {
	d := &Dashboard{Columns: 1}
	for r := 1; r <= 23; r++ {
		d.Widgets = append(d.Widgets, Widget{Position: Position{Row: r, Col: 1}})
	}
	cells := Cells(d, 1920, 1080, 8)
	for i, c := range cells {
		if c.H < MinRowHeight {
			t.Fatalf("row %d is %.0f px high, want at least %d", i+1, c.H, MinRowHeight)
		}
		if i > 0 && c.Y < cells[i-1].Y+cells[i-1].H {
			t.Fatalf("row %d overlaps the one above", i+1)
		}
	}
	_, h := ContentSize(d, 1920, 1080, 8)
	if last := cells[len(cells)-1]; h != last.Y+last.H || h <= 1080 {
		t.Errorf("ContentSize height %.0f, the rows end at %.0f", h, last.Y+last.H)
	}
}

func TestBuiltinFillsTheWall(t *testing.T) {
	for _, d := range Builtin().Dashboards {
		t.Run(d.ID, func(t *testing.T) {
			var area float32
			for _, r := range Cells(&d, 1920, 1080, 0) {
				area += r.W * r.H
			}
			if area < 1920*1080*0.999 || area > 1920*1080*1.001 {
				t.Errorf("widgets cover %.0f px², want the whole 1920x1080 wall", area)
			}
		})
	}
}
