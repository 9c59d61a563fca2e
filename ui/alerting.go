package ui

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/wallboard/wallboard/alerts"
	"github.com/wallboard/wallboard/charts"
	"github.com/wallboard/wallboard/wall"
)

// alertRows are a's alerts for an alert list, as the layout's display
// settings filter them (severities, when set, replace the layout's
// severity filter), sorted by severity then age.
func alertRows(a *wall.Alerting, severities []string) []charts.AlertRow {
	f := alerts.DisplayFilter(&a.Display)
	if severities != nil {
		f.Severities = severities
	}
	var rows []charts.AlertRow
	for _, al := range a.Active(f) {
		rows = append(rows, alertRow(a, al))
	}
	return rows
}

func alertRow(a *wall.Alerting, al alerts.Alert) charts.AlertRow {
	var labels []string
	for k, v := range al.Labels {
		if k != "__name__" && k != "alertname" {
			labels = append(labels, k+"="+v)
		}
	}
	value := charts.FormatValue(al.Value, "", nil)
	if d := a.Layout().Dashboard(al.Dashboard); d != nil {
		if w := d.Widget(al.Widget); w != nil {
			value = charts.FormatWidget(w, al.Value)
		}
	}
	origin := al.Origin
	if al.Source != "" {
		origin += " · " + al.Source
	}
	if al.State == alerts.Pending {
		origin += " · pending"
	}
	slices.Sort(labels)
	return charts.AlertRow{Severity: al.Severity, Name: al.Rule, Labels: strings.Join(labels, ", "), Value: value, Since: al.Since(), Origin: origin}
}

// alertAnnotations are the firing periods of a widget's rules in [from,
// to], for drawing on its time series.
func alertAnnotations(a *wall.Alerting, dash, widget string, from, to time.Time) []charts.Annotation {
	var out []charts.Annotation
	for _, p := range a.FiringPeriods(dash, widget, from, to) {
		out = append(out, charts.Annotation{From: p.From, To: p.To, Level: p.Level(), Text: p.Severity})
	}
	return out
}

// Describe is one line about an alert for the banner.
func Describe(al alerts.Alert, now time.Time) string {
	s := fmt.Sprintf("%s: %s", strings.ToUpper(al.Severity), al.Rule)
	if sum := al.Annotations["summary"]; sum != "" {
		s += " (" + sum + ")"
	}
	return s + " for " + Age(now.Sub(al.Since()))
}
