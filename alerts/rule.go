package alerts

import (
	"fmt"
	"maps"
	"math"
	"strings"
	"time"

	"github.com/wallboard/wallboard/layouts"
)

// Comparison operators of a Rule.
const (
	Above        = ">"
	AboveOrEqual = ">="
	Below        = "<"
	BelowOrEqual = "<="
)

// DefaultHysteresisFraction is the hysteresis a rule from a layout gets
// when the layout sets none: 5% of the threshold's magnitude.
const DefaultHysteresisFraction = 0.05

// DefaultHysteresis is the hysteresis band of a threshold when none is
// given: DefaultHysteresisFraction of |threshold| (0 for a zero threshold).
func DefaultHysteresis(threshold float64) float64 {
	return math.Abs(threshold) * DefaultHysteresisFraction
}

// Rule is one alert rule, evaluated locally on the data the panels show.
// A Rule is a value: evaluation never modifies it.
type Rule struct {
	// Name identifies the rule (it must be unique among the rules fed to
	// one Evaluator) and is the alerts' name (their alertname label).
	Name string
	// Expr is the watched expression (PromQL for the simulator and
	// Prometheus), as written in the layout: dashboard variables ($region)
	// are expanded by whoever queries it.
	Expr string
	// Source is the layout source name Expr is asked of.
	Source string
	// Comparison is one of >, >=, < or <= (Above, AboveOrEqual, Below,
	// BelowOrEqual); empty means >.
	Comparison string
	// Threshold is the value compared with.
	Threshold float64
	// For is how long the condition must hold, continuously, before the
	// alert fires: until then it is pending. Zero fires at once.
	For time.Duration
	// Hysteresis is an absolute band, in the value's own units: a firing
	// alert of a rule "> T" resolves only once the value is no longer
	// above T - Hysteresis (of "< T": below T + Hysteresis), so a value
	// hovering on the threshold does not flap. Zero: no band. Rules from
	// a layout get DefaultHysteresis unless the layout says otherwise.
	Hysteresis float64
	// Reduce is how a series becomes the one value compared: "" or "last"
	// (its newest point, the default), "mean", "max", "min" or "sum" over
	// the points given (layouts.Reductions), like the panel it came from.
	Reduce string
	// Severity is "info", "warning" or "critical" (layouts.Severities).
	Severity string
	// Labels are added to the labels of every alert of the rule.
	Labels map[string]string
	// Annotations describe the rule's alerts: "summary", "description",
	// "runbook_url".
	Annotations map[string]string
	// Dashboard and Widget are where the rule came from (a widget's
	// thresholds) or what it is attached to; empty for free rules.
	Dashboard, Widget string
}

// Condition reports whether v breaks the rule's threshold.
func (r *Rule) Condition(v float64) bool { return r.compare(v, r.Threshold) }

// Holds reports whether v keeps a firing alert firing: v still breaks the
// threshold moved back by the hysteresis band.
func (r *Rule) Holds(v float64) bool {
	t := r.Threshold
	h := math.Abs(r.Hysteresis)
	if math.IsNaN(h) || math.IsInf(h, 0) {
		h = 0
	}
	if r.below() {
		t += h
	} else {
		t -= h
	}
	return r.compare(v, t)
}

func (r *Rule) below() bool { return r.Comparison == Below || r.Comparison == BelowOrEqual }

func (r *Rule) compare(v, t float64) bool {
	if math.IsNaN(v) {
		return false
	}
	switch r.Comparison {
	case AboveOrEqual:
		return v >= t
	case Below:
		return v < t
	case BelowOrEqual:
		return v <= t
	}
	return v > t
}

// String describes the condition, e.g. "sum(rate(x[1m])) > 5 for 1m0s".
func (r *Rule) String() string {
	cmp := r.Comparison
	if cmp == "" {
		cmp = Above
	}
	s := fmt.Sprintf("%s %s %g", r.Expr, cmp, r.Threshold)
	if r.For > 0 {
		s += " for " + layouts.Duration(r.For).String()
	}
	return s
}

// comparisonOf maps a layout comparison to an operator.
func comparisonOf(c string) string {
	switch c {
	case "", layouts.ComparisonAbove:
		return Above
	case layouts.ComparisonBelow:
		return Below
	}
	return c
}

// ThresholdRuleName is the name of the rule a widget's threshold of the
// given severity implies: "<dashboard>/<widget> <severity>".
func ThresholdRuleName(dashboard, widget, severity string) string {
	return dashboard + "/" + widget + " " + severity
}

// RulesFromLayout returns the rules of a layout: first, for every widget
// with thresholds and a query, one rule per level set (warning, critical)
// on the widget's first query, named by ThresholdRuleName, with the
// comparison the panel colours by (>= for direction "above", <= for
// "below"), no `for`, DefaultHysteresis and the widget's reduction; then
// the layout's explicit rules, with their defaults applied (comparison >,
// severity warning, hysteresis DefaultHysteresis; an empty expr watches
// the named widget's first query). Sources are resolved to names: empty
// means the widget's source, else the layout's first source, else ""
// (the simulator). The layout is assumed valid (layouts.Validate); rules
// that cannot be made sense of are skipped.
func RulesFromLayout(l *layouts.Layout) []Rule {
	if l == nil {
		return nil
	}
	defaultSource := ""
	if len(l.Sources) > 0 {
		defaultSource = l.Sources[0].Name
	}
	sourceOf := func(w *layouts.Widget) string {
		if w != nil && w.Source != "" {
			return w.Source
		}
		return defaultSource
	}
	var rules []Rule
	for di := range l.Dashboards {
		d := &l.Dashboards[di]
		for wi := range d.Widgets {
			w := &d.Widgets[wi]
			t := w.Thresholds
			if t == nil || len(w.Queries) == 0 || !layouts.IsDataKind(w.Type) || strings.TrimSpace(w.Queries[0].Expr) == "" {
				continue
			}
			cmp, words := AboveOrEqual, "at or above"
			if t.Direction == layouts.DirectionBelow {
				cmp, words = BelowOrEqual, "at or below"
			}
			title := w.Title
			if title == "" {
				title = w.ID
			}
			reduce := ""
			if layouts.Reduces(w.Type) {
				reduce = w.Reduce
			}
			for _, lv := range []struct {
				severity string
				limit    *float64
			}{{layouts.SeverityWarning, t.Warning}, {layouts.SeverityCritical, t.Critical}} {
				if lv.limit == nil || math.IsNaN(*lv.limit) {
					continue
				}
				rules = append(rules, Rule{
					Name:       ThresholdRuleName(d.ID, w.ID, lv.severity),
					Expr:       w.Queries[0].Expr,
					Source:     sourceOf(w),
					Comparison: cmp,
					Threshold:  *lv.limit,
					Hysteresis: DefaultHysteresis(*lv.limit),
					Reduce:     reduce,
					Severity:   lv.severity,
					Annotations: map[string]string{
						"summary": fmt.Sprintf("%s is %s its %s threshold (%g)", title, words, lv.severity, *lv.limit),
					},
					Dashboard: d.ID,
					Widget:    w.ID,
				})
			}
		}
	}
	for _, ar := range l.Rules {
		if ar.Name == "" || ar.Value == nil {
			continue
		}
		var w *layouts.Widget
		if ar.Dashboard != "" && ar.Widget != "" {
			w = findWidget(l, ar.Dashboard, ar.Widget)
		}
		expr := ar.Expr
		reduce := ""
		if strings.TrimSpace(expr) == "" {
			if w == nil || len(w.Queries) == 0 {
				continue
			}
			expr = w.Queries[0].Expr
			if layouts.Reduces(w.Type) {
				reduce = w.Reduce
			}
		}
		source := ar.Source
		if source == "" {
			source = sourceOf(w)
		}
		h := DefaultHysteresis(*ar.Value)
		if ar.Hysteresis != nil {
			h = *ar.Hysteresis
		}
		sev := ar.Severity
		if sev == "" {
			sev = layouts.SeverityWarning
		}
		rules = append(rules, Rule{
			Name:        ar.Name,
			Expr:        expr,
			Source:      source,
			Comparison:  comparisonOf(ar.Comparison),
			Threshold:   *ar.Value,
			For:         ar.For.D(),
			Hysteresis:  h,
			Reduce:      reduce,
			Severity:    sev,
			Labels:      maps.Clone(ar.Labels),
			Annotations: maps.Clone(ar.Annotations),
			Dashboard:   ar.Dashboard,
			Widget:      ar.Widget,
		})
	}
	return rules
}

func findWidget(l *layouts.Layout, dashboard, widget string) *layouts.Widget {
	return l.Dashboard(dashboard).Widget(widget)
}
