package alerts

import (
	"log/slog"
	"maps"
	"math"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/wallboard/wallboard/datasources"
	"github.com/wallboard/wallboard/layouts"
)

// Defaults of an Evaluator's Options.
const (
	DefaultKeepResolved = 5 * time.Minute
	DefaultMaxDataAge   = 5 * time.Minute
	DefaultLookback     = 5 * time.Minute
	// maxLog bounds the transitions kept in memory.
	maxLog = 100_000
)

// Options tune an Evaluator; the zero value gives the defaults.
type Options struct {
	// History, when set, persists every transition; the Evaluator reads
	// back the transitions within the retention when it is created, so
	// that the alert history and firing periods survive restarts (and an
	// alert that was firing resumes without waiting for its For again).
	// The Evaluator does not close it.
	History *History
	// Retention is how long transitions are kept in memory (default: the
	// History's retention, else DefaultRetention).
	Retention time.Duration
	// Now is the clock of ObserveResult's callers that pass no time
	// (Subscriber) and of the start time (default time.Now).
	Now func() time.Time
	// KeepResolved is how long a resolved alert stays listed (state
	// Resolved) before it becomes inactive (default DefaultKeepResolved).
	KeepResolved time.Duration
	// MaxDataAge: ObserveResult ignores results older than this (default
	// DefaultMaxDataAge); their alerts keep their state, marked Stale.
	MaxDataAge time.Duration
	// Lookback: a series whose newest point is older than this before the
	// evaluation time counts as absent (default DefaultLookback, as
	// Prometheus' lookback delta).
	Lookback time.Duration
	// Logger receives problems of the history (once per kind).
	Logger *slog.Logger
}

// ruleState is the evaluation state of one local rule.
type ruleState struct {
	rule      Rule
	instances map[string]*Alert // by ID
	lastEval  time.Time
	observed  bool
	stale     bool
}

// remoteState is the last snapshot of one remote source.
type remoteState struct {
	snap   Snapshot          // last good alerts and rules; Err of the last poll
	alerts map[string]*Alert // by ID, including resolved ones still listed
}

// remoteAck is the acknowledgement of a remote alert: it lasts while the
// alert keeps its ActiveAt (one episode).
type remoteAck struct {
	remote   string // the remotes key
	activeAt time.Time
}

// Evaluator evaluates rules on the data the panels show and keeps the
// alerts of every origin, their transitions and acknowledgements. It is
// safe for concurrent use; every method that changes state takes the
// evaluation time, so tests can drive it with a fake clock.
type Evaluator struct {
	opts  Options
	start time.Time

	mu       sync.Mutex
	rules    map[string]*ruleState   // local rules by name
	remotes  map[string]*remoteState // by origin + "\x00" + source
	restored map[string]*Alert       // open alerts read back from the history, not yet seen again
	acks     map[string]remoteAck    // acknowledged remote alerts by ID
	log      []Transition            // within Retention, in recording order
	logKeys  map[string]struct{}

	subMu     sync.Mutex
	nextSub   int
	onChange  map[int]func()
	onTransit map[int]func(Transition)

	logged sync.Map
}

// NewEvaluator returns an Evaluator. With Options.History it reads back the
// transitions within the retention; a history that cannot be read is
// logged (once) and the Evaluator starts empty.
func NewEvaluator(opts Options) *Evaluator {
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.Retention <= 0 {
		opts.Retention = DefaultRetention
		if opts.History != nil {
			opts.Retention = opts.History.Retention()
		}
	}
	if opts.KeepResolved <= 0 {
		opts.KeepResolved = DefaultKeepResolved
	}
	if opts.MaxDataAge <= 0 {
		opts.MaxDataAge = DefaultMaxDataAge
	}
	if opts.Lookback <= 0 {
		opts.Lookback = DefaultLookback
	}
	if opts.Logger == nil {
		opts.Logger = slog.Default()
	}
	e := &Evaluator{
		opts:      opts,
		start:     opts.Now(),
		rules:     map[string]*ruleState{},
		remotes:   map[string]*remoteState{},
		restored:  map[string]*Alert{},
		acks:      map[string]remoteAck{},
		logKeys:   map[string]struct{}{},
		onChange:  map[int]func(){},
		onTransit: map[int]func(Transition){},
	}
	if opts.History != nil {
		ts, err := opts.History.Range(e.start.Add(-opts.Retention), e.start.Add(time.Hour))
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
	return e
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

// problem logs a problem of the history once per kind.
func (e *Evaluator) problem(kind string, err error) {
	if _, seen := e.logged.LoadOrStore(kind, true); !seen {
		e.opts.Logger.Warn("alert history problem (logged once)", "kind", kind, "err", err)
	}
}

// OnChange registers fn, called after anything visible changed: a
// transition, a value, an acknowledgement, staleness, Prometheus alerts.
// fn runs on the goroutine that made the change (a scheduler poller, the
// Prometheus poll loop, the caller of Ack), possibly on several at once;
// it must not block and must not call the Evaluator's mutating methods.
// The returned function unregisters it.
func (e *Evaluator) OnChange(fn func()) (cancel func()) {
	e.subMu.Lock()
	defer e.subMu.Unlock()
	id := e.nextSub
	e.nextSub++
	e.onChange[id] = fn
	return func() {
		e.subMu.Lock()
		defer e.subMu.Unlock()
		delete(e.onChange, id)
	}
}

// OnTransition registers fn, called with every transition once it is
// recorded (e.g. to jump a playlist to the dashboard of an alert that
// starts firing). Same rules as OnChange.
func (e *Evaluator) OnTransition(fn func(Transition)) (cancel func()) {
	e.subMu.Lock()
	defer e.subMu.Unlock()
	id := e.nextSub
	e.nextSub++
	e.onTransit[id] = fn
	return func() {
		e.subMu.Lock()
		defer e.subMu.Unlock()
		delete(e.onTransit, id)
	}
}

// finish persists the transitions and calls the subscribers; it runs
// without e.mu.
func (e *Evaluator) finish(ts []Transition, changed bool) {
	if len(ts) > 0 && e.opts.History != nil {
		if err := e.opts.History.Record(ts...); err != nil {
			e.problem("write", err)
		}
	}
	if !changed && len(ts) == 0 {
		return
	}
	e.subMu.Lock()
	changes := slices.Collect(maps.Values(e.onChange))
	transits := slices.Collect(maps.Values(e.onTransit))
	e.subMu.Unlock()
	for _, t := range ts {
		for _, fn := range transits {
			fn(t)
		}
	}
	for _, fn := range changes {
		fn()
	}
}

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

func (e *Evaluator) ruleState(r *Rule) *ruleState {
	rs := e.rules[r.Name]
	if rs == nil {
		rs = &ruleState{instances: map[string]*Alert{}}
		e.rules[r.Name] = rs
	}
	rs.rule = *r
	return rs
}

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
	// Restored alerts of this rule that the data no longer shows.
	for id, a := range e.restored {
		if a.Origin != OriginWallboard || a.Rule != rule.Name || seen[id] {
			continue
		}
		delete(e.restored, id)
		from := a.State
		a.State = Inactive
		if from == Firing {
			a.State, a.ResolvedAt = Resolved, now
			rs.instances[id] = a
		}
		a.Value = math.NaN()
		ts = e.record(ts, a, from, now)
		changed = true
	}
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

// SetRules declares the complete set of local rules (e.g. after a layout
// is loaded or edited). Alerts of rules no longer in the set end at now:
// firing ones are resolved, pending ones become inactive, and so do the
// alerts read back from the history whose rule is gone. Rules never
// observed yet are listed by Rules with health "unknown".
func (e *Evaluator) SetRules(rules []Rule, now time.Time) {
	e.mu.Lock()
	keep := make(map[string]bool, len(rules))
	for i := range rules {
		keep[rules[i].Name] = true
		e.ruleState(&rules[i])
	}
	var ts []Transition
	changed := false
	for name, rs := range e.rules {
		if keep[name] {
			continue
		}
		for _, a := range rs.instances {
			if a.State == Pending || a.State == Firing {
				from := a.State
				a.State = Inactive
				if from == Firing {
					a.State = Resolved
				}
				ts = e.record(ts, a, from, now)
			}
		}
		delete(e.rules, name)
		changed = true
	}
	for id, a := range e.restored {
		if a.Origin != OriginWallboard || keep[a.Rule] {
			continue
		}
		delete(e.restored, id)
		from := a.State
		a.State = Inactive
		if from == Firing {
			a.State = Resolved
		}
		ts = e.record(ts, a, from, now)
		changed = true
	}
	e.mu.Unlock()
	e.finish(ts, changed)
}

// Active returns the alerts f selects (by default every pending and
// firing alert, local and remote), sorted by Sort: most severe first,
// then youngest.
func (e *Evaluator) Active(f Filter) []Alert {
	e.mu.Lock()
	defer e.mu.Unlock()
	var out []Alert
	e.each(func(a *Alert) {
		if f.Match(a) {
			out = append(out, *a)
		}
	})
	Sort(out)
	return out
}

// Count is len(Active(f)) without copying.
func (e *Evaluator) Count(f Filter) int {
	e.mu.Lock()
	defer e.mu.Unlock()
	n := 0
	e.each(func(a *Alert) {
		if f.Match(a) {
			n++
		}
	})
	return n
}

// Worst returns the most severe severity among the alerts f selects, ""
// when there are none: with Filter{Dashboard: d, Widget: w, States:
// []State{Firing}} it is the colour of a panel's frame.
func (e *Evaluator) Worst(f Filter) string {
	e.mu.Lock()
	defer e.mu.Unlock()
	worst := ""
	e.each(func(a *Alert) {
		if f.Match(a) && (worst == "" || SeverityRank(a.Severity) < SeverityRank(worst)) {
			worst = a.Severity
		}
	})
	return worst
}

// each calls fn with every listed alert (not the restored ones, which are
// unconfirmed until their rule is evaluated again). Callers hold e.mu.
func (e *Evaluator) each(fn func(*Alert)) {
	for _, rs := range e.rules {
		for _, a := range rs.instances {
			if a.State != Inactive {
				fn(a)
			}
		}
	}
	for _, r := range e.remotes {
		for _, a := range r.alerts {
			fn(a)
		}
	}
}

// find returns the listed alert with id; callers hold e.mu.
func (e *Evaluator) find(id string) *Alert {
	var found *Alert
	e.each(func(a *Alert) {
		if a.ID == id {
			found = a
		}
	})
	return found
}

// Ack acknowledges the alert with id (local or remote) until it resolves:
// it stays listed, marked Acknowledged, and Filter.Unacknowledged (the
// kiosk banner) drops it. It reports whether the alert was found.
// Acknowledgements are local to this Evaluator and not persisted.
func (e *Evaluator) Ack(id string) bool { return e.setAck(id, true) }

// Unack withdraws an acknowledgement.
func (e *Evaluator) Unack(id string) bool { return e.setAck(id, false) }

func (e *Evaluator) setAck(id string, ack bool) bool {
	e.mu.Lock()
	a := e.find(id)
	if a == nil {
		e.mu.Unlock()
		return false
	}
	changed := a.Acknowledged != ack
	a.Acknowledged = ack
	if a.Origin != OriginWallboard {
		if ack {
			e.acks[id] = remoteAck{remote: a.Origin + "\x00" + a.Source, activeAt: a.ActiveAt}
		} else {
			delete(e.acks, id)
		}
	}
	e.mu.Unlock()
	e.finish(nil, changed)
	return true
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
		if c := SeverityRank(a.Severity) - SeverityRank(b.Severity); c != 0 {
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
		return SeverityRank(a.Severity) - SeverityRank(b.Severity)
	})
	return out
}

// RuleStatus is a rule with how its evaluation is going.
type RuleStatus struct {
	Rule
	// Origin is OriginWallboard or OriginPrometheus.
	Origin string
	// Group is a Prometheus rule group's name ("" for local rules).
	Group string
	// State is the worst state of the rule's alerts: Firing, Pending or
	// Inactive.
	State State
	// Health is "ok", "err" (the last evaluation failed: see LastError),
	// "stale" (the data could not be refreshed) or "unknown" (not
	// evaluated yet).
	Health    string
	LastError string
	LastEval  time.Time
}

// Rules returns the status of every rule: local ones by name, then the
// remote ones in their servers' order.
func (e *Evaluator) Rules() []RuleStatus {
	e.mu.Lock()
	defer e.mu.Unlock()
	names := slices.Sorted(maps.Keys(e.rules))
	out := make([]RuleStatus, 0, len(names))
	for _, n := range names {
		rs := e.rules[n]
		st := RuleStatus{Rule: rs.rule, Origin: OriginWallboard, Health: "ok", LastEval: rs.lastEval}
		switch {
		case !rs.observed:
			st.Health = "unknown"
		case rs.stale:
			st.Health = "stale"
		}
		for _, a := range rs.instances {
			if a.State == Firing || a.State == Pending && st.State != Firing {
				st.State = a.State
			}
		}
		out = append(out, st)
	}
	keys := slices.Sorted(maps.Keys(e.remotes))
	for _, k := range keys {
		r := e.remotes[k]
		for _, st := range r.snap.Rules {
			if r.snap.Err != nil && st.Health == "ok" {
				st.Health = "stale"
			}
			out = append(out, st)
		}
	}
	return out
}
