package charts

import (
	"math"
	"slices"
	"strconv"

	"github.com/wallboard/wallboard/datasources"
	"github.com/wallboard/wallboard/layouts"
)

// DefaultBins is the number of histogram bins when a widget sets none.
const DefaultBins = 20

// maxBins bounds layouts.Widget.Bins.
const maxBins = 500

// hist is a histogram ready to draw: n bins with edges[0..n] and counts;
// categorical bins are drawn equally wide (Prometheus buckets, whose
// widths grow by orders of magnitude).
type hist struct {
	edges, counts []float64
	categorical   bool
	mean, p95     float64
	total         float64
}

// bucketSeries reports whether every series is a Prometheus bucket (has
// an "le" label).
func bucketSeries(series []datasources.Series) bool {
	for i := range series {
		if _, ok := series[i].Labels["le"]; !ok {
			return false
		}
	}
	return len(series) > 0
}

// fromBuckets turns cumulative "le" buckets (summed over other labels)
// into per-bucket counts, with the mean and p95 estimated as Prometheus
// does (linear within a bucket; the +Inf bucket yields its lower edge).
func fromBuckets(sc *scratch, w *layouts.Widget, series []datasources.Series) hist {
	type bucket struct{ le, cum float64 }
	bs := make([]bucket, 0, 16)
	for i := range series {
		le, err := strconv.ParseFloat(series[i].Labels["le"], 64)
		if err != nil || math.IsNaN(le) {
			continue
		}
		v, ok := widgetReduce(w, series[i])
		if !ok || !finite(v) {
			continue
		}
		j := slices.IndexFunc(bs, func(b bucket) bool { return b.le == le })
		if j < 0 {
			bs = append(bs, bucket{le, v})
		} else {
			bs[j].cum += v
		}
	}
	slices.SortFunc(bs, func(a, b bucket) int {
		switch {
		case a.le < b.le:
			return -1
		case a.le > b.le:
			return 1
		}
		return 0
	})
	var h hist
	h.categorical = true
	if len(bs) == 0 {
		return h
	}
	n := len(bs)
	sc.cum = growF64(sc.cum, n+1)
	sc.vals = growF64(sc.vals, n)
	h.edges, h.counts = sc.cum[:n+1], sc.vals[:n]
	lower := 0.0
	if bs[0].le <= 0 {
		lower = bs[0].le - 1
		if n > 1 && finite(bs[1].le) {
			lower = bs[0].le - (bs[1].le - bs[0].le)
		}
	}
	h.edges[0] = lower
	prev := 0.0
	sum := 0.0
	for i, b := range bs {
		h.edges[i+1] = b.le
		cnt := max(0, b.cum-prev)
		prev = max(prev, b.cum)
		h.counts[i] = cnt
		h.total += cnt
		mid := (h.edges[i] + b.le) / 2
		if math.IsInf(b.le, 1) {
			mid = h.edges[i]
		}
		sum += cnt * mid
	}
	if h.total > 0 {
		h.mean = sum / h.total
		h.p95 = bucketQuantile(0.95, h)
	}
	return h
}

// bucketQuantile is histogram_quantile over h's buckets.
func bucketQuantile(q float64, h hist) float64 {
	rank := q * h.total
	acc := 0.0
	for i, cnt := range h.counts {
		if acc+cnt >= rank && cnt > 0 {
			lo, hi := h.edges[i], h.edges[i+1]
			if math.IsInf(hi, 1) {
				return lo
			}
			return lo + (hi-lo)*(rank-acc)/cnt
		}
		acc += cnt
	}
	return h.edges[len(h.edges)-1]
}

// fromSamples bins every finite sample of every series in [from, to]
// into bins equal bins: over Min..Max when the widget sets them, else
// over the data, with a round bin width and edges on its multiples.
func fromSamples(sc *scratch, w *layouts.Widget, series []datasources.Series, from, to int64, bins int) hist {
	var h hist
	sc.tick = sc.tick[:0] // the samples, sorted below for p95
	for i := range series {
		for _, p := range series[i].Points {
			if p.T >= from && p.T <= to && finite(p.V) {
				sc.tick = append(sc.tick, p.V)
			}
		}
	}
	samples := sc.tick
	if len(samples) == 0 {
		return h
	}
	slices.Sort(samples)
	lo, hi := samples[0], samples[len(samples)-1]
	fixedLo := w.Min != nil && finite(*w.Min)
	fixedHi := w.Max != nil && finite(*w.Max)
	if fixedLo {
		lo = *w.Min
	}
	if fixedHi {
		hi = *w.Max
	}
	if hi < lo {
		lo, hi = hi, lo
	}
	if hi == lo {
		d := math.Max(math.Abs(lo)*0.05, 0.5)
		if !fixedLo {
			lo -= d
		}
		if !fixedHi || fixedLo {
			hi = lo + 2*d
		}
	}
	width := (hi - lo) / float64(bins)
	if !fixedLo && !fixedHi {
		// The smallest round width (1, 2, 2.5, 5 x 10^k) whose multiples
		// cover the data in bins bins.
		p := math.Pow(10, math.Floor(math.Log10(width)))
		// When that leaves more than a fifth of the bins empty, exact
		// edges over the data are better.
		for _, m := range [...]float64{1, 2, 2.5, 5, 10} {
			bw := m * p
			l := math.Floor(lo/bw) * bw
			if top := l + float64(bins)*bw; top >= hi {
				if (hi-lo)/(top-l) >= 0.8 {
					width, lo = bw, l
				}
				break
			}
		}
		hi = lo + float64(bins)*width
	}
	sc.cum = growF64(sc.cum, bins+1)
	sc.vals = growF64(sc.vals, bins)
	h.edges, h.counts = sc.cum[:bins+1], sc.vals[:bins]
	for i := range h.edges {
		h.edges[i] = lo + float64(i)*width
	}
	clear(h.counts)
	sum := 0.0
	for _, v := range samples {
		if v < lo || v > hi {
			continue
		}
		k := min(bins-1, int((v-lo)/width))
		h.counts[max(k, 0)]++
		h.total++
		sum += v
	}
	if h.total == 0 {
		return h
	}
	h.mean = sum / h.total
	// p95 of the samples shown, interpolated between order statistics.
	in := samples[max(0, lowerBound(samples, lo)):upperBound(samples, hi)]
	pos := 0.95 * float64(len(in)-1)
	i := int(pos)
	h.p95 = in[i]
	if i+1 < len(in) {
		h.p95 += (in[i+1] - in[i]) * (pos - float64(i))
	}
	return h
}

func lowerBound(s []float64, v float64) int {
	i, _ := slices.BinarySearch(s, v)
	return i
}

func upperBound(s []float64, v float64) int {
	i := lowerBound(s, v)
	for i < len(s) && s[i] <= v {
		i++
	}
	return i
}

// x maps a value to a position in [x0, x0+width]: linear, or within its
// bucket for categorical bins.
func (h hist) x(v, x0, width float64) float64 {
	n := len(h.counts)
	if !h.categorical {
		lo, hi := h.edges[0], h.edges[n]
		return x0 + width*clampF((v-lo)/(hi-lo), 0, 1)
	}
	bw := width / float64(n)
	for i := 0; i < n; i++ {
		lo, hi := h.edges[i], h.edges[i+1]
		if v <= hi || i == n-1 {
			f := 0.0
			if finite(hi) && hi > lo {
				f = clampF((v-lo)/(hi-lo), 0, 1)
			}
			return x0 + bw*(float64(i)+f)
		}
	}
	return x0 + width
}

func drawHistogram(c *canvas, w *layouts.Widget, series []datasources.Series, f Frame) {
	th := c.th
	sc := c.sc
	W, H := float64(c.w), float64(c.h)
	from, to := timeRange(f, series)
	bins := w.Bins
	if bins <= 0 {
		bins = DefaultBins
	}
	bins = min(bins, maxBins)
	var h hist
	if bucketSeries(series) {
		h = fromBuckets(sc, w, series)
	} else {
		h = fromSamples(sc, w, series, from, to, bins)
	}
	if h.total <= 0 || len(h.counts) == 0 {
		c.noData(f)
		return
	}

	fs := c.smallText()
	tf := getFace(fontRegular, fs)
	mf := getFace(fontMedium, fs)
	pad := c.px(8)
	showAxes := c.logicalH() >= 100 && c.logicalW() >= 160
	plot := rect{c.px(4), c.px(4), W - c.px(4), H - c.px(4)}
	if showAxes {
		plot.y0 = math.Ceil(pad + mf.height() + c.px(4)) // marker labels
		plot.y1 = math.Floor(H - c.px(4) - tf.height() - c.px(4))
		plot.x1 = W - c.px(12)
	}
	maxCount := 0.0
	for _, n := range h.counts {
		maxCount = max(maxCount, n)
	}
	maxTicks := max(2, min(6, int(plot.h()/(fs*2.4))))
	ar := niceRange(0, maxCount, maxTicks, "none", true, false)
	if !h.categorical && ar.step < 1 { // whole samples
		ar = axisRange{0, max(1, math.Ceil(maxCount)), 1}
	}
	sc.tick = sc.tick[:0] // samples no longer needed
	sc.tick = ar.ticks(sc.tick)
	if showAxes {
		sc.lbls = tickLabels(sc.lbls, &sc.arena, sc.tick, "none")
		lw := 0.0
		for _, l := range sc.lbls {
			lw = max(lw, tf.measure(l))
		}
		plot.x0 = math.Ceil(pad + lw + c.px(8))
	}
	if plot.w() < 8 || plot.h() < 8 {
		showAxes = false
		plot = rect{0, 0, W, H}
	}
	gridT := math.Max(1, math.Round(c.s))
	yOf := func(v float64) float64 { return plot.y1 - v/(ar.hi)*plot.h() }
	if showAxes {
		for i, v := range sc.tick {
			y := math.Round(yOf(v))
			c.hline(plot.x0, plot.x1, y, gridT, th.Grid)
			c.textMid(tf, sc.lbls[i], plot.x0-c.px(8), y, alignRight, th.TextDim)
		}
	}

	// Bars.
	n := len(h.counts)
	bw := plot.w() / float64(n)
	gap := 0.0
	if bw >= c.px(4) {
		gap = math.Max(1, math.Round(c.s))
	}
	hasTh := hasThresholds(w)
	for i, cnt := range h.counts {
		if cnt <= 0 {
			continue
		}
		col := th.seriesColor(0)
		if hasTh {
			mid := (h.edges[i] + h.edges[i+1]) / 2
			if !finite(mid) {
				mid = h.edges[i]
			}
			col = th.LevelColor(w.Thresholds.Level(mid))
		}
		x0 := math.Round(plot.x0 + float64(i)*bw)
		x1 := math.Round(plot.x0+float64(i+1)*bw) - gap
		c.fillRectF(x0, yOf(cnt), max(x1, x0+1), plot.y1, col)
	}
	if showAxes {
		c.hline(plot.x0, plot.x1, math.Round(plot.y1), gridT, th.Axis)
		// Edge labels, every k-th edge so that they do not touch.
		lw := 0.0
		for _, e := range [2]float64{h.edges[0], h.edges[n]} {
			lw = max(lw, tf.measure(c.fmtValue(e, w.Unit, nil)))
		}
		if n > 1 {
			lw = max(lw, tf.measure(c.fmtValue(h.edges[n-1], w.Unit, nil)))
		}
		k := 1
		for _, step := range [...]int{1, 2, 4, 5, 10, 20, 25, 50, 100, 250, 500} {
			k = step
			if float64(step)*bw >= lw+c.px(14) {
				break
			}
		}
		base := plot.y1 + c.px(4) + tf.ascent
		lastEnd := math.Inf(-1)
		for i := 0; i <= n; i += k {
			label := c.fmtValue(h.edges[i], w.Unit, nil)
			x := plot.x0 + float64(i)*bw
			lwi := tf.measure(label)
			lx := clampF(x-lwi/2, plot.x0-c.px(4), W-c.px(2)-lwi)
			if lx < lastEnd+c.px(8) {
				continue
			}
			c.vline(x, plot.y1, plot.y1+c.px(3), gridT, th.Axis)
			c.text(tf, label, lx, base, alignLeft, th.TextDim)
			lastEnd = lx + lwi
		}
	}

	// Mean and p95 markers, labelled above the plot.
	meanCol, p95Col := th.Text, th.seriesColor(3)
	xm := h.x(h.mean, plot.x0, plot.w())
	xp := h.x(h.p95, plot.x0, plot.w())
	c.dashV(xm, plot.y0, plot.y1, c.px(2), c.px(6), c.px(4), meanCol)
	c.dashV(xp, plot.y0, plot.y1, c.px(2), c.px(3), c.px(3), p95Col)
	if showAxes {
		ly := plot.y0 - c.px(4) - mf.descent
		ml := c.join("mean ", c.fmtValue(h.mean, w.Unit, nil))
		pl := c.join("p95 ", c.fmtValue(h.p95, w.Unit, nil))
		mw, pw := mf.measure(ml), mf.measure(pl)
		// mean to the left of its line, p95 to the right of its line;
		// pushed apart if they would collide, kept inside the body.
		mx := xm - c.px(4) - mw
		px := xp + c.px(4)
		if mx < c.px(2) {
			mx = c.px(2)
		}
		if px < mx+mw+c.px(10) {
			px = mx + mw + c.px(10)
		}
		if px+pw > W-c.px(2) {
			px = W - c.px(2) - pw
			if mx+mw+c.px(10) > px {
				mx = px - c.px(10) - mw
			}
		}
		c.text(mf, ml, mx, ly, alignLeft, meanCol)
		c.text(mf, pl, px, ly, alignLeft, p95Col)
	}
}
