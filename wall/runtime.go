package wall

import (
	"fmt"
	"sync"
	"time"

	"github.com/wallboard/wallboard/datasources"
	"github.com/wallboard/wallboard/datasources/live"
	"github.com/wallboard/wallboard/layouts"
)

// MinStep is the finest step a panel asks for: the simulator's and a
// typical scrape's 15 s.
const MinStep = 15 * time.Second

// Sources resolves a layout's source names to live sources. The empty name
// means the layout's default source.
type Sources interface {
	Source(name string) (datasources.Source, error)
}

// Runtime is what dashboards need to run: the scheduler that polls their
// queries, the sources, the alerting, and a clock. Several views (a window,
// a headless render, an HTTP server, another app embedding a dashboard)
// can share one Runtime.
type Runtime struct {
	Scheduler *live.Scheduler
	Sources   Sources
	// Now is the clock (default time.Now); tests and renders fix it.
	Now func() time.Time
	// After is the timer of playlists (default time.After); tests drive it.
	After func(time.Duration) <-chan time.Time
	// Alerts evaluates the layout's alert rules; nil shows no alerts.
	Alerts *Alerting
}

// Clock returns the runtime's current time.
func (rt *Runtime) Clock() time.Time {
	if rt.Now != nil {
		return rt.Now()
	}
	return time.Now()
}

// Timer returns a channel that receives after d on the runtime's timer.
func (rt *Runtime) Timer(d time.Duration) <-chan time.Time {
	if rt.After != nil {
		return rt.After(d)
	}
	return time.After(d)
}

// Settings are the operator's choices applied to every panel of a view.
type Settings struct {
	Time    layouts.TimeRange
	Refresh time.Duration
	// Vars are the chosen values of the dashboard's variables (none: all).
	Vars map[string][]string
}

// DefaultSettings are d's own time range and refresh, with no variable
// chosen.
func DefaultSettings(d *layouts.Dashboard) Settings {
	return Settings{Time: d.Time, Refresh: d.Refresh.D()}
}

// Span is a resolved time range as the scheduler wants it.
type Span struct {
	From, To time.Time
	// Window > 0 means relative: the last Window up to now, following the
	// clock.
	Window time.Duration
	// Step is the query resolution (Step of the range).
	Step time.Duration
}

// ResolveSpan resolves tr at now.
func ResolveSpan(tr layouts.TimeRange, now time.Time) (Span, error) {
	from, to, err := tr.Resolve(now)
	if err != nil {
		return Span{}, err
	}
	sp := Span{From: from, To: to, Step: Step(to.Sub(from))}
	if IsLive(tr) {
		sp.Window = to.Sub(from)
	}
	return sp, nil
}

// Step is the resolution of a range of length r: the program's one step
// policy (datasources.AutoStep) at MinStep.
func Step(r time.Duration) time.Duration {
	return datasources.AutoStep(r, MinStep)
}

// IsLive reports whether tr ends now, so that it follows the clock.
func IsLive(tr layouts.TimeRange) bool {
	return tr.To == "" || tr.To == "now"
}

// Request is the scheduler request for query q of widget w on d: the one
// place panels, alert rules and the API build it, so that they share one
// poller.
func (rt *Runtime) Request(d *layouts.Dashboard, w *layouts.Widget, q layouts.Query, sp Span, st Settings) (live.Request, error) {
	src, err := rt.Sources.Source(w.Source)
	if err != nil {
		return live.Request{}, err
	}
	expr := layouts.Interpolate(q.Expr, d, st.Vars)
	// The layout's expressions were bounded when it was validated; the
	// chosen values of its variables may make one longer or deeper than a
	// source's parser can handle without hanging.
	if err := layouts.CheckExpr(expr); err != nil {
		return live.Request{}, &datasources.QueryError{Kind: datasources.ErrBadQuery, Expr: expr[:min(len(expr), 80)], Err: err}
	}
	return live.Request{
		SourceName: rt.SourceName(w.Source),
		Source:     src,
		Query:      datasources.Query{Expr: expr, Legend: q.Legend, Step: sp.Step},
		Window:     sp.Window,
		From:       sp.From,
		To:         sp.To,
		Interval:   st.Refresh,
	}, nil
}

// SourceName is the stable name of a source ("" is the default one):
// pollers are shared and history is kept under it.
func (rt *Runtime) SourceName(name string) string {
	if name != "" {
		return name
	}
	if d, ok := rt.Sources.(interface{ DefaultName() string }); ok {
		return d.DefaultName()
	}
	return "(default)"
}

// errNoDashboard is the error of a lookup of a dashboard the layout lacks.
func errNoDashboard(id string) error {
	return fmt.Errorf("no dashboard %q in the layout", id)
}

// Prefetch subscribes every query of d at settings st without a viewer,
// so that its pollers read the history and ask the sources now: a window
// still being made then opens on data. The returned func ends the
// subscriptions (once, however often it is called); pollers a view
// subscribed meanwhile stay.
func (rt *Runtime) Prefetch(d *layouts.Dashboard, st Settings) (stop func()) {
	sp, err := ResolveSpan(st.Time, rt.Clock())
	if err != nil {
		return func() {}
	}
	var unsub []func()
	for i := range d.Widgets {
		w := &d.Widgets[i]
		for _, q := range w.Queries {
			req, err := rt.Request(d, w, q, sp, st)
			if err != nil {
				continue
			}
			unsub = append(unsub, rt.Scheduler.Subscribe(req, func(*datasources.Result) {}))
		}
	}
	var once sync.Once
	return func() {
		once.Do(func() {
			for _, u := range unsub {
				u()
			}
		})
	}
}
