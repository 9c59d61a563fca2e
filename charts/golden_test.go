package charts

import (
	"fmt"
	"image"
	"math"
	"testing"
	"time"

	"github.com/wallboard/wallboard/datasources"
	"github.com/wallboard/wallboard/internal/golden"
	"github.com/wallboard/wallboard/layouts"
)

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
	// frame adds to the frame (annotations, alerts, sort, cursor).
	frame func(*Frame)
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
		{"timeseries", lat, latencySeries(), time.Hour, nil},
		// Prometheus down for 4 minutes: every line breaks over the hole.
		{"timeseries_outage", layouts.Widget{Type: layouts.WidgetTimeSeries, Unit: "reqps"}, outageSeries(3), time.Hour, nil},
		{"timeseries_area", layouts.Widget{Type: layouts.WidgetTimeSeries, Unit: "reqps", Style: "area"}, reqs, 6 * time.Hour, nil},
		{"timeseries_stacked", layouts.Widget{Type: layouts.WidgetTimeSeries, Unit: "reqps", Style: "stacked"}, reqs, 6 * time.Hour, nil},
		{"timeseries_bars", layouts.Widget{Type: layouts.WidgetTimeSeries, Unit: "ops", Style: "bars"}, []datasources.Series{wave("errors", 50, 30, 6*time.Hour, 12, 6, 4), wave("timeouts", 51, 30, 6*time.Hour, 5, 3, 2)}, 6 * time.Hour, nil},
		{"timeseries_many", layouts.Widget{Type: layouts.WidgetTimeSeries, Unit: "reqps"}, many, 24 * time.Hour, nil},
		{"timeseries_percent_30d", layouts.Widget{Type: layouts.WidgetTimeSeries, Unit: "percent", Min: ptr(0.0), Max: ptr(100.0), Thresholds: cpuTh},
			[]datasources.Series{wave("cpu", 60, 720, 30*24*time.Hour, 55, 20, 10)}, 30 * 24 * time.Hour, nil},
		{"stat", layouts.Widget{Type: layouts.WidgetStat, Unit: "percentunit", Decimals: ptr(2),
			Thresholds: &layouts.Thresholds{Warning: ptr(0.95), Critical: ptr(0.9), Direction: "below"}}, []datasources.Series{success}, 24 * time.Hour, nil},
		{"stat_critical", layouts.Widget{Type: layouts.WidgetStat, Unit: "s", Thresholds: &layouts.Thresholds{Warning: ptr(0.5), Critical: ptr(0.7)}},
			[]datasources.Series{latencySeries()[2], latencySeries()[1]}, time.Hour, nil},
		{"stat_mapping", layouts.Widget{Type: layouts.WidgetStat, Mappings: []layouts.ValueMapping{{Value: 0, Text: "down"}, {Value: 1, Text: "up"}},
			Thresholds: &layouts.Thresholds{Critical: ptr(0.5), Direction: "below"}}, []datasources.Series{steps("up", []float64{1, 1, 1, 1, 0, 0})}, time.Hour, nil},
		{"gauge", layouts.Widget{Type: layouts.WidgetGauge, Unit: "percent", Thresholds: cpuTh}, cpu[:1], time.Hour, nil},
		{"gauge_multi", layouts.Widget{Type: layouts.WidgetGauge, Unit: "percent", Thresholds: cpuTh}, cpu, time.Hour, nil},
		{"bargauge", layouts.Widget{Type: layouts.WidgetBarGauge, Unit: "bytes", Max: ptr(32e9),
			Thresholds: &layouts.Thresholds{Warning: ptr(24e9), Critical: ptr(29e9)}}, memory, time.Hour, nil},
		{"bargauge_percent", layouts.Widget{Type: layouts.WidgetBarGauge, Unit: "percent", Thresholds: cpuTh}, regions, time.Hour, nil},
		{"histogram", layouts.Widget{Type: layouts.WidgetHistogram, Unit: "percentunit", Bins: 20,
			Thresholds: &layouts.Thresholds{Warning: ptr(0.8), Critical: ptr(0.7), Direction: "below"}}, quality, time.Hour, nil},
		{"histogram_buckets", layouts.Widget{Type: layouts.WidgetHistogram, Unit: "s"}, buckets, time.Hour, nil},
		{name: "timeseries_annotations", w: lat, series: latencySeries(), span: time.Hour, frame: func(f *Frame) {
			f.ThresholdBands = true
			f.Annotations = sampleAnnotations()
		}},
		{name: "timeseries_cursor", w: layouts.Widget{Type: layouts.WidgetTimeSeries, Unit: "reqps", Style: "stacked"}, series: reqs, span: 6 * time.Hour,
			frame: func(f *Frame) { f.Cursor = t0.Add(-2*time.Hour - 10*time.Minute) }},
		{name: "heatmap", w: layouts.Widget{Type: layouts.WidgetHeatmap, Unit: "s"}, series: latencyBucketRates(), span: time.Hour},
		{name: "heatmap_samples", w: layouts.Widget{Type: layouts.WidgetHeatmap, Unit: "percentunit"}, series: quality, span: time.Hour},
		{name: "geomap", w: layouts.Widget{Type: layouts.WidgetGeoMap, Unit: "reqps"}, series: regionRates(), span: time.Hour},
		{name: "geomap_thresholds", w: layouts.Widget{Type: layouts.WidgetGeoMap, Unit: "s", Thresholds: &layouts.Thresholds{Warning: ptr(0.5), Critical: ptr(1.0)}},
			series: withCoords(regionLatency()), span: time.Hour},
		{name: "table", w: layouts.Widget{Type: layouts.WidgetTable, Unit: "s", Thresholds: &layouts.Thresholds{Warning: ptr(0.5), Critical: ptr(1.0)}},
			series: regionLatency(), span: time.Hour, frame: func(f *Frame) { f.Sort = TableSort{Column: ColumnLast, Desc: true} }},
		{name: "table_many", w: layouts.Widget{Type: layouts.WidgetTable, Unit: "reqps"}, series: many, span: 24 * time.Hour},
		{name: "alertlist", w: layouts.Widget{Type: layouts.WidgetAlertList}, span: time.Hour, frame: func(f *Frame) { f.Alerts = sampleAlerts()[:4] }},
		{name: "alertlist_many", w: layouts.Widget{Type: layouts.WidgetAlertList}, span: time.Hour, frame: func(f *Frame) { f.Alerts = sampleAlerts() }},
		{name: "alertlist_empty", w: layouts.Widget{Type: layouts.WidgetAlertList}, span: time.Hour},
		{name: "text", w: layouts.Widget{Type: layouts.WidgetText, Text: runbookText}, span: time.Hour},
		{name: "text_plain", w: layouts.Widget{Type: layouts.WidgetText, Style: "plain", Text: "Plain text shows as it is: **not bold**, # not a heading.\nLines are kept; long ones wrap at spaces to the panel's width."}, span: time.Hour},
	}
}

// runbookText is a text panel's markdown: headings, bullets, bold, code
// and links.
const runbookText = `# Latency runbook
When **p95 > 1 s** for 5 minutes:
- Check the **queue depth** by *region*
- Look for a ` + "`latency_spike`" + ` incident
- Scale out: see [the scaling guide](https://wiki.example.com/audio/scale)

## Escalation
1. On-call audio engineer
2. Platform team, #audio-platform`

// sampleAnnotations are an alert and a deploy over the last hour.
func sampleAnnotations() []Annotation {
	return []Annotation{
		{From: t0.Add(-12 * time.Minute), To: t0.Add(-6 * time.Minute), Level: layouts.LevelCritical, Text: "p99 latency critical"},
		{From: t0.Add(-48 * time.Minute), To: t0.Add(-40 * time.Minute), Level: layouts.LevelWarning, Text: "queue building"},
		{From: t0.Add(-25 * time.Minute), Level: layouts.LevelOK, Text: "deploy denoise-v3.2"},
	}
}

// sampleAlerts are alerts of every severity.
func sampleAlerts() []AlertRow {
	return []AlertRow{
		{Severity: "warning", Name: "QueueBuilding", Labels: "region=us-east", Since: t0.Add(-3*time.Hour - 5*time.Minute), Value: "412", Origin: "capacity"},
		{Severity: "critical", Name: "HighP99Latency", Labels: "region=eu-west", Since: t0.Add(-12 * time.Minute), Value: "2.8 s", Origin: "latency rules"},
		{Severity: "info", Name: "DeployFinished", Labels: "model=denoise-v3.2", Since: t0.Add(-25 * time.Minute), Origin: "ci"},
		{Severity: "critical", Name: "ErrorBurst", Labels: "region=ap-south, reason=timeout", Since: t0.Add(-4 * time.Minute), Value: "18.2%", Origin: "error rules"},
		{Severity: "warning", Name: "LowQuality", Labels: "region=sa-east, model=dereverb-v2", Since: t0.Add(-2 * 24 * time.Hour), Value: "0.74", Origin: "quality"},
		{Severity: "warning", Name: "GPUHot", Labels: "instance=gpu-node-5", Since: t0.Add(-45 * time.Second), Value: "97%", Origin: "capacity"},
		{Severity: "critical", Name: "SourceDown", Labels: "source=prometheus-eu", Since: t0.Add(-1 * time.Minute), Value: "down", Origin: "wallboard"},
	}
}

// latencyBucketRates is a latency histogram as rate(..._bucket[1m]) by
// le returns it: per 15 s step, cumulative rates; requests get slower
// during an incident from 40 to 25 minutes before t0.
func latencyBucketRates() []datasources.Series {
	les := []float64{0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, math.Inf(1)}
	const n = 240
	out := make([]datasources.Series, len(les))
	for j, le := range les {
		lbl := "+Inf"
		if !math.IsInf(le, 1) {
			lbl = fmt.Sprint(le)
		}
		out[j] = datasources.Series{Name: lbl, Labels: datasources.Labels{"le": lbl}, Points: make([]datasources.Point, n)}
	}
	r := rng(77)
	start := t0.Add(-time.Hour).UnixMilli()
	for i := 0; i < n; i++ {
		total := 150 + 25*math.Sin(float64(i)/40) + 10*(r.float()-0.5)
		median, sigma := 0.09, 0.9
		if i >= 140 && i < 200 {
			median, sigma = 0.45, 1.0
		}
		for j, le := range les {
			frac := 1.0
			if !math.IsInf(le, 1) {
				frac = 0.5 * math.Erfc(-(math.Log(le)-math.Log(median))/(sigma*math.Sqrt2))
			}
			out[j].Points[i] = datasources.Point{T: start + int64(i)*15000, V: total * frac}
		}
	}
	return out
}

// simRegions are the coordinates (latitude, longitude in degrees) of the
// simulator's regions (docs/metrics.md), which its region_latitude and
// region_longitude series return.
var simRegions = map[string][2]float64{
	"us-east":      {38.9, -77.0},
	"us-west":      {37.4, -122.1},
	"eu-west":      {53.3, -6.3},
	"eu-central":   {50.1, 8.7},
	"ap-south":     {19.1, 72.9},
	"ap-northeast": {35.7, 139.7},
	"sa-east":      {-23.5, -46.6},
}

// withCoords adds the region_latitude/longitude series of the regions
// in series that have no lat/lon labels, as a geo-map widget's second and
// third queries return them.
func withCoords(series []datasources.Series) []datasources.Series {
	out := series
	for _, s := range series {
		reg := s.Labels["region"]
		ll, ok := simRegions[reg]
		if _, has := s.Labels["lat"]; has || !ok || isCoordSeries(&s) != 0 {
			continue
		}
		out = append(out,
			datasources.Series{Name: "lat", Labels: datasources.Labels{"__name__": "region_latitude", "region": reg}, Points: []datasources.Point{{T: t0.UnixMilli(), V: ll[0]}}},
			datasources.Series{Name: "lon", Labels: datasources.Labels{"__name__": "region_longitude", "region": reg}, Points: []datasources.Point{{T: t0.UnixMilli(), V: ll[1]}}})
	}
	return out
}

// regionRates are requests per second by region, with the labels a
// "sum by (region)" query returns; one region carries its coordinates as
// lat/lon labels, the others as region_latitude/longitude series.
func regionRates() []datasources.Series {
	base := map[string]float64{"us-east": 48, "us-west": 31, "eu-west": 27, "eu-central": 33, "ap-south": 22, "ap-northeast": 36, "sa-east": 12}
	var out []datasources.Series
	for i, reg := range []string{"us-east", "us-west", "eu-west", "eu-central", "ap-south", "ap-northeast", "sa-east"} {
		s := wave(reg, uint64(70+i), 60, time.Hour, base[reg], base[reg]*0.1, base[reg]*0.05)
		s.Labels = datasources.Labels{"region": reg}
		if reg == "ap-south" {
			s.Labels["lat"], s.Labels["lon"] = "19.1", "72.9"
		}
		out = append(out, s)
	}
	return withCoords(out)
}

// regionLatency is p95 latency by region, eu-west slow, ap-south critical.
func regionLatency() []datasources.Series {
	vals := map[string]float64{"us-east": 0.42, "us-west": 0.38, "eu-west": 0.71, "eu-central": 0.35, "ap-south": 1.35, "ap-northeast": 0.29, "sa-east": 0.47}
	var out []datasources.Series
	for i, reg := range []string{"us-east", "us-west", "eu-west", "eu-central", "ap-south", "ap-northeast", "sa-east"} {
		s := wave(reg, uint64(90+i), 60, time.Hour, vals[reg], 0.05, 0.04)
		s.Points[len(s.Points)-1].V = vals[reg]
		s.Labels = datasources.Labels{"region": reg}
		out = append(out, s)
	}
	return out
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

// baseKinds are the cases drawn in the light (and some in the high
// contrast) theme too: one per kind.
var baseKinds = map[string]bool{
	"timeseries": true, "stat": true, "gauge": true, "bargauge": true, "heatmap": true,
	"histogram": true, "geomap": true, "table": true, "alertlist": true, "text": true,
}

func variants(name string) []variant {
	vs := []variant{{"wall_dark", wallSize, Dark(), 1}, {"phone_dark", phoneSize, Dark(), 1}}
	if baseKinds[name] {
		vs = append(vs, variant{"wall_light", wallSize, Light(), 1})
	}
	switch name {
	case "timeseries", "table", "alertlist", "geomap":
		vs = append(vs, variant{"wall_highcontrast", wallSize, HighContrast(), 1})
	}
	if name == "timeseries" {
		vs = append(vs, variant{"hidpi_dark", wallSize.Mul(2), Dark(), 2})
	}
	return vs
}

func (gc goldenCase) frameFor(v variant) Frame {
	f := Frame{From: t0.Add(-gc.span), To: t0, Scale: v.scale, Theme: v.theme}
	if gc.frame != nil {
		gc.frame(&f)
	}
	return f
}

func render(gc goldenCase, v variant) *image.RGBA {
	img := image.NewRGBA(image.Rectangle{Max: v.size})
	w := gc.w
	Draw(img, &w, gc.series, gc.frameFor(v))
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
				r.Draw(image.NewRGBA(got.Rect), &w, gc.series, gc.frameFor(v))
				golden.Assert(t, name+".png", got)
			})
		}
	}
}

// TestGoldenCoversEveryKind checks that every widget kind has golden
// images at wall and phone size in the dark theme, and in the light one.
func TestGoldenCoversEveryKind(t *testing.T) {
	have := map[string]bool{}
	for _, gc := range goldenCases() {
		for _, v := range variants(gc.name) {
			have[gc.w.Type+"/"+v.suffix] = true
		}
	}
	for _, k := range layouts.WidgetKinds {
		for _, s := range []string{"wall_dark", "phone_dark", "wall_light"} {
			if !have[k+"/"+s] {
				t.Errorf("no %s golden image of %s", s, k)
			}
		}
	}
}
