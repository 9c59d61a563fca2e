package ui

import (
	"context"
	"errors"
	"image"

	"fyne.io/fyne/v2"

	"github.com/wallboard/wallboard/charts"
	"github.com/wallboard/wallboard/datasources/live"
	"github.com/wallboard/wallboard/datasources/sim"
	"github.com/wallboard/wallboard/layouts"
)

// Wall is a layout running in this process: the runtime half of the
// programmatic API, whose document half is layouts.Set (CreateDashboard,
// AddWidget, ConfigureAlerts, ExportConfig). It owns its scheduler and
// sources; Close releases them.
type Wall struct {
	// Layout is the document the wall runs.
	Layout *layouts.Layout
	// Runtime is what its dashboards run on; pass it to NewShell or
	// NewDashboardView to show the wall in a Fyne app.
	Runtime *Runtime

	sources *LayoutSources
	stop    context.CancelFunc
}

// NewWall opens l's sources, a scheduler for them, and evaluates l's alert
// rules (thresholds and explicit rules, as ConfigureAlerts set them up).
func NewWall(l *layouts.Layout) *Wall {
	ctx, stop := context.WithCancel(context.Background())
	src := OpenSources(l)
	w := &Wall{
		Layout:  l,
		sources: src,
		stop:    stop,
		Runtime: &Runtime{Scheduler: live.New(ctx, live.Options{}), Sources: src, Palette: charts.Dark()},
	}
	w.Runtime.Alerts = StartAlerting(w.Runtime, l, nil)
	return w
}

// ErrNoPushTarget is returned by UpdateMetrics when the layout has no
// source that accepts pushed samples.
var ErrNoPushTarget = errors.New("the layout has no simulator source to push metrics into")

// UpdateMetrics pushes samples into the wall's simulator sources and asks
// their pollers to refresh at once, so panels querying them update now
// rather than at their next refresh. Samples are sim.Sample values: labels with
// __name__, a time and a value.
func (w *Wall) UpdateMetrics(samples ...sim.Sample) error {
	sims := w.sources.Simulators()
	if len(sims) == 0 {
		return ErrNoPushTarget
	}
	for name, s := range sims {
		s.Push(samples...)
		w.Runtime.Scheduler.Notify(name)
	}
	return nil
}

// View chooses what RenderView draws.
type View struct {
	// Size in pixels (default 1920x1080).
	Size fyne.Size
	// Time overrides the dashboard's time range when set.
	Time layouts.TimeRange
	// Vars are the filters: chosen values of the dashboard's variables.
	Vars map[string][]string
	// Theme is "dark" (default) or "light".
	Theme string
}

// RenderView draws dashboard id headless, as the window would show it, once
// every panel has its first data or error.
func (w *Wall) RenderView(ctx context.Context, id string, v View) (image.Image, error) {
	if v.Size.IsZero() {
		v.Size = fyne.NewSize(1920, 1080)
	}
	rt := *w.Runtime
	if v.Theme != "" {
		p, ok := charts.ThemeNamed(v.Theme)
		if !ok {
			return nil, errors.New("unknown theme " + v.Theme)
		}
		rt.Palette = p
	}
	var st *Settings
	if v.Time.From != "" || len(v.Vars) > 0 {
		for _, d := range w.Layout.Dashboards {
			if d.ID == id {
				st = &Settings{Time: d.Time, Refresh: d.Refresh.D(), Vars: v.Vars}
			}
		}
		if st != nil && v.Time.From != "" {
			st.Time = v.Time
		}
	}
	return Render(ctx, &rt, w.Layout, id, v.Size, st)
}

// Close stops the wall's pollers and releases its sources.
func (w *Wall) Close() {
	w.Runtime.Alerts.Stop()
	w.stop()
	w.Runtime.Scheduler.Close()
	w.sources.Close()
}
