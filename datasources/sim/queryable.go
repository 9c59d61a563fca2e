package sim

import (
	"context"
	"slices"
	"sync"

	"github.com/prometheus/prometheus/model/histogram"
	"github.com/prometheus/prometheus/model/labels"
	"github.com/prometheus/prometheus/storage"
	"github.com/prometheus/prometheus/tsdb/chunkenc"
	"github.com/prometheus/prometheus/tsdb/chunks"
	"github.com/prometheus/prometheus/util/annotations"
)

// The Sim is a storage.Queryable: the PromQL engine (or anything else that
// reads Prometheus storage) sees every generated series, with a sample at
// each multiple of Step, merged with the pushed series.
var _ storage.Queryable = (*Sim)(nil)

// Querier returns a querier over [mint, maxt] (milliseconds, inclusive).
// Generated samples are computed lazily while the series are iterated, so a
// querier costs nothing until it is read.
func (s *Sim) Querier(mint, maxt int64) (storage.Querier, error) {
	return &querier{s: s, mint: mint, maxt: maxt}, nil
}

// maxBasisSteps bounds the shared per-querier table of sin/cos values
// (about 100 bytes a step); longer ranges compute them per sample.
const maxBasisSteps = 12000

type querier struct {
	s          *Sim
	mint, maxt int64

	once   sync.Once
	bk0    int64
	basis  []basis
	pooled *[]basis
}

func (q *querier) Close() error {
	if q.pooled != nil {
		q.s.basisPool.Put(q.pooled)
		q.pooled, q.basis = nil, nil
	}
	return nil
}

// shareBasis fills the querier's table of basis values for its whole range,
// shared by every series it returns.
func (q *querier) shareBasis() {
	k0, k1 := ceilDiv(q.mint, stepMs), floorDiv(q.maxt, stepMs)
	n := k1 - k0 + 1
	if n <= 0 || n > maxBasisSteps {
		return
	}
	p, _ := q.s.basisPool.Get().(*[]basis)
	if p == nil {
		p = new([]basis)
	}
	if int64(cap(*p)) < n {
		*p = make([]basis, n)
	}
	*p = (*p)[:n]
	for i := range *p {
		q.s.basisAt(k0+int64(i), &(*p)[i])
	}
	q.bk0, q.basis, q.pooled = k0, *p, p
}

func (q *querier) basisFor(k int64) *basis {
	if i := k - q.bk0; q.basis != nil && i >= 0 && i < int64(len(q.basis)) {
		return &q.basis[i]
	}
	return nil
}

func matches(l labels.Labels, ms []*labels.Matcher) bool {
	for _, m := range ms {
		if !m.Matches(l.Get(m.Name)) {
			return false
		}
	}
	return true
}

// candidates narrows the generated series by an equality matcher on the
// metric name, when there is one.
func (s *Sim) candidates(ms []*labels.Matcher) []*seriesDef {
	for _, m := range ms {
		if m.Name == labels.MetricName && m.Type == labels.MatchEqual {
			return s.byName[m.Value]
		}
	}
	return s.series
}

// Select returns the series matching ms, always sorted by labels (sorting is
// free: the catalogue is kept sorted).
func (q *querier) Select(ctx context.Context, _ bool, hints *storage.SelectHints, ms ...*labels.Matcher) storage.SeriesSet {
	if err := ctx.Err(); err != nil {
		return storage.ErrSeriesSet(err)
	}
	lo, hi := q.mint, q.maxt
	if hints != nil && (hints.Start != 0 || hints.End != 0) {
		lo, hi = max(lo, hints.Start), min(hi, hints.End)
	}
	k0, k1 := ceilDiv(lo, stepMs), floorDiv(hi, stepMs)

	cands := q.s.candidates(ms)
	n := 0
	for _, d := range cands {
		if matches(d.lbls, ms) {
			n++
		}
	}
	pushed := q.s.push.selectSeries(ms, lo, hi)
	if n+len(pushed) == 0 {
		return storage.EmptySeriesSet()
	}
	if n > 0 {
		// Every Select passes through the Once, so iterators of any
		// goroutine see the finished table.
		q.once.Do(q.shareBasis)
	}
	gens := make([]genSeries, 0, n)
	for _, d := range cands {
		if matches(d.lbls, ms) {
			gens = append(gens, genSeries{q: q, d: d, k0: k0, k1: k1})
		}
	}
	out := make([]storage.Series, 0, n+len(pushed))
	i, j := 0, 0
	for i < len(gens) || j < len(pushed) {
		switch {
		case j == len(pushed):
			out = append(out, &gens[i])
			i++
		case i == len(gens):
			out = append(out, &pushed[j])
			j++
		default:
			c := labels.Compare(gens[i].d.lbls, pushed[j].lbls)
			if c < 0 {
				out = append(out, &gens[i])
				i++
			} else {
				// A pushed series shadows a generated one with the same labels.
				if c == 0 {
					i++
				}
				out = append(out, &pushed[j])
				j++
			}
		}
	}
	if hints != nil && hints.Limit > 0 && len(out) > hints.Limit {
		out = out[:hints.Limit]
	}
	return &seriesSet{series: out, i: -1}
}

func (q *querier) LabelValues(ctx context.Context, name string, hints *storage.LabelHints, ms ...*labels.Matcher) ([]string, annotations.Annotations, error) {
	if err := ctx.Err(); err != nil {
		return nil, nil, err
	}
	set := map[string]struct{}{}
	for _, d := range q.s.candidates(ms) {
		if matches(d.lbls, ms) {
			if v := d.lbls.Get(name); v != "" {
				set[v] = struct{}{}
			}
		}
	}
	q.s.push.labelValues(name, ms, set)
	out := sortedKeys(set)
	out, _ = hints.ApplyLimit(out)
	return out, nil, nil
}

func (q *querier) LabelNames(ctx context.Context, hints *storage.LabelHints, ms ...*labels.Matcher) ([]string, annotations.Annotations, error) {
	if err := ctx.Err(); err != nil {
		return nil, nil, err
	}
	set := map[string]struct{}{}
	for _, d := range q.s.candidates(ms) {
		if matches(d.lbls, ms) {
			d.lbls.Range(func(l labels.Label) { set[l.Name] = struct{}{} })
		}
	}
	q.s.push.labelNames(ms, set)
	out := sortedKeys(set)
	out, _ = hints.ApplyLimit(out)
	return out, nil, nil
}

func sortedKeys(set map[string]struct{}) []string {
	out := make([]string, 0, len(set))
	for k := range set {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}

type seriesSet struct {
	series []storage.Series
	i      int
}

func (s *seriesSet) Next() bool                        { s.i++; return s.i < len(s.series) }
func (s *seriesSet) At() storage.Series                { return s.series[s.i] }
func (s *seriesSet) Err() error                        { return nil }
func (s *seriesSet) Warnings() annotations.Annotations { return nil }

// genSeries is a generated series over the steps k0..k1.
type genSeries struct {
	q      *querier
	d      *seriesDef
	k0, k1 int64
}

func (g *genSeries) Labels() labels.Labels { return g.d.lbls }

func (g *genSeries) Iterator(it chunkenc.Iterator) chunkenc.Iterator {
	n := max(g.k1-g.k0+1, 0)
	gs := &genSamples{s: g.q.s, q: g.q, d: g.d, k0: g.k0, n: int(n), memo: -1, wk: -1 << 62}
	return listIterator(it, gs)
}

// resetter is the list iterator of package storage, reused when possible.
type resetter interface {
	Reset(storage.Samples)
}

func listIterator(it chunkenc.Iterator, smp storage.Samples) chunkenc.Iterator {
	if r, ok := it.(resetter); ok {
		r.Reset(smp)
		return it
	}
	return storage.NewListSeriesIterator(smp)
}

// genSamples is a lazily computed list of the samples of a generated
// series: Get only moves a cursor (the list is itself the sample), T is
// arithmetic and F computes the value once per position. No allocation
// per sample.
type genSamples struct {
	s    *Sim
	q    *querier
	d    *seriesDef
	k0   int64
	n    int
	cur  int
	memo int
	v    float64
	wk   int64
	wc   *weekCtx
	b    basis
}

func (g *genSamples) Len() int                      { return g.n }
func (g *genSamples) Get(i int) chunks.Sample       { g.cur = i; return g }
func (g *genSamples) T() int64                      { return (g.k0 + int64(g.cur)) * stepMs }
func (g *genSamples) ST() int64                     { return 0 }
func (g *genSamples) H() *histogram.Histogram       { return nil }
func (g *genSamples) FH() *histogram.FloatHistogram { return nil }
func (g *genSamples) Type() chunkenc.ValueType      { return chunkenc.ValFloat }
func (g *genSamples) Copy() chunks.Sample           { return &pushSample{t: g.T(), v: g.F()} }

func (g *genSamples) F() float64 {
	if g.cur == g.memo {
		return g.v
	}
	k := g.k0 + int64(g.cur)
	if w := weekOfStep(k); w != g.wk {
		g.wk, g.wc = w, g.s.week(w)
	}
	b := g.q.basisFor(k)
	if b == nil {
		g.s.basisAt(k, &g.b)
		b = &g.b
	}
	g.v, g.memo = g.s.eval(g.d, k, b, g.wc), g.cur
	return g.v
}
