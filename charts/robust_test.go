package charts

import (
	"bytes"
	"image"
	"math"
	"sync"
	"testing"
	"time"

	"github.com/wallboard/wallboard/datasources"
	"github.com/wallboard/wallboard/layouts"
)

// implemented is every kind with a renderer: all of them.
var implemented = layouts.WidgetKinds

func TestRegistry(t *testing.T) {
	for _, k := range layouts.WidgetKinds {
		if _, ok := For(k); !ok {
			t.Errorf("For(%q) missing", k)
		}
	}
	for _, k := range []string{"", "pie", "Timeseries"} {
		if _, ok := For(k); ok {
			t.Errorf("For(%q) registered", k)
		}
	}
}

func series(vs ...float64) []datasources.Series {
	s := datasources.Series{Name: "s"}
	for i, v := range vs {
		s.Points = append(s.Points, datasources.Point{T: t0.Add(time.Duration(i-len(vs)+1) * time.Minute).UnixMilli(), V: v})
	}
	return []datasources.Series{s}
}

// drawn reports whether img has pixels other than the panel colour, and
// whether they are near its centre.
func drawn(img *image.RGBA, th *Theme) (any, centre bool) {
	pr, pg, pb, _ := premul(th.Panel)
	b := img.Bounds()
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			o := img.PixOffset(x, y)
			if img.Pix[o] != pr || img.Pix[o+1] != pg || img.Pix[o+2] != pb {
				any = true
				if math.Abs(float64(x-b.Dx()/2)) < float64(b.Dx())/4 && math.Abs(float64(y-b.Dy()/2)) < float64(b.Dy())/6 {
					centre = true
				}
			}
		}
	}
	return any, centre
}

func TestRenderersSurviveBadData(t *testing.T) {
	nan, inf := math.NaN(), math.Inf(1)
	cases := []struct {
		name   string
		series []datasources.Series
		noData bool // must show exactly the "No data" state
	}{
		{"nil", nil, true},
		{"empty series", []datasources.Series{{Name: "x"}}, true},
		{"NaN only", series(nan, nan, nan), true},
		{"+Inf only", series(inf, inf), true},
		{"-Inf and NaN", series(-inf, nan), true},
		{"one point", series(42), false},
		{"all equal", series(7, 7, 7, 7), false},
		{"all zero", series(0, 0, 0), false},
		{"with +Inf", series(1, inf, 3), false},
		{"with -Inf", series(1, -inf, 3), false},
		{"mixed NaN", series(nan, 5, nan, 6, nan), false},
		{"huge", series(1e300, -1e300, 1e-300), false},
		{"tiny", series(1e-300, 2e-300), false},
		{"outside range", []datasources.Series{{Name: "old", Points: []datasources.Point{{T: t0.Add(-48 * time.Hour).UnixMilli(), V: 3}}}}, false},
		{"unsorted", []datasources.Series{{Name: "u", Points: []datasources.Point{{T: t0.UnixMilli(), V: 1}, {T: t0.Add(-30 * time.Minute).UnixMilli(), V: 2}, {T: t0.Add(-10 * time.Minute).UnixMilli(), V: 3}}}}, false},
		{"buckets", promBuckets(), false},
		{"bad buckets", []datasources.Series{{Labels: datasources.Labels{"le": "x"}, Points: []datasources.Point{{T: t0.UnixMilli(), V: 1}}}}, false},
	}
	widgets := []layouts.Widget{}
	for _, k := range implemented {
		widgets = append(widgets,
			layouts.Widget{Type: k},
			layouts.Widget{Type: k, Unit: "percent", Min: ptr(10.0), Max: ptr(10.0), Decimals: ptr(-3), Bins: -1, Style: "stacked",
				Thresholds: &layouts.Thresholds{Warning: ptr(math.NaN()), Critical: ptr(math.Inf(1)), Direction: "below"}},
			layouts.Widget{Type: k, Unit: "bytes", Min: ptr(100.0), Max: ptr(0.0), Bins: 100000, Style: "bars", Reduce: "mean"},
			layouts.Widget{Type: k, Unit: "s", Style: "area", Thresholds: &layouts.Thresholds{Warning: ptr(5.0), Critical: ptr(1.0)}},
		)
	}
	sizes := []struct {
		size  image.Point
		scale float64
	}{{wallSize, 1}, {phoneSize, 1}, {image.Pt(1, 1), 1}, {image.Pt(40, 20), 1}, {image.Pt(120, 80), 2}, {image.Pt(300, 200), math.NaN()}, {image.Pt(200, 600), 0}}
	for _, tc := range cases {
		for _, w := range widgets {
			for _, sz := range sizes {
				f := Frame{From: t0.Add(-time.Hour), To: t0, Scale: sz.scale}
				img := image.NewRGBA(image.Rectangle{Max: sz.size})
				r, _ := For(w.Type)
				func() {
					defer func() {
						if p := recover(); p != nil {
							t.Fatalf("%s %s/%s/%s %v: panic: %v", tc.name, w.Type, w.Unit, w.Style, sz.size, p)
						}
					}()
					r.Draw(img, &w, tc.series, f)
				}()
				if sz.size != wallSize {
					continue
				}
				any, centre := drawn(img, Dark())
				if tc.noData {
					want := image.NewRGBA(img.Rect)
					Draw(want, &w, nil, f)
					if !bytes.Equal(img.Pix, want.Pix) {
						t.Errorf("%s %s: not the No data state", tc.name, w.Type)
					}
					if !centre {
						t.Errorf("%s %s: No data not centred", tc.name, w.Type)
					}
				} else if !any {
					t.Errorf("%s %s/%s: nothing drawn", tc.name, w.Type, w.Unit)
				}
			}
		}
	}
}

func TestDrawEdgeCases(t *testing.T) {
	img := image.NewRGBA(image.Rect(10, 20, 210, 170)) // not at the origin
	Draw(img, &layouts.Widget{Type: layouts.WidgetTimeSeries}, latencySeries(), Frame{})
	if any, _ := drawn(img, Dark()); !any {
		t.Error("offset image: nothing drawn")
	}
	sub := image.NewRGBA(image.Rect(0, 0, 400, 300)).SubImage(image.Rect(100, 100, 300, 250)).(*image.RGBA)
	Draw(sub, &layouts.Widget{Type: layouts.WidgetGauge}, series(3), Frame{})
	Draw(nil, &layouts.Widget{Type: layouts.WidgetStat}, series(1), Frame{})
	Draw(image.NewRGBA(image.Rectangle{}), &layouts.Widget{Type: layouts.WidgetStat}, series(1), Frame{})
	for _, w := range []*layouts.Widget{nil, {Type: "pie"}, {Type: ""}} {
		img := image.NewRGBA(image.Rectangle{Max: wallSize})
		Draw(img, w, series(1), Frame{Theme: Light()})
		if _, centre := drawn(img, Light()); !centre {
			t.Errorf("%v: no centred note", w)
		}
	}
	// Draw fills the whole body with the panel colour first.
	img = image.NewRGBA(image.Rectangle{Max: phoneSize})
	for i := range img.Pix {
		img.Pix[i] = 0xab
	}
	Draw(img, &layouts.Widget{Type: layouts.WidgetStat}, nil, Frame{})
	pr, _, _, _ := premul(Dark().Panel)
	if img.Pix[0] != pr || img.Pix[len(img.Pix)-4] != pr {
		t.Error("body not cleared")
	}
}

// TestConcurrentDraws renders many panels at once and compares them with
// sequential renders: renderers must not share mutable state.
func TestConcurrentDraws(t *testing.T) {
	cases := goldenCases()
	want := make([]*image.RGBA, len(cases))
	for i, gc := range cases {
		want[i] = render(gc, variant{size: wallSize, theme: Dark(), scale: 1})
	}
	var wg sync.WaitGroup
	errs := make(chan string, 64)
	for g := 0; g < 8; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for k := 0; k < 3; k++ {
				for i, gc := range cases {
					j := (i + g) % len(cases)
					gc = cases[j]
					got := render(gc, variant{size: wallSize, theme: Dark(), scale: 1})
					if !bytes.Equal(got.Pix, want[j].Pix) {
						select {
						case errs <- gc.name:
						default:
						}
					}
					_ = i
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for name := range errs {
		t.Errorf("%s differs when drawn concurrently", name)
	}
}

func TestPathFill(t *testing.T) {
	img := image.NewRGBA(image.Rect(0, 0, 40, 40))
	c := newCanvas(img, Frame{})
	defer c.release()
	c.clear(c.th.Panel)
	p := c.path(rect{5, 5, 35, 35})
	p.moveTo(10, 10)
	p.lineTo(30, 10)
	p.lineTo(30, 30)
	p.lineTo(10, 30)
	p.fill(c.th.Critical)
	inside, outside := img.RGBAAt(20, 20), img.RGBAAt(2, 2)
	want := c.th.Critical
	if inside.R != want.R || inside.G != want.G || inside.B != want.B {
		t.Errorf("inside = %v, want %v", inside, want)
	}
	if r, _, _, _ := premul(c.th.Panel); outside.R != r {
		t.Errorf("outside painted: %v", outside)
	}
	// A path wholly off the canvas is a no-op.
	q := c.path(rect{100, 100, 120, 120})
	q.moveTo(101, 101)
	q.lineTo(110, 101)
	q.lineTo(110, 110)
	q.fill(c.th.OK)
}

func TestArcAndStroke(t *testing.T) {
	img := image.NewRGBA(image.Rect(0, 0, 100, 100))
	c := newCanvas(img, Frame{})
	defer c.release()
	c.clear(c.th.Panel)
	// A 90° arc at the top right: (50+35, 50) .. (50, 50-35) covered,
	// the bottom left not.
	c.arc(50, 50, 30, 40, -math.Pi/2, 0, c.th.OK)
	if got := img.RGBAAt(50+24, 50-24); got.G != c.th.OK.G {
		t.Errorf("arc middle %v", got)
	}
	if got := img.RGBAAt(50-24, 50+24); got.G == c.th.OK.G {
		t.Errorf("arc drawn on the wrong side")
	}
	// A stroke covers its centre line fully and nothing 3 px away.
	c.polyline([]float32{10, 90, 90, 90}, 2, c.th.Warning, irect{0, 0, 100, 100})
	if got := img.RGBAAt(50, 90); got.R != c.th.Warning.R {
		t.Errorf("stroke centre %v", got)
	}
	if got := img.RGBAAt(50, 93); got.R == c.th.Warning.R {
		t.Errorf("stroke too wide")
	}
	if c.sc.dirty.x0 < c.sc.dirty.x1 {
		t.Error("mask left dirty after a stroke")
	}
	for _, m := range c.sc.mask {
		if m != 0 {
			t.Fatal("mask not cleared")
		}
	}
}
