package alerts

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"math"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/wallboard/wallboard/datasources"
	"github.com/wallboard/wallboard/datasources/sim"
	"github.com/wallboard/wallboard/layouts"
)

// t0 is the fake clock's origin.
var t0 = time.Date(2026, 3, 2, 12, 0, 0, 0, time.UTC)

const step = 15 * time.Second

func quiet() *slog.Logger { return slog.New(slog.NewTextHandler(io.Discard, nil)) }

// one is a single series with one point, at now.
func one(labels datasources.Labels, v float64, now time.Time) []datasources.Series {
	return []datasources.Series{{Labels: labels, Points: []datasources.Point{{T: now.UnixMilli(), V: v}}}}
}

// brief renders transitions as "from>to@seconds" for comparison.
func brief(ts []Transition) string {
	parts := make([]string, len(ts))
	for i, t := range ts {
		parts[i] = fmt.Sprintf("%s>%s@%ds", t.From, t.To, int(t.At.Sub(t0)/time.Second))
	}
	return strings.Join(parts, " ")
}

// TestAlertLifecycle drives the evaluator with a fake clock: the state
// machine with for and hysteresis (a value hovering on the threshold does
// not flap), acknowledgement, staleness, expiry and firing periods, and a
// simulated incident that fires and resolves at the expected times.
func TestAlertLifecycle(t *testing.T) {
	t.Run("states", testStates)
	t.Run("clock", testClock)
	t.Run("simulator incident", testSimulatorIncident)
}

func testStates(t *testing.T) {
	tests := []struct {
		name   string
		rule   Rule
		values []float64 // one per 15 s step from t0
		want   string    // the transitions
		final  State     // the alert's state after the last value
	}{
		{
			name:   "for delays firing",
			rule:   Rule{Name: "r", Comparison: Above, Threshold: 10, For: time.Minute, Hysteresis: 0.5, Severity: "warning"},
			values: []float64{5, 12, 12, 12, 12, 12, 12, 5, 5},
			want:   "inactive>pending@15s pending>firing@75s firing>resolved@105s",
			final:  Resolved,
		},
		{
			name:   "pending interrupted starts again",
			rule:   Rule{Name: "r", Threshold: 10, For: 30 * time.Second, Severity: "warning"},
			values: []float64{12, 12, 5, 12, 12, 12, 12},
			want:   "inactive>pending@0s pending>inactive@30s inactive>pending@45s pending>firing@75s",
			final:  Firing,
		},
		{
			name:   "no for fires at once",
			rule:   Rule{Name: "r", Comparison: AboveOrEqual, Threshold: 10, Severity: "critical"},
			values: []float64{9, 10, 3},
			want:   "inactive>firing@15s firing>resolved@30s",
			final:  Resolved,
		},
		{
			name:   "hovering on the threshold does not flap",
			rule:   Rule{Name: "r", Threshold: 10, Hysteresis: 1, Severity: "warning"},
			values: []float64{10.2, 9.8, 10.1, 9.5, 10.3, 9.2, 10.05, 9.01, 8.9, 9.5},
			want:   "inactive>firing@0s firing>resolved@120s",
			final:  Resolved,
		},
		{
			name:   "without hysteresis it flaps",
			rule:   Rule{Name: "r", Threshold: 10, Severity: "warning"},
			values: []float64{10.2, 9.8, 10.1},
			want:   "inactive>firing@0s firing>resolved@15s resolved>firing@30s",
			final:  Firing,
		},
		{
			name:   "for and hysteresis: hovering keeps it firing",
			rule:   Rule{Name: "r", Threshold: 10, For: 30 * time.Second, Hysteresis: 1, Severity: "warning"},
			values: []float64{11, 11, 11, 9.9, 10.5, 9.5, 10.01, 8},
			want:   "inactive>pending@0s pending>firing@30s firing>resolved@105s",
			final:  Resolved,
		},
		{
			name:   "below with hysteresis",
			rule:   Rule{Name: "r", Comparison: Below, Threshold: 0.9, Hysteresis: 0.01, Severity: "critical"},
			values: []float64{0.95, 0.89, 0.905, 0.899, 0.909, 0.92},
			want:   "inactive>firing@15s firing>resolved@75s",
			final:  Resolved,
		},
		{
			name:   "a gap (NaN) resolves",
			rule:   Rule{Name: "r", Threshold: 10, Severity: "warning"},
			values: []float64{11, math.NaN()},
			want:   "inactive>firing@0s firing>resolved@15s",
			final:  Resolved,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ev := NewEvaluator(Options{Logger: quiet(), Now: func() time.Time { return t0 }})
			var seen []Transition
			ev.OnTransition(func(tr Transition) { seen = append(seen, tr) })
			for i, v := range tt.values {
				now := t0.Add(time.Duration(i) * step)
				ev.Observe(tt.rule, one(datasources.Labels{"region": "eu-west"}, v, now), now)
			}
			end := t0.Add(time.Hour)
			got := ev.History(Filter{}, t0.Add(-time.Hour), end)
			if brief(got) != tt.want {
				t.Errorf("transitions %s\nwant        %s", brief(got), tt.want)
			}
			if brief(seen) != tt.want {
				t.Errorf("OnTransition saw %s, want %s", brief(seen), tt.want)
			}
			all := ev.Active(Filter{States: []State{Pending, Firing, Resolved}})
			if len(all) != 1 || all[0].State != tt.final {
				t.Fatalf("alerts = %+v, want one %s", all, tt.final)
			}
			a := all[0]
			if a.Labels["region"] != "eu-west" || a.Rule != "r" || a.Origin != OriginWallboard || a.Severity != tt.rule.Severity {
				t.Errorf("alert = %+v", a)
			}
		})
	}
}

func testClock(t *testing.T) {
	r := Rule{Name: "cpu", Threshold: 90, For: time.Minute, Severity: "critical", Dashboard: "d", Widget: "w"}
	var changes atomic.Int32
	ev := NewEvaluator(Options{Logger: quiet(), KeepResolved: 2 * time.Minute})
	ev.OnChange(func() { changes.Add(1) })
	at := func(s int) time.Time { return t0.Add(time.Duration(s) * time.Second) }
	ev.Observe(r, one(nil, 95, at(0)), at(0))
	ev.Observe(r, one(nil, 95, at(59)), at(59))
	if got := ev.Active(Filter{}); len(got) != 1 || got[0].State != Pending || !got[0].ActiveAt.Equal(at(0)) {
		t.Fatalf("after 59s: %+v, want pending since 0s", got)
	}
	if w := ev.Worst(Filter{Dashboard: "d", Widget: "w", States: []State{Firing}}); w != "" {
		t.Errorf("Worst while pending = %q", w)
	}
	ev.Observe(r, one(nil, 96, at(60)), at(60))
	got := ev.Active(Filter{})
	if len(got) != 1 || got[0].State != Firing || !got[0].FiredAt.Equal(at(60)) || got[0].Value != 96 || !got[0].Since().Equal(at(60)) {
		t.Fatalf("after 60s: %+v, want firing since 60s", got)
	}
	if w := ev.Worst(Filter{Dashboard: "d", Widget: "w", States: []State{Firing}}); w != "critical" {
		t.Errorf("Worst = %q, want critical", w)
	}
	if changes.Load() == 0 {
		t.Error("OnChange never called")
	}
	// Ack hides it from the banner, not from the list.
	banner := Filter{Severities: []string{"critical"}, States: []State{Firing}, Unacknowledged: true}
	if n := ev.Count(banner); n != 1 {
		t.Fatalf("banner count = %d", n)
	}
	if !ev.Ack(got[0].ID) {
		t.Fatal("Ack did not find the alert")
	}
	if ev.Ack("w-nope") {
		t.Error("Ack of an unknown ID reported success")
	}
	if n := ev.Count(banner); n != 0 {
		t.Errorf("banner count after Ack = %d", n)
	}
	if l := ev.Active(Filter{}); len(l) != 1 || !l[0].Acknowledged {
		t.Errorf("list after Ack = %+v", l)
	}
	// A stale result keeps the state, marked stale.
	ev.ObserveResult(r, &datasources.Result{Stale: true, Err: datasources.ErrUnreachable}, at(75))
	if l := ev.Active(Filter{}); len(l) != 1 || l[0].State != Firing || !l[0].Stale {
		t.Errorf("after a stale result: %+v", l)
	}
	// Old data (a panel showing the past) is not evaluated either.
	ev.ObserveResult(r, &datasources.Result{Series: one(nil, 1, at(-3600)), Fetched: at(90)}, at(90))
	if l := ev.Active(Filter{}); len(l) != 1 || l[0].State != Firing {
		t.Errorf("after old data: %+v", l)
	}
	// An empty result resolves; the resolved alert is listed for KeepResolved.
	ev.ObserveResult(r, &datasources.Result{Fetched: at(105)}, at(105))
	if l := ev.Active(Filter{States: []State{Resolved}}); len(l) != 1 || !l[0].ResolvedAt.Equal(at(105)) || l[0].Stale {
		t.Fatalf("after an empty result: %+v", l)
	}
	ev.Observe(r, nil, at(105+119))
	if n := ev.Count(Filter{States: []State{Resolved}}); n != 1 {
		t.Errorf("resolved alert gone before KeepResolved")
	}
	ev.Observe(r, nil, at(105+120))
	if n := ev.Count(Filter{States: []State{Resolved, Firing, Pending}}); n != 0 {
		t.Errorf("resolved alert still listed after KeepResolved")
	}
	// A new episode starts unacknowledged.
	ev.Observe(r, one(nil, 99, at(300)), at(300))
	ev.Observe(r, one(nil, 99, at(360)), at(360))
	if l := ev.Active(Filter{}); len(l) != 1 || l[0].State != Firing || l[0].Acknowledged {
		t.Errorf("new episode: %+v", l)
	}
	periods := ev.FiringPeriods(Filter{Dashboard: "d", Widget: "w"}, at(0), at(400))
	want := []Period{{From: at(60), To: at(105)}, {From: at(360), To: at(400), Open: true}}
	if len(periods) != len(want) {
		t.Fatalf("periods = %+v", periods)
	}
	for i, p := range periods {
		if !p.From.Equal(want[i].From) || !p.To.Equal(want[i].To) || p.Open != want[i].Open || p.Severity != "critical" || p.Name != "cpu" || p.Level() != layouts.LevelCritical {
			t.Errorf("period %d = %+v, want %+v", i, p, want[i])
		}
	}
	if p := ev.FiringPeriods(Filter{Dashboard: "other"}, at(0), at(400)); len(p) != 0 {
		t.Errorf("periods of another dashboard: %+v", p)
	}
	if p := ev.FiringPeriods(Filter{}, at(70), at(80)); len(p) != 1 || !p[0].From.Equal(at(70)) || !p[0].To.Equal(at(80)) {
		t.Errorf("clipped period: %+v", p)
	}
}

func TestAlertsPerSeriesAndSorted(t *testing.T) {
	ev := NewEvaluator(Options{Logger: quiet()})
	warn := Rule{Name: "errors warning", Threshold: 0.05, Severity: "warning", Labels: map[string]string{"team": "audio"}}
	crit := Rule{Name: "errors critical", Threshold: 0.2, Severity: "critical"}
	series := func(now time.Time, vals map[string]float64) []datasources.Series {
		var out []datasources.Series
		for region, v := range vals {
			out = append(out, datasources.Series{Labels: datasources.Labels{"region": region, "__name__": "x"},
				Points: []datasources.Point{{T: now.Add(-step).UnixMilli(), V: 0}, {T: now.UnixMilli(), V: v}}})
		}
		return out
	}
	now := t0
	vals := map[string]float64{"us-east": 0.3, "eu-west": 0.06, "ap-south": 0.01}
	ev.Observe(warn, series(now, vals), now)
	ev.Observe(crit, series(now, vals), now)
	now = now.Add(step)
	vals["ap-south"] = 0.07
	ev.Observe(warn, series(now, vals), now)
	ev.Observe(crit, series(now, vals), now)

	got := ev.Active(Filter{})
	var names []string
	for _, a := range got {
		names = append(names, a.Rule+" "+a.Labels["region"])
		if _, ok := a.Labels["__name__"]; ok {
			t.Errorf("alert labels keep __name__: %v", a.Labels)
		}
	}
	want := "errors critical us-east|errors warning ap-south|errors warning eu-west|errors warning us-east"
	if strings.Join(names, "|") != want {
		t.Errorf("sorted alerts:\n%s\nwant\n%s", strings.Join(names, "|"), want)
	}
	if got[1].Labels["team"] != "audio" {
		t.Errorf("rule labels not added: %v", got[1].Labels)
	}
	if n := ev.Count(Filter{Severities: []string{"critical"}}); n != 1 {
		t.Errorf("critical count = %d", n)
	}
	ids := map[string]bool{}
	for _, a := range got {
		ids[a.ID] = true
	}
	if len(ids) != len(got) {
		t.Errorf("alert IDs not unique: %v", ids)
	}
	// Reductions follow the panel's.
	mean := Rule{Name: "mean", Threshold: 0.1, Reduce: layouts.ReduceMean, Severity: "info"}
	ev.Observe(mean, series(now, map[string]float64{"us-east": 0.3}), now)
	if n := ev.Count(Filter{Rule: "mean"}); n != 1 {
		t.Errorf("mean of (0, 0.3) = 0.15 > 0.1 should fire")
	}
	// SetRules drops the alerts of rules that are gone.
	ev.SetRules([]Rule{crit}, now.Add(step))
	if n := ev.Count(Filter{}); n != 1 {
		t.Errorf("after SetRules: %d alerts, want the critical one", n)
	}
	st := ev.Rules()
	if len(st) != 1 || st[0].Name != "errors critical" || st[0].State != Firing || st[0].Health != "ok" {
		t.Errorf("Rules() = %+v", st)
	}
}

// testSimulatorIncident evaluates an error-ratio rule over the simulator,
// at 15 s steps through one of its error bursts (and any other burst in
// the window): each fires within its burst, once the rule's for has
// passed, and resolves when the burst is over; no other region fires.
func testSimulatorIncident(t *testing.T) {
	s := sim.New(sim.DefaultSeed)
	defer s.Close()
	var inc *sim.Incident
	from := time.Date(2026, 1, 5, 0, 0, 0, 0, time.UTC)
	for _, in := range s.Incidents(from, from.Add(7*24*time.Hour)) {
		if in.Kind == sim.ErrorBurst && in.End.Sub(in.Start) >= 10*time.Minute {
			inc = &in
			break
		}
	}
	if inc == nil {
		t.Fatal("no error burst of 10 minutes or more in a week")
	}
	start, end := inc.Start.Add(-10*time.Minute), inc.End.Add(10*time.Minute)
	bursts := map[string]sim.Incident{}
	for _, in := range s.Incidents(start, end) {
		if in.Kind == sim.ErrorBurst {
			t.Logf("error burst in %s, %s to %s, intensity %.2f", in.Region, in.Start.Format(time.TimeOnly), in.End.Format(time.TimeOnly), in.Intensity)
			bursts[in.Region] = in
		}
	}
	rule := Rule{
		Name:       "error ratio",
		Expr:       `sum by (region) (rate(audio_request_errors_total[1m])) / sum by (region) (rate(audio_requests_total[1m]))`,
		Comparison: Above,
		Threshold:  0.05,
		For:        time.Minute,
		Hysteresis: DefaultHysteresis(0.05),
		Severity:   "critical",
	}
	ev := NewEvaluator(Options{Logger: quiet()})
	ctx := context.Background()
	for now := start; !now.After(end); now = now.Add(step) {
		res, err := s.Query(ctx, datasources.Query{Expr: rule.Expr, End: now, Instant: true})
		if err != nil {
			t.Fatal(err)
		}
		ev.ObserveResult(rule, res, now)
	}
	ts := ev.History(Filter{}, start, end)
	t.Logf("transitions: %s", briefAt(ts))
	type episode struct{ pending, firing, resolved time.Time }
	episodes := map[string]*episode{}
	for _, tr := range ts {
		region := tr.Labels["region"]
		if _, ok := bursts[region]; !ok {
			t.Errorf("an alert of a region without an error burst: %+v", tr)
			continue
		}
		ep := episodes[region]
		if ep == nil {
			ep = &episode{}
			episodes[region] = ep
		}
		var at *time.Time
		switch tr.To {
		case Pending:
			at = &ep.pending
		case Firing:
			at = &ep.firing
		case Resolved:
			at = &ep.resolved
		default:
			t.Errorf("unexpected transition %+v", tr)
			continue
		}
		if !at.IsZero() {
			t.Errorf("%s: flapped: %s twice", region, tr.To)
		}
		*at = tr.At
	}
	if episodes[inc.Region] == nil {
		t.Fatalf("the burst in %s did not fire", inc.Region)
	}
	for region, ep := range episodes {
		b := bursts[region]
		if b.Start.Before(start) || b.End.After(end.Add(-3*time.Minute)) {
			continue // not wholly in the window: its times cannot be checked
		}
		if ep.pending.IsZero() || ep.firing.IsZero() || ep.resolved.IsZero() {
			t.Errorf("%s: want pending, firing and resolved, got %+v", region, ep)
			continue
		}
		if ep.pending.Before(b.Start) || ep.pending.After(b.Start.Add(3*time.Minute)) {
			t.Errorf("%s: pending at %s, want within 3m of the start %s", region, ep.pending.Format(time.TimeOnly), b.Start.Format(time.TimeOnly))
		}
		if d := ep.firing.Sub(ep.pending); d < rule.For || d > rule.For+step {
			t.Errorf("%s: fired %s after pending, want the rule's for (%s)", region, d, rule.For)
		}
		if !ep.firing.Before(b.End) {
			t.Errorf("%s: fired at %s, after the burst ended (%s)", region, ep.firing.Format(time.TimeOnly), b.End.Format(time.TimeOnly))
		}
		// The burst ramps down over its last two minutes, but rate() looks
		// one minute back and the hysteresis holds it: these bursts
		// (intensities 0.24 and more) resolve after their end, promptly.
		if ep.resolved.Before(b.End) || ep.resolved.After(b.End.Add(2*time.Minute)) {
			t.Errorf("%s: resolved at %s, want within 2m after the end %s", region, ep.resolved.Format(time.TimeOnly), b.End.Format(time.TimeOnly))
		}
		periods := ev.FiringPeriods(Filter{Rule: rule.Name}, start, end)
		found := false
		for _, p := range periods {
			if p.Labels["region"] == region {
				found = p.From.Equal(ep.firing) && p.To.Equal(ep.resolved) && !p.Open
			}
		}
		if !found {
			t.Errorf("%s: firing periods %+v, want [%s, %s]", region, periods, ep.firing, ep.resolved)
		}
	}
}

func briefAt(ts []Transition) string {
	parts := make([]string, len(ts))
	for i, t := range ts {
		parts[i] = fmt.Sprintf("%s %s>%s@%s", t.Labels["region"], t.From, t.To, t.At.Format(time.TimeOnly))
	}
	return strings.Join(parts, ", ")
}
