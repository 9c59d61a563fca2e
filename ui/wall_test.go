package ui

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"github.com/wallboard/wallboard/charts"
	"github.com/wallboard/wallboard/datasources"
	"github.com/wallboard/wallboard/datasources/sim"
	"github.com/wallboard/wallboard/layouts"
	"github.com/wallboard/wallboard/wall"
)

// ExampleRenderer reproduces the programmatic API of the original specification:
// build the dashboards, export them, then run the exported file, push
// metrics into it and render a view headless.
func ExampleRenderer() {
	sys := layouts.NewSet()
	health := sys.CreateDashboard("system_health", layouts.DashboardConfig{Refresh: 5 * time.Second, TimeRange: "1h", Layout: "grid"})
	health.AddWidget("cpu_usage", layouts.WidgetGauge, layouts.WidgetConfig{
		Thresholds: &layouts.Thresholds{Warning: layouts.Float(70), Critical: layouts.Float(90)},
		Position:   layouts.Position{Row: 1, Col: 1},
	})
	health.AddWidget("request_rate", layouts.WidgetTimeSeries, layouts.WidgetConfig{
		Metrics:  []string{"requests_per_second", "errors_per_second"},
		Position: layouts.Position{Row: 1, Col: 2, Width: 2},
	})
	health.AddWidget("quality_distribution", layouts.WidgetHistogram, layouts.WidgetConfig{
		Metric: "enhancement_quality_score", Bins: 20,
		Position: layouts.Position{Row: 2, Col: 1, Width: 3},
	})
	sys.ConfigureAlerts(layouts.AlertDisplay{ShowActive: true, History: layouts.Duration(24 * time.Hour), Severities: []string{"warning", "critical"}})
	dir, _ := os.MkdirTemp("", "wallboard-example")
	defer os.RemoveAll(dir)
	file := filepath.Join(dir, "production_dashboards.json")
	if err := sys.ExportConfig(file); err != nil {
		fmt.Println(err)
		return
	}

	l, err := layouts.Load(file) // the exported file opens unchanged
	if err != nil {
		fmt.Println(err)
		return
	}
	w := wall.New(l, wall.Options{Renderer: Renderer{}})
	defer w.Close()
	err = w.UpdateMetrics(sim.Sample{Labels: datasources.Labels{"__name__": "deploys_total", "service": "enhancer"}, T: time.Now(), V: 1})
	fmt.Println("push:", err)
	img, err := w.RenderView(context.Background(), "system_health", wall.View{Width: 1280, Height: 720})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("rendered", img.Bounds().Dx(), "x", img.Bounds().Dy())
	// Output:
	// push: <nil>
	// rendered 1280 x 720
}

// TestUpdateMetricsReachesPanel pushes a sample into a running dashboard
// and checks the panel shows it long before its next refresh.
func TestUpdateMetricsReachesPanel(t *testing.T) {
	test.NewTempApp(t)
	l := &layouts.Layout{Version: layouts.Version, Sources: []layouts.Source{{Name: "sim", Kind: layouts.KindSim}},
		Dashboards: []layouts.Dashboard{{
			ID: "push", Title: "Push", Time: layouts.TimeRange{From: "now-15m", To: "now"}, Columns: 1,
			Widgets: []layouts.Widget{{ID: "deploys", Type: layouts.WidgetStat, Title: "Deploys",
				Queries: []layouts.Query{{Expr: `sum(deploys_total)`}}, Position: layouts.Position{Row: 1, Col: 1}}},
		}}}
	wl := wall.New(l, wall.Options{})
	defer wl.Close()
	v := NewDashboardView(&Runtime{Runtime: wl.Runtime, Palette: charts.Dark()}, &l.Dashboards[0])
	w := test.NewTempWindow(t, v)
	w.Resize(fyne.NewSize(400, 300))
	if err := v.Start(wall.Settings{Time: l.Dashboards[0].Time, Refresh: time.Hour}); err != nil {
		t.Fatal(err)
	}
	defer v.Stop()
	p := v.Panels()[0]
	waitFor(t, "first result", p.Ready)

	for i, want := range []float64{3, 7} {
		start := time.Now()
		if err := wl.UpdateMetrics(sim.Sample{Labels: datasources.Labels{"__name__": "deploys_total"}, T: time.Now(), V: want}); err != nil {
			t.Fatal(err)
		}
		waitFor(t, fmt.Sprintf("pushed value %v", want), func() bool {
			s := p.snapshot()
			if len(s.series) == 0 {
				return false
			}
			last, ok := s.series[0].Last()
			return ok && last.V == want
		})
		t.Logf("push %d reached the panel in %v (refresh interval 1h)", i, time.Since(start))
	}
}

// BenchmarkPushToPanel measures how long a pushed sample takes to reach the
// screen of a running stat panel (push, poller refresh, PromQL over the
// simulator, render, hand-over to Fyne); it reports the 99th percentile.
func BenchmarkPushToPanel(b *testing.B) {
	test.NewTempApp(b)
	l := &layouts.Layout{Version: layouts.Version, Sources: []layouts.Source{{Name: "sim", Kind: layouts.KindSim}},
		Dashboards: []layouts.Dashboard{{
			ID: "push", Title: "Push", Time: layouts.TimeRange{From: "now-15m", To: "now"}, Columns: 1,
			Widgets: []layouts.Widget{{ID: "deploys", Type: layouts.WidgetStat, Title: "Deploys",
				Queries: []layouts.Query{{Expr: `sum(deploys_total)`}}, Position: layouts.Position{Row: 1, Col: 1}}},
		}}}
	wl := wall.New(l, wall.Options{})
	defer wl.Close()
	v := NewDashboardView(&Runtime{Runtime: wl.Runtime, Palette: charts.Dark()}, &l.Dashboards[0])
	w := test.NewWindow(v)
	defer w.Close()
	w.Resize(fyne.NewSize(460, 340))
	if err := v.Start(wall.Settings{Time: l.Dashboards[0].Time, Refresh: time.Hour}); err != nil {
		b.Fatal(err)
	}
	defer v.Stop()
	p := v.Panels()[0]
	for !p.Ready() {
		time.Sleep(time.Millisecond)
	}
	lat := make([]time.Duration, 0, b.N)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		want := float64(i + 1)
		frames := p.Frames()
		start := time.Now()
		if err := wl.UpdateMetrics(sim.Sample{Labels: datasources.Labels{"__name__": "deploys_total"}, T: time.Now(), V: want}); err != nil {
			b.Fatal(err)
		}
		for {
			s := p.snapshot()
			if len(s.series) > 0 {
				if last, ok := s.series[0].Last(); ok && last.V == want && p.Frames() > frames {
					break
				}
			}
			time.Sleep(100 * time.Microsecond)
		}
		lat = append(lat, time.Since(start))
	}
	b.StopTimer()
	slices.Sort(lat)
	b.ReportMetric(float64(lat[len(lat)*99/100].Microseconds())/1000, "p99-ms")
}
