package ui

import (
	"testing"
	"time"

	"github.com/wallboard/wallboard/layouts"
)

func TestZoomOutAndShift(t *testing.T) {
	now := fixedNow
	rel := func(from string) layouts.TimeRange { return layouts.TimeRange{From: from, To: "now"} }
	abs := func(from, to time.Time) layouts.TimeRange { return Absolute(from, to) }
	for _, tc := range []struct {
		name string
		op   func(layouts.TimeRange) (layouts.TimeRange, error)
		in   layouts.TimeRange
		want layouts.TimeRange
	}{
		{"zoom out relative", func(tr layouts.TimeRange) (layouts.TimeRange, error) { return ZoomOut(tr, now) }, rel("now-1h"), rel("now-2h")},
		{"zoom out 12h", func(tr layouts.TimeRange) (layouts.TimeRange, error) { return ZoomOut(tr, now) }, rel("now-12h"), rel("now-1d")},
		{"zoom out absolute, clamped at now", func(tr layouts.TimeRange) (layouts.TimeRange, error) { return ZoomOut(tr, now) },
			abs(now.Add(-time.Hour), now.Add(-30*time.Minute)), abs(now.Add(-75*time.Minute), now.Add(-15*time.Minute))},
		{"zoom out absolute near now is clamped", func(tr layouts.TimeRange) (layouts.TimeRange, error) { return ZoomOut(tr, now) },
			abs(now.Add(-10*time.Minute), now.Add(-2*time.Minute)), abs(now.Add(-16*time.Minute), now)},
		{"shift back", func(tr layouts.TimeRange) (layouts.TimeRange, error) { return Shift(tr, now, -1) },
			rel("now-1h"), abs(now.Add(-90*time.Minute), now.Add(-30*time.Minute))},
		{"shift forward to now follows the clock again", func(tr layouts.TimeRange) (layouts.TimeRange, error) { return Shift(tr, now, 1) },
			abs(now.Add(-90*time.Minute), now.Add(-30*time.Minute)), rel("now-1h")},
		{"shift forward in the past", func(tr layouts.TimeRange) (layouts.TimeRange, error) { return Shift(tr, now, 1) },
			abs(now.Add(-4*time.Hour), now.Add(-2*time.Hour)), abs(now.Add(-3*time.Hour), now.Add(-time.Hour))},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := tc.op(tc.in)
			if err != nil {
				t.Fatal(err)
			}
			if got != tc.want {
				t.Errorf("got %+v, want %+v", got, tc.want)
			}
		})
	}
	if got := ZoomTo(now, now.Add(-10*time.Second)); got != abs(now.Add(-35*time.Second), now.Add(25*time.Second)) {
		t.Errorf("ZoomTo of a 10s selection = %+v, want it widened to a minute", got)
	}
}
