package alerts

import (
	"context"
	"maps"
	"math/rand/v2"
	"time"

	"github.com/wallboard/wallboard/datasources"
	"github.com/wallboard/wallboard/datasources/prometheus"
)

// Snapshot is what one poll of a Prometheus found.
type Snapshot struct {
	// Origin is OriginPrometheus; Source the layout source name.
	Origin, Source string
	// Alerts are the server's pending and firing alerts, as Alerts with
	// Origin OriginPrometheus (FiredAt is ActiveAt plus the rule's for).
	Alerts []Alert
	// Rules are the server's alerting rules, in its order.
	Rules []RuleStatus
	// Fetched is when the answer came.
	Fetched time.Time
	// Err is why the poll failed (a *datasources.QueryError); Alerts and
	// Rules are then empty.
	Err error
}

// FromPrometheus turns what one poll of a Prometheus server (layout source
// name source) found into a Snapshot: its alerts as Alerts with Origin
// OriginPrometheus (FiredAt is ActiveAt plus the rule's for), its rules as
// RuleStatus, in the server's order.
func FromPrometheus(source string, rules []prometheus.AlertingRule, as []prometheus.Alert, fetched time.Time) Snapshot {
	snap := Snapshot{Origin: OriginPrometheus, Source: source, Fetched: fetched}
	forOf := map[string]time.Duration{}
	exprOf := map[string]string{}
	for _, ar := range rules {
		forOf[ar.Name] = ar.For
		if _, ok := exprOf[ar.Name]; !ok {
			exprOf[ar.Name] = ar.Query
		}
		labels := maps.Clone(ar.Labels)
		delete(labels, "severity")
		st := RuleStatus{
			Rule: Rule{
				Name:        ar.Name,
				Expr:        ar.Query,
				Source:      source,
				For:         ar.For,
				Severity:    ar.Labels["severity"],
				Labels:      labels,
				Annotations: ar.Annotations,
			},
			Origin:    OriginPrometheus,
			Group:     ar.Group,
			Health:    ar.Health,
			LastError: ar.LastError,
			LastEval:  ar.LastEvaluation,
		}
		if s, ok := ParseState(ar.State); ok {
			st.State = s
		}
		snap.Rules = append(snap.Rules, st)
	}
	for _, pa := range as {
		state := Pending
		if pa.Firing {
			state = Firing
		}
		labels := alertLabels(datasources.Labels(pa.Labels), nil)
		a := Alert{
			ID:          alertID(OriginPrometheus, source, pa.Name, labels),
			Origin:      OriginPrometheus,
			Source:      source,
			Rule:        pa.Name,
			Expr:        exprOf[pa.Name],
			Severity:    pa.Labels["severity"],
			State:       state,
			Labels:      labels,
			Annotations: pa.Annotations,
			Value:       pa.Value,
			ActiveAt:    pa.ActiveAt,
			LastEval:    fetched,
		}
		if state == Firing {
			a.FiredAt = pa.ActiveAt.Add(forOf[pa.Name])
		}
		snap.Alerts = append(snap.Alerts, a)
	}
	return snap
}

// PollPrometheus polls src's alerts every interval (at least a second)
// until ctx ends, handing every snapshot, failed ones included, to fn:
// typically Evaluator.SetRemote. source is the layout source name the
// alerts are labelled with. After failures it waits longer (doubling, up to
// a minute, with jitter). It blocks: run it on a goroutine the caller owns
// and end it by cancelling ctx.
func PollPrometheus(ctx context.Context, src *prometheus.Source, source string, interval time.Duration, fn func(Snapshot)) {
	interval = max(interval, time.Second)
	failures := 0
	for {
		rules, as, err := src.Alerts(ctx)
		if ctx.Err() != nil {
			return
		}
		snap := FromPrometheus(source, rules, as, time.Now())
		delay := interval
		if err != nil {
			snap = Snapshot{Origin: OriginPrometheus, Source: source, Fetched: snap.Fetched, Err: err}
			failures++
			for i := 1; i < failures && delay < time.Minute; i++ {
				delay *= 2
			}
			delay = min(delay, max(time.Minute, interval))
			delay = time.Duration(float64(delay) * (0.8 + 0.4*rand.Float64()))
		} else {
			failures = 0
		}
		fn(snap)
		t := time.NewTimer(delay)
		select {
		case <-ctx.Done():
			t.Stop()
			return
		case <-t.C:
		}
	}
}

// SetRemote takes in a snapshot of a remote source (a Prometheus poll):
// its alerts replace that source's, with transitions recorded for alerts
// that appear, change state or disappear (firing ones then resolve at the
// poll's time). A failed snapshot (Err set) changes no state: the
// source's alerts stay, marked Stale, until a poll succeeds.
func (e *Evaluator) SetRemote(s Snapshot) {
	if s.Origin == "" {
		s.Origin = OriginPrometheus
	}
	now := s.Fetched
	if now.IsZero() {
		now = e.opts.Now()
	}
	key := s.Origin + "\x00" + s.Source
	e.mu.Lock()
	r := e.remotes[key]
	if r == nil {
		r = &remoteState{alerts: map[string]*Alert{}}
		e.remotes[key] = r
	}
	if s.Err != nil {
		changed := r.snap.Err == nil
		r.snap.Err, r.snap.Fetched = s.Err, now
		for _, a := range r.alerts {
			changed = changed || !a.Stale
			a.Stale = true
		}
		e.mu.Unlock()
		e.finish(nil, changed)
		return
	}
	var ts []Transition
	changed := true
	seen := make(map[string]bool, len(s.Alerts))
	for i := range s.Alerts {
		in := s.Alerts[i]
		in.Origin, in.Source = s.Origin, s.Source
		seen[in.ID] = true
		prev := r.alerts[in.ID]
		if prev == nil {
			prev = e.restored[in.ID]
			delete(e.restored, in.ID)
		}
		a := &in
		if ack, ok := e.acks[in.ID]; ok && ack.activeAt.Equal(in.ActiveAt) {
			a.Acknowledged = true
		}
		r.alerts[in.ID] = a
		switch {
		case prev == nil || prev.State == Resolved || prev.State == Inactive:
			from := Inactive
			if prev != nil {
				from = prev.State
			}
			if a.State == Firing && a.FiredAt.After(a.ActiveAt) {
				// Seen firing at once: note when it became pending too, so
				// that the history has the whole episode.
				ts = e.recordAt(ts, a, from, Pending, a.ActiveAt)
				from = Pending
			}
			at := a.ActiveAt
			if a.State == Firing {
				at = a.FiredAt
			}
			ts = e.recordAt(ts, a, from, a.State, at)
		case prev.State != a.State:
			at := now
			if a.State == Firing && !a.FiredAt.IsZero() {
				at = a.FiredAt
			}
			ts = e.recordAt(ts, a, prev.State, a.State, at)
		}
	}
	for id, a := range r.alerts {
		if seen[id] {
			continue
		}
		switch a.State {
		case Pending, Firing:
			from := a.State
			a.State = Inactive
			if from == Firing {
				a.State, a.ResolvedAt = Resolved, now
			}
			a.Stale = false
			ts = e.recordAt(ts, a, from, a.State, now)
			if a.State == Inactive {
				delete(r.alerts, id)
			}
		case Resolved:
			if now.Sub(a.ResolvedAt) >= e.opts.KeepResolved {
				delete(r.alerts, id)
			}
		default:
			delete(r.alerts, id)
		}
	}
	ts, _ = e.retireRestored(ts, now, func(a *Alert) bool { return a.Origin == s.Origin && a.Source == s.Source && !seen[a.ID] }, nil)
	for id, ack := range e.acks {
		if ack.remote == key && r.alerts[id] == nil {
			delete(e.acks, id)
		}
	}
	r.snap = s
	r.snap.Alerts = nil // the live copies are in r.alerts
	e.pruneLog(now)
	e.mu.Unlock()
	e.finish(ts, changed)
}

// recordAt records a transition of a from one state to another at a
// given time, whatever a.State is. Callers hold e.mu.
func (e *Evaluator) recordAt(ts []Transition, a *Alert, from, to State, at time.Time) []Transition {
	saved := a.State
	a.State = to
	ts = e.record(ts, a, from, at)
	a.State = saved
	return ts
}

// Remote returns the last snapshot of a remote source (its rules, when it
// was fetched, the error of the last poll) and whether there is one; its
// alerts are those listed by Active with Filter{Source: source}.
func (e *Evaluator) Remote(origin, source string) (Snapshot, bool) {
	e.mu.Lock()
	defer e.mu.Unlock()
	r := e.remotes[origin+"\x00"+source]
	if r == nil {
		return Snapshot{}, false
	}
	s := r.snap
	s.Origin, s.Source = origin, source
	return s, true
}
