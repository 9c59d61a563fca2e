package wall

import (
	"context"
	"sync"
	"time"

	"github.com/wallboard/wallboard/alerts"
	"github.com/wallboard/wallboard/datasources"
	"github.com/wallboard/wallboard/datasources/live"
	"github.com/wallboard/wallboard/datasources/prometheus"
	"github.com/wallboard/wallboard/layouts"
)

// Alerting evaluates a layout's alert rules on the data its panels show
// and follows the alerts of its Prometheus sources. Rules on a widget are
// fed by the same scheduler request as the widget's panel (at the
// dashboard's own time range and refresh), so nothing is polled twice;
// every dashboard is watched, not only the one on screen.
type Alerting struct {
	// Evaluator holds the alerts' states and history.
	Evaluator *alerts.Evaluator
	// Display is the layout's alert display settings.
	Display layouts.AlertDisplay

	layout  *layouts.Layout
	history *alerts.History
	cancel  context.CancelFunc
	wg      sync.WaitGroup
	unsub   []func()
}

// RemoteInterval is how often a Prometheus's own alerts are fetched.
const RemoteInterval = 15 * time.Second

// StartAlerting starts evaluating l's rules with rt's scheduler; h keeps
// the transitions (nil: memory only). Stop ends it.
func StartAlerting(rt *Runtime, l *layouts.Layout, h *alerts.History) *Alerting {
	a := &Alerting{layout: l, history: h}
	if l.Alerts != nil {
		a.Display = *l.Alerts
	}
	a.Evaluator = alerts.NewEvaluator(alerts.Options{History: h, Retention: alerts.RetentionOf(l.Alerts), Now: rt.Now})
	rules := alerts.RulesFromLayout(l)
	a.Evaluator.SetRules(rules, rt.Clock())
	ctx, cancel := context.WithCancel(context.Background())
	a.cancel = cancel

	byWidget := map[[2]string][]alerts.Rule{}
	for _, r := range rules {
		if r.Dashboard != "" && r.Widget != "" {
			byWidget[[2]string{r.Dashboard, r.Widget}] = append(byWidget[[2]string{r.Dashboard, r.Widget}], r)
			continue
		}
		a.subscribeRule(rt, r)
	}
	for i := range l.Dashboards {
		d := &l.Dashboards[i]
		st := DefaultSettings(d)
		sp, err := ResolveSpan(d.Time, rt.Clock())
		if err != nil {
			continue // Validate rejects such layouts; nothing to evaluate
		}
		for j := range d.Widgets {
			w := &d.Widgets[j]
			rs := byWidget[[2]string{d.ID, w.ID}]
			if len(rs) == 0 || len(w.Queries) == 0 {
				continue
			}
			req, err := rt.Request(d, w, w.Queries[0], sp, st)
			if err != nil {
				continue
			}
			a.unsub = append(a.unsub, rt.Scheduler.Subscribe(req, a.Evaluator.Subscriber(rs...)))
		}
	}
	for _, cfg := range l.Sources {
		if cfg.Kind != layouts.KindPrometheus {
			continue
		}
		src, err := rt.Sources.Source(cfg.Name)
		p, ok := src.(*prometheus.Source)
		if err != nil || !ok {
			continue // the panels on this source show why
		}
		a.wg.Add(1)
		go func() {
			defer a.wg.Done()
			alerts.PollPrometheus(ctx, p, cfg.Name, RemoteInterval, a.Evaluator.SetRemote)
		}()
	}
	return a
}

// subscribeRule feeds a rule that is not on a widget from its own query.
func (a *Alerting) subscribeRule(rt *Runtime, r alerts.Rule) {
	src, err := rt.Sources.Source(r.Source)
	if err != nil {
		return
	}
	a.unsub = append(a.unsub, rt.Scheduler.Subscribe(live.Request{
		SourceName: rt.SourceName(r.Source),
		Source:     src,
		Query:      datasources.Query{Expr: r.Expr, Step: MinStep},
		Window:     5 * time.Minute,
		Interval:   RemoteInterval,
	}, a.Evaluator.Subscriber(r)))
}

// Layout is the layout whose rules a evaluates.
func (a *Alerting) Layout() *layouts.Layout { return a.layout }

// Reload stops a and starts alerting on another layout with the same
// history (after an operator imports a layout).
func (a *Alerting) Reload(rt *Runtime, l *layouts.Layout) *Alerting {
	a.Stop()
	return StartAlerting(rt, l, a.history)
}

// Stop ends the evaluation's subscriptions and Prometheus polls.
func (a *Alerting) Stop() {
	for _, u := range a.unsub {
		u()
	}
	a.cancel()
	a.wg.Wait()
}

// Active is the evaluator's active alerts matching f, without those a
// worse alert of the same widget and series outranks: a CPU at 95% is one
// critical alert, not also a warning.
func (a *Alerting) Active(f alerts.Filter) []alerts.Alert {
	return alerts.Outranked(a.Evaluator.Active(f))
}

// Level is how bad the firing alerts on a widget are.
func (a *Alerting) Level(dash, widget string) layouts.Level {
	return layouts.SeverityLevel(a.Evaluator.Worst(alerts.Filter{Dashboard: dash, Widget: widget, States: []alerts.State{alerts.Firing}}))
}

// FiringPeriods are the merged firing periods of a widget's rules in
// [from, to], for drawing on its time series.
func (a *Alerting) FiringPeriods(dash, widget string, from, to time.Time) []alerts.Period {
	return alerts.MergePeriods(a.Evaluator.FiringPeriods(alerts.Filter{Dashboard: dash, Widget: widget}, from, to))
}

// Banner is the oldest unacknowledged firing critical alert, for the kiosk
// banner, and how many such alerts there are.
func (a *Alerting) Banner() (alerts.Alert, int) {
	crit := a.Evaluator.Active(alerts.Filter{Severities: []string{layouts.SeverityCritical}, States: []alerts.State{alerts.Firing}, Unacknowledged: true})
	if len(crit) == 0 {
		return alerts.Alert{}, 0
	}
	return crit[len(crit)-1], len(crit)
}
