package charts

import (
	"math"

	"github.com/wallboard/wallboard/datasources"
)

func finite(v float64) bool { return !math.IsNaN(v) && !math.IsInf(v, 0) }

// MinMax reduces src (in time order) to what a chart needs to draw it
// columns pixels wide over [from, to] (Unix milliseconds): per pixel column
// the minimum and the maximum point, in their time order, so every spike
// survives. It keeps the last point before from and the first after to (a
// line enters and leaves the plot at the right slope) and marks gaps: a
// run of non-finite values (NaN, ±Inf) becomes one NaN point. So the
// result has at most two finite points per column between gaps. It
// appends to dst[:0] and returns it; src is not modified.
func MinMax(dst, src []datasources.Point, from, to int64, columns int) []datasources.Point {
	dst = dst[:0]
	if len(src) == 0 {
		return dst
	}
	if columns < 1 || to <= from {
		return appendFinite(dst, src)
	}
	span := float64(to - from)
	cols := float64(columns)
	// first: the last point before from.
	i := 0
	for i < len(src) && src[i].T < from {
		i++
	}
	if i > 0 {
		dst = appendGapAware(dst, src[i-1])
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
		if p.T > to {
			flush()
			dst = appendGapAware(dst, p)
			return dst
		}
		if !finite(p.V) {
			flush()
			if n := len(dst); n == 0 || !math.IsNaN(dst[n-1].V) {
				dst = append(dst, datasources.Point{T: p.T, V: math.NaN()})
			}
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

func appendGapAware(dst []datasources.Point, p datasources.Point) []datasources.Point {
	if !finite(p.V) {
		if n := len(dst); n > 0 && math.IsNaN(dst[n-1].V) {
			return dst
		}
		p.V = math.NaN()
	}
	return append(dst, p)
}

func appendFinite(dst, src []datasources.Point) []datasources.Point {
	for _, p := range src {
		dst = appendGapAware(dst, p)
	}
	return dst
}

// LTTB reduces src (in time order) to about threshold points with
// Largest-Triangle-Three-Buckets, which keeps the visual shape, spikes
// included. Non-finite values split src into runs that are reduced
// separately (each in proportion to its length) and are kept as one NaN
// point between them. It appends to dst[:0] and returns it.
func LTTB(dst, src []datasources.Point, threshold int) []datasources.Point {
	dst = dst[:0]
	total := 0
	for _, p := range src {
		if finite(p.V) {
			total++
		}
	}
	if threshold < 3 || total <= threshold {
		return appendFinite(dst, src)
	}
	start := -1
	for i := 0; i <= len(src); i++ {
		if i < len(src) && finite(src[i].V) {
			if start < 0 {
				start = i
			}
			continue
		}
		if start >= 0 {
			run := src[start:i]
			n := int(math.Round(float64(threshold) * float64(len(run)) / float64(total)))
			dst = lttbRun(dst, run, max(n, min(len(run), 2)))
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
