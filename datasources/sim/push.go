package sim

import (
	"math"
	"slices"
	"sync"
	"time"

	"github.com/prometheus/prometheus/model/histogram"
	"github.com/prometheus/prometheus/model/labels"
	"github.com/prometheus/prometheus/tsdb/chunkenc"
	"github.com/prometheus/prometheus/tsdb/chunks"

	"github.com/wallboard/wallboard/datasources"
)

// Sample is one pushed value: Labels must hold the metric name under
// "__name__".
type Sample struct {
	Labels datasources.Labels
	T      time.Time
	V      float64
}

// Bounds of the push store.
const (
	defaultPushSeries  = 10000 // series kept; pushing a new one evicts the least recently written
	defaultPushSamples = 5760  // samples kept per series (24 h at 15 s); older are dropped
)

// Push stores samples so that PromQL over the Sim sees them at once, merged
// with the generated series (a pushed series with exactly the labels of a
// generated one replaces it). Per series only samples newer than the last
// one are kept (an equal timestamp overwrites the value; older ones are
// dropped and counted, see PushStats). Samples without a metric name are
// dropped too. Safe for concurrent use.
func (s *Sim) Push(samples ...Sample) {
	s.push.push(samples)
}

// PushStats reports how many pushed series are held and how many samples
// were dropped (no name, out of order) since the Sim was created.
func (s *Sim) PushStats() (series int, dropped uint64) {
	s.push.mu.RLock()
	defer s.push.mu.RUnlock()
	return len(s.push.series), s.push.dropped
}

type pushSample struct {
	t int64
	v float64
}

type pushRing struct {
	lbls  labels.Labels
	buf   []pushSample // grows to maxSamples, then wraps
	head  int          // index of the oldest sample once wrapped
	last  int64
	clock uint64 // write order, for eviction
}

type pushStore struct {
	mu         sync.RWMutex
	series     map[string]*pushRing
	clock      uint64
	dropped    uint64
	maxSeries  int
	maxSamples int
}

func newPushStore(maxSeries, maxSamples int) *pushStore {
	return &pushStore{series: make(map[string]*pushRing), maxSeries: maxSeries, maxSamples: maxSamples}
}

func (p *pushStore) push(samples []Sample) {
	p.mu.Lock()
	defer p.mu.Unlock()
	for i := range samples {
		smp := &samples[i]
		if smp.Labels[labels.MetricName] == "" {
			p.dropped++
			continue
		}
		lb := pushLabels(smp.Labels)
		key := lb.String()
		r := p.series[key]
		if r == nil {
			if len(p.series) >= p.maxSeries {
				p.evict()
			}
			r = &pushRing{lbls: lb, last: math.MinInt64}
			p.series[key] = r
		}
		p.clock++
		r.clock = p.clock
		t := smp.T.UnixMilli()
		switch {
		case t < r.last:
			p.dropped++
		case t == r.last:
			r.buf[(r.head+len(r.buf)-1)%len(r.buf)].v = smp.V
		case len(r.buf) < p.maxSamples:
			r.buf = append(r.buf, pushSample{t, smp.V})
			r.last = t
		default:
			r.buf[r.head] = pushSample{t, smp.V}
			r.head = (r.head + 1) % len(r.buf)
			r.last = t
		}
	}
}

// pushLabels converts labels, leaving out empty values (in Prometheus an
// empty label is an absent one).
func pushLabels(m datasources.Labels) labels.Labels {
	b := labels.NewScratchBuilder(len(m))
	for k, v := range m {
		if v != "" {
			b.Add(k, v)
		}
	}
	b.Sort()
	return b.Labels()
}

// evict drops the least recently written series.
func (p *pushStore) evict() {
	var oldKey string
	oldest := uint64(math.MaxUint64)
	for k, r := range p.series {
		if r.clock < oldest {
			oldKey, oldest = k, r.clock
		}
	}
	delete(p.series, oldKey)
}

// selectSeries copies the matching series' samples in [lo, hi], sorted by
// labels.
func (p *pushStore) selectSeries(ms []*labels.Matcher, lo, hi int64) []pushedSeries {
	p.mu.RLock()
	defer p.mu.RUnlock()
	if len(p.series) == 0 {
		return nil
	}
	var out []pushedSeries
	for _, r := range p.series {
		if !matches(r.lbls, ms) {
			continue
		}
		ps := pushedSeries{lbls: r.lbls}
		n := len(r.buf)
		for i := 0; i < n; i++ {
			smp := r.buf[(r.head+i)%n]
			if smp.t >= lo && smp.t <= hi {
				ps.samples = append(ps.samples, smp)
			}
		}
		out = append(out, ps)
	}
	slices.SortFunc(out, func(a, b pushedSeries) int { return labels.Compare(a.lbls, b.lbls) })
	return out
}

func (p *pushStore) labelValues(name string, ms []*labels.Matcher, set map[string]struct{}) {
	p.mu.RLock()
	defer p.mu.RUnlock()
	for _, r := range p.series {
		if matches(r.lbls, ms) {
			if v := r.lbls.Get(name); v != "" {
				set[v] = struct{}{}
			}
		}
	}
}

func (p *pushStore) labelNames(ms []*labels.Matcher, set map[string]struct{}) {
	p.mu.RLock()
	defer p.mu.RUnlock()
	for _, r := range p.series {
		if matches(r.lbls, ms) {
			r.lbls.Range(func(l labels.Label) { set[l.Name] = struct{}{} })
		}
	}
}

// pushedSeries is a snapshot of a pushed series for one Select.
type pushedSeries struct {
	lbls    labels.Labels
	samples []pushSample
}

func (ps *pushedSeries) Labels() labels.Labels { return ps.lbls }

func (ps *pushedSeries) Iterator(it chunkenc.Iterator) chunkenc.Iterator {
	return listIterator(it, pushSamples(ps.samples))
}

type pushSamples []pushSample

func (p pushSamples) Len() int                { return len(p) }
func (p pushSamples) Get(i int) chunks.Sample { return &p[i] }

func (p *pushSample) T() int64                      { return p.t }
func (p *pushSample) ST() int64                     { return 0 }
func (p *pushSample) F() float64                    { return p.v }
func (p *pushSample) H() *histogram.Histogram       { return nil }
func (p *pushSample) FH() *histogram.FloatHistogram { return nil }
func (p *pushSample) Type() chunkenc.ValueType      { return chunkenc.ValFloat }
func (p *pushSample) Copy() chunks.Sample           { c := *p; return &c }
