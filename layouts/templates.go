package layouts

import (
	"strings"
	"time"
)

// The built-in dashboards are made for one 1920x1080 wall screen: a grid of
// 4 columns and 3 rows, every cell used. Their queries are PromQL over the
// simulator's metrics (docs/metrics.md), which a real Prometheus scraping
// `wallboard simulate` answers the same way. Every query of a metric with a
// region label filters by the dashboard's region variable through a regexp
// matcher, {region=~"$region"} (see Interpolate).

// sel is the region filter of the templates' queries.
const sel = `{region=~"$region"}`

// regionVariable lets a dashboard be narrowed to some regions.
var regionVariable = Variable{Name: "region", Label: "Region", Query: "region", Multi: true}

// q is a query of a template; refs are given by finish.
func q(expr, legend string) Query { return Query{Expr: expr, Legend: legend} }

// pos places a template widget: row, col, then optionally width and height.
func pos(row, col int, span ...int) Position {
	p := Position{Row: row, Col: col}
	if len(span) > 0 {
		p.Width = span[0]
	}
	if len(span) > 1 {
		p.Height = span[1]
	}
	return p
}

// above and below make thresholds for values where high (or low) is bad.
func above(warning, critical float64) *Thresholds {
	return &Thresholds{Warning: Float(warning), Critical: Float(critical), Direction: DirectionAbove}
}

func below(warning, critical float64) *Thresholds {
	return &Thresholds{Warning: Float(warning), Critical: Float(critical), Direction: DirectionBelow}
}

// Template expressions, with the region filter where the metric has one.
var (
	requestsPerSec = `sum(rate(audio_requests_total` + sel + `[1m]))`
	errorsPerSec   = `sum(rate(audio_request_errors_total` + sel + `[1m]))`
	errorRatio     = `sum(rate(audio_request_errors_total` + sel + `[5m])) / sum(rate(audio_requests_total` + sel + `[5m]))`
	successRatio   = `sum(rate(success_count` + sel + `[5m])) / sum(rate(total_count` + sel + `[5m]))`
	costPerAudio   = `sum(rate(total_cost` + sel + `[1h])) / sum(rate(audio_count` + sel + `[1h]))`
	qualityScores  = `enhancement_quality_score` + sel
)

// latencyQuantile is the q quantile of request latency, summed by the
// labels of by (besides le).
func latencyQuantile(q string, by ...string) string {
	return `histogram_quantile(` + q + `, sum by (` + strings.Join(append([]string{"le"}, by...), ", ") +
		`) (rate(audio_request_duration_seconds_bucket` + sel + `[5m])))`
}

// Builtin returns the built-in layout: the five dashboards of the product
// (system health, performance, quality, business KPIs, cost) and a
// showcase of every panel kind (ShowcaseID), fed by the embedded
// simulator, the alert display, and a playlist "wall" showing each of the
// five for 30 seconds. Each call returns a new layout.
func Builtin() *Layout {
	l := &Layout{
		Version:    Version,
		Title:      "Audio enhancement service",
		Sources:    []Source{{Name: "sim", Kind: KindSim}},
		Dashboards: []Dashboard{systemHealth(), performance(), quality(), businessKPI(), cost(), showcase()},
		Alerts: &AlertDisplay{
			ShowActive: true,
			History:    Duration(24 * time.Hour),
			Severities: []string{SeverityWarning, SeverityCritical},
		},
	}
	wall := Playlist{Name: "wall"}
	for i := range l.Dashboards {
		finish(&l.Dashboards[i])
		if l.Dashboards[i].ID == ShowcaseID {
			continue // a demonstration, not for the wall
		}
		wall.Items = append(wall.Items, PlaylistItem{Dashboard: l.Dashboards[i].ID, Duration: Duration(30 * time.Second)})
	}
	l.Playlists = []Playlist{wall}
	addLinks(l)
	return l
}

// Template returns the built-in dashboard with the given id (one of the
// Type constants but custom, or ShowcaseID).
func Template(id string) (Dashboard, bool) {
	if d := Builtin().Dashboard(id); d != nil {
		return *d, true
	}
	return Dashboard{}, false
}

// finish fills in what all templates share.
func finish(d *Dashboard) {
	d.Type = d.ID
	if d.ID == ShowcaseID {
		d.Type = TypeCustom
	}
	d.Columns = DefaultColumns
	d.Layout = LayoutGrid
	if d.Refresh == 0 {
		d.Refresh = Duration(5 * time.Second)
	}
	if d.Time.From == "" {
		d.Time = TimeRange{From: "now-1h", To: "now"}
	}
	d.Variables = []Variable{regionVariable}
	for i := range d.Widgets {
		w := &d.Widgets[i]
		for j := range w.Queries {
			w.Queries[j].Ref = queryRef(j)
		}
	}
}

func systemHealth() Dashboard {
	return Dashboard{
		ID:          TypeSystemHealth,
		Title:       "System health",
		Description: "Is the audio-enhancement service healthy right now? Load, errors, latency and quality, and the machines underneath.",
		Tags:        []string{"overview", "on-call"},
		Widgets: []Widget{
			{
				ID: "cpu_usage", Type: WidgetGauge, Title: "CPU usage",
				Description: "Average CPU busy across the GPU nodes. Sustained load above 90% means requests start to queue.",
				Queries:     []Query{q(`avg(cpu_usage_percent)`, "CPU")},
				Unit:        UnitPercent, Decimals: Int(0), Min: Float(0), Max: Float(100),
				Thresholds: above(70, 90), Position: pos(1, 1),
			},
			{
				ID: "request_rate", Type: WidgetTimeSeries, Title: "Requests and errors",
				Description: "Enhancement requests received and failed per second. Errors rising with flat traffic point at a fault, not load.",
				Queries:     []Query{q(requestsPerSec, "requests/s"), q(errorsPerSec, "errors/s")},
				Unit:        UnitReqPerSec, Style: StyleLine, Position: pos(1, 2, 2),
			},
			{
				ID: "success_rate", Type: WidgetStat, Title: "Success rate",
				Description: "Share of requests that succeeded over the last 5 minutes.",
				Queries:     []Query{q(successRatio, "success rate")},
				Unit:        UnitPercentUnit, Decimals: Int(2), Thresholds: below(0.98, 0.95),
				Style: StyleSparkline, Position: pos(1, 4),
			},
			{
				ID: "quality_distribution", Type: WidgetHistogram, Title: "Quality score distribution",
				Description: "Spread of the enhancement quality score of every region and model over the range. A second hump on the left is a degraded model or region.",
				Queries:     []Query{q(qualityScores, "{{region}} {{model}}")},
				Unit:        UnitShort, Bins: 20, Position: pos(2, 1, 3),
			},
			{
				ID: "p95_latency", Type: WidgetStat, Title: "Latency p95",
				Description: "95th percentile of end-to-end request latency over the last 5 minutes.",
				Queries:     []Query{q(latencyQuantile("0.95"), "p95")},
				Unit:        UnitSeconds, Thresholds: above(1, 2.5),
				Style: StyleSparkline, Position: pos(2, 4),
			},
			{
				ID: "memory_usage", Type: WidgetGauge, Title: "Memory usage",
				Description: "Resident memory of all GPU nodes as a share of installed memory.",
				Queries:     []Query{q(`100 * sum(memory_usage_bytes) / sum(memory_total_bytes)`, "memory")},
				Unit:        UnitPercent, Decimals: Int(0), Min: Float(0), Max: Float(100),
				Thresholds: above(80, 90), Position: pos(3, 1),
			},
			{
				ID: "gpu_usage", Type: WidgetGauge, Title: "GPU usage",
				Description: "Average GPU busy across the nodes: the capacity that enhancement actually uses.",
				Queries:     []Query{q(`avg(gpu_usage_percent)`, "GPU")},
				Unit:        UnitPercent, Decimals: Int(0), Min: Float(0), Max: Float(100),
				Thresholds: above(85, 95), Position: pos(3, 2),
			},
			{
				ID: "queue_depth", Type: WidgetTimeSeries, Title: "Queue depth by region",
				Description: "Requests waiting to be processed. A queue that keeps growing means the region lacks capacity.",
				Queries:     []Query{q(`sum by (region) (queue_depth`+sel+`)`, "{{region}}")},
				Unit:        UnitShort, Style: StyleStacked, Thresholds: above(100, 500), Position: pos(3, 3),
			},
			{
				ID: "error_rate", Type: WidgetStat, Title: "Error rate",
				Description: "Share of requests that failed over the last 5 minutes.",
				Queries:     []Query{q(errorRatio, "error rate")},
				Unit:        UnitPercentUnit, Decimals: Int(2), Thresholds: above(0.02, 0.05),
				Style: StyleSparkline, Position: pos(3, 4),
			},
		},
	}
}

func performance() Dashboard {
	return Dashboard{
		ID:          TypePerformance,
		Title:       "Performance",
		Description: "How fast requests are served and how much gets done: latency percentiles, throughput, errors, and where they come from.",
		Tags:        []string{"latency", "throughput", "on-call"},
		Widgets: []Widget{
			{
				ID: "latency_percentiles", Type: WidgetTimeSeries, Title: "Latency p50 / p95 / p99",
				Description: "End-to-end request latency percentiles over 5-minute windows. A p99 pulling away from p50 means a slow minority: one region, model or node.",
				Queries: []Query{
					q(latencyQuantile("0.5"), "p50"),
					q(latencyQuantile("0.95"), "p95"),
					q(latencyQuantile("0.99"), "p99"),
				},
				Unit: UnitSeconds, Thresholds: above(1, 2.5), Style: StyleLine, Position: pos(1, 1, 2),
			},
			{
				ID: "p95_latency", Type: WidgetStat, Title: "Latency p95",
				Description: "95th percentile of request latency over the last 5 minutes.",
				Queries:     []Query{q(latencyQuantile("0.95"), "p95")},
				Unit:        UnitSeconds, Thresholds: above(1, 2.5),
				Style: StyleSparkline, Position: pos(1, 3),
			},
			{
				ID: "p99_latency", Type: WidgetStat, Title: "Latency p99",
				Description: "99th percentile of request latency over the last 5 minutes.",
				Queries:     []Query{q(latencyQuantile("0.99"), "p99")},
				Unit:        UnitSeconds, Thresholds: above(3, 5),
				Style: StyleSparkline, Position: pos(1, 4),
			},
			{
				ID: "throughput", Type: WidgetTimeSeries, Title: "Throughput",
				Description: "Audio files processed per second against requests received per second. A widening gap is work failing or piling up.",
				Queries: []Query{
					q(`sum(rate(processed_audio_total`+sel+`[1m]))`, "processed/s"),
					q(`sum(rate(audio_requests_total`+sel+`[1m]))`, "received/s"),
				},
				Unit: UnitOpsPerSec, Style: StyleLine, Position: pos(2, 1, 2),
			},
			{
				ID: "error_rate", Type: WidgetTimeSeries, Title: "Error rate",
				Description: "Share of requests that failed, over 5-minute windows.",
				Queries:     []Query{q(errorRatio, "error rate")},
				Unit:        UnitPercentUnit, Thresholds: above(0.02, 0.05), Style: StyleArea, Position: pos(2, 3),
			},
			{
				ID: "errors_by_reason", Type: WidgetTimeSeries, Title: "Errors by reason",
				Description: "Failed requests per second by reason: timeouts follow load, decode errors follow clients, internal errors follow us.",
				Queries:     []Query{q(`sum by (reason) (rate(audio_request_errors_total`+sel+`[5m]))`, "{{reason}}")},
				Unit:        UnitReqPerSec, Style: StyleStacked, Position: pos(2, 4),
			},
			{
				ID: "latency_by_region", Type: WidgetBarGauge, Title: "Latency p95 by region",
				Description: "95th percentile latency of each region over the last 5 minutes, to find the one dragging the total.",
				Queries:     []Query{q(latencyQuantile("0.95", "region"), "{{region}}")},
				Unit:        UnitSeconds, Min: Float(0), Thresholds: above(1, 2.5),
				Style: StyleHorizontal, Position: pos(3, 1, 2),
			},
			{
				ID: "requests_by_region", Type: WidgetTimeSeries, Title: "Requests by region",
				Description: "Requests received per second in each region.",
				Queries:     []Query{q(`sum by (region) (rate(audio_requests_total`+sel+`[1m]))`, "{{region}}")},
				Unit:        UnitReqPerSec, Style: StyleStacked, Position: pos(3, 3, 2),
			},
		},
	}
}

func quality() Dashboard {
	return Dashboard{
		ID:          TypeQuality,
		Title:       "Quality",
		Description: "Is the enhancement any good? Quality scores by model and region, their spread, and what fails.",
		Tags:        []string{"quality", "models"},
		Widgets: []Widget{
			{
				ID: "quality_by_model", Type: WidgetTimeSeries, Title: "Quality score by model",
				Description: "Average enhancement quality score (0 to 1) of each model. A drop right after a deploy points at the new model.",
				Queries:     []Query{q(`avg by (model) (`+qualityScores+`)`, "{{model}}")},
				Unit:        UnitShort, Decimals: Int(2), Min: Float(0), Max: Float(1),
				Thresholds: below(0.8, 0.7), Style: StyleLine, Position: pos(1, 1, 2),
			},
			{
				ID: "avg_quality", Type: WidgetStat, Title: "Average quality",
				Description: "Average quality score over the selected regions (0 to 1).",
				Queries:     []Query{q(`avg(quality_score`+sel+`)`, "quality")},
				Unit:        UnitShort, Decimals: Int(3), Thresholds: below(0.8, 0.7),
				Style: StyleSparkline, Position: pos(1, 3),
			},
			{
				ID: "success_rate", Type: WidgetGauge, Title: "Success rate",
				Description: "Share of requests that succeeded over the last 5 minutes; the gauge starts at 90%.",
				Queries:     []Query{q(successRatio, "success rate")},
				Unit:        UnitPercentUnit, Decimals: Int(2), Min: Float(0.9), Max: Float(1),
				Thresholds: below(0.98, 0.95), Position: pos(1, 4),
			},
			{
				ID: "quality_distribution", Type: WidgetHistogram, Title: "Quality score distribution",
				Description: "Spread of the quality score of every region and model over the range.",
				Queries:     []Query{q(qualityScores, "{{region}} {{model}}")},
				Unit:        UnitShort, Bins: 20, Position: pos(2, 1, 2),
			},
			{
				ID: "quality_by_region", Type: WidgetBarGauge, Title: "Quality by region",
				Description: "Current quality score of each region (0 to 1).",
				Queries:     []Query{q(`avg by (region) (quality_score`+sel+`)`, "{{region}}")},
				Unit:        UnitShort, Decimals: Int(3), Min: Float(0), Max: Float(1),
				Thresholds: below(0.8, 0.7), Style: StyleHorizontal, Position: pos(2, 3, 2),
			},
			{
				ID: "failed_by_reason", Type: WidgetTimeSeries, Title: "Failed requests by reason",
				Description: "Failed requests per second by reason (timeout, decode, internal).",
				Queries:     []Query{q(`sum by (reason) (rate(audio_request_errors_total`+sel+`[5m]))`, "{{reason}}")},
				Unit:        UnitReqPerSec, Style: StyleBars, Position: pos(3, 1, 2),
			},
			{
				ID: "error_rate_by_model", Type: WidgetBarGauge, Title: "Error rate by model",
				Description: "Share of each model's requests that failed over the last 5 minutes.",
				Queries: []Query{q(`sum by (model) (rate(audio_request_errors_total`+sel+`[5m])) / sum by (model) (rate(audio_requests_total`+sel+`[5m]))`,
					"{{model}}")},
				Unit: UnitPercentUnit, Decimals: Int(2), Min: Float(0), Thresholds: above(0.02, 0.05),
				Style: StyleHorizontal, Position: pos(3, 3),
			},
			{
				ID: "worst_quality", Type: WidgetStat, Title: "Worst quality score",
				Description: "Lowest quality score of any region and model right now: one bad pair hides in the averages.",
				Queries:     []Query{q(`min(`+qualityScores+`)`, "worst")},
				Unit:        UnitShort, Decimals: Int(3), Thresholds: below(0.7, 0.5),
				Style: StyleSparkline, Position: pos(3, 4),
			},
		},
	}
}

func businessKPI() Dashboard {
	const day = `[1d]`
	return Dashboard{
		ID:          TypeBusinessKPI,
		Title:       "Business KPIs",
		Description: "The day in numbers: audio processed, success rate, quality and unit cost, by region and model.",
		Tags:        []string{"business", "kpi"},
		Refresh:     Duration(30 * time.Second),
		Time:        TimeRange{From: "now-24h", To: "now"},
		Widgets: []Widget{
			{
				ID: "daily_processed", Type: WidgetStat, Title: "Processed (24h)",
				Description: "Audio files enhanced successfully over the last 24 hours.",
				Queries:     []Query{q(`sum(increase(processed_audio_total`+sel+day+`))`, "processed")},
				Unit:        UnitShort, Decimals: Int(0), Style: StyleSparkline, Position: pos(1, 1),
			},
			{
				ID: "success_rate", Type: WidgetStat, Title: "Success rate (24h)",
				Description: "Share of requests that succeeded over the last 24 hours.",
				Queries:     []Query{q(`sum(increase(success_count`+sel+day+`)) / sum(increase(total_count`+sel+day+`))`, "success rate")},
				Unit:        UnitPercentUnit, Decimals: Int(2), Thresholds: below(0.98, 0.95),
				Style: StyleSparkline, Position: pos(1, 2),
			},
			{
				ID: "avg_quality", Type: WidgetStat, Title: "Average quality",
				Description: "Average enhancement quality score over the selected regions (0 to 1).",
				Queries:     []Query{q(`avg(quality_score`+sel+`)`, "quality")},
				Unit:        UnitShort, Decimals: Int(3), Thresholds: below(0.8, 0.7),
				Style: StyleSparkline, Position: pos(1, 3),
			},
			{
				ID: "cost_per_audio", Type: WidgetStat, Title: "Cost per audio (24h)",
				Description: "Money spent per audio file billed over the last 24 hours.",
				Queries:     []Query{q(`sum(increase(total_cost`+sel+day+`)) / sum(increase(audio_count`+sel+day+`))`, "cost per audio")},
				Unit:        UnitUSD, Decimals: Int(4), Style: StyleSparkline, Position: pos(1, 4),
			},
			{
				ID: "processed_by_region", Type: WidgetBarGauge, Title: "Processed by region (24h)",
				Description: "Audio files enhanced in each region over the last 24 hours.",
				Queries:     []Query{q(`sum by (region) (increase(processed_audio_total`+sel+day+`))`, "{{region}}")},
				Unit:        UnitShort, Decimals: Int(0), Min: Float(0), Style: StyleHorizontal, Position: pos(2, 1, 2),
			},
			{
				ID: "processed_rate", Type: WidgetTimeSeries, Title: "Processed audio/s by region",
				Description: "Audio files enhanced per second in each region, over 15-minute windows: the day's traffic curve.",
				Queries:     []Query{q(`sum by (region) (rate(processed_audio_total`+sel+`[15m]))`, "{{region}}")},
				Unit:        UnitOpsPerSec, Style: StyleStacked, Position: pos(2, 3, 2),
			},
			{
				ID: "audio_hours", Type: WidgetStat, Title: "Audio hours (24h)",
				Description: "Hours of audio enhanced over the last 24 hours.",
				Queries:     []Query{q(`sum(increase(processed_audio_seconds_total`+sel+day+`)) / 3600`, "hours")},
				Unit:        UnitShort, Decimals: Int(1), Style: StyleSparkline, Position: pos(3, 1),
			},
			{
				ID: "requests_by_model", Type: WidgetBarGauge, Title: "Requests by model (24h)",
				Description: "Requests received for each model over the last 24 hours.",
				Queries:     []Query{q(`sum by (model) (increase(audio_requests_total`+sel+day+`))`, "{{model}}")},
				Unit:        UnitShort, Decimals: Int(0), Min: Float(0), Style: StyleHorizontal, Position: pos(3, 2),
			},
			{
				ID: "success_by_region", Type: WidgetBarGauge, Title: "Success rate by region (24h)",
				Description: "Share of each region's requests that succeeded over the last 24 hours; the bars start at 90%.",
				Queries:     []Query{q(`sum by (region) (increase(success_count`+sel+day+`)) / sum by (region) (increase(total_count`+sel+day+`))`, "{{region}}")},
				Unit:        UnitPercentUnit, Decimals: Int(2), Min: Float(0.9), Max: Float(1),
				Thresholds: below(0.98, 0.95), Style: StyleHorizontal, Position: pos(3, 3, 2),
			},
		},
	}
}

func cost() Dashboard {
	return Dashboard{
		ID:          TypeCost,
		Title:       "Cost",
		Description: "What the service costs and whether the money buys work: unit cost, spend rate and projection, and how busy the GPUs we pay for are.",
		Tags:        []string{"cost", "capacity"},
		Refresh:     Duration(30 * time.Second),
		Widgets: []Widget{
			{
				ID: "cost_per_audio", Type: WidgetStat, Title: "Cost per audio",
				Description: "Money spent per audio file billed, over the last hour.",
				Queries:     []Query{q(costPerAudio, "cost per audio")},
				Unit:        UnitUSD, Decimals: Int(4), Style: StyleSparkline, Position: pos(1, 1),
			},
			{
				ID: "spend_rate", Type: WidgetStat, Title: "Spend rate ($/h)",
				Description: "Current spend per hour (compute and storage), from the last 5 minutes.",
				Queries:     []Query{q(`sum(rate(total_cost`+sel+`[5m])) * 3600`, "$/h")},
				Unit:        UnitUSD, Decimals: Int(2), Style: StyleSparkline, Position: pos(1, 2),
			},
			{
				ID: "projected_daily_spend", Type: WidgetStat, Title: "Projected daily spend",
				Description: "The last hour's spend rate over a whole day.",
				Queries:     []Query{q(`sum(rate(total_cost`+sel+`[1h])) * 86400`, "$/day")},
				Unit:        UnitUSD, Decimals: Int(0), Style: StyleSparkline, Position: pos(1, 3),
			},
			{
				ID: "gpu_utilisation", Type: WidgetGauge, Title: "GPU utilisation",
				Description: "Average GPU busy. GPUs are paid for whether busy or not: a low value is money spent on idle machines.",
				Queries:     []Query{q(`avg(gpu_usage_percent)`, "GPU")},
				Unit:        UnitPercent, Decimals: Int(0), Min: Float(0), Max: Float(100),
				Thresholds: below(20, 10), Position: pos(1, 4),
			},
			{
				ID: "spend_by_region", Type: WidgetTimeSeries, Title: "Spend by region ($/h)",
				Description: "Spend per hour of each region, over 5-minute windows.",
				Queries:     []Query{q(`sum by (region) (rate(total_cost`+sel+`[5m])) * 3600`, "{{region}}")},
				Unit:        UnitUSD, Style: StyleStacked, Position: pos(2, 1, 2),
			},
			{
				ID: "cost_per_audio_by_region", Type: WidgetBarGauge, Title: "Cost per audio by region",
				Description: "Money spent per audio file billed in each region over the last hour.",
				Queries: []Query{q(`sum by (region) (rate(total_cost`+sel+`[1h])) / sum by (region) (rate(audio_count`+sel+`[1h]))`,
					"{{region}}")},
				Unit: UnitUSD, Decimals: Int(4), Min: Float(0), Style: StyleHorizontal, Position: pos(2, 3, 2),
			},
			{
				ID: "cost_per_audio_trend", Type: WidgetTimeSeries, Title: "Cost per audio over time",
				Description: "Money spent per audio file billed, over 15-minute windows.",
				Queries:     []Query{q(`sum(rate(total_cost`+sel+`[15m])) / sum(rate(audio_count`+sel+`[15m]))`, "cost per audio")},
				Unit:        UnitUSD, Style: StyleLine, Position: pos(3, 1, 2),
			},
			{
				ID: "gpu_by_instance", Type: WidgetBarGauge, Title: "GPU utilisation by node",
				Description: "Average GPU busy of each node over the last 5 minutes: idle nodes are candidates to scale in.",
				Queries:     []Query{q(`avg by (instance) (avg_over_time(gpu_usage_percent[5m]))`, "{{instance}}")},
				Unit:        UnitPercent, Decimals: Int(0), Min: Float(0), Max: Float(100),
				Thresholds: below(20, 10), Style: StyleHorizontal, Position: pos(3, 3),
			},
			{
				ID: "cost_per_busy_gpu_hour", Type: WidgetStat, Title: "Cost per busy GPU-hour",
				Description: "Spend per hour divided by the GPU-hours actually busy in the last hour: GPU utilisation against cost. It rises when GPUs idle while we pay for them.",
				Queries:     []Query{q(`sum(rate(total_cost[1h])) * 3600 / (sum(avg_over_time(gpu_usage_percent[1h])) / 100)`, "$/busy GPU-hour")},
				Unit:        UnitUSD, Decimals: Int(2), Style: StyleSparkline, Position: pos(3, 4),
			},
		},
	}
}

// ShowcaseID is the id of the built-in dashboard that shows every panel
// kind on the simulator's data: `wallboard render --dashboard showcase`.
const ShowcaseID = "showcase"

// showcaseText is the showcase's text panel: what a runbook note looks
// like (the text kind's markdown subset).
const showcaseText = `# On-call notes
When **p95 > 1 s** for 5 minutes:
- Find the region in *Latency p95 by region*
- Check its queue and GPU nodes
- Runbook: [latency](https://runbooks.example.com/audio/latency)

Escalate to the audio platform team.`

func showcase() Dashboard {
	return Dashboard{
		ID:          ShowcaseID,
		Title:       "Showcase",
		Description: "Every kind of panel on the simulator's data: time series, stat, gauge, heat map, histogram, bar gauge, geo-map, table, alert list and text.",
		Tags:        []string{"demo", "panels"},
		Widgets: []Widget{
			{
				ID: "latency_percentiles", Type: WidgetTimeSeries, Title: "Latency p50 / p95 / p99",
				Description: "End-to-end request latency percentiles over 5-minute windows (a time series).",
				Queries: []Query{
					q(latencyQuantile("0.5"), "p50"),
					q(latencyQuantile("0.95"), "p95"),
					q(latencyQuantile("0.99"), "p99"),
				},
				Unit: UnitSeconds, Thresholds: above(1, 2.5), Style: StyleLine, Position: pos(1, 1, 2),
			},
			{
				ID: "success_rate", Type: WidgetStat, Title: "Success rate",
				Description: "Share of requests that succeeded over the last 5 minutes (a stat with its sparkline).",
				Queries:     []Query{q(successRatio, "success rate")},
				Unit:        UnitPercentUnit, Decimals: Int(2), Thresholds: below(0.98, 0.95),
				Style: StyleSparkline, Position: pos(1, 3),
			},
			{
				ID: "cpu_usage", Type: WidgetGauge, Title: "CPU usage",
				Description: "Average CPU busy across the GPU nodes (a gauge).",
				Queries:     []Query{q(`avg(cpu_usage_percent)`, "CPU")},
				Unit:        UnitPercent, Decimals: Int(0), Min: Float(0), Max: Float(100),
				Thresholds: above(70, 90), Position: pos(1, 4),
			},
			{
				ID: "latency_heatmap", Type: WidgetHeatmap, Title: "Latency distribution",
				Description: "Requests per second in each latency bucket over time (a heat map of the histogram's buckets): a latency spike lights up the upper rows.",
				Queries:     []Query{q(`sum by (le) (rate(audio_request_duration_seconds_bucket`+sel+`[1m]))`, "{{le}}")},
				Unit:        UnitSeconds, Position: pos(2, 1, 2),
			},
			{
				ID: "quality_distribution", Type: WidgetHistogram, Title: "Quality score distribution",
				Description: "Spread of the quality score of every region and model over the range (a histogram).",
				Queries:     []Query{q(qualityScores, "{{region}} {{model}}")},
				Unit:        UnitShort, Bins: 20, Position: pos(2, 3),
			},
			{
				ID: "latency_by_region", Type: WidgetBarGauge, Title: "Latency p95 by region",
				Description: "95th percentile latency of each region over the last 5 minutes (a bar gauge).",
				Queries:     []Query{q(latencyQuantile("0.95", "region"), "{{region}}")},
				Unit:        UnitSeconds, Min: Float(0), Thresholds: above(1, 2.5),
				Style: StyleHorizontal, Position: pos(2, 4),
			},
			{
				ID: "requests_map", Type: WidgetGeoMap, Title: "Requests by region",
				Description: "Requests per second of each region, on the map at the region's coordinates (a geo-map).",
				Queries: []Query{
					q(`sum by (region) (rate(audio_requests_total`+sel+`[5m]))`, "{{region}}"),
					q(`region_latitude`+sel, "{{region}}"),
					q(`region_longitude`+sel, "{{region}}"),
				},
				Unit: UnitReqPerSec, Position: pos(3, 1),
			},
			{
				ID: "error_rate_by_region", Type: WidgetTable, Title: "Error rate by region",
				Description: "Share of each region's requests that failed, last, lowest, highest and mean over the range (a table).",
				Queries: []Query{q(`sum by (region) (rate(audio_request_errors_total`+sel+`[5m])) / sum by (region) (rate(audio_requests_total`+sel+`[5m]))`,
					"{{region}}")},
				Unit: UnitPercentUnit, Decimals: Int(2), Thresholds: above(0.02, 0.05), Position: pos(3, 2),
			},
			{
				ID: "alerts", Type: WidgetAlertList, Title: "Active alerts",
				Description: "Firing alerts by severity, then the most recent (an alert list).",
				Position:    pos(3, 3),
			},
			{
				ID: "notes", Type: WidgetText, Title: "Notes",
				Description: "A runbook note (a text panel).",
				Text:        showcaseText, Position: pos(3, 4),
			},
		},
	}
}
