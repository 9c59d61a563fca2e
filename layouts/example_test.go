package layouts_test

import (
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/wallboard/wallboard/layouts"
)

// Example builds the operational dashboard set of the product
// specification, exports it and loads the file back.
func Example() {
	dir, err := os.MkdirTemp("", "wallboard-example")
	if err != nil {
		fmt.Println(err)
		return
	}
	defer os.RemoveAll(dir)

	sys := layouts.NewSet()

	health := sys.CreateDashboard("system_health", layouts.DashboardConfig{
		Refresh: 5 * time.Second, TimeRange: "1h", Layout: "grid",
	})
	health.AddWidget("cpu_usage", layouts.WidgetGauge, layouts.WidgetConfig{
		Thresholds: &layouts.Thresholds{Warning: layouts.Float(70), Critical: layouts.Float(90)},
		Position:   layouts.Position{Row: 1, Col: 1},
	})
	health.AddWidget("request_rate", layouts.WidgetTimeSeries, layouts.WidgetConfig{
		Metrics:  []string{"requests_per_second", "errors_per_second"},
		Position: layouts.Position{Row: 1, Col: 2, Width: 2},
	})
	health.AddWidget("quality_distribution", layouts.WidgetHistogram, layouts.WidgetConfig{
		Metric:   "enhancement_quality_score",
		Bins:     20,
		Position: layouts.Position{Row: 2, Col: 1, Width: 3},
	})

	sys.CreateDashboard("performance", layouts.DashboardConfig{
		Metrics: []string{"p50_latency", "p95_latency", "p99_latency", "throughput", "error_rate"},
	})

	sys.CreateDashboard("business_kpi", layouts.DashboardConfig{
		KPIs: map[string]string{
			// The spec's count(processed_audio), in PromQL over the
			// simulator's counter: how many were processed in a day.
			"daily_processed": "sum(increase(processed_audio_total[1d]))",
			"avg_quality":     "avg(quality_score)",
			"success_rate":    "sum(success_count) / sum(total_count)",
			"cost_per_audio":  "sum(total_cost) / sum(audio_count)",
		},
	})

	sys.ConfigureAlerts(layouts.AlertDisplay{
		ShowActive: true,
		History:    layouts.Duration(24 * time.Hour),
		Severities: []string{"warning", "critical"},
	})

	path := filepath.Join(dir, "production_dashboards.json")
	if err := sys.ExportConfig(path); err != nil {
		fmt.Println(err)
		return
	}

	l, err := layouts.Load(path)
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, d := range l.Dashboards {
		fmt.Printf("%s %q, every %s, %s\n", d.ID, d.Title, d.Refresh, d.Time)
		for _, w := range d.Widgets {
			p := w.Position
			fmt.Printf("  %-21s %-10s at %d,%d width %d  %-11s %q\n",
				w.ID, w.Type, p.Row, p.Col, max(p.Width, 1), w.Unit, w.Title)
		}
	}
	fmt.Printf("alerts: active %t, history %s, severities %v\n",
		l.Alerts.ShowActive, l.Alerts.History, l.Alerts.Severities)
	// Output:
	// system_health "System health", every 5s, Last 1 hour
	//   cpu_usage             gauge      at 1,1 width 1  percent     "CPU usage"
	//   request_rate          timeseries at 1,2 width 2  reqps       "Request rate"
	//   quality_distribution  histogram  at 2,1 width 3  short       "Quality distribution"
	// performance "Performance", every 5s, Last 1 hour
	//   p50_latency           timeseries at 1,1 width 2  s           "Latency p50"
	//   p95_latency           timeseries at 1,3 width 2  s           "Latency p95"
	//   p99_latency           timeseries at 2,1 width 2  s           "Latency p99"
	//   throughput            timeseries at 2,3 width 2  ops         "Throughput (processed audio/s)"
	//   error_rate            timeseries at 3,1 width 2  percentunit "Error rate"
	// business_kpi "Business KPIs", every 5s, Last 1 hour
	//   avg_quality           stat       at 1,1 width 1  short       "Average quality"
	//   cost_per_audio        stat       at 1,2 width 1  currencyUSD "Cost per audio"
	//   daily_processed       stat       at 1,3 width 1  short       "Processed (24h)"
	//   success_rate          stat       at 1,4 width 1  percentunit "Success rate"
	// alerts: active true, history 24h, severities [warning critical]
}
