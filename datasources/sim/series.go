package sim

import (
	"math"
	"slices"
	"strconv"

	"github.com/prometheus/prometheus/model/labels"
)

// Metric names (docs/metrics.md is the contract).
const (
	MetricRequests         = "audio_requests_total"
	MetricErrors           = "audio_request_errors_total"
	MetricDuration         = "audio_request_duration_seconds"
	MetricQuality          = "enhancement_quality_score"
	MetricQualityRegion    = "quality_score"
	MetricProcessed        = "processed_audio_total"
	MetricProcessedSeconds = "processed_audio_seconds_total"
	MetricSuccess          = "success_count"
	MetricTotal            = "total_count"
	MetricCost             = "total_cost"
	MetricAudioCount       = "audio_count"
	MetricCPU              = "cpu_usage_percent"
	MetricMemory           = "memory_usage_bytes"
	MetricMemoryTotal      = "memory_total_bytes"
	MetricGPU              = "gpu_usage_percent"
	MetricQueue            = "queue_depth"
	MetricLatitude         = "region_latitude"
	MetricLongitude        = "region_longitude"
	MetricIncidentActive   = "sim_incident_active"
)

type metricKind uint8

const (
	mRequests metricKind = iota
	mErrors
	mBucket
	mHistSum
	mHistCount
	mQuality
	mQualityRegion
	mProcessed
	mProcessedSeconds
	mSuccess
	mTotal
	mCost
	mAudioCount
	mCPU
	mMemory
	mMemoryTotal
	mGPU
	mQueue
	mLatitude
	mLongitude
	mIncidentActive
)

type metricType uint8

const (
	typeCounter metricType = iota
	typeGauge
	typeHistogram
)

// family describes one metric of the contract, for the exporter.
type family struct {
	name   string
	help   string
	typ    metricType
	labels []string
	kind   metricKind // the series kind (for histograms: mHistCount)
}

var families = []family{
	{MetricRequests, "Enhancement requests received.", typeCounter, []string{"region", "model"}, mRequests},
	{MetricErrors, "Failed enhancement requests.", typeCounter, []string{"region", "model", "reason"}, mErrors},
	{MetricDuration, "End-to-end request latency.", typeHistogram, []string{"region"}, mHistCount},
	{MetricQuality, "Mean enhancement quality score of the last interval, 0..1.", typeGauge, []string{"region", "model"}, mQuality},
	{MetricQualityRegion, "Enhancement quality score per region, 0..1.", typeGauge, []string{"region"}, mQualityRegion},
	{MetricProcessed, "Audio files processed successfully.", typeCounter, []string{"region", "model"}, mProcessed},
	{MetricProcessedSeconds, "Seconds of audio processed.", typeCounter, []string{"region"}, mProcessedSeconds},
	{MetricSuccess, "Successful requests.", typeCounter, []string{"region"}, mSuccess},
	{MetricTotal, "All requests.", typeCounter, []string{"region"}, mTotal},
	{MetricCost, "Money spent, USD (compute and infrastructure).", typeCounter, []string{"region"}, mCost},
	{MetricAudioCount, "Audio files billed.", typeCounter, []string{"region"}, mAudioCount},
	{MetricCPU, "CPU busy, percent.", typeGauge, []string{"instance"}, mCPU},
	{MetricMemory, "Resident memory, bytes.", typeGauge, []string{"instance"}, mMemory},
	{MetricMemoryTotal, "Installed memory, bytes.", typeGauge, []string{"instance"}, mMemoryTotal},
	{MetricGPU, "GPU busy, percent.", typeGauge, []string{"instance"}, mGPU},
	{MetricQueue, "Requests waiting.", typeGauge, []string{"region"}, mQueue},
	{MetricLatitude, "The region's latitude, degrees.", typeGauge, []string{"region"}, mLatitude},
	{MetricLongitude, "The region's longitude, degrees.", typeGauge, []string{"region"}, mLongitude},
	{MetricIncidentActive, "1 while a simulated incident of the kind is active.", typeGauge, []string{"kind"}, mIncidentActive},
}

// seriesDef is one generated series.
type seriesDef struct {
	lbls labels.Labels
	kind metricKind
	// r: region, m: model, x: reason, bucket, instance or incident kind.
	r, m, x int
	sid     uint64 // noise id
	counter bool
}

// leString formats a bucket bound the way Prometheus 3 stores it (and 2.x
// scraping OpenMetrics does): "1.0", "0.025", "+Inf".
func leString(v float64) string {
	if math.IsInf(v, 1) {
		return "+Inf"
	}
	s := strconv.FormatFloat(v, 'f', -1, 64)
	if v == math.Trunc(v) {
		s += ".0"
	}
	return s
}

func (s *Sim) initSeries() {
	add := func(kind metricKind, counter bool, r, m, x int, sid uint64, kv ...string) {
		lb := labels.FromStrings(kv...)
		if sid == 0 {
			sid = strHash(lb.String())
		}
		s.series = append(s.series, &seriesDef{lbls: lb, kind: kind, r: r, m: m, x: x, sid: sid, counter: counter})
	}
	for r, rs := range regionSpecs {
		reg := rs.Name
		for m, ms := range modelSpecs {
			add(mRequests, true, r, m, 0, 0, "__name__", MetricRequests, "region", reg, "model", ms.name)
			for q, rn := range reasonNames {
				add(mErrors, true, r, m, q, 0, "__name__", MetricErrors, "region", reg, "model", ms.name, "reason", rn)
			}
			add(mQuality, false, r, m, 0, qualitySids[r][m], "__name__", MetricQuality, "region", reg, "model", ms.name)
			add(mProcessed, true, r, m, 0, 0, "__name__", MetricProcessed, "region", reg, "model", ms.name)
		}
		hsid := strHash("histogram/" + reg)
		for i, le := range bucketLE {
			add(mBucket, true, r, 0, i, hsid, "__name__", MetricDuration+"_bucket", "region", reg, "le", leString(le))
		}
		add(mHistSum, true, r, 0, 0, hsid, "__name__", MetricDuration+"_sum", "region", reg)
		add(mHistCount, true, r, 0, 0, hsid, "__name__", MetricDuration+"_count", "region", reg)
		ksid := hsid // total_count is then exactly the histogram's _count
		add(mQualityRegion, false, r, 0, 0, 0, "__name__", MetricQualityRegion, "region", reg)
		add(mProcessedSeconds, true, r, 0, 0, 0, "__name__", MetricProcessedSeconds, "region", reg)
		add(mSuccess, true, r, 0, 0, ksid, "__name__", MetricSuccess, "region", reg)
		add(mTotal, true, r, 0, 0, ksid, "__name__", MetricTotal, "region", reg)
		add(mCost, true, r, 0, 0, 0, "__name__", MetricCost, "region", reg)
		add(mAudioCount, true, r, 0, 0, ksid, "__name__", MetricAudioCount, "region", reg)
		add(mQueue, false, r, 0, 0, 0, "__name__", MetricQueue, "region", reg)
		add(mLatitude, false, r, 0, 0, 0, "__name__", MetricLatitude, "region", reg)
		add(mLongitude, false, r, 0, 0, 0, "__name__", MetricLongitude, "region", reg)
	}
	for i := 0; i < nInstances; i++ {
		in := instanceName(i)
		add(mCPU, false, 0, 0, i, 0, "__name__", MetricCPU, "instance", in)
		add(mMemory, false, 0, 0, i, 0, "__name__", MetricMemory, "instance", in)
		add(mMemoryTotal, false, 0, 0, i, 0, "__name__", MetricMemoryTotal, "instance", in)
		add(mGPU, false, 0, 0, i, 0, "__name__", MetricGPU, "instance", in)
	}
	for k, kind := range incidentKinds {
		add(mIncidentActive, false, 0, 0, k, 0, "__name__", MetricIncidentActive, "kind", string(kind))
	}
	slices.SortFunc(s.series, func(a, b *seriesDef) int { return labels.Compare(a.lbls, b.lbls) })
	s.byName = make(map[string][]*seriesDef)
	for _, d := range s.series {
		n := d.lbls.Get(labels.MetricName)
		s.byName[n] = append(s.byName[n], d)
	}
}

func qualitySidOf(r, m int) uint64 {
	return strHash("quality/" + regionSpecs[r].Name + "/" + modelSpecs[m].name)
}

// qualitySids: quality_score{region} averages the noisy per-model scores,
// so both need the per-model noise ids.
var qualitySids = func() (ids [nRegions][nModels]uint64) {
	for r := range ids {
		for m := range ids[r] {
			ids[r][m] = qualitySidOf(r, m)
		}
	}
	return ids
}()

// Per-step jitter of a counter is u·δ with u in [0, 1) and δ at most half
// the smallest possible increase of the counter in one step, so the
// floored, jittered counter never decreases.
func jitterBound(minRate float64) float64 { return 0.5 * stepSec * minRate }

// eval returns the value of series d at step k; b is the basis at k and
// wc the week of k.
func (s *Sim) eval(d *seriesDef, k int64, b *basis, wc *weekCtx) float64 {
	t := b.t
	r := d.r
	switch d.kind {
	case mRequests:
		irm := s.reqCount[r][d.m].at(b)
		return math.Floor(irm + s.noise(d.sid, k)*jitterBound(gMin*s.base[r][d.m]))
	case mErrors:
		irm := s.reqCount[r][d.m].at(b)
		e := wc.errCount(r, d.m, d.x, t, irm)
		minRate := gMin * s.base[r][d.m] * reasonEps[d.x] * (1 - maxErrComp)
		return math.Floor(e + s.noise(d.sid, k)*jitterBound(minRate))
	case mProcessed:
		p := s.processed(r, d.m, t, b, wc)
		return math.Floor(p + s.noise(d.sid, k)*jitterBound(0.6*gMin*s.base[r][d.m]))
	case mBucket, mHistCount, mHistSum:
		ir := s.regCount[r].at(b)
		u := s.noise(d.sid, k)
		full := jitterBound(gMin * s.regBase[r])
		if d.kind == mHistCount || (d.kind == mBucket && d.x == nBuckets-1) {
			return math.Floor(ir + u*full)
		}
		slow := s.slowCount[r].at(b)
		fast := (1-tailShare)*ir - slow
		tail := wc.tailCount(r, t, ir, fast)
		fastNow := ir - slow - tail
		if d.kind == mHistSum {
			return meanFast*fastNow + meanSlow*slow + meanTail*tail
		}
		i := d.x
		v := cdfFast[i]*fastNow + cdfSlow[i]*slow + cdfTail[i]*tail
		return math.Floor(v + u*full*cdfTail[i])
	case mProcessedSeconds:
		v := 0.0
		for m := range modelSpecs {
			v += modelSpecs[m].audioSec * s.processed(r, m, t, b, wc)
		}
		return v
	case mSuccess:
		v := 0.0
		for m := range modelSpecs {
			v += s.processed(r, m, t, b, wc)
		}
		return math.Floor(v + s.noise(d.sid, k)*jitterBound(0.6*gMin*s.regBase[r]))
	case mTotal:
		return math.Floor(s.regCount[r].at(b) + s.noise(d.sid, k)*jitterBound(gMin*s.regBase[r]))
	case mAudioCount:
		v := s.regCount[r].at(b)
		for m := range modelSpecs {
			v -= wc.errCount(r, m, 1, t, s.reqCount[r][m].at(b)) // decode errors are not billed
		}
		return math.Floor(v + s.noise(d.sid, k)*jitterBound(0.6*gMin*s.regBase[r]))
	case mCost:
		v := 0.0
		for m := range modelSpecs {
			ms := &modelSpecs[m]
			v += ms.gpu * ms.audioSec * s.processed(r, m, t, b, wc)
		}
		return gpuSecondPrice*regionSpecs[r].price*v + s.infraCost[r]*t
	case mQuality:
		return s.quality(r, d.m, k, b, wc)
	case mQualityRegion:
		v := 0.0
		for m := range modelSpecs {
			v += modelSpecs[m].share * s.quality(r, m, k, b, wc)
		}
		return v
	case mQueue:
		util := s.regRate[r].at(b) / (capacityFactor * s.regBase[r])
		q := 3 + 70*util*util*util*util*(0.8+0.4*s.noise(d.sid, k))
		for _, in := range wc.byRegion[r] {
			if env := in.envelope(t); env > 0 {
				if in.kind == kSpike {
					q += 300 * in.phi * env
				} else {
					q += 40 * env
				}
			}
		}
		return math.Round(q)
	case mLatitude:
		return regionSpecs[r].Lat
	case mLongitude:
		return regionSpecs[r].Lon
	case mCPU, mGPU, mMemory:
		util, spike, burst := s.groupLoad(d.x/2, b, wc)
		if d.x%2 == 0 {
			util *= 1.04
		} else {
			util *= 0.96
		}
		n := 2*s.noise(d.sid, k) - 1
		switch d.kind {
		case mCPU:
			return clamp(7+78*util+2.5*n+15*spike+6*burst, 0, 100)
		case mGPU:
			return clamp(3+90*util+2*n+25*spike, 0, 100)
		}
		saw := math.Mod(t+s.memPhase[d.x], 6*3600) / (6 * 3600)
		return math.Round(memTotal(d.x) * clamp(0.30+0.35*util+0.10*saw+0.01*n, 0, 1))
	case mMemoryTotal:
		return memTotal(d.x)
	case mIncidentActive:
		for i := range wc.inc {
			in := &wc.inc[i]
			if in.kind == d.x && float64(in.s) <= t && t < float64(in.e) {
				return 1
			}
		}
		return 0
	}
	return math.NaN()
}

// gpuSecondPrice is the USD price of one audio second on a 1.0 model.
const gpuSecondPrice = 0.00004

// Mean latency of each population (bucket midpoints; 14 s above 10 s),
// so that _sum agrees with the buckets.
var meanFast, meanSlow, meanTail = bucketMean(&cdfFast), bucketMean(&cdfSlow), bucketMean(&cdfTail)

func bucketMean(cdf *[nBuckets]float64) float64 {
	mean, lo, prev := 0.0, 0.0, 0.0
	for i, le := range bucketLE {
		hi := le
		if math.IsInf(le, 1) {
			hi = 18
		}
		mean += (cdf[i] - prev) * (lo + hi) / 2
		lo, prev = hi, cdf[i]
	}
	return mean
}

func memTotal(i int) float64 {
	if i < 4 {
		return 64 << 30
	}
	return 96 << 30
}

// processed is the real-valued cumulative count of successful requests.
func (s *Sim) processed(r, m int, t float64, b *basis, wc *weekCtx) float64 {
	irm := s.reqCount[r][m].at(b)
	p := irm
	for q := 0; q < nReasons; q++ {
		p -= wc.errCount(r, m, q, t, irm)
	}
	return p
}

func (s *Sim) quality(r, m int, k int64, b *basis, wc *weekCtx) float64 {
	t := b.t
	util := s.regRate[r].at(b) / (capacityFactor * s.regBase[r])
	q := modelSpecs[m].quality + s.qualityOffset[r] +
		0.012*math.Cos(s.omega[fN3]*t-s.qualityPhase[r][m]) -
		0.05*max(0, util-0.75) +
		0.008*(2*s.noise(qualitySids[r][m], k)-1)
	for _, in := range wc.byRegion[r] {
		if env := in.envelope(t); env > 0 {
			if in.kind == kBurst {
				q -= (0.08 + 0.4*in.phi) * env
			} else {
				q -= 0.05 * env
			}
		}
	}
	return clamp(q, 0, 1)
}

// groupLoad is the utilisation of an instance group and how strongly its
// regions' latency spikes and error bursts are felt.
func (s *Sim) groupLoad(g int, b *basis, wc *weekCtx) (util, spike, burst float64) {
	rate, capa := 0.0, 0.0
	for _, r := range instanceGroups[g] {
		rate += s.regRate[r].at(b)
		capa += capacityFactor * s.regBase[r]
		for _, in := range wc.byRegion[r] {
			if env := in.envelope(b.t); env > 0 {
				if in.kind == kSpike {
					spike = max(spike, env)
				} else {
					burst = max(burst, env)
				}
			}
		}
	}
	return rate / capa, spike, burst
}

// valueAt evaluates series d at step k without any cache but the week's.
func (s *Sim) valueAt(d *seriesDef, k int64) float64 {
	var b basis
	s.basisAt(k, &b)
	return s.eval(d, k, &b, s.week(weekOfStep(k)))
}
