package charts

import (
	"bytes"
	"fmt"
	"image"
	"io"
	"math"
	"testing"
	"time"

	chart "github.com/wcharczuk/go-chart/v2"

	"github.com/wallboard/wallboard/datasources"
	"github.com/wallboard/wallboard/layouts"
)

// The comparison with go-chart: the same deterministic noisy series (a
// slow wave, noise of a quarter of its range) over an hour, drawn 800x400,
// by the native renderer into a reused image and by go-chart v2 to a PNG
// (its only raster output; the NoEncode variants leave the encoding out).
//
//	go test ./charts -run xxx -bench 'TimeSeries' -benchmem -count 3

func benchSeries(n int) datasources.Series {
	return wave("requests", 99, n, time.Hour, 500, 150, 120)
}

func benchNative(b *testing.B, n int) {
	s := []datasources.Series{benchSeries(n)}
	w := &layouts.Widget{Type: layouts.WidgetTimeSeries, Unit: "reqps"}
	img := image.NewRGBA(image.Rect(0, 0, 800, 400))
	f := Frame{From: t0.Add(-time.Hour), To: t0, Scale: 1}
	Draw(img, w, s, f) // warm the glyph cache and the scratch
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		Draw(img, w, s, f)
	}
}

func goChartOf(n int) chart.Chart {
	s := benchSeries(n)
	xs := make([]time.Time, len(s.Points))
	ys := make([]float64, len(s.Points))
	for i, p := range s.Points {
		xs[i], ys[i] = p.Time(), p.V
	}
	return chart.Chart{
		Width: 800, Height: 400,
		XAxis:  chart.XAxis{ValueFormatter: chart.TimeMinuteValueFormatter},
		YAxis:  chart.YAxis{},
		Series: []chart.Series{chart.TimeSeries{Name: s.Name, XValues: xs, YValues: ys}},
	}
}

func benchGoChart(b *testing.B, n int) {
	c := goChartOf(n)
	var buf bytes.Buffer
	if err := c.Render(chart.PNG, &buf); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		buf.Reset()
		if err := c.Render(chart.PNG, &buf); err != nil {
			b.Fatal(err)
		}
	}
}

// noSave is go-chart's PNG renderer without the PNG encoding.
type noSave struct{ chart.Renderer }

func (noSave) Save(io.Writer) error { return nil }

func benchGoChartNoEncode(b *testing.B, n int) {
	c := goChartOf(n)
	rp := func(w, h int) (chart.Renderer, error) {
		r, err := chart.PNG(w, h)
		return noSave{r}, err
	}
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		if err := c.Render(rp, io.Discard); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkTimeSeriesNative1k draws 1,000 noisy points 800x400 natively.
func BenchmarkTimeSeriesNative1k(b *testing.B) { benchNative(b, 1000) }

// BenchmarkTimeSeriesGoChart1k is the baseline: go-chart, same data, PNG.
func BenchmarkTimeSeriesGoChart1k(b *testing.B) { benchGoChart(b, 1000) }

// BenchmarkTimeSeriesNative10k draws 10,000 noisy points 800x400 natively.
func BenchmarkTimeSeriesNative10k(b *testing.B) { benchNative(b, 10000) }

// BenchmarkTimeSeriesGoChart10k is the baseline: go-chart, same data, PNG.
func BenchmarkTimeSeriesGoChart10k(b *testing.B) { benchGoChart(b, 10000) }

// BenchmarkTimeSeriesGoChart1kNoEncode is go-chart rasterising only, the
// strictest comparison.
func BenchmarkTimeSeriesGoChart1kNoEncode(b *testing.B) { benchGoChartNoEncode(b, 1000) }

// BenchmarkTimeSeriesGoChart10kNoEncode likewise for 10,000 points.
func BenchmarkTimeSeriesGoChart10kNoEncode(b *testing.B) { benchGoChartNoEncode(b, 10000) }

// benchPanel is one panel of the benchmark dashboard.
type benchPanel struct {
	w      layouts.Widget
	series []datasources.Series
	f      Frame
	img    *image.RGBA
}

// dashboard50 is a 1920x1080 wall of 10x5 cells, every cell a panel: a
// mix of kinds like the built-in dashboards', an hour of data at 15 s
// (240 points a series), a few series a panel. Bodies are the cells less
// the UI's frame (gaps, title bar, padding): about 165x170 px.
func dashboard50() []benchPanel {
	const cols, rows, gap = 10, 5, 8
	cellW := (1920 - gap*(cols-1)) / cols
	cellH := (1080 - gap*(rows-1)) / rows
	body := image.Pt(cellW-2*10, cellH-30-10)
	f := Frame{From: t0.Add(-time.Hour), To: t0, Scale: 1, Now: t0}
	lat := layouts.Widget{Type: layouts.WidgetTimeSeries, Unit: "s", Thresholds: &layouts.Thresholds{Warning: ptr(0.8), Critical: ptr(1.2)}}
	cpuTh := &layouts.Thresholds{Warning: ptr(70.0), Critical: ptr(90.0)}
	three := func(seed uint64, base float64) []datasources.Series {
		var s []datasources.Series
		for i, reg := range []string{"us-east", "eu-west", "ap-south"} {
			x := wave(reg, seed+uint64(i), 240, time.Hour, base*(1-0.25*float64(i)), base*0.2, base*0.1)
			s = append(s, x)
		}
		return s
	}
	one := func(seed uint64, base float64) []datasources.Series {
		return []datasources.Series{wave("v", seed, 240, time.Hour, base, base*0.1, base*0.05)}
	}
	var ps []benchPanel
	add := func(n int, mk func(i int) (layouts.Widget, []datasources.Series, func(*Frame))) {
		for i := 0; i < n; i++ {
			w, s, fr := mk(i)
			ff := f
			if fr != nil {
				fr(&ff)
			}
			ps = append(ps, benchPanel{w: w, series: s, f: ff})
		}
	}
	styles := []string{"line", "line", "area", "stacked", "bars", "line", "line", "area"}
	add(16, func(i int) (layouts.Widget, []datasources.Series, func(*Frame)) {
		if i%4 == 0 {
			return lat, latencySeries(), func(f *Frame) { f.Annotations = sampleAnnotations()[:1] }
		}
		return layouts.Widget{Type: layouts.WidgetTimeSeries, Unit: "reqps", Style: styles[i%len(styles)]}, three(uint64(100+i*3), 800), nil
	})
	add(10, func(i int) (layouts.Widget, []datasources.Series, func(*Frame)) {
		return layouts.Widget{Type: layouts.WidgetStat, Unit: "percentunit", Decimals: ptr(2), Style: "sparkline",
			Thresholds: &layouts.Thresholds{Warning: ptr(0.99), Critical: ptr(0.95), Direction: "below"}}, one(uint64(200+i), 0.98), nil
	})
	add(6, func(i int) (layouts.Widget, []datasources.Series, func(*Frame)) {
		return layouts.Widget{Type: layouts.WidgetGauge, Unit: "percent", Min: ptr(0.0), Max: ptr(100.0), Thresholds: cpuTh}, one(uint64(300+i), 40+float64(i)*9), nil
	})
	add(4, func(i int) (layouts.Widget, []datasources.Series, func(*Frame)) {
		return layouts.Widget{Type: layouts.WidgetBarGauge, Unit: "s", Thresholds: &layouts.Thresholds{Warning: ptr(0.5), Critical: ptr(1.0)}}, regionLatency()[:5], nil
	})
	add(3, func(i int) (layouts.Widget, []datasources.Series, func(*Frame)) {
		return layouts.Widget{Type: layouts.WidgetHeatmap, Unit: "s"}, latencyBucketRates(), nil
	})
	add(3, func(i int) (layouts.Widget, []datasources.Series, func(*Frame)) {
		q := []datasources.Series{wave("a", uint64(400+i), 240, time.Hour, 0.85, 0.04, 0.08), wave("b", uint64(410+i), 240, time.Hour, 0.8, 0.05, 0.1)}
		return layouts.Widget{Type: layouts.WidgetHistogram, Bins: 20}, q, nil
	})
	add(2, func(i int) (layouts.Widget, []datasources.Series, func(*Frame)) {
		return layouts.Widget{Type: layouts.WidgetGeoMap, Unit: "reqps"}, regionRates(), nil
	})
	add(3, func(i int) (layouts.Widget, []datasources.Series, func(*Frame)) {
		return layouts.Widget{Type: layouts.WidgetTable, Unit: "s", Thresholds: &layouts.Thresholds{Warning: ptr(0.5), Critical: ptr(1.0)}}, regionLatency(), nil
	})
	add(1, func(i int) (layouts.Widget, []datasources.Series, func(*Frame)) {
		return layouts.Widget{Type: layouts.WidgetAlertList}, nil, func(f *Frame) { f.Alerts = sampleAlerts() }
	})
	add(2, func(i int) (layouts.Widget, []datasources.Series, func(*Frame)) {
		return layouts.Widget{Type: layouts.WidgetText, Text: runbookText}, nil, nil
	})
	for i := range ps {
		ps[i].img = image.NewRGBA(image.Rectangle{Max: body})
	}
	return ps
}

// BenchmarkDashboardRefresh50 redraws every panel of a 50-panel
// 1920x1080 wall from data in memory, one after the other (run it with
// -cpu 1 for one core). The target is one 60 Hz frame: 16.7 ms per op.
func BenchmarkDashboardRefresh50(b *testing.B) {
	ps := dashboard50()
	if len(ps) != 50 {
		b.Fatalf("%d panels", len(ps))
	}
	draw := func() {
		for i := range ps {
			p := &ps[i]
			Draw(p.img, &p.w, p.series, p.f)
		}
	}
	draw()
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		draw()
	}
}

// BenchmarkDashboardKinds is the dashboard's time per kind, to see where
// a refresh goes.
func BenchmarkDashboardKinds(b *testing.B) {
	ps := dashboard50()
	seen := map[string]bool{}
	for i := range ps {
		p := &ps[i]
		name := p.w.Type
		if p.w.Style != "" {
			name += "_" + p.w.Style
		}
		if seen[name] {
			continue
		}
		seen[name] = true
		b.Run(name, func(b *testing.B) {
			Draw(p.img, &p.w, p.series, p.f)
			b.ReportAllocs()
			b.ResetTimer()
			for b.Loop() {
				Draw(p.img, &p.w, p.series, p.f)
			}
		})
	}
}

// BenchmarkWall draws each golden case at wall size (460x300).
func BenchmarkWall(b *testing.B) {
	for _, gc := range goldenCases() {
		b.Run(gc.name, func(b *testing.B) {
			img := image.NewRGBA(image.Rectangle{Max: wallSize})
			w := gc.w
			f := gc.frameFor(variant{size: wallSize, theme: Dark(), scale: 1})
			Draw(img, &w, gc.series, f)
			b.ReportAllocs()
			b.ResetTimer()
			for b.Loop() {
				Draw(img, &w, gc.series, f)
			}
		})
	}
}

// BenchmarkWallParallel draws wall-size time series from all cores at
// once, as a dashboard refresh does.
func BenchmarkWallParallel(b *testing.B) {
	s := latencySeries()
	w := &layouts.Widget{Type: layouts.WidgetTimeSeries, Unit: "s"}
	f := Frame{From: t0.Add(-time.Hour), To: t0, Scale: 1}
	b.ReportAllocs()
	b.RunParallel(func(pb *testing.PB) {
		img := image.NewRGBA(image.Rectangle{Max: wallSize})
		for pb.Next() {
			Draw(img, w, s, f)
		}
	})
}

// TestDashboard50 checks the benchmark's dashboard: 50 panels of every
// kind, each drawing something other than an error or "No data".
func TestDashboard50(t *testing.T) {
	ps := dashboard50()
	kinds := map[string]int{}
	for i := range ps {
		p := &ps[i]
		kinds[p.w.Type]++
		Draw(p.img, &p.w, p.series, p.f)
		noData := image.NewRGBA(p.img.Rect)
		Draw(noData, &p.w, nil, p.f)
		if p.w.Type != layouts.WidgetText && p.w.Type != layouts.WidgetAlertList && bytes.Equal(noData.Pix, p.img.Pix) {
			t.Errorf("panel %d (%s) draws No data", i, p.w.Type)
		}
	}
	if len(ps) != 50 || len(kinds) != len(layouts.WidgetKinds) {
		t.Errorf("%d panels of %d kinds: %v", len(ps), len(kinds), kinds)
	}
	_ = fmt.Sprint
	_ = math.Pi
}
