package charts

import (
	"math"
	"time"
)

// niceStep is the smallest 1-2-5 multiple of a power of ten >= rough.
func niceStep(rough float64) float64 {
	if !(rough > 0) || math.IsInf(rough, 0) {
		return 1
	}
	p := math.Pow(10, math.Floor(math.Log10(rough)))
	for _, m := range [...]float64{1, 2, 5, 10} {
		if s := m * p; s >= rough*(1-1e-9) {
			return s
		}
	}
	return 10 * p
}

// secondSteps are nice steps for durations, in seconds.
var secondSteps = []float64{
	1, 2, 5, 10, 15, 30,
	60, 120, 300, 600, 900, 1800,
	3600, 7200, 3 * 3600, 6 * 3600, 12 * 3600,
	86400, 2 * 86400, 7 * 86400, 14 * 86400, 30 * 86400, 90 * 86400, 365 * 86400,
}

// unitStep is a nice tick step >= rough for values in unit: 1-2-5 in the
// unit's own scale, binary multiples for bytes, and minutes/hours for
// durations of a minute or more.
func unitStep(rough float64, unit string) float64 {
	switch unit {
	case "bytes":
		if rough >= 1024 {
			u := math.Pow(1024, math.Floor(math.Log(rough)/math.Log(1024)))
			return niceStep(rough/u) * u
		}
	case "s", "ms":
		f := 1.0
		if unit == "ms" {
			f = 1000
		}
		if rough/f >= 1 {
			for _, s := range secondSteps {
				if s*f >= rough*(1-1e-9) {
					return s * f
				}
			}
		}
	}
	return niceStep(rough)
}

// axisRange is a value axis: ticks at lo, lo+step, ... <= hi.
type axisRange struct {
	lo, hi, step float64
}

// niceRange chooses a step for about maxTicks ticks over [lo, hi] and,
// unless fixedLo/fixedHi, widens lo/hi to multiples of it. A degenerate or
// non-finite range is widened around its value.
func niceRange(lo, hi float64, maxTicks int, unit string, fixedLo, fixedHi bool) axisRange {
	if !finite(lo) && !finite(hi) {
		lo, hi = 0, 1
	} else if !finite(lo) {
		lo = hi - 1
	} else if !finite(hi) {
		hi = lo + 1
	}
	if lo > hi {
		lo, hi = hi, lo
	}
	if hi-lo <= 1e-12*max(math.Abs(lo), math.Abs(hi)) {
		v := lo
		d := math.Abs(v) * 0.1
		if d == 0 {
			d = 1
		}
		switch {
		case fixedLo:
			hi = lo + d
		case fixedHi:
			lo = hi - d
		case v == 0:
			lo, hi = 0, 1
		default:
			lo, hi = v-d, v+d
		}
	}
	maxTicks = max(maxTicks, 2)
	step := unitStep((hi-lo)/float64(maxTicks-1), unit)
	// widening may add a tick: take the next step up if so.
	for range 4 {
		l, h := lo, hi
		if !fixedLo {
			l = math.Floor(lo/step+1e-9) * step
			if l > lo { // rounding: keep the data's own bound
				l = lo
			}
		}
		if !fixedHi {
			h = math.Ceil(hi/step-1e-9) * step
			if h < hi {
				h = hi
			}
		}
		if n := math.Floor((h-l)/step+1e-9) + 1; n <= float64(maxTicks) || math.IsInf(n, 0) {
			lo, hi = l, h
			break
		}
		step = unitStep(step*1.01, unit)
	}
	return axisRange{lo, hi, step}
}

// ticks appends the tick values of a to dst[:0].
func (a axisRange) ticks(dst []float64) []float64 {
	dst = dst[:0]
	if !(a.step > 0) || !finite(a.lo) || !finite(a.hi) {
		return dst
	}
	first := math.Ceil(a.lo/a.step-1e-9) * a.step
	for i := 0; i < 64; i++ {
		v := first + float64(i)*a.step
		if v > a.hi+a.step*1e-9 {
			break
		}
		if math.Abs(v) < a.step*1e-9 {
			v = 0
		}
		dst = append(dst, v)
	}
	return dst
}

// tickLabels formats ticks as FormatValue does in unit, into the arena a,
// adding decimals until neighbouring labels differ.
func tickLabels(dst []string, a *[]byte, ticks []float64, unit string) []string {
	dst = dst[:0]
	for _, v := range ticks {
		start := len(*a)
		*a, _, _ = appendValue(*a, v, unit, nil)
		dst = append(dst, viewFrom(*a, start))
	}
	for d := 1; d <= 6 && hasDup(dst); d++ {
		dst = dst[:0]
		for _, v := range ticks {
			start := len(*a)
			*a, _, _ = appendValue(*a, v, unit, &d)
			dst = append(dst, viewFrom(*a, start))
		}
	}
	return dst
}

func hasDup(s []string) bool {
	for i := 1; i < len(s); i++ {
		if s[i] == s[i-1] {
			return true
		}
	}
	return false
}

// timeSteps are the candidate steps of a time axis.
var timeSteps = []time.Duration{
	10 * time.Second, 15 * time.Second, 30 * time.Second,
	time.Minute, 2 * time.Minute, 5 * time.Minute, 10 * time.Minute, 15 * time.Minute, 30 * time.Minute,
	time.Hour, 2 * time.Hour, 3 * time.Hour, 6 * time.Hour, 12 * time.Hour,
	24 * time.Hour, 2 * 24 * time.Hour, 7 * 24 * time.Hour, 14 * 24 * time.Hour, 28 * 24 * time.Hour,
}

const day = 24 * time.Hour

// timeTick is one tick of a time axis.
type timeTick struct {
	t     time.Time
	label string
}

// timeTicks chooses at most maxTicks ticks over [from, to] at a nice step,
// aligned in from's location (minutes and hours on the clock, days at
// midnight, weeks on Mondays), and labels them: "15:04" under a day
// ("15:04:05" under a minute), but "Mon 2" at midnight when the range
// spans days; "Mon 2" for day steps up to two weeks; "Jan 2" beyond.
//
// Labels are formatted into the arena a.
func timeTicks(dst []timeTick, a *[]byte, from, to time.Time, maxTicks int) []timeTick {
	dst = dst[:0]
	span := to.Sub(from)
	if span <= 0 {
		return dst
	}
	maxTicks = max(maxTicks, 2)
	step := timeSteps[len(timeSteps)-1]
	for _, s := range timeSteps {
		if int(span/s) <= maxTicks-1 || span/s < 1 {
			step = s
			break
		}
	}
	if span/step > time.Duration(maxTicks) { // longer than the table covers
		step = span / time.Duration(maxTicks-1)
	}
	loc := from.Location()
	y, mo, d := from.In(loc).Date()
	midnight := time.Date(y, mo, d, 0, 0, 0, 0, loc)
	multiDay := span > 26*time.Hour || from.In(loc).Day() != to.In(loc).Day()
	var t time.Time
	if step < day {
		off := from.Sub(midnight)
		t = midnight.Add((off + step - 1) / step * step)
	} else {
		t = midnight
		if step >= 7*day {
			for t.Weekday() != time.Monday {
				t = t.AddDate(0, 0, 1)
			}
		}
		for t.Before(from) {
			t = t.AddDate(0, 0, int(step/day))
		}
	}
	for i := 0; !t.After(to) && i < 64; i++ {
		lt := t.In(loc)
		layout := "Jan 2"
		switch {
		case step < time.Minute:
			layout = "15:04:05"
		case step < day:
			if multiDay && lt.Hour() == 0 && lt.Minute() == 0 {
				layout = "Mon 2"
			} else {
				layout = "15:04"
			}
		case span <= 15*day:
			layout = "Mon 2"
		}
		start := len(*a)
		*a = lt.AppendFormat(*a, layout)
		dst = append(dst, timeTick{t, viewFrom(*a, start)})
		if step < day {
			t = t.Add(step)
		} else {
			t = t.AddDate(0, 0, int(step/day))
		}
	}
	return dst
}
