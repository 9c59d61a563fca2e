// Command genlayout writes the benchmark wall of issue 11: one dashboard of
// N panels (default 200: 128 time series, 40 stats, 12 gauges, 12 bar
// gauges, 8 heat maps; smaller N keeps the same mix) on the embedded
// simulator, about 211 distinct queries and 1,000 series for 200 panels,
// laid out as one grid that fills a 1920x1080 screen.
//
//	go run ./scripts/wallbench/genlayout -panels 200 -out /tmp/wb/wall200.json
//	go run ./scripts/wallbench/genlayout -panels 50 -down -out /tmp/wb/wall50-down.json
//
// -down writes the same panels against a Prometheus on a refused port
// (http://127.0.0.1:1) under the same source name, so a wall started with
// the history cache of the simulator variant draws from history only.
//
// The file is written with layouts.Save, so it validates; the program then
// evaluates every query once against the simulator (instant queries) and
// prints the number of distinct queries and series it really returns.
package main

import (
	"context"
	"flag"
	"fmt"
	"math"
	"os"
	"strings"
	"time"

	"github.com/wallboard/wallboard/datasources"
	"github.com/wallboard/wallboard/datasources/sim"
	"github.com/wallboard/wallboard/layouts"
)

// sourceName is shared by the simulator and the "down" variant, so that
// both read and write the same history (history keys are per source name).
const sourceName = "metrics"

func main() {
	panels := flag.Int("panels", 200, "number of panels (the 200-panel mix is scaled)")
	out := flag.String("out", "", "layout `FILE` to write (required)")
	refresh := flag.Duration("refresh", time.Second, "dashboard refresh interval")
	from := flag.String("from", "now-1h", "time range start")
	seriesTarget := flag.Int("series", 0, "target total series (0: 5 per panel, 1,000 for 200)")
	down := flag.Bool("down", false, "source is a Prometheus on a refused port (http://127.0.0.1:1)")
	width := flag.Int("width", 1920, "screen width the grid is shaped for")
	height := flag.Int("height", 1080, "screen height the grid is shaped for")
	check := flag.Bool("check", true, "evaluate every query on the simulator and print the real series count")
	flag.Parse()
	if *out == "" || *panels < 1 || *panels > 24*40 {
		fmt.Fprintln(os.Stderr, "genlayout: -out FILE is required and -panels must be 1..960")
		os.Exit(2)
	}
	if *seriesTarget == 0 {
		*seriesTarget = 5 * *panels
	}
	l, planned := build(*panels, *seriesTarget, *refresh, *from, *down, *width, *height)
	if err := layouts.Save(*out, l); err != nil {
		fmt.Fprintln(os.Stderr, "genlayout:", err)
		os.Exit(1)
	}
	d := &l.Dashboards[0]
	counts := map[string]int{}
	queries := map[string]bool{}
	for _, w := range d.Widgets {
		counts[w.Type]++
		for _, q := range w.Queries {
			queries[q.Expr] = true
		}
	}
	fmt.Printf("%s: %d panels (%d timeseries, %d stat, %d gauge, %d bargauge, %d heatmap), grid %dx%d, refresh %s, %d distinct queries, %d series planned",
		*out, len(d.Widgets), counts[layouts.WidgetTimeSeries], counts[layouts.WidgetStat], counts[layouts.WidgetGauge],
		counts[layouts.WidgetBarGauge], counts[layouts.WidgetHeatmap], d.Columns, rowsOf(d), *refresh, len(queries), planned)
	if *check {
		n, err := countSeries(d)
		if err != nil {
			fmt.Println()
			fmt.Fprintln(os.Stderr, "genlayout: check:", err)
			os.Exit(1)
		}
		fmt.Printf(", %d series on the simulator", n)
	}
	fmt.Println()
}

// mix is the 200-panel wall of the issue.
var mix = []struct {
	kind string
	n    int
}{
	{layouts.WidgetTimeSeries, 128},
	{layouts.WidgetStat, 40},
	{layouts.WidgetGauge, 12},
	{layouts.WidgetBarGauge, 12},
	{layouts.WidgetHeatmap, 8},
}

// counts scales the mix to n panels (largest remainders), at least one of
// each kind when n allows.
func counts(n int) map[string]int {
	out := map[string]int{}
	total := 0
	type rem struct {
		kind string
		r    float64
	}
	var rems []rem
	for _, m := range mix {
		exact := float64(m.n) * float64(n) / 200
		c := int(math.Floor(exact))
		out[m.kind] = c
		total += c
		rems = append(rems, rem{m.kind, exact - float64(c)})
	}
	for total < n {
		best := 0
		for i := range rems {
			if rems[i].r > rems[best].r {
				best = i
			}
		}
		out[rems[best].kind]++
		rems[best].r = -1
		total++
	}
	return out
}

// cand is a candidate query with the number of series the simulator
// returns for it.
type cand struct {
	expr, legend string
	series       int
}

var windows = []string{"1m", "2m", "5m", "10m", "15m"}

// Cardinalities of the simulator (datasources/sim): 7 regions, 3 models,
// 3 error reasons, 6 instances, 10 latency buckets.
const (
	nRegion   = 7
	nModel    = 3
	nReason   = 3
	nInstance = 6
	nLE       = 10
)

// timeseriesFamilies are pools of distinct time-series queries, each pool
// of one cardinality.
func timeseriesFamilies() [][]cand {
	var (
		byRegionModel, byRegion, byModel, byReason, byRegionReason, quantiles, gauges, totals, inRegion []cand
	)
	for _, w := range windows {
		for _, r := range sim.Regions() {
			for _, m := range []string{sim.MetricRequests, sim.MetricProcessed} {
				inRegion = append(inRegion, cand{fmt.Sprintf(`sum by (model) (rate(%s{region=%q}[%s]))`, m, r.Name, w), "{{model}}", nModel})
			}
			inRegion = append(inRegion, cand{fmt.Sprintf(`sum by (reason) (rate(%s{region=%q}[%s]))`, sim.MetricErrors, r.Name, w), "{{reason}}", nReason})
		}
		for _, m := range []string{sim.MetricRequests, sim.MetricProcessed} {
			byRegionModel = append(byRegionModel, cand{fmt.Sprintf(`sum by (region, model) (rate(%s[%s]))`, m, w), "{{region}} {{model}}", nRegion * nModel})
		}
		byRegionModel = append(byRegionModel, cand{fmt.Sprintf(`sum by (region, model) (rate(%s[%s]))`, sim.MetricErrors, w), "{{region}} {{model}}", nRegion * nModel})
		for _, m := range []string{sim.MetricRequests, sim.MetricProcessed, sim.MetricErrors, sim.MetricProcessedSeconds,
			sim.MetricSuccess, sim.MetricTotal, sim.MetricCost, sim.MetricAudioCount} {
			byRegion = append(byRegion, cand{fmt.Sprintf(`sum by (region) (rate(%s[%s]))`, m, w), "{{region}}", nRegion})
		}
		for _, m := range []string{sim.MetricRequests, sim.MetricProcessed, sim.MetricErrors} {
			byModel = append(byModel, cand{fmt.Sprintf(`sum by (model) (rate(%s[%s]))`, m, w), "{{model}}", nModel})
		}
		byReason = append(byReason, cand{fmt.Sprintf(`sum by (reason) (rate(%s[%s]))`, sim.MetricErrors, w), "{{reason}}", nReason})
		byRegionReason = append(byRegionReason, cand{fmt.Sprintf(`sum by (region, reason) (rate(%s[%s]))`, sim.MetricErrors, w), "{{region}} {{reason}}", nRegion * nReason})
		for _, q := range []string{"0.5", "0.9", "0.95", "0.99"} {
			quantiles = append(quantiles, cand{fmt.Sprintf(`histogram_quantile(%s, sum by (le, region) (rate(%s_bucket[%s])))`, q, sim.MetricDuration, w), "{{region}}", nRegion})
		}
		for _, m := range []string{sim.MetricRequests, sim.MetricProcessed, sim.MetricErrors, sim.MetricCost} {
			totals = append(totals, cand{fmt.Sprintf(`sum(rate(%s[%s]))`, m, w), "total", 1})
		}
		for _, g := range []struct {
			metric, by string
			n          int
		}{
			{sim.MetricCPU, "instance", nInstance}, {sim.MetricGPU, "instance", nInstance}, {sim.MetricMemory, "instance", nInstance},
			{sim.MetricQueue, "region", nRegion}, {sim.MetricQualityRegion, "region", nRegion},
			{sim.MetricQuality, "model", nModel},
		} {
			gauges = append(gauges, cand{fmt.Sprintf(`avg by (%s) (avg_over_time(%s[%s]))`, g.by, g.metric, w), "{{" + g.by + "}}", g.n})
		}
	}
	gauges = append(gauges,
		cand{sim.MetricQuality, "{{region}} {{model}}", nRegion * nModel},
		cand{sim.MetricCPU, "{{instance}}", nInstance},
		cand{sim.MetricGPU, "{{instance}}", nInstance},
		cand{sim.MetricQueue, "{{region}}", nRegion},
		cand{sim.MetricQualityRegion, "{{region}}", nRegion},
	)
	return [][]cand{byRegion, byRegionModel, quantiles, byModel, gauges, byRegionReason, inRegion, byReason, totals}
}

// pick takes n distinct queries from the families whose series add up to
// about target: at each step the family whose next query brings the running
// mean closest to target/n, rotating through the families on ties so the
// wall gets a bit of everything.
func pick(fams [][]cand, n, target int, used map[string]bool) []cand {
	next := make([]int, len(fams))
	var out []cand
	sum := 0
	want := float64(target) / float64(max(n, 1))
	for len(out) < n {
		best, bestScore := -1, math.Inf(1)
		for k := range fams {
			f := (k + len(out)) % len(fams)
			for next[f] < len(fams[f]) && used[fams[f][next[f]].expr] {
				next[f]++
			}
			if next[f] >= len(fams[f]) {
				continue
			}
			c := fams[f][next[f]]
			score := math.Abs(float64(sum+c.series)/float64(len(out)+1) - want)
			if score < bestScore-1e-9 {
				best, bestScore = f, score
			}
		}
		if best < 0 {
			break // pools exhausted
		}
		c := fams[best][next[best]]
		next[best]++
		used[c.expr] = true
		out = append(out, c)
		sum += c.series
	}
	return out
}

func statQueries() []cand {
	var out []cand
	for _, w := range windows {
		for _, m := range []string{sim.MetricRequests, sim.MetricErrors, sim.MetricProcessedSeconds, sim.MetricSuccess, sim.MetricAudioCount} {
			out = append(out, cand{fmt.Sprintf(`sum(rate(%s[%s]))`, m, w), "", 1})
		}
		out = append(out,
			cand{fmt.Sprintf(`sum(rate(%s[%s])) / sum(rate(%s[%s]))`, sim.MetricSuccess, w, sim.MetricTotal, w), "", 1},
			cand{fmt.Sprintf(`sum(rate(%s[%s])) / sum(rate(%s[%s]))`, sim.MetricErrors, w, sim.MetricRequests, w), "", 1},
			cand{fmt.Sprintf(`histogram_quantile(0.95, sum by (le) (rate(%s_bucket[%s])))`, sim.MetricDuration, w), "", 1},
			cand{fmt.Sprintf(`histogram_quantile(0.99, sum by (le) (rate(%s_bucket[%s])))`, sim.MetricDuration, w), "", 1},
			cand{fmt.Sprintf(`sum(rate(%s[%s])) / sum(rate(%s[%s]))`, sim.MetricCost, w, sim.MetricAudioCount, w), "", 1},
		)
	}
	out = append(out,
		cand{fmt.Sprintf(`avg(%s)`, sim.MetricQualityRegion), "", 1},
		cand{fmt.Sprintf(`min(%s)`, sim.MetricQuality), "", 1},
		cand{fmt.Sprintf(`sum(%s)`, sim.MetricQueue), "", 1},
	)
	return out
}

func gaugeQueries() []cand {
	var out []cand
	for _, in := range sim.Instances() {
		out = append(out, cand{fmt.Sprintf(`%s{instance=%q}`, sim.MetricCPU, in), "", 1})
	}
	for _, in := range sim.Instances() {
		out = append(out, cand{fmt.Sprintf(`%s{instance=%q}`, sim.MetricGPU, in), "", 1})
	}
	for _, in := range sim.Instances() {
		out = append(out, cand{fmt.Sprintf(`100 * %s{instance=%q} / %s{instance=%q}`, sim.MetricMemory, in, sim.MetricMemoryTotal, in), "", 1})
	}
	out = append(out,
		cand{fmt.Sprintf(`avg(%s)`, sim.MetricCPU), "", 1},
		cand{fmt.Sprintf(`avg(%s)`, sim.MetricGPU), "", 1},
		cand{fmt.Sprintf(`100 * sum(%s) / sum(%s)`, sim.MetricMemory, sim.MetricMemoryTotal), "", 1},
	)
	return out
}

func barGaugeQueries() []cand {
	var out []cand
	for _, w := range []string{"1h", "30m", "15m", "6h"} {
		out = append(out,
			cand{fmt.Sprintf(`sum by (region) (increase(%s[%s]))`, sim.MetricProcessed, w), "{{region}}", nRegion},
			cand{fmt.Sprintf(`sum by (model) (increase(%s[%s]))`, sim.MetricRequests, w), "{{model}}", nModel},
			cand{fmt.Sprintf(`avg by (region) (avg_over_time(%s[%s]))`, sim.MetricQualityRegion, w), "{{region}}", nRegion},
			cand{fmt.Sprintf(`sum by (model) (increase(%s[%s])) / sum by (model) (increase(%s[%s]))`, sim.MetricErrors, w, sim.MetricRequests, w), "{{model}}", nModel},
		)
	}
	return out
}

func heatmapQueries() []cand {
	out := []cand{{fmt.Sprintf(`sum by (le) (rate(%s_bucket[1m]))`, sim.MetricDuration), "{{le}}", nLE}}
	for _, r := range sim.Regions() {
		out = append(out, cand{fmt.Sprintf(`sum by (le) (rate(%s_bucket{region=%q}[1m]))`, sim.MetricDuration, r.Name), "{{le}}", nLE})
	}
	for _, r := range sim.Regions() {
		out = append(out, cand{fmt.Sprintf(`sum by (le) (rate(%s_bucket{region=%q}[5m]))`, sim.MetricDuration, r.Name), "{{le}}", nLE})
	}
	return out
}

// take returns the first n candidates of pool that are not used yet.
func take(pool []cand, n int, used map[string]bool) []cand {
	var out []cand
	for _, c := range pool {
		if len(out) == n {
			break
		}
		if !used[c.expr] {
			used[c.expr] = true
			out = append(out, c)
		}
	}
	return out
}

// grid chooses the columns and rows for n square-ish cells on a screen of
// width x height: cells as close to square as possible, few empty cells.
func grid(n, width, height int) (cols, rows int) {
	best := math.Inf(1)
	for c := 1; c <= layouts.MaxColumns; c++ {
		r := (n + c - 1) / c
		aspect := (float64(width) / float64(c)) / (float64(height) / float64(r))
		score := math.Abs(math.Log(aspect)) + 2*float64(c*r-n)/float64(n)
		if score < best {
			best, cols, rows = score, c, r
		}
	}
	return cols, rows
}

func build(n, seriesTarget int, refresh time.Duration, from string, down bool, width, height int) (*layouts.Layout, int) {
	c := counts(n)
	used := map[string]bool{}
	stats := take(statQueries(), c[layouts.WidgetStat], used)
	gauges := take(gaugeQueries(), c[layouts.WidgetGauge], used)
	bars := take(barGaugeQueries(), c[layouts.WidgetBarGauge], used)
	heat := take(heatmapQueries(), c[layouts.WidgetHeatmap], used)
	fixed := 0
	for _, g := range [][]cand{stats, gauges, bars, heat} {
		for _, q := range g {
			fixed += q.series
		}
	}
	// The 200-panel wall has 211 queries: 11 of the 128 time series have
	// a second query.
	nts := c[layouts.WidgetTimeSeries]
	extra := int(math.Round(float64(nts) * 11 / 128))
	ts := pick(timeseriesFamilies(), nts+extra, max(seriesTarget-fixed, nts+extra), used)
	planned := fixed
	for _, q := range ts {
		planned += q.series
	}

	// Widgets, interleaved so every region of the screen has every kind.
	type item struct {
		kind string
		qs   []cand
	}
	var items []item
	k := 0
	for i := 0; i < nts && k < len(ts); i++ {
		qs := []cand{ts[k]}
		k++
		// Every nts/extra-th time series gets a second query.
		if extra > 0 && i%max(nts/extra, 1) == 0 && k < len(ts) && len(ts)-k > nts-i-1 {
			qs = append(qs, ts[k])
			k++
		}
		items = append(items, item{layouts.WidgetTimeSeries, qs})
	}
	others := []item{}
	for _, g := range []struct {
		kind string
		qs   []cand
	}{{layouts.WidgetStat, stats}, {layouts.WidgetGauge, gauges}, {layouts.WidgetBarGauge, bars}, {layouts.WidgetHeatmap, heat}} {
		for _, q := range g.qs {
			others = append(others, item{g.kind, []cand{q}})
		}
	}
	// Spread the non-time-series panels evenly among the time series.
	merged := make([]item, 0, len(items)+len(others))
	if len(others) > 0 {
		every := float64(len(items)+len(others)) / float64(len(others))
		oi, ti := 0, 0
		for i := 0; i < len(items)+len(others); i++ {
			if oi < len(others) && (ti >= len(items) || float64(i) >= float64(oi)*every+every/2-1) {
				merged = append(merged, others[oi])
				oi++
			} else {
				merged = append(merged, items[ti])
				ti++
			}
		}
	} else {
		merged = items
	}

	cols, _ := grid(len(merged), width, height)
	d := layouts.Dashboard{
		ID:          fmt.Sprintf("wall%d", n),
		Title:       fmt.Sprintf("Benchmark wall, %d panels", n),
		Type:        layouts.TypeCustom,
		Description: "Generated by scripts/wallbench/genlayout for the cost measurements of issue 11.",
		Refresh:     layouts.Duration(refresh),
		Time:        layouts.TimeRange{From: from, To: "now"},
		Columns:     cols,
		Layout:      layouts.LayoutGrid,
	}
	seen := map[string]int{}
	for i, it := range merged {
		seen[it.kind]++
		w := layouts.Widget{
			ID:       fmt.Sprintf("%s_%03d", it.kind, seen[it.kind]),
			Type:     it.kind,
			Title:    title(it.kind, it.qs[0].expr, seen[it.kind]),
			Position: layouts.Position{Row: i/cols + 1, Col: i%cols + 1},
		}
		for j, q := range it.qs {
			w.Queries = append(w.Queries, layouts.Query{Ref: string(rune('A' + j)), Expr: q.expr, Legend: q.legend})
		}
		decorate(&w, seen[it.kind])
		d.Widgets = append(d.Widgets, w)
	}

	src := layouts.Source{Name: sourceName, Kind: layouts.KindSim}
	if down {
		src = layouts.Source{Name: sourceName, Kind: layouts.KindPrometheus, URL: "http://127.0.0.1:1", Timeout: layouts.Duration(2 * time.Second)}
	}
	layoutTitle := fmt.Sprintf("Wallboard benchmark, %d panels", n)
	if down {
		layoutTitle += " (sources down)"
	}
	return &layouts.Layout{
		Version:    layouts.Version,
		Title:      layoutTitle,
		Sources:    []layouts.Source{src},
		Dashboards: []layouts.Dashboard{d},
	}, planned
}

// title is a short panel title that fits a ~90 px cell.
func title(kind, expr string, i int) string {
	metric := expr
	for _, m := range []string{"audio_requests", "audio_request_errors", "audio_request_duration", "enhancement_quality",
		"quality_score", "processed_audio_seconds", "processed_audio", "success_count", "total_count", "total_cost",
		"audio_count", "cpu_usage", "memory_usage", "gpu_usage", "queue_depth"} {
		if strings.Contains(expr, m) {
			metric = m
			break
		}
	}
	return fmt.Sprintf("%s %d", strings.ReplaceAll(metric, "_", " "), i)
}

// decorate gives a widget the units, ranges and thresholds its kind uses
// on the built-in dashboards, so the wall draws what a real one draws.
func decorate(w *layouts.Widget, i int) {
	expr := w.Queries[0].Expr
	switch w.Type {
	case layouts.WidgetTimeSeries:
		w.Style = []string{layouts.StyleLine, layouts.StyleArea, layouts.StyleStacked, layouts.StyleLine}[i%4]
		w.Unit = layouts.UnitShort
		if strings.Contains(expr, "histogram_quantile") {
			w.Unit = layouts.UnitSeconds
			w.Thresholds = &layouts.Thresholds{Warning: layouts.Float(1), Critical: layouts.Float(2.5), Direction: layouts.DirectionAbove}
		}
	case layouts.WidgetStat:
		w.Style = layouts.StyleSparkline
		w.Unit = layouts.UnitShort
		switch {
		case strings.Contains(expr, "histogram_quantile"):
			w.Unit = layouts.UnitSeconds
			w.Thresholds = &layouts.Thresholds{Warning: layouts.Float(1), Critical: layouts.Float(2.5), Direction: layouts.DirectionAbove}
		case strings.Contains(expr, sim.MetricSuccess):
			w.Unit, w.Decimals = layouts.UnitPercentUnit, layouts.Int(2)
			w.Thresholds = &layouts.Thresholds{Warning: layouts.Float(0.98), Critical: layouts.Float(0.95), Direction: layouts.DirectionBelow}
		case strings.Contains(expr, "/"):
			w.Unit, w.Decimals = layouts.UnitPercentUnit, layouts.Int(2)
		}
	case layouts.WidgetGauge:
		w.Unit, w.Decimals = layouts.UnitPercent, layouts.Int(0)
		w.Min, w.Max = layouts.Float(0), layouts.Float(100)
		w.Thresholds = &layouts.Thresholds{Warning: layouts.Float(70), Critical: layouts.Float(90), Direction: layouts.DirectionAbove}
	case layouts.WidgetBarGauge:
		w.Style = layouts.StyleHorizontal
		w.Unit, w.Min = layouts.UnitShort, layouts.Float(0)
		if strings.Contains(expr, "quality") {
			w.Max, w.Decimals = layouts.Float(1), layouts.Int(3)
		}
	case layouts.WidgetHeatmap:
		w.Unit = layouts.UnitSeconds
	}
}

func rowsOf(d *layouts.Dashboard) int {
	rows := 0
	for _, w := range d.Widgets {
		rows = max(rows, w.Position.Row+max(w.Position.Height, 1)-1)
	}
	return rows
}

// countSeries runs every distinct query of d once on a simulator and adds
// up the series returned.
func countSeries(d *layouts.Dashboard) (int, error) {
	s := sim.New(0)
	defer s.Close()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	seen := map[string]bool{}
	total := 0
	for _, w := range d.Widgets {
		for _, q := range w.Queries {
			if seen[q.Expr] {
				continue
			}
			seen[q.Expr] = true
			r, err := s.Query(ctx, datasources.Query{Expr: q.Expr, Legend: q.Legend, End: time.Now(), Instant: true})
			if err != nil {
				return 0, fmt.Errorf("%s %s: %w", w.ID, q.Expr, err)
			}
			total += len(r.Series)
		}
	}
	return total, nil
}
