package ui

import (
	"fmt"
	"strings"
	"time"

	"github.com/wallboard/wallboard/layouts"
	"github.com/wallboard/wallboard/wall"
)

// Absolute is the time range [from, to] written as RFC 3339 bounds.
func Absolute(from, to time.Time) layouts.TimeRange {
	return layouts.TimeRange{From: from.UTC().Format(time.RFC3339), To: to.UTC().Format(time.RFC3339)}
}

// ZoomOut doubles a range around its middle. A relative range stays
// relative ("now-1h" becomes "now-2h"); an absolute one never reaches past now.
func ZoomOut(tr layouts.TimeRange, now time.Time) (layouts.TimeRange, error) {
	from, to, err := tr.Resolve(now)
	if err != nil {
		return tr, err
	}
	span := to.Sub(from)
	if wall.IsLive(tr) {
		return layouts.TimeRange{From: "now-" + shortDuration(2*span), To: "now"}, nil
	}
	mid := from.Add(span / 2)
	from, to = mid.Add(-span), mid.Add(span)
	if to.After(now) {
		from, to = from.Add(-to.Sub(now)), now
	}
	return Absolute(from, to), nil
}

// Shift moves a range by half its span: back when dir < 0, forward when
// dir > 0. Moving forward stops at now, where the range becomes relative
// again so it follows the clock.
func Shift(tr layouts.TimeRange, now time.Time, dir int) (layouts.TimeRange, error) {
	from, to, err := tr.Resolve(now)
	if err != nil {
		return tr, err
	}
	span := to.Sub(from)
	d := span / 2
	if dir < 0 {
		d = -d
	}
	from, to = from.Add(d), to.Add(d)
	if !to.Before(now) {
		return layouts.TimeRange{From: "now-" + shortDuration(span), To: "now"}, nil
	}
	return Absolute(from, to), nil
}

// ZoomTo is the absolute range an operator selected by dragging across a
// graph; a selection narrower than a minute is widened to one.
func ZoomTo(a, b time.Time) layouts.TimeRange {
	if b.Before(a) {
		a, b = b, a
	}
	if b.Sub(a) < time.Minute {
		mid := a.Add(b.Sub(a) / 2)
		a, b = mid.Add(-30*time.Second), mid.Add(30*time.Second)
	}
	return Absolute(a.Truncate(time.Second), b.Truncate(time.Second))
}

// shortDuration writes d the way time ranges are written: "90m", "2h", "14d".
func shortDuration(d time.Duration) string {
	switch {
	case d%(24*time.Hour) == 0:
		return fmt.Sprintf("%dd", d/(24*time.Hour))
	case d%time.Hour == 0:
		return fmt.Sprintf("%dh", d/time.Hour)
	case d%time.Minute == 0:
		return fmt.Sprintf("%dm", d/time.Minute)
	}
	return strings.TrimSuffix(d.Round(time.Second).String(), "0s")
}
