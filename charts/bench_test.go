package charts

import (
	"bytes"
	"image"
	"io"
	"testing"
	"time"

	chart "github.com/wcharczuk/go-chart/v2"

	"github.com/wallboard/wallboard/datasources"
	"github.com/wallboard/wallboard/layouts"
)

// bench1k is the shared benchmark data: one noisy series of 1,000 points
// over an hour, drawn 800x400.
func bench1k() datasources.Series {
	return wave("requests", 99, 1000, time.Hour, 500, 150, 120)
}

// BenchmarkTimeSeriesNative1k draws an 800x400 time series of 1,000
// noisy points with the native renderer into a reused image.
func BenchmarkTimeSeriesNative1k(b *testing.B) {
	s := []datasources.Series{bench1k()}
	w := &layouts.Widget{Type: layouts.WidgetTimeSeries, Unit: "reqps"}
	img := image.NewRGBA(image.Rect(0, 0, 800, 400))
	f := Frame{From: t0.Add(-time.Hour), To: t0, Scale: 1}
	Draw(img, w, s, f) // warm the glyph cache
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		Draw(img, w, s, f)
	}
}

func goChart1k() chart.Chart {
	s := bench1k()
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

// BenchmarkTimeSeriesGoChart1k is the baseline: go-chart v2 rendering
// the same series to an 800x400 PNG.
func BenchmarkTimeSeriesGoChart1k(b *testing.B) {
	c := goChart1k()
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

// noSave is go-chart's PNG renderer without the PNG encoding, for a
// comparison of rasterising alone.
type noSave struct{ chart.Renderer }

func (noSave) Save(io.Writer) error { return nil }

// BenchmarkTimeSeriesGoChart1kNoEncode is the baseline without its PNG
// encoding (go-chart rasterising only), the strictest comparison.
func BenchmarkTimeSeriesGoChart1kNoEncode(b *testing.B) {
	c := goChart1k()
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

// BenchmarkWall draws each kind at wall size (460x300) with its golden
// data; the timeseries case is 3 series x 240 points.
func BenchmarkWall(b *testing.B) {
	for _, gc := range goldenCases() {
		b.Run(gc.name, func(b *testing.B) {
			img := image.NewRGBA(image.Rectangle{Max: wallSize})
			w := gc.w
			f := Frame{From: t0.Add(-gc.span), To: t0, Scale: 1}
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
