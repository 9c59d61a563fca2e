package charts

import (
	"math"
	"slices"
	"time"

	"github.com/wallboard/wallboard/datasources"
)

func finite(v float64) bool { return !math.IsNaN(v) && !math.IsInf(v, 0) }

// Lines break where consecutive samples are more than gapSteps steps
// apart: a gap on screen is a gap in the data (Grafana's "connect null
// values" threshold), never a straight line across an outage.
const gapSteps = 2

// stepSample is how many sample spacings medianStep looks at, spread
// evenly over a series: enough for a robust median, few enough to sort in
// a microsecond on every draw.
const stepSample = 63

// medianStep returns the median spacing, in milliseconds, between
// consecutive samples of pts (in time order), from at most stepSample
// spacings spread evenly over the series; the lower median of an even
// count. It is 0 when pts has no two samples at distinct times. A hole in
// the data is one long spacing, so it does not move the median.
func medianStep(pts []datasources.Point) int64 {
	n := len(pts) - 1
	if n < 1 {
		return 0
	}
	var buf [stepSample]int64
	d := buf[:0]
	if n <= stepSample {
		for i := 0; i < n; i++ {
			if dt := pts[i+1].T - pts[i].T; dt > 0 {
				d = append(d, dt)
			}
		}
	} else {
		for k := 0; k < stepSample; k++ {
			i := k * n / stepSample
			if dt := pts[i+1].T - pts[i].T; dt > 0 {
				d = append(d, dt)
			}
		}
	}
	if len(d) == 0 {
		return 0
	}
	slices.Sort(d)
	return d[(len(d)-1)/2]
}

// gapLimit is the longest spacing, in milliseconds, between two
// consecutive samples of pts that a line joins: gapSteps times the
// series' step, the longer of step (the query's resolution, when known)
// and the series' median spacing, so that neither a too fine Step nor a
// few close samples break a regular series everywhere. It is
// math.MaxInt64 (never break) when there is no step to go by.
func gapLimit(pts []datasources.Point, step time.Duration) int64 {
	st := max(medianStep(pts), step.Milliseconds())
	if st <= 0 {
		return math.MaxInt64
	}
	return gapSteps * st
}

// MinMax reduces src (in time order) to what a chart needs to draw it
// columns pixels wide over [from, to] (Unix milliseconds): per pixel column
// the minimum and the maximum point, in their time order, so every spike
// survives. It keeps the last point before from and the first after to (a
// line enters and leaves the plot at the right slope) and marks gaps with
// one NaN point each: a run of non-finite values (NaN, ±Inf), and a
// spacing between consecutive samples of more than twice the series' step
// (its median spacing), so a hole in the data is never bridged, not even
// inside one column. So the result has at most two finite points per
// column between gaps. It appends to dst[:0] and returns it; src is not
// modified.
func MinMax(dst, src []datasources.Point, from, to int64, columns int) []datasources.Point {
	return minMax(dst, src, from, to, columns, gapLimit(src, 0))
}

// minMax is MinMax breaking lines where consecutive samples are more than
// limit ms apart.
func minMax(dst, src []datasources.Point, from, to int64, columns int, limit int64) []datasources.Point {
	dst = dst[:0]
	if len(src) == 0 {
		return dst
	}
	if columns < 1 || to <= from {
		return appendFinite(dst, src, limit)
	}
	span := float64(to - from)
	cols := float64(columns)
	// first: the last point before from.
	i := 0
	for i < len(src) && src[i].T < from {
		i++
	}
	var prevT int64
	havePrev := false
	if i > 0 {
		p := src[i-1]
		dst = appendGapAware(dst, p)
		prevT, havePrev = p.T, finite(p.V)
	}
	col := -1
	var lo, hi datasources.Point
	have := false
	flush := func() {
		if !have {
			return
		}
		switch {
		case lo.T == hi.T:
			dst = append(dst, lo)
		case lo.T < hi.T:
			dst = append(dst, lo, hi)
		default:
			dst = append(dst, hi, lo)
		}
		have = false
	}
	for ; i < len(src); i++ {
		p := src[i]
		ok := finite(p.V)
		if ok && havePrev && p.T-prevT > limit {
			// A hole: end what is pending and break, even within a column.
			flush()
			dst = appendBreak(dst, prevT+(p.T-prevT)/2)
		}
		prevT, havePrev = p.T, ok
		if p.T > to {
			flush()
			dst = appendGapAware(dst, p)
			return dst
		}
		if !ok {
			flush()
			dst = appendBreak(dst, p.T)
			continue
		}
		c := int(float64(p.T-from) / span * cols)
		if c >= columns {
			c = columns - 1
		}
		if c != col {
			flush()
			col = c
		}
		if !have {
			lo, hi, have = p, p, true
			continue
		}
		if p.V < lo.V {
			lo = p
		}
		if p.V > hi.V {
			hi = p
		}
	}
	flush()
	return dst
}

// appendBreak appends a NaN point at t unless dst ends with one.
func appendBreak(dst []datasources.Point, t int64) []datasources.Point {
	if n := len(dst); n > 0 && math.IsNaN(dst[n-1].V) {
		return dst
	}
	return append(dst, datasources.Point{T: t, V: math.NaN()})
}

func appendGapAware(dst []datasources.Point, p datasources.Point) []datasources.Point {
	if !finite(p.V) {
		return appendBreak(dst, p.T)
	}
	return append(dst, p)
}

// appendFinite appends src with gaps marked as MinMax marks them: runs of
// non-finite values, and spacings of more than limit ms.
func appendFinite(dst, src []datasources.Point, limit int64) []datasources.Point {
	for i, p := range src {
		if i > 0 && finite(p.V) && finite(src[i-1].V) && p.T-src[i-1].T > limit {
			dst = appendBreak(dst, src[i-1].T+(p.T-src[i-1].T)/2)
		}
		dst = appendGapAware(dst, p)
	}
	return dst
}

// LTTB reduces src (in time order) to about threshold points with
// Largest-Triangle-Three-Buckets, which keeps the visual shape, spikes
// included. Gaps split src into runs that are reduced separately (each in
// proportion to its length) and are kept as one NaN point between them:
// runs of non-finite values, and spacings of more than twice the series'
// step (its median spacing), as in MinMax. It appends to dst[:0] and
// returns it.
func LTTB(dst, src []datasources.Point, threshold int) []datasources.Point {
	dst = dst[:0]
	limit := gapLimit(src, 0)
	total := 0
	for _, p := range src {
		if finite(p.V) {
			total++
		}
	}
	if threshold < 3 || total <= threshold {
		return appendFinite(dst, src, limit)
	}
	start := -1
	reduce := func(end int) {
		run := src[start:end]
		n := int(math.Round(float64(threshold) * float64(len(run)) / float64(total)))
		dst = lttbRun(dst, run, max(n, min(len(run), 2)))
	}
	for i := 0; i <= len(src); i++ {
		ok := i < len(src) && finite(src[i].V)
		if ok && start >= 0 && src[i].T-src[i-1].T > limit {
			// A hole: the run ends before i and the next starts at i.
			reduce(i)
			dst = appendBreak(dst, src[i-1].T+(src[i].T-src[i-1].T)/2)
			start = i
			continue
		}
		if ok {
			if start < 0 {
				start = i
			}
			continue
		}
		if start >= 0 {
			reduce(i)
			start = -1
		}
		if i < len(src) {
			dst = appendGapAware(dst, src[i])
		}
	}
	return dst
}

// lttbRun is LTTB on finite points.
func lttbRun(dst, src []datasources.Point, n int) []datasources.Point {
	if n >= len(src) || n < 3 {
		if n >= len(src) {
			return append(dst, src...)
		}
		// two points: the ends would lose a spike; keep min and max instead.
		lo, hi := 0, 0
		for i, p := range src {
			if p.V < src[lo].V {
				lo = i
			}
			if p.V > src[hi].V {
				hi = i
			}
		}
		if n == 1 {
			return append(dst, src[hi])
		}
		if lo > hi {
			lo, hi = hi, lo
		}
		return append(dst, src[lo], src[hi])
	}
	every := float64(len(src)-2) / float64(n-2)
	a := 0
	dst = append(dst, src[0])
	for i := 0; i < n-2; i++ {
		// average of the next bucket
		ns := int(float64(i+1)*every) + 1
		ne := min(int(float64(i+2)*every)+1, len(src))
		var ax, ay float64
		for j := ns; j < ne; j++ {
			ax += float64(src[j].T)
			ay += src[j].V
		}
		if m := float64(ne - ns); m > 0 {
			ax /= m
			ay /= m
		} else {
			ax, ay = float64(src[len(src)-1].T), src[len(src)-1].V
		}
		bs := int(float64(i)*every) + 1
		be := int(float64(i+1)*every) + 1
		px, py := float64(src[a].T), src[a].V
		best, bestArea := bs, -1.0
		for j := bs; j < be; j++ {
			area := math.Abs((px-ax)*(src[j].V-py) - (px-float64(src[j].T))*(ay-py))
			if area > bestArea {
				best, bestArea = j, area
			}
		}
		dst = append(dst, src[best])
		a = best
	}
	return append(dst, src[len(src)-1])
}
