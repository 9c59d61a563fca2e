package charts

import (
	"math"
	"regexp"
	"testing"
	"time"
)

func TestNiceStep(t *testing.T) {
	tests := []struct{ rough, want float64 }{
		{0.7, 1}, {1, 1}, {1.2, 2}, {3, 5}, {7, 10}, {0.013, 0.02}, {240, 500}, {0, 1}, {math.NaN(), 1},
	}
	for _, tt := range tests {
		if got := niceStep(tt.rough); math.Abs(got-tt.want) > 1e-12 {
			t.Errorf("niceStep(%v) = %v, want %v", tt.rough, got, tt.want)
		}
	}
}

// isNice reports whether step is 1, 2 or 5 times a power of ten.
func isNice(step float64) bool {
	p := math.Pow(10, math.Floor(math.Log10(step)))
	m := step / p
	for _, n := range []float64{1, 2, 5, 10} {
		if math.Abs(m-n) < 1e-9 {
			return true
		}
	}
	return false
}

func TestNiceRange(t *testing.T) {
	tests := []struct {
		name     string
		lo, hi   float64
		maxTicks int
		unit     string
		check    func(step float64) bool
	}{
		{"latency", 0, 0.95, 5, "s", isNice},
		{"percent", 12.5, 87.1, 6, "percent", isNice},
		{"negative", -42, 17, 5, "", isNice},
		{"tiny", 0.00012, 0.00019, 5, "", isNice},
		{"huge", 0, 3.2e12, 6, "short", isNice},
		{"bytes use binary units", 0, 30e9, 6, "bytes", func(s float64) bool {
			return isNice(s / (1 << 30))
		}},
		{"seconds use clock steps", 0, 5400, 6, "s", func(s float64) bool {
			for _, c := range secondSteps {
				if s == c {
					return true
				}
			}
			return false
		}},
		{"milliseconds use clock steps", 0, 5.4e6, 6, "ms", func(s float64) bool { return math.Mod(s, 60000) == 0 }},
		{"sub-second seconds", 0, 0.004, 5, "s", isNice},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ar := niceRange(tt.lo, tt.hi, tt.maxTicks, tt.unit, false, false)
			ticks := ar.ticks(nil)
			if ar.lo > tt.lo || ar.hi < tt.hi {
				t.Errorf("range [%v, %v] does not cover [%v, %v]", ar.lo, ar.hi, tt.lo, tt.hi)
			}
			if len(ticks) < 2 || len(ticks) > tt.maxTicks {
				t.Errorf("%d ticks %v, want 2..%d", len(ticks), ticks, tt.maxTicks)
			}
			if !tt.check(ar.step) {
				t.Errorf("step %v is not nice for %s", ar.step, tt.unit)
			}
			for _, v := range ticks {
				if r := v / ar.step; math.Abs(r-math.Round(r)) > 1e-6 {
					t.Errorf("tick %v not a multiple of %v", v, ar.step)
				}
			}
			labels := tickLabels(nil, new([]byte), ticks, tt.unit)
			if hasDup(labels) {
				t.Errorf("duplicate labels %q", labels)
			}
		})
	}
}

func TestNiceRangeDegenerate(t *testing.T) {
	tests := []struct {
		name             string
		lo, hi           float64
		fixedLo, fixedHi bool
	}{
		{"all equal", 50, 50, false, false},
		{"all zero", 0, 0, false, false},
		{"negative equal", -3, -3, false, false},
		{"NaN", math.NaN(), math.NaN(), false, false},
		{"Inf", math.Inf(-1), math.Inf(1), false, false},
		{"fixed equal", 10, 10, true, true},
		{"fixed lo", 0, 0, true, false},
		{"reversed", 9, 1, false, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ar := niceRange(tt.lo, tt.hi, 5, "", tt.fixedLo, tt.fixedHi)
			if !(ar.hi > ar.lo) || !finite(ar.lo) || !finite(ar.hi) || !(ar.step > 0) {
				t.Fatalf("bad range %+v", ar)
			}
			if finite(tt.lo) && tt.lo == tt.hi && (tt.lo < ar.lo || tt.lo > ar.hi) {
				t.Errorf("value %v outside %+v", tt.lo, ar)
			}
			if n := len(ar.ticks(nil)); n < 2 {
				t.Errorf("%d ticks", n)
			}
		})
	}
}

func TestTimeTicks(t *testing.T) {
	end := time.Date(2025, 11, 27, 14, 7, 0, 0, time.UTC)
	hhmm := regexp.MustCompile(`^([01]\d|2[0-3]):[0-5]\d$`)
	weekday := regexp.MustCompile(`^(Mon|Tue|Wed|Thu|Fri|Sat|Sun) \d{1,2}$`)
	month := regexp.MustCompile(`^(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d{1,2}$`)
	tests := []struct {
		span     time.Duration
		maxTicks int
		label    func(string) bool
	}{
		{5 * time.Minute, 6, hhmm.MatchString},
		{15 * time.Minute, 6, hhmm.MatchString},
		{time.Hour, 6, hhmm.MatchString},
		{6 * time.Hour, 6, hhmm.MatchString},
		{12 * time.Hour, 4, hhmm.MatchString},
		{24 * time.Hour, 6, func(s string) bool { return hhmm.MatchString(s) || weekday.MatchString(s) }},
		{2 * 24 * time.Hour, 6, func(s string) bool { return hhmm.MatchString(s) || weekday.MatchString(s) }},
		{7 * 24 * time.Hour, 6, weekday.MatchString},
		{30 * 24 * time.Hour, 6, month.MatchString},
		{90 * 24 * time.Hour, 5, month.MatchString},
	}
	for _, tt := range tests {
		t.Run(tt.span.String(), func(t *testing.T) {
			from := end.Add(-tt.span)
			ticks := timeTicks(nil, new([]byte), from, end, tt.maxTicks)
			if len(ticks) < 2 || len(ticks) > tt.maxTicks {
				t.Fatalf("%d ticks, want 2..%d: %v", len(ticks), tt.maxTicks, ticks)
			}
			var step time.Duration
			for i, tk := range ticks {
				if tk.t.Before(from) || tk.t.After(end) {
					t.Errorf("tick %v outside range", tk.t)
				}
				if !tt.label(tk.label) {
					t.Errorf("label %q not expected for a %v range", tk.label, tt.span)
				}
				if i > 0 {
					d := tk.t.Sub(ticks[i-1].t)
					if step != 0 && d != step {
						t.Errorf("uneven ticks: %v then %v", step, d)
					}
					step = d
				}
			}
			// Aligned: minute steps on the minute, hour steps on the hour,
			// day steps at midnight.
			first := ticks[0].t
			switch {
			case step >= 24*time.Hour:
				if first.Hour() != 0 || first.Minute() != 0 {
					t.Errorf("day tick not at midnight: %v", first)
				}
			case step >= time.Hour:
				if first.Minute() != 0 || first.Hour()%int(step/time.Hour) != 0 {
					t.Errorf("hour tick misaligned: %v (step %v)", first, step)
				}
			default:
				if first.Second() != 0 || first.Sub(first.Truncate(step)) != 0 {
					t.Errorf("minute tick misaligned: %v (step %v)", first, step)
				}
			}
		})
	}
	if got := timeTicks(nil, new([]byte), end, end, 5); len(got) != 0 {
		t.Errorf("empty range: %v", got)
	}
	// A time zone: ticks fall on the local clock.
	ny := time.FixedZone("EST", -5*3600)
	ticks := timeTicks(nil, new([]byte), end.Add(-6*time.Hour).In(ny), end.In(ny), 6)
	for _, tk := range ticks {
		if tk.t.In(ny).Minute() != 0 || !hhmm.MatchString(tk.label) {
			t.Errorf("local tick %v %q", tk.t, tk.label)
		}
	}
}
