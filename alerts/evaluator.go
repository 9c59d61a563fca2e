package alerts

import (
	"log/slog"
	"maps"
	"slices"
	"sync"
	"time"

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
		e.restore(opts.History)
	}
	return e
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

func (e *Evaluator) ruleState(r *Rule) *ruleState {
	rs := e.rules[r.Name]
	if rs == nil {
		rs = &ruleState{instances: map[string]*Alert{}}
		e.rules[r.Name] = rs
	}
	rs.rule = *r
	return rs
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
	var retired bool
	ts, retired = e.retireRestored(ts, now, func(a *Alert) bool { return a.Origin == OriginWallboard && !keep[a.Rule] }, nil)
	changed = changed || retired
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
		if f.Match(a) && (worst == "" || layouts.SeverityRank(a.Severity) < layouts.SeverityRank(worst)) {
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
