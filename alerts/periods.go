package alerts

import (
	"slices"
	"strings"
	"time"

	"github.com/wallboard/wallboard/layouts"
)

// FiringPeriods returns the times in [from, to] during which the alerts f
// selects were firing (its States and Unacknowledged play no part), from
// the history and the current state, sorted by start: e.g. with
// Filter{Dashboard: d, Widget: w} the regions to draw on that panel's time
// series, or with Filter{Rule: name} one rule's. A period still firing
// ends at to (Open); one read back from the history and not seen firing
// again since the start ends at the Evaluator's start. Periods of several
// instances may overlap (see MergePeriods).
func (e *Evaluator) FiringPeriods(f Filter, from, to time.Time) []Period {
	e.mu.Lock()
	defer e.mu.Unlock()
	type open struct {
		t     Transition
		start time.Time
	}
	opens := map[string]*open{}
	var out []Period
	emit := func(t *Transition, start, end time.Time, isOpen bool) {
		if end.After(to) {
			end = to
		}
		if start.Before(from) {
			start = from
		}
		if !end.After(start) {
			return
		}
		out = append(out, Period{From: start, To: end, Severity: t.Severity, Name: t.Rule, ID: t.ID, Labels: t.Labels, Open: isOpen})
	}
	// Only the filter's transitions, in time order (a chart asks this on
	// every redraw: filter before sorting, not the whole day's log).
	var log []Transition
	for i := range e.log {
		if f.MatchTransition(&e.log[i]) {
			log = append(log, e.log[i])
		}
	}
	slices.SortStableFunc(log, func(a, b Transition) int { return a.At.Compare(b.At) })
	for i := range log {
		t := &log[i]
		o := opens[t.ID]
		switch {
		case t.To == Firing && o == nil:
			opens[t.ID] = &open{t: *t, start: t.At}
		case t.To != Firing && o != nil:
			emit(&o.t, o.start, t.At, false)
			delete(opens, t.ID)
		}
	}
	current := map[string]*Alert{}
	e.each(func(a *Alert) {
		if a.State == Firing {
			current[a.ID] = a
		}
	})
	for id, o := range opens {
		if a := current[id]; a != nil {
			if a.FiredAt.Equal(o.start) {
				continue // still firing: added below
			}
			emit(&o.t, o.start, a.FiredAt, false)
			continue
		}
		end := e.start
		if end.Before(o.start) {
			end = o.start
		}
		emit(&o.t, o.start, end, false)
	}
	for _, a := range current {
		t := Transition{ID: a.ID, Origin: a.Origin, Source: a.Source, Rule: a.Rule, Labels: a.Labels,
			Severity: a.Severity, Dashboard: a.Dashboard, Widget: a.Widget}
		if !f.MatchTransition(&t) || a.FiredAt.IsZero() {
			continue
		}
		emit(&t, a.FiredAt, to, true)
	}
	slices.SortFunc(out, func(a, b Period) int {
		if c := a.From.Compare(b.From); c != 0 {
			return c
		}
		if c := layouts.SeverityRank(a.Severity) - layouts.SeverityRank(b.Severity); c != 0 {
			return c
		}
		return strings.Compare(a.ID, b.ID)
	})
	return out
}

// MergePeriods merges overlapping or touching periods of the same severity
// into one (named by the first), so that a chart draws one band per
// stretch of time and severity. The result is sorted by start.
func MergePeriods(ps []Period) []Period {
	bySev := map[string][]Period{}
	for _, p := range ps {
		bySev[p.Severity] = append(bySev[p.Severity], p)
	}
	var out []Period
	for _, list := range bySev {
		slices.SortFunc(list, func(a, b Period) int { return a.From.Compare(b.From) })
		cur := list[0]
		for _, p := range list[1:] {
			if !p.From.After(cur.To) {
				if p.To.After(cur.To) {
					cur.To = p.To
				}
				cur.Open = cur.Open || p.Open
				continue
			}
			out = append(out, cur)
			cur = p
		}
		out = append(out, cur)
	}
	slices.SortFunc(out, func(a, b Period) int {
		if c := a.From.Compare(b.From); c != 0 {
			return c
		}
		return layouts.SeverityRank(a.Severity) - layouts.SeverityRank(b.Severity)
	})
	return out
}
