package wall

import (
	"context"
	"errors"
	"fmt"
	"image"
	"log/slog"
	"time"

	"github.com/wallboard/wallboard/alerts"
	"github.com/wallboard/wallboard/datasources/history"
	"github.com/wallboard/wallboard/datasources/live"
	"github.com/wallboard/wallboard/datasources/sim"
	"github.com/wallboard/wallboard/layouts"
)

// Options configure a Wall; the zero value runs in memory on the wall clock.
type Options struct {
	// History caches fetched series (nil: none); the Wall does not close it.
	History *history.Store
	// AlertHistory keeps alert transitions (nil: memory only); the Wall
	// does not close it.
	AlertHistory *alerts.History
	// Now is the clock (default time.Now).
	Now func() time.Time
	// MaxBackoff bounds the wait between retries of a failing source
	// (default: the scheduler's).
	MaxBackoff time.Duration
	// Renderer draws RenderView's images (nil: RenderView fails with
	// ErrNoRenderer). The GUI package provides one (ui.Renderer).
	Renderer Renderer
	// Logger gets the scheduler's messages (default slog.Default()).
	Logger *slog.Logger
}

// Wall is a layout running in this process: the runtime half of the
// programmatic API, whose document half is layouts.Set (CreateDashboard,
// AddWidget, ConfigureAlerts, ExportConfig). It owns its scheduler, its
// sources and its alerting; Close releases them.
type Wall struct {
	// Layout is the document the wall runs.
	Layout *layouts.Layout
	// Runtime is what its dashboards run on: give it to the GUI (ui) to
	// show the wall in a Fyne app.
	Runtime *Runtime

	sources  *LayoutSources
	renderer Renderer
	stop     context.CancelFunc
}

// New opens l's sources, a scheduler for them over opts.History, and
// evaluates l's alert rules (thresholds and explicit rules, as
// ConfigureAlerts set them up).
func New(l *layouts.Layout, opts Options) *Wall {
	ctx, stop := context.WithCancel(context.Background())
	src := OpenSources(l)
	sched := live.New(ctx, live.Options{Now: opts.Now, History: opts.History, MaxBackoff: opts.MaxBackoff, Logger: opts.Logger})
	w := &Wall{
		Layout:   l,
		sources:  src,
		renderer: opts.Renderer,
		stop:     stop,
		Runtime:  &Runtime{Scheduler: sched, Sources: src, Now: opts.Now},
	}
	w.Runtime.Alerts = StartAlerting(w.Runtime, l, opts.AlertHistory)
	return w
}

// ErrNoPushTarget is returned by UpdateMetrics when the layout has no
// source that accepts pushed samples.
var ErrNoPushTarget = errors.New("the layout has no simulator source to push metrics into")

// UpdateMetrics pushes samples into the wall's simulator sources and asks
// their pollers to refresh at once, so panels querying them update now
// rather than at their next refresh. Samples are sim.Sample values: labels
// with __name__, a time and a value.
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
	// Width and Height in pixels (default 1920x1080).
	Width, Height int
	// Overrides are the filters: the time range, chosen values of the
	// dashboard's variables, the refresh.
	Overrides
	// Theme is a palette name, "dark" (default), "light" or
	// "highcontrast"; the Renderer checks it.
	Theme string
}

// Renderer draws dashboard id of l, running on rt, with settings st, into
// an image of v's size, once every panel shows its first data or error.
// Package ui implements it with Fyne's software painter.
type Renderer interface {
	Render(ctx context.Context, rt *Runtime, l *layouts.Layout, id string, st Settings, v View) (image.Image, error)
}

// ErrNoRenderer is returned by RenderView on a Wall made without a Renderer.
var ErrNoRenderer = errors.New("wall: no renderer (ui.Renderer draws views)")

// RenderView draws dashboard id headless, as the window would show it, once
// every panel has its first data or error.
func (w *Wall) RenderView(ctx context.Context, id string, v View) (image.Image, error) {
	if w.renderer == nil {
		return nil, ErrNoRenderer
	}
	d := w.Layout.Dashboard(id)
	if d == nil {
		return nil, errNoDashboard(id)
	}
	st, err := v.Overrides.Apply(d, w.Runtime.Clock())
	if err != nil {
		return nil, fmt.Errorf("render %s: %w", id, err)
	}
	if v.Width <= 0 || v.Height <= 0 {
		v.Width, v.Height = 1920, 1080
	}
	return w.renderer.Render(ctx, w.Runtime, w.Layout, id, st, v)
}

// Close stops the wall's alerting and pollers and releases its sources.
func (w *Wall) Close() {
	w.Runtime.Alerts.Stop()
	w.stop()
	w.Runtime.Scheduler.Close()
	w.sources.Close()
}
