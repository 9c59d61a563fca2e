package alerts

import (
	"cmp"
	"hash/fnv"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/wallboard/wallboard/datasources"
	"github.com/wallboard/wallboard/layouts"
)

// Origins of an alert.
const (
	// OriginWallboard: evaluated here, by an Evaluator, from a Rule.
	OriginWallboard = "wallboard"
	// OriginPrometheus: evaluated by a Prometheus server and read from its
	// /api/v1/alerts (see Prometheus).
	OriginPrometheus = "prometheus"
)

// State is where an alert is in its life.
type State uint8

// The states of an alert: Inactive → Pending (the condition holds, for
// less than the rule's For) → Firing → Resolved (shown for a while, see
// Options.KeepResolved) → Inactive. With For zero an alert goes from
// Inactive straight to Firing; a pending alert whose condition stops
// holding goes back to Inactive.
const (
	Inactive State = iota
	Pending
	Firing
	Resolved
)

var stateNames = [...]string{"inactive", "pending", "firing", "resolved"}

// String returns "inactive", "pending", "firing" or "resolved".
func (s State) String() string {
	if int(s) < len(stateNames) {
		return stateNames[s]
	}
	return "unknown"
}

// ParseState is the inverse of State.String.
func ParseState(s string) (State, bool) {
	for i, n := range stateNames {
		if n == s {
			return State(i), true
		}
	}
	return Inactive, false
}

// Alert is one alert instance: a rule and one series (label set). Alerts
// returned by an Evaluator are copies; their maps are shared and must not
// be modified.
type Alert struct {
	// ID identifies the instance across polls and restarts: a hash of the
	// origin, source, rule name and series labels.
	ID string
	// Origin is OriginWallboard or OriginPrometheus.
	Origin string
	// Source is the layout source name the rule's expression is asked of
	// (the Prometheus the alert came from, for OriginPrometheus).
	Source string
	// Rule is the alert's name (the alertname label).
	Rule     string
	Severity string
	State    State
	// Labels are the series' labels plus the rule's, without alertname
	// and severity (they are Rule and Severity).
	Labels datasources.Labels
	// Annotations are the rule's: "summary", "description", "runbook_url".
	Annotations map[string]string
	// Expr is the rule's expression.
	Expr string
	// Value is the last value evaluated (NaN when unknown).
	Value float64
	// ActiveAt is when the condition started to hold (the start of
	// Pending, or of Firing when the rule has no For).
	ActiveAt time.Time
	// FiredAt is when the alert started firing (zero while pending).
	FiredAt time.Time
	// ResolvedAt is when a firing alert resolved (zero until then).
	ResolvedAt time.Time
	// LastEval is when the alert was last evaluated (or, for Prometheus
	// alerts, last fetched).
	LastEval time.Time
	// Acknowledged is set by Ack: the operator has seen it. It hides the
	// kiosk banner, not the alert; a new episode (after resolving) starts
	// unacknowledged.
	Acknowledged bool
	// Stale is set when the data the alert was last evaluated on could not
	// be refreshed (the source failed, or only old data came): the state
	// is kept as it was, not guessed.
	Stale bool
	// Dashboard and Widget are the panel the rule belongs to, if any.
	Dashboard, Widget string
}

// Since is when the alert entered its current episode's visible state:
// FiredAt for a firing or resolved alert, else ActiveAt.
func (a *Alert) Since() time.Time {
	if !a.FiredAt.IsZero() && (a.State == Firing || a.State == Resolved) {
		return a.FiredAt
	}
	return a.ActiveAt
}

// Summary is the summary annotation, or the rule name when there is none.
func (a *Alert) Summary() string {
	if s := a.Annotations["summary"]; s != "" {
		return s
	}
	return a.Rule
}

// Transition is one change of an alert's state, as kept in the history.
type Transition struct {
	// ID, Origin and Source identify the alert instance (see Alert).
	ID, Origin, Source string
	// Rule is the alert's name.
	Rule   string
	Labels datasources.Labels
	From   State
	To     State
	At     time.Time
	// Value is the value that caused the change (NaN when unknown).
	Value    float64
	Severity string
	// Dashboard and Widget are the panel the rule belongs to, if any.
	Dashboard, Widget string
}

// Period is a time during which an alert was firing: a region to draw on
// a time series (see Evaluator.FiringPeriods).
type Period struct {
	From, To time.Time
	Severity string
	// Name is the alert's name (its rule).
	Name string
	// ID and Labels tell the instances of one rule apart.
	ID     string
	Labels datasources.Labels
	// Open is set when the alert is still firing (To is then the end of
	// the range asked for).
	Open bool
}

// Level maps the period's severity to a threshold level (for
// charts.Annotation): critical and warning to theirs, info to LevelOK.
func (p *Period) Level() layouts.Level { return layouts.SeverityLevel(p.Severity) }

// Filter selects alerts. The zero Filter selects every pending or firing
// alert.
type Filter struct {
	// Severities keeps the alerts of these severities; empty: all.
	Severities []string
	// States keeps the alerts in these states; empty: Pending and Firing.
	States []State
	// Origin keeps one origin (OriginWallboard, OriginPrometheus); empty: both.
	Origin string
	// Source keeps the alerts of one source name; empty: all.
	Source string
	// Rule keeps the alerts of one rule (alert name); empty: all.
	Rule string
	// Dashboard and Widget keep the alerts of rules attached to that
	// dashboard (and widget); empty: any.
	Dashboard, Widget string
	// Unacknowledged drops acknowledged alerts (for the kiosk banner).
	Unacknowledged bool
}

// DisplayFilter is the filter of a layout's alert display settings: its
// severities (nil settings: all).
func DisplayFilter(d *layouts.AlertDisplay) Filter {
	if d == nil {
		return Filter{}
	}
	return Filter{Severities: slices.Clone(d.Severities)}
}

// Match reports whether a passes the filter.
func (f *Filter) Match(a *Alert) bool {
	if len(f.States) == 0 {
		if a.State != Pending && a.State != Firing {
			return false
		}
	} else if !slices.Contains(f.States, a.State) {
		return false
	}
	if f.Unacknowledged && a.Acknowledged {
		return false
	}
	return f.matchIdentity(a.Origin, a.Source, a.Rule, a.Severity, a.Dashboard, a.Widget)
}

// MatchTransition reports whether t belongs to an alert the filter
// selects, whatever its state (States and Unacknowledged play no part).
func (f *Filter) MatchTransition(t *Transition) bool {
	return f.matchIdentity(t.Origin, t.Source, t.Rule, t.Severity, t.Dashboard, t.Widget)
}

func (f *Filter) matchIdentity(origin, source, rule, severity, dashboard, widget string) bool {
	switch {
	case len(f.Severities) > 0 && !slices.Contains(f.Severities, severity),
		f.Origin != "" && f.Origin != origin,
		f.Source != "" && f.Source != source,
		f.Rule != "" && f.Rule != rule,
		f.Dashboard != "" && f.Dashboard != dashboard,
		f.Widget != "" && f.Widget != widget:
		return false
	}
	return true
}

// Sort orders alerts as an alert list shows them: most severe first, then
// the youngest (latest Since) first, then by rule name, labels and ID.
func Sort(as []Alert) {
	slices.SortStableFunc(as, func(a, b Alert) int {
		if c := cmp.Compare(layouts.SeverityRank(a.Severity), layouts.SeverityRank(b.Severity)); c != 0 {
			return c
		}
		if c := b.Since().Compare(a.Since()); c != 0 {
			return c
		}
		if c := strings.Compare(a.Rule, b.Rule); c != 0 {
			return c
		}
		if c := strings.Compare(a.Labels.String(), b.Labels.String()); c != 0 {
			return c
		}
		return strings.Compare(a.ID, b.ID)
	})
}

// alertID hashes what identifies an alert instance.
func alertID(origin, source, rule string, labels datasources.Labels) string {
	h := fnv.New64a()
	for _, s := range []string{origin, source, rule} {
		h.Write([]byte(s))
		h.Write([]byte{0})
	}
	names := make([]string, 0, len(labels))
	for k := range labels {
		names = append(names, k)
	}
	sort.Strings(names)
	for _, k := range names {
		h.Write([]byte(k))
		h.Write([]byte{1})
		h.Write([]byte(labels[k]))
		h.Write([]byte{0})
	}
	prefix := "w"
	if origin == OriginPrometheus {
		prefix = "p"
	}
	const hexdigits = "0123456789abcdef"
	v := h.Sum64()
	b := make([]byte, 0, 17)
	b = append(b, prefix[0])
	for i := 60; i >= 0; i -= 4 {
		b = append(b, hexdigits[(v>>uint(i))&0xf])
	}
	return string(b)
}

// Outranked drops from as the alerts that a worse firing alert of the same
// widget and series outranks (a CPU at 95% is one critical alert, not also
// a warning); alerts from explicit rules stand on their own. as is reused.
func Outranked(as []Alert) []Alert {
	key := func(al *Alert) string {
		if al.Widget == "" {
			return ""
		}
		return al.Dashboard + "\x00" + al.Widget + "\x00" + al.Labels.String()
	}
	worst := map[string]int{} // SeverityRank: lower is worse
	for i := range as {
		if k := key(&as[i]); k != "" && as[i].State == Firing {
			if r, ok := worst[k]; !ok || layouts.SeverityRank(as[i].Severity) < r {
				worst[k] = layouts.SeverityRank(as[i].Severity)
			}
		}
	}
	out := as[:0]
	for i := range as {
		if r, ok := worst[key(&as[i])]; ok && layouts.SeverityRank(as[i].Severity) > r {
			continue
		}
		out = append(out, as[i])
	}
	return out
}
