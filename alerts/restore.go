package alerts

import (
	"math"
	"time"
)

// restore reads back the transitions within the retention from h: they
// become the log, and the alerts whose last transition left them pending
// or firing are kept aside as restored, to resume when their rule or
// remote source shows them again (or to be retired by retireRestored).
func (e *Evaluator) restore(h *History) {
	ts, err := h.Range(e.start.Add(-e.opts.Retention), e.start.Add(time.Hour))
	if err != nil {
		e.problem("read", err)
	}
	for _, t := range ts {
		e.appendLog(t)
		switch t.To {
		case Pending, Firing:
			a := alertFromTransition(&t)
			if old := e.restored[t.ID]; old != nil && t.To == Firing && old.State == Pending {
				a.ActiveAt = old.ActiveAt
			}
			e.restored[t.ID] = a
		default:
			delete(e.restored, t.ID)
		}
	}
}

func alertFromTransition(t *Transition) *Alert {
	a := &Alert{
		ID: t.ID, Origin: t.Origin, Source: t.Source, Rule: t.Rule, Severity: t.Severity,
		State: t.To, Labels: t.Labels, Value: t.Value, ActiveAt: t.At, LastEval: t.At,
		Dashboard: t.Dashboard, Widget: t.Widget,
	}
	if t.To == Firing {
		a.FiredAt = t.At
	}
	return a
}

// retireRestored is the one rule for restored alerts that are not seen
// again (their rule's data no longer shows them, their rule is gone, their
// remote source no longer lists them): each restored alert that match
// selects ends at now, a firing one resolved and a pending one inactive,
// with no value (nothing shows one any more), and the transition is
// recorded. keep, when set, receives each resolved alert so the caller can
// list it as resolved for a while. Callers hold e.mu; it reports whether
// any alert was retired.
func (e *Evaluator) retireRestored(ts []Transition, now time.Time, match func(*Alert) bool, keep func(*Alert)) ([]Transition, bool) {
	retired := false
	for id, a := range e.restored {
		if !match(a) {
			continue
		}
		delete(e.restored, id)
		from := a.State
		a.State = Inactive
		if from == Firing {
			a.State, a.ResolvedAt = Resolved, now
			if keep != nil {
				keep(a)
			}
		}
		a.Value = math.NaN()
		ts = e.record(ts, a, from, now)
		retired = true
	}
	return ts, retired
}
