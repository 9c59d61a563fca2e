package charts

import (
	"bytes"
	"flag"
	"fmt"
	"image"
	"image/png"
	"math"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/wallboard/wallboard/datasources"
	"github.com/wallboard/wallboard/layouts"
)

var update = flag.Bool("update", false, "rewrite the golden images under testdata/")

// Golden sizes: a 4x3 grid on a 1920x1080 wall gives bodies of about
// 460x300; a phone's single column about 358x220.
var (
	wallSize  = image.Pt(460, 300)
	phoneSize = image.Pt(358, 220)
)

// t0 is the fixed end of the synthetic data's range.
var t0 = time.Date(2025, 11, 27, 14, 0, 0, 0, time.UTC)

// rng is a small deterministic generator (xorshift64*), so that the
// synthetic series never depend on math/rand's algorithms.
type rng uint64

func (r *rng) float() float64 {
	x := uint64(*r)
	x ^= x >> 12
	x ^= x << 25
	x ^= x >> 27
	*r = rng(x)
	return float64((x*2685821657736338717)>>11) / (1 << 53)
}

// wave is a deterministic series: base + amp*sin + noise, n points over
// [to-span, to].
func wave(name string, seed uint64, n int, span time.Duration, base, amp, noise float64) datasources.Series {
	r := rng(seed*0x9e3779b97f4a7c15 + 1)
	s := datasources.Series{Name: name, Points: make([]datasources.Point, n)}
	start := t0.Add(-span).UnixMilli()
	step := span.Milliseconds() / int64(max(n-1, 1))
	for i := range s.Points {
		ph := float64(i) / float64(n) * 2 * math.Pi
		v := base + amp*math.Sin(ph*1.5+float64(seed)) + noise*(r.float()-0.5)
		s.Points[i] = datasources.Point{T: start + int64(i)*step, V: v}
	}
	return s
}

func ptr[T any](v T) *T { return &v }

type goldenCase struct {
	name   string
	w      layouts.Widget
	series []datasources.Series
	span   time.Duration
}

func latencySeries() []datasources.Series {
	p50 := wave("p50", 1, 240, time.Hour, 0.12, 0.03, 0.02)
	p95 := wave("p95", 2, 240, time.Hour, 0.38, 0.1, 0.06)
	p99 := wave("p99", 3, 240, time.Hour, 0.72, 0.2, 0.15)
	// a scrape gap in all three, and an incident spike in p99
	for _, s := range []datasources.Series{p50, p95, p99} {
		for i := 150; i < 160; i++ {
			s.Points[i].V = math.NaN()
		}
	}
	p99.Points[200].V = 1.42
	return []datasources.Series{p50, p95, p99}
}

func goldenCases() []goldenCase {
	lat := layouts.Widget{Type: layouts.WidgetTimeSeries, Unit: "s",
		Thresholds: &layouts.Thresholds{Warning: ptr(0.8), Critical: ptr(1.2)}}
	reqs := []datasources.Series{
		wave("us-east", 4, 240, 6*time.Hour, 820, 200, 60),
		wave("eu-west", 5, 240, 6*time.Hour, 540, 150, 50),
		wave("ap-south", 6, 240, 6*time.Hour, 260, 90, 40),
	}
	many := make([]datasources.Series, 12)
	for i := range many {
		many[i] = wave("", uint64(10+i), 200, 24*time.Hour, 40+float64(i)*8, 10, 6)
		many[i].Labels = datasources.Labels{"__name__": "audio_requests_total", "region": fmt.Sprintf("region-%02d", i), "model": "denoise-v3"}
		many[i].Name = many[i].Labels.String()
	}
	cpu := []datasources.Series{wave("gpu-node-1", 7, 240, time.Hour, 78, 12, 6), wave("gpu-node-2", 8, 240, time.Hour, 41, 8, 6)}
	success := wave("success rate", 9, 240, 24*time.Hour, 0.962, 0.02, 0.004)
	quality := []datasources.Series{wave("us-east", 20, 480, time.Hour, 0.86, 0.04, 0.08), wave("eu-west", 21, 480, time.Hour, 0.82, 0.05, 0.1)}
	buckets := promBuckets()
	memory := []datasources.Series{
		wave("gpu-node-1", 30, 60, time.Hour, 14.2e9, 1e9, 3e8),
		wave("gpu-node-2", 31, 60, time.Hour, 9.6e9, 1e9, 3e8),
		wave("gpu-node-3", 32, 60, time.Hour, 30.1e9, 1e9, 3e8),
		wave("gpu-node-4", 33, 60, time.Hour, 4.1e9, 1e9, 3e8),
	}
	regions := []datasources.Series{
		wave("us-east", 40, 60, time.Hour, 92, 1, 1),
		wave("us-west", 41, 60, time.Hour, 64, 1, 1),
		wave("eu-west", 42, 60, time.Hour, 75, 1, 1),
		wave("eu-central", 43, 60, time.Hour, 38, 1, 1),
		wave("ap-south", 44, 60, time.Hour, 51, 1, 1),
	}
	cpuTh := &layouts.Thresholds{Warning: ptr(70.0), Critical: ptr(90.0)}
	return []goldenCase{
		{"timeseries", lat, latencySeries(), time.Hour},
		{"timeseries_area", layouts.Widget{Type: layouts.WidgetTimeSeries, Unit: "reqps", Style: "area"}, reqs, 6 * time.Hour},
		{"timeseries_stacked", layouts.Widget{Type: layouts.WidgetTimeSeries, Unit: "reqps", Style: "stacked"}, reqs, 6 * time.Hour},
		{"timeseries_bars", layouts.Widget{Type: layouts.WidgetTimeSeries, Unit: "ops", Style: "bars"}, []datasources.Series{wave("errors", 50, 30, 6*time.Hour, 12, 6, 4), wave("timeouts", 51, 30, 6*time.Hour, 5, 3, 2)}, 6 * time.Hour},
		{"timeseries_many", layouts.Widget{Type: layouts.WidgetTimeSeries, Unit: "reqps"}, many, 24 * time.Hour},
		{"timeseries_percent_30d", layouts.Widget{Type: layouts.WidgetTimeSeries, Unit: "percent", Min: ptr(0.0), Max: ptr(100.0), Thresholds: cpuTh},
			[]datasources.Series{wave("cpu", 60, 720, 30*24*time.Hour, 55, 20, 10)}, 30 * 24 * time.Hour},
		{"stat", layouts.Widget{Type: layouts.WidgetStat, Unit: "percentunit", Decimals: ptr(2),
			Thresholds: &layouts.Thresholds{Warning: ptr(0.95), Critical: ptr(0.9), Direction: "below"}}, []datasources.Series{success}, 24 * time.Hour},
		{"stat_critical", layouts.Widget{Type: layouts.WidgetStat, Unit: "s", Thresholds: &layouts.Thresholds{Warning: ptr(0.5), Critical: ptr(0.7)}},
			[]datasources.Series{latencySeries()[2], latencySeries()[1]}, time.Hour},
		{"stat_mapping", layouts.Widget{Type: layouts.WidgetStat, Mappings: []layouts.ValueMapping{{Value: 0, Text: "down"}, {Value: 1, Text: "up"}},
			Thresholds: &layouts.Thresholds{Critical: ptr(0.5), Direction: "below"}}, []datasources.Series{steps("up", []float64{1, 1, 1, 1, 0, 0})}, time.Hour},
		{"gauge", layouts.Widget{Type: layouts.WidgetGauge, Unit: "percent", Thresholds: cpuTh}, cpu[:1], time.Hour},
		{"gauge_multi", layouts.Widget{Type: layouts.WidgetGauge, Unit: "percent", Thresholds: cpuTh}, cpu, time.Hour},
		{"bargauge", layouts.Widget{Type: layouts.WidgetBarGauge, Unit: "bytes", Max: ptr(32e9),
			Thresholds: &layouts.Thresholds{Warning: ptr(24e9), Critical: ptr(29e9)}}, memory, time.Hour},
		{"bargauge_percent", layouts.Widget{Type: layouts.WidgetBarGauge, Unit: "percent", Thresholds: cpuTh}, regions, time.Hour},
		{"histogram", layouts.Widget{Type: layouts.WidgetHistogram, Unit: "percentunit", Bins: 20,
			Thresholds: &layouts.Thresholds{Warning: ptr(0.8), Critical: ptr(0.7), Direction: "below"}}, quality, time.Hour},
		{"histogram_buckets", layouts.Widget{Type: layouts.WidgetHistogram, Unit: "s"}, buckets, time.Hour},
	}
}

// steps is a series with the given values one minute apart, ending at t0.
func steps(name string, vs []float64) datasources.Series {
	s := datasources.Series{Name: name}
	for i, v := range vs {
		s.Points = append(s.Points, datasources.Point{T: t0.Add(time.Duration(i-len(vs)+1) * 10 * time.Minute).UnixMilli(), V: v})
	}
	return s
}

// promBuckets is a latency histogram as Prometheus returns it: one
// cumulative series per "le".
func promBuckets() []datasources.Series {
	les := []string{"0.025", "0.05", "0.1", "0.25", "0.5", "1", "2.5", "5", "10", "+Inf"}
	cum := []float64{40, 180, 620, 1350, 1710, 1840, 1890, 1898, 1900, 1901}
	var out []datasources.Series
	for i, le := range les {
		s := steps("", []float64{cum[i] * 0.5, cum[i]})
		s.Labels = datasources.Labels{"__name__": "audio_request_duration_seconds_bucket", "le": le}
		out = append(out, s)
	}
	return out
}

type variant struct {
	suffix string
	size   image.Point
	theme  *Theme
	scale  float64
}

func variants(name string) []variant {
	vs := []variant{{"wall_dark", wallSize, Dark(), 1}, {"phone_dark", phoneSize, Dark(), 1}}
	switch name {
	case "timeseries", "stat", "gauge", "bargauge", "histogram":
		vs = append(vs, variant{"wall_light", wallSize, Light(), 1})
	}
	if name == "timeseries" {
		vs = append(vs, variant{"hidpi_dark", wallSize.Mul(2), Dark(), 2})
	}
	return vs
}

func render(gc goldenCase, v variant) *image.RGBA {
	img := image.NewRGBA(image.Rectangle{Max: v.size})
	w := gc.w
	Draw(img, &w, gc.series, Frame{From: t0.Add(-gc.span), To: t0, Scale: v.scale, Theme: v.theme})
	return img
}

func TestGolden(t *testing.T) {
	for _, gc := range goldenCases() {
		for _, v := range variants(gc.name) {
			name := gc.name + "_" + v.suffix
			t.Run(name, func(t *testing.T) {
				got := render(gc, v)
				// Renderers directly too: Draw's recover must not hide a panic.
				r, _ := For(gc.w.Type)
				w := gc.w
				r.Draw(image.NewRGBA(got.Rect), &w, gc.series, Frame{From: t0.Add(-gc.span), To: t0, Scale: v.scale, Theme: v.theme})
				checkGolden(t, name, got)
			})
		}
	}
}

// checkGolden compares img with testdata/name.png: a pixel differs when a
// channel differs by more than 8, and at most 0.1% of pixels may differ.
func checkGolden(t *testing.T, name string, img *image.RGBA) {
	t.Helper()
	path := filepath.Join("testdata", name+".png")
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		t.Fatal(err)
	}
	if *update {
		if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	f, err := os.Open(path)
	if err != nil {
		t.Fatalf("no golden image (run go test ./charts -update): %v", err)
	}
	defer f.Close()
	want, err := png.Decode(f)
	if err != nil {
		t.Fatal(err)
	}
	bad := 0
	if want.Bounds() != img.Bounds() {
		bad = img.Bounds().Dx() * img.Bounds().Dy()
	} else {
		b := img.Bounds()
		for y := b.Min.Y; y < b.Max.Y; y++ {
			for x := b.Min.X; x < b.Max.X; x++ {
				r1, g1, b1, a1 := img.At(x, y).RGBA()
				r2, g2, b2, a2 := want.At(x, y).RGBA()
				if diff(r1, r2) > 8 || diff(g1, g2) > 8 || diff(b1, b2) > 8 || diff(a1, a2) > 8 {
					bad++
				}
			}
		}
	}
	if limit := img.Bounds().Dx() * img.Bounds().Dy() / 1000; bad > limit {
		failed := filepath.Join("testdata", "failed", name+".png")
		_ = os.MkdirAll(filepath.Dir(failed), 0o755)
		_ = os.WriteFile(failed, buf.Bytes(), 0o644)
		t.Errorf("%s: %d pixels differ (limit %d); got written to %s", path, bad, limit, failed)
	}
}

func diff(a, b uint32) uint32 {
	a, b = a>>8, b>>8
	if a > b {
		return a - b
	}
	return b - a
}
