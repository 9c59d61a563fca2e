package alerts

import (
	"slices"
	"time"
)

// appendLog adds t to the in-memory log unless it is there already.
// Callers hold e.mu (or own e, in NewEvaluator).
func (e *Evaluator) appendLog(t Transition) bool {
	k := string(transitionKey(nil, &t))
	if _, dup := e.logKeys[k]; dup {
		return false
	}
	e.logKeys[k] = struct{}{}
	e.log = append(e.log, t)
	return true
}

// pruneLog drops the transitions older than the retention (and the oldest
// beyond maxLog). Callers hold e.mu.
func (e *Evaluator) pruneLog(now time.Time) {
	cutoff := now.Add(-e.opts.Retention)
	i := 0
	for i < len(e.log) && (e.log[i].At.Before(cutoff) || len(e.log)-i > maxLog) {
		delete(e.logKeys, string(transitionKey(nil, &e.log[i])))
		i++
	}
	if i > 0 {
		e.log = slices.Delete(e.log, 0, i)
	}
}

// record notes a transition of a; callers hold e.mu.
func (e *Evaluator) record(ts []Transition, a *Alert, from State, at time.Time) []Transition {
	t := Transition{
		ID: a.ID, Origin: a.Origin, Source: a.Source, Rule: a.Rule, Labels: a.Labels,
		From: from, To: a.State, At: at, Value: a.Value, Severity: a.Severity,
		Dashboard: a.Dashboard, Widget: a.Widget,
	}
	if e.appendLog(t) {
		ts = append(ts, t)
	}
	return ts
}

// History returns the recorded transitions at times in [from, to] of the
// alerts f selects (its States and Unacknowledged play no part), oldest
// first: within the retention, including those read back from the
// History at start.
func (e *Evaluator) History(f Filter, from, to time.Time) []Transition {
	e.mu.Lock()
	defer e.mu.Unlock()
	var out []Transition
	for i := range e.log {
		t := &e.log[i]
		if t.At.Before(from) || t.At.After(to) || !f.MatchTransition(t) {
			continue
		}
		out = append(out, *t)
	}
	slices.SortStableFunc(out, func(a, b Transition) int { return a.At.Compare(b.At) })
	return out
}
