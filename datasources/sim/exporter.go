package sim

import (
	"net/http"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// Collector returns a prometheus.Collector exposing every metric of
// docs/metrics.md at now(): counters as counters, the latency histogram as
// a classic histogram, gauges as gauges. Each scrape reports the values of
// the last Step at or before now(), stamped with that step's time, so a
// Prometheus scraping it stores exactly the samples the embedded PromQL
// engine sees (same timestamps, same values). Pushed series are not
// exported.
func (s *Sim) Collector(now func() time.Time) prometheus.Collector {
	if now == nil {
		now = time.Now
	}
	c := &collector{s: s, now: now}
	for _, f := range families {
		c.descs = append(c.descs, prometheus.NewDesc(f.name, f.help, f.labels, nil))
	}
	return c
}

// Handler serves the simulator's metrics at /metrics (OpenMetrics or text,
// as the scraper asks), from a registry of its own.
func (s *Sim) Handler(now func() time.Time) http.Handler {
	reg := prometheus.NewRegistry()
	reg.MustRegister(s.Collector(now))
	mux := http.NewServeMux()
	mux.Handle("/metrics", promhttp.HandlerFor(reg, promhttp.HandlerOpts{EnableOpenMetrics: true}))
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/" {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		_, _ = w.Write([]byte("wallboard simulator: metrics at /metrics\n"))
	})
	return mux
}

type collector struct {
	s     *Sim
	now   func() time.Time
	descs []*prometheus.Desc
}

func (c *collector) Describe(ch chan<- *prometheus.Desc) {
	for _, d := range c.descs {
		ch <- d
	}
}

func (c *collector) Collect(ch chan<- prometheus.Metric) {
	s := c.s
	k := floorDiv(c.now().UnixMilli(), stepMs)
	ts := time.UnixMilli(k * stepMs)
	var b basis
	s.basisAt(k, &b)
	wc := s.week(weekOfStep(k))
	for fi, f := range families {
		desc := c.descs[fi]
		if f.typ == typeHistogram {
			for r := range regionSpecs {
				c.histogram(ch, desc, r, k, &b, wc, ts)
			}
			continue
		}
		vt := prometheus.GaugeValue
		if f.typ == typeCounter {
			vt = prometheus.CounterValue
		}
		vals := make([]string, len(f.labels))
		for _, d := range s.byName[f.name] {
			for i, n := range f.labels {
				vals[i] = d.lbls.Get(n)
			}
			m := prometheus.MustNewConstMetric(desc, vt, s.eval(d, k, &b, wc), vals...)
			ch <- prometheus.NewMetricWithTimestamp(ts, m)
		}
	}
}

func (c *collector) histogram(ch chan<- prometheus.Metric, desc *prometheus.Desc, r int, k int64, b *basis, wc *weekCtx, ts time.Time) {
	s := c.s
	region := regionSpecs[r].Name
	buckets := make(map[float64]uint64, nBuckets-1)
	var count uint64
	var sum float64
	for _, d := range s.byName[MetricDuration+"_bucket"] {
		if d.r != r {
			continue
		}
		if d.x == nBuckets-1 {
			continue // +Inf is the count
		}
		buckets[bucketLE[d.x]] = uint64(s.eval(d, k, b, wc))
	}
	for _, d := range s.byName[MetricDuration+"_count"] {
		if d.r == r {
			count = uint64(s.eval(d, k, b, wc))
		}
	}
	for _, d := range s.byName[MetricDuration+"_sum"] {
		if d.r == r {
			sum = s.eval(d, k, b, wc)
		}
	}
	m := prometheus.MustNewConstHistogram(desc, count, sum, buckets, region)
	ch <- prometheus.NewMetricWithTimestamp(ts, m)
}
