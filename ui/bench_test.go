package ui

import (
	"context"
	"path/filepath"
	"syscall"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"github.com/wallboard/wallboard/charts"
	"github.com/wallboard/wallboard/datasources/history"
	"github.com/wallboard/wallboard/layouts"
	"github.com/wallboard/wallboard/wall"
)

// BenchmarkWallRefresh50 is one full refresh of a 50-panel 1920x1080
// dashboard end to end, not only the chart bodies (charts'
// BenchmarkDashboardRefresh50): every poller asks the simulator for its
// tail over the history, the results reach the panels, every body is
// drawn and handed to Fyne (titles and badges laid out) through the
// view's presenter. One op ends when every panel has shown a new frame.
func BenchmarkWallRefresh50(b *testing.B) {
	test.NewTempApp(b)
	l := tallLayout(10, 5)
	d := &l.Dashboards[0]
	kinds := []string{layouts.WidgetTimeSeries, layouts.WidgetStat, layouts.WidgetGauge, layouts.WidgetTimeSeries, layouts.WidgetBarGauge}
	exprs := []string{`sum by (region) (rate(audio_requests_total[1m]))`, `avg(cpu_usage_percent)`, `avg(gpu_usage_percent)`,
		`histogram_quantile(0.95, sum by (le, region) (rate(audio_request_duration_seconds_bucket[5m])))`, `sum by (model) (queue_depth)`}
	for i := range d.Widgets {
		d.Widgets[i].Type = kinds[i%len(kinds)]
		d.Widgets[i].Queries = []layouts.Query{{Expr: exprs[i%len(exprs)] + " * " + string(rune('1'+i%9))}}
	}
	d.Time = layouts.TimeRange{From: "now-1h", To: "now"}
	h, err := history.Open(context.Background(), filepath.Join(b.TempDir(), "history.db"), history.Options{NoSync: true})
	if err != nil {
		b.Fatal(err)
	}
	defer h.Close()
	wl := wall.New(l, wall.Options{History: h})
	defer wl.Close()
	v := NewDashboardView(&Runtime{Runtime: wl.Runtime, Palette: charts.Dark()}, d)
	w := test.NewWindow(v)
	defer w.Close()
	w.SetPadded(false)
	w.Resize(fyne.NewSize(1920, 1080))
	if err := v.Start(wall.Settings{Time: d.Time, Refresh: time.Hour}); err != nil {
		b.Fatal(err)
	}
	defer v.Stop()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if err := v.WaitReady(ctx); err != nil {
		b.Fatal(err)
	}
	frames := make([]int, len(v.Panels()))
	cpu0 := cpuTime()
	b.ResetTimer()
	for b.Loop() {
		for i, p := range v.Panels() {
			frames[i] = p.Frames()
		}
		wl.Runtime.Scheduler.Refresh()
		for i, p := range v.Panels() {
			for p.Frames() <= frames[i] {
				time.Sleep(100 * time.Microsecond)
			}
		}
	}
	b.StopTimer()
	// The wall-clock time per op is mostly the presenter's batching
	// (DefaultFrameGap); what a refresh costs is the CPU it takes.
	b.ReportMetric(float64((cpuTime()-cpu0).Nanoseconds())/float64(b.N), "cpu-ns/op")
}

// cpuTime is the process's user and system CPU time so far.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
