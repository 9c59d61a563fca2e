package alerts

import (
	"math"
	"slices"
	"time"

	"github.com/wallboard/wallboard/datasources"
	"github.com/wallboard/wallboard/layouts"
)

// Subscriber returns a callback for the scheduler (live.Scheduler.Subscribe)
// that evaluates rules on every result it delivers, at Options.Now: add
// it next to the panel's own callback on the panel's subscription, so the
// rules see exactly the data the panel shows and nothing is polled twice.
func (e *Evaluator) Subscriber(rules ...Rule) func(*datasources.Result) {
	rules = slices.Clone(rules)
	return func(res *datasources.Result) {
		now := e.opts.Now()
		for i := range rules {
			e.ObserveResult(rules[i], res, now)
		}
	}
}

// ObserveResult evaluates rule on a scheduler result at now. A stale or
// failed result, one older than Options.MaxDataAge, or one whose series
// all end more than Options.Lookback before now (a panel showing the
// past) is not evaluated: the rule's alerts keep their state, marked
// Stale, until fresh data comes.
func (e *Evaluator) ObserveResult(rule Rule, res *datasources.Result, now time.Time) {
	if res == nil {
		return
	}
	old := !res.Fetched.IsZero() && now.Sub(res.Fetched) > e.opts.MaxDataAge
	if res.Stale || res.Err != nil || old || e.allOld(res.Series, now) {
		e.markStale(rule, now)
		return
	}
	e.Observe(rule, res.Series, now)
}

// allOld reports whether there are series and none has a point within the
// lookback of now.
func (e *Evaluator) allOld(series []datasources.Series, now time.Time) bool {
	if len(series) == 0 {
		return false
	}
	cutoff := now.Add(-e.opts.Lookback).UnixMilli()
	for i := range series {
		if p, ok := series[i].Last(); ok && p.T >= cutoff {
			return false
		}
	}
	return true
}

func (e *Evaluator) markStale(rule Rule, now time.Time) {
	e.mu.Lock()
	rs := e.ruleState(&rule)
	changed := !rs.stale
	rs.stale = true
	for _, a := range rs.instances {
		a.Stale = true
	}
	e.mu.Unlock()
	e.finish(nil, changed)
}

// reduce is the value of one series for a rule: its newest point within
// the lookback of now (Reduce "" or "last"), or the reduction of its
// points; ok is false when the series has no value.
func (e *Evaluator) reduce(s *datasources.Series, how string, now time.Time) (float64, bool) {
	switch how {
	case "", layouts.ReduceLast:
		p, ok := s.Last()
		if !ok || p.T < now.Add(-e.opts.Lookback).UnixMilli() {
			return math.NaN(), false
		}
		return p.V, true
	}
	var (
		n      int
		sum    float64
		lo, hi = math.Inf(1), math.Inf(-1)
	)
	for _, p := range s.Points {
		if math.IsNaN(p.V) {
			continue
		}
		n++
		sum += p.V
		lo, hi = min(lo, p.V), max(hi, p.V)
	}
	if n == 0 {
		return math.NaN(), false
	}
	switch how {
	case layouts.ReduceMean:
		return sum / float64(n), true
	case layouts.ReduceMax:
		return hi, true
	case layouts.ReduceMin:
		return lo, true
	case layouts.ReduceSum:
		return sum, true
	}
	p, _ := s.Last()
	return p.V, true
}

// Observe evaluates rule at now on series: the query result the panel
// shows (one alert instance per series, told apart by labels; each series
// reduced to one value by rule.Reduce, by default its newest point). A
// series missing from the result counts as not breaking the threshold,
// so an empty result resolves the rule's alerts (as with Prometheus
// rules whose expression filters, e.g. "x > 5"). Rules are identified by
// Name; the latest Rule given for a name is used. Calls for one rule
// should come in time order; an older now than the rule's last is ignored.
func (e *Evaluator) Observe(rule Rule, series []datasources.Series, now time.Time) {
	e.mu.Lock()
	rs := e.ruleState(&rule)
	if now.Before(rs.lastEval) {
		e.mu.Unlock()
		return
	}
	changed := rs.stale || !rs.observed
	rs.stale, rs.observed, rs.lastEval = false, true, now
	var ts []Transition
	seen := make(map[string]bool, len(series))
	for i := range series {
		s := &series[i]
		v, ok := e.reduce(s, rule.Reduce, now)
		if !ok {
			continue
		}
		labels := alertLabels(s.Labels, rule.Labels)
		id := alertID(OriginWallboard, rule.Source, rule.Name, labels)
		if seen[id] {
			continue
		}
		seen[id] = true
		a := rs.instances[id]
		if a == nil {
			if r := e.restored[id]; r != nil {
				delete(e.restored, id)
				a = r
				// Resume the episode if it still holds; the state machine
				// below resolves it otherwise.
				a.Origin, a.Source = OriginWallboard, rule.Source
				rs.instances[id] = a
			} else if !rule.Condition(v) {
				continue
			} else {
				a = &Alert{ID: id, Origin: OriginWallboard, Source: rule.Source, Rule: rule.Name, Labels: labels}
				rs.instances[id] = a
			}
		}
		a.Severity, a.Annotations, a.Expr = rule.Severity, rule.Annotations, rule.Expr
		a.Dashboard, a.Widget = rule.Dashboard, rule.Widget
		if a.Value != v && !(math.IsNaN(a.Value) && math.IsNaN(v)) {
			changed = true
		}
		a.Value, a.LastEval, a.Stale = v, now, false
		var c bool
		ts, c = e.step(ts, &rule, a, true, now)
		changed = changed || c
		if a.State == Inactive {
			delete(rs.instances, id)
		}
	}
	for id, a := range rs.instances {
		if seen[id] {
			continue
		}
		a.LastEval, a.Stale = now, false
		var c bool
		ts, c = e.step(ts, &rule, a, false, now)
		changed = changed || c
		if a.State == Inactive {
			delete(rs.instances, id)
		}
	}
	// Restored alerts of this rule that the data no longer shows; a resolved
	// one is listed with the rule's other instances for a while.
	var retired bool
	ts, retired = e.retireRestored(ts, now,
		func(a *Alert) bool { return a.Origin == OriginWallboard && a.Rule == rule.Name && !seen[a.ID] },
		func(a *Alert) { rs.instances[a.ID] = a })
	changed = changed || retired
	e.pruneLog(now)
	e.mu.Unlock()
	e.finish(ts, changed)
}

// step moves a through the state machine; present says whether its series
// had a value (a.Value). It returns the transitions and whether anything
// changed. Callers hold e.mu.
func (e *Evaluator) step(ts []Transition, r *Rule, a *Alert, present bool, now time.Time) ([]Transition, bool) {
	cond := present && r.Condition(a.Value)
	holds := present && r.Holds(a.Value)
	expired := false
	if a.State == Resolved && now.Sub(a.ResolvedAt) >= e.opts.KeepResolved {
		a.State, expired = Inactive, true // off the list; not a transition worth keeping
	}
	from := a.State
	switch a.State {
	case Inactive, Resolved:
		if !cond {
			return ts, expired
		}
		a.ActiveAt, a.FiredAt, a.ResolvedAt, a.Acknowledged = now, time.Time{}, time.Time{}, false
		a.State = Pending
		if r.For <= 0 {
			a.State, a.FiredAt = Firing, now
		}
	case Pending:
		switch {
		case !cond:
			a.State = Inactive
		case now.Sub(a.ActiveAt) >= r.For:
			a.State, a.FiredAt = Firing, now
		default:
			return ts, false
		}
	case Firing:
		if holds {
			return ts, false
		}
		a.State, a.ResolvedAt = Resolved, now
	}
	return e.record(ts, a, from, now), true
}

// alertLabels merges a series' labels with a rule's, dropping alertname,
// severity and the metric name.
func alertLabels(series datasources.Labels, rule map[string]string) datasources.Labels {
	out := make(datasources.Labels, len(series)+len(rule))
	for k, v := range series {
		out[k] = v
	}
	for k, v := range rule {
		out[k] = v
	}
	delete(out, "__name__")
	delete(out, "alertname")
	delete(out, "severity")
	return out
}
