package charts

import (
	"bytes"
	"fmt"
	"image"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/wallboard/wallboard/datasources"
	"github.com/wallboard/wallboard/layouts"
)

// outage is what Prometheus answers over the hour before t0 at a 15 s
// step when it was down for 4 minutes: no samples for 210 s from 30
// minutes before t0, so two consecutive samples are 225 s apart.
const (
	outageStep  = 15 * time.Second
	outageStart = 30 * time.Minute // before t0
	outageLen   = 210 * time.Second
)

// withOutage is wave's series with the outage's samples left out (not
// NaN: query_range leaves missing steps out).
func withOutage(s datasources.Series) datasources.Series {
	from := t0.Add(-outageStart).UnixMilli()
	to := from + outageLen.Milliseconds()
	out := s
	out.Points = nil
	for _, p := range s.Points {
		if p.T >= from && p.T < to {
			continue
		}
		out.Points = append(out.Points, p)
	}
	return out
}

// outageSeries are n series at a 15 s step over the hour before t0, with
// the outage.
func outageSeries(n int) []datasources.Series {
	out := make([]datasources.Series, n)
	for i := range out {
		out[i] = withOutage(wave(fmt.Sprintf("s%d", i), uint64(120+i), 241, time.Hour, 40+20*float64(i), 8, 4))
	}
	return out
}

// holeSpan returns the time of the last sample before the outage and of
// the first after it.
func holeSpan(pts []datasources.Point) (before, after int64) {
	from := t0.Add(-outageStart).UnixMilli()
	for i := 1; i < len(pts); i++ {
		if pts[i].T >= from {
			return pts[i-1].T, pts[i].T
		}
	}
	return 0, 0
}

func TestMedianStep(t *testing.T) {
	reg := func(n int, step int64) []datasources.Point {
		pts := make([]datasources.Point, n)
		for i := range pts {
			pts[i] = datasources.Point{T: int64(i) * step, V: 1}
		}
		return pts
	}
	holed := reg(100, 15_000)
	holed = append(holed[:40:40], holed[55:]...)
	jitter := reg(50, 10_000)
	for i := range jitter {
		jitter[i].T += int64(i%3) * 700 // 10.7, 10.7, 8.6 s apart
	}
	dup := []datasources.Point{{T: 0}, {T: 0}, {T: 0}, {T: 60_000}, {T: 120_000}}
	tests := []struct {
		name string
		pts  []datasources.Point
		want int64
	}{
		{"empty", nil, 0},
		{"one sample", reg(1, 15_000), 0},
		{"two samples", reg(2, 15_000), 15_000},
		{"regular", reg(240, 15_000), 15_000},
		{"a hole does not move it", holed, 15_000},
		{"long series sampled", reg(100_000, 1_000), 1_000},
		{"jitter", jitter, 10_700},
		{"same times skipped", dup, 60_000},
		{"all at one time", []datasources.Point{{T: 5}, {T: 5}}, 0},
		{"fewer close samples than far ones", []datasources.Point{{T: 0}, {T: 60_000}, {T: 300_000}}, 60_000},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := medianStep(tt.pts); got != tt.want {
				t.Errorf("medianStep = %d, want %d", got, tt.want)
			}
		})
	}
}

func TestGapLimit(t *testing.T) {
	pts := withOutage(wave("x", 1, 241, time.Hour, 1, 1, 0)).Points
	tests := []struct {
		name string
		pts  []datasources.Point
		step time.Duration
		want int64
	}{
		{"inferred", pts, 0, 30_000},
		{"coarser step given", pts, time.Minute, 120_000},
		{"finer step given: the data's own", pts, time.Second, 30_000},
		{"nothing to go by", nil, 0, math.MaxInt64},
		{"one sample with a step", pts[:1], 10 * time.Second, 20_000},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := gapLimit(tt.pts, tt.step); got != tt.want {
				t.Errorf("gapLimit = %d, want %d", got, tt.want)
			}
		})
	}
}

// bridges returns the first pair of consecutive finite points of pts
// that spans the hole (before, after), or false.
func bridges(pts []datasources.Point, before, after int64) (string, bool) {
	for i := 1; i < len(pts); i++ {
		a, b := pts[i-1], pts[i]
		if finite(a.V) && finite(b.V) && a.T <= before && b.T >= after {
			return fmt.Sprintf("points %d..%d (%d..%d) joined across the hole", i-1, i, a.T, b.T), true
		}
	}
	return "", false
}

func TestDownsamplersBreakAtGaps(t *testing.T) {
	src := outageSeries(1)[0].Points
	before, after := holeSpan(src)
	from, to := t0.Add(-time.Hour).UnixMilli(), t0.UnixMilli()
	tests := []struct {
		name string
		got  []datasources.Point
	}{
		// 400 columns: the hole spans many; 5 columns of 12 minutes: it
		// lies inside one bucket, which must not bridge it.
		{"minmax wide", MinMax(nil, src, from, to, 400)},
		{"minmax hole inside a bucket", MinMax(nil, src, from, to, 5)},
		{"minmax one column", MinMax(nil, src, from, to, 1)},
		{"minmax no columns", MinMax(nil, src, from, to, 0)},
		{"minmax range starting in the hole", MinMax(nil, src, before+1000, to, 100)},
		{"lttb", LTTB(nil, src, 50)},
		{"lttb all kept", LTTB(nil, src, 1000)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if msg, bad := bridges(tt.got, before, after); bad {
				t.Error(msg)
			}
			nans := 0
			for i, p := range tt.got {
				if math.IsNaN(p.V) {
					nans++
				}
				if i > 0 && p.T < tt.got[i-1].T {
					t.Errorf("out of time order at %d", i)
				}
			}
			if nans != 1 {
				t.Errorf("%d gap markers, want 1", nans)
			}
		})
	}
	// A regular series is not broken anywhere.
	reg := wave("x", 1, 241, time.Hour, 1, 1, 0).Points
	for _, cols := range []int{0, 1, 5, 400} {
		for _, p := range MinMax(nil, reg, from, to, cols) {
			if math.IsNaN(p.V) {
				t.Errorf("%d columns: a regular series broken at %d", cols, p.T)
			}
		}
	}
}

func TestColumnValuesGaps(t *testing.T) {
	src := outageSeries(1)[0].Points
	before, after := holeSpan(src)
	from, to := t0.Add(-time.Hour).UnixMilli(), t0.UnixMilli()
	const n = 720 // 5 s columns: the 225 s hole spans 45
	tests := []struct {
		name  string
		limit int64
		hole  bool
	}{
		{"gap kept", gapLimit(src, 0), true},
		{"no limit interpolates", math.MaxInt64, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			vals := columnValues(nil, src, from, to, n, true, tt.limit)
			c0 := int(float64(before-from)/float64(to-from)*n) + 1
			c1 := int(float64(after-from) / float64(to-from) * n)
			for k := c0; k < c1; k++ {
				if finite(vals[k]) == tt.hole {
					t.Fatalf("column %d = %v in the hole (columns %d..%d)", k, vals[k], c0, c1)
				}
			}
			if !finite(vals[c0-1]) || !finite(vals[c1]) {
				t.Errorf("columns either side of the hole empty: %v, %v", vals[c0-1], vals[c1])
			}
		})
	}
}

// inkIn reports the first pixel of img in columns x0..x1 (exclusive) and
// rows y0..y1 whose colour is none of allowed.
func inkIn(img *image.RGBA, x0, x1, y0, y1 int, allowed ...colorT) (image.Point, bool) {
	for x := x0; x < x1; x++ {
		for y := y0; y < y1; y++ {
			c := img.RGBAAt(x, y)
			ok := false
			for _, a := range allowed {
				if c.R == a.R && c.G == a.G && c.B == a.B {
					ok = true
					break
				}
			}
			if !ok {
				return image.Pt(x, y), true
			}
		}
	}
	return image.Point{}, false
}

func TestGapsRenderBlank(t *testing.T) {
	th := Dark()
	f := Frame{From: t0.Add(-time.Hour), To: t0, Theme: th}
	tests := []struct {
		name   string
		w      layouts.Widget
		series []datasources.Series
		size   image.Point
		step   time.Duration
	}{
		{"line", layouts.Widget{Type: layouts.WidgetTimeSeries}, outageSeries(3), wallSize, 0},
		{"line with the step given", layouts.Widget{Type: layouts.WidgetTimeSeries}, outageSeries(3), wallSize, outageStep},
		{"line phone", layouts.Widget{Type: layouts.WidgetTimeSeries}, outageSeries(1), phoneSize, 0},
		{"line hidpi", layouts.Widget{Type: layouts.WidgetTimeSeries}, outageSeries(2), wallSize.Mul(2), 0},
		{"line without axes", layouts.Widget{Type: layouts.WidgetTimeSeries}, outageSeries(1), image.Pt(300, 90), 0},
		{"area", layouts.Widget{Type: layouts.WidgetTimeSeries, Style: "area"}, outageSeries(2), wallSize, 0},
		{"stacked", layouts.Widget{Type: layouts.WidgetTimeSeries, Style: "stacked"}, outageSeries(3), wallSize, 0},
		{"bars", layouts.Widget{Type: layouts.WidgetTimeSeries, Style: "bars"}, outageSeries(1), image.Pt(1600, 300), 0},
		{"stat sparkline", layouts.Widget{Type: layouts.WidgetStat}, outageSeries(1), wallSize, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := f
			f.Step = tt.step
			if tt.name == "line hidpi" {
				f.Scale = 2
			}
			img := image.NewRGBA(image.Rectangle{Max: tt.size})
			Draw(img, &tt.w, tt.series, f)
			// Where the hole is on screen: the plot (time series) or the
			// sparkline along the bottom 26% (stat).
			plot := PlotArea(&tt.w, tt.series, f, tt.size)
			if tt.w.Type == layouts.WidgetStat {
				plot = image.Rect(0, tt.size.Y-int(math.Round(0.26*float64(tt.size.Y))), tt.size.X, tt.size.Y)
			}
			before, after := holeSpan(tt.series[0].Points)
			xAt := func(ms int64) float64 {
				return float64(plot.Min.X) + float64(ms-f.From.UnixMilli())/float64(f.To.Sub(f.From).Milliseconds())*float64(plot.Dx())
			}
			// Inside the hole, clear of the strokes' round ends.
			margin := 4 * f.Scale
			if margin == 0 {
				margin = 4
			}
			x0, x1 := int(math.Ceil(xAt(before)+margin)), int(math.Floor(xAt(after)-margin))
			if x1-x0 < 3 {
				t.Fatalf("hole only %d px wide", x1-x0)
			}
			if at, bad := inkIn(img, x0, x1, plot.Min.Y, plot.Max.Y, th.Panel, th.Grid, th.Axis); bad {
				t.Errorf("drawn in the hole (columns %d..%d) at %v: %v", x0, x1, at, img.RGBAAt(at.X, at.Y))
			}
			// And the data either side is drawn.
			if _, drawn := inkIn(img, plot.Min.X, x0-int(2*margin), plot.Min.Y, plot.Max.Y, th.Panel, th.Grid, th.Axis); !drawn {
				t.Error("nothing drawn before the hole")
			}
		})
	}
}

func TestExportSplitsAtGaps(t *testing.T) {
	th := Light()
	f := Frame{From: t0.Add(-time.Hour), To: t0, Theme: th}
	series := outageSeries(2)
	stroke := func(c colorT) string {
		// A series' lines are 2 wide (its legend swatch 3).
		return fmt.Sprintf("stroke-width:2;stroke:rgba(%d,%d,%d,%.1f)", c.R, c.G, c.B, float64(c.A)/255)
	}
	for _, style := range []string{"line", "area", "stacked"} {
		t.Run(style, func(t *testing.T) {
			w := &layouts.Widget{Type: layouts.WidgetTimeSeries, Style: style}
			var buf bytes.Buffer
			if err := ExportSVG(&buf, w, series, f, 800, 400); err != nil {
				t.Fatal(err)
			}
			svg := buf.String()
			for i := range series {
				col := stroke(th.seriesColor(i))
				if n := strings.Count(svg, col); n != 2 {
					t.Errorf("series %d: %d paths in its colour (%s), want 2: one each side of the hole", i, n, col)
				}
				if n := strings.Count(svg, ">"+series[i].Name+"<"); n != 1 {
					t.Errorf("series %d: %d legend entries, want 1", i, n)
				}
			}
		})
	}
}
