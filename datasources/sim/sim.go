package sim

import (
	"math"
	"sync"
	"time"

	"github.com/prometheus/prometheus/promql"
)

// Step is the simulator's resolution: every series has exactly one sample
// at each multiple of Step since the Unix epoch.
const Step = 15 * time.Second

// DefaultSeed is the seed of the built-in dashboards' simulator. New(0)
// uses it too, so a layout that leaves its seed out gets the same numbers.
const DefaultSeed int64 = 0x5EED

const (
	stepMs  = int64(Step / time.Millisecond)
	stepSec = float64(Step / time.Second)
	daySec  = 86400
	weekSec = 7 * daySec
)

// Region is one region of the simulated service.
type Region struct {
	Name string
	// Lat and Lon are the region's coordinates in degrees (for geo-maps).
	Lat, Lon float64
	// UTCOffset is the region's local time zone (fixed, no daylight
	// saving): its traffic peaks around 14:00 local time.
	UTCOffset time.Duration
}

// regionSpec adds the traffic model to a Region.
type regionSpec struct {
	Region
	rps   float64 // mean requests/s over all models
	price float64 // relative price of a GPU second in the region
}

var regionSpecs = [...]regionSpec{
	{Region{"us-east", 38.9, -77.0, -5 * time.Hour}, 32, 1.00},
	{Region{"us-west", 37.4, -122.1, -8 * time.Hour}, 22, 1.05},
	{Region{"eu-west", 53.3, -6.3, 0}, 20, 1.10},
	{Region{"eu-central", 50.1, 8.7, 1 * time.Hour}, 24, 1.10},
	{Region{"ap-south", 19.1, 72.9, 5*time.Hour + 30*time.Minute}, 18, 0.90},
	{Region{"ap-northeast", 35.7, 139.7, 9 * time.Hour}, 26, 1.25},
	{Region{"sa-east", -23.5, -46.6, -3 * time.Hour}, 10, 1.15},
}

type modelSpec struct {
	name     string
	share    float64 // share of a region's requests
	audioSec float64 // mean audio length, seconds
	gpu      float64 // relative GPU cost per audio second
	quality  float64 // typical enhancement quality score
}

var modelSpecs = [...]modelSpec{
	{"denoise-v3", 0.5, 48, 1.0, 0.87},
	{"dereverb-v2", 0.3, 75, 1.4, 0.81},
	{"voice-boost-v1", 0.2, 30, 0.7, 0.90},
}

// Error reasons and their baseline share of requests.
var (
	reasonNames = [...]string{"timeout", "decode", "internal"}
	reasonEps   = [...]float64{0.004, 0.003, 0.003}
)

const (
	nRegions   = len(regionSpecs)
	nModels    = len(modelSpecs)
	nReasons   = len(reasonNames)
	nInstances = 6
	nBuckets   = 10 // including +Inf
)

// Latency histogram buckets (upper bounds, seconds); the last is +Inf.
var bucketLE = [nBuckets]float64{0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, math.Inf(1)}

// Cumulative bucket fractions of the three latency populations: fast (the
// bulk), slow (grows with load) and tail (a fixed trickle of very slow
// requests, and where a latency spike sends part of the fast traffic).
// For every bucket tail <= slow <= fast, which the jitter bound relies on.
var (
	cdfFast = [nBuckets]float64{0.04, 0.25, 0.66, 0.95, 0.99, 0.998, 0.9997, 1, 1, 1}
	cdfSlow = [nBuckets]float64{0, 0.01, 0.06, 0.30, 0.66, 0.90, 0.985, 0.997, 0.9995, 1}
	cdfTail = [nBuckets]float64{0, 0.001, 0.004, 0.015, 0.05, 0.14, 0.40, 0.70, 0.92, 1}
)

// Instances: two GPU nodes per group of regions.
var instanceGroups = [3][]int{
	{0, 1, 6}, // Americas: us-east, us-west, sa-east
	{2, 3},    // Europe: eu-west, eu-central
	{4, 5},    // Asia: ap-south, ap-northeast
}

// Traffic shape. The relative rate of a (region, model) is
//
//	g(t) = 1 + Σ_j amp_j·cos(ω_j·t − φ_j)
//
// over a daily wave, its second harmonic, a weekly wave and three seeded
// "weather" waves; the amplitudes sum to 1−gMin, so g >= gMin always.
const (
	ampDay  = 0.45
	ampDay2 = 0.10
	ampWeek = 0.08
	ampN1   = 0.05
	ampN2   = 0.04
	ampN3   = 0.03
	gMin    = 1 - ampDay - ampDay2 - ampWeek - ampN1 - ampN2 - ampN3 // 0.25

	slowShare = 0.15 // κ: slow requests' share of the mean rate
	slowAmp   = 0.80 // the slow share's daily swing (peaks with load)
	tailShare = 0.01 // τ: share of requests in the tail population

	// Incidents are paid for within their week (see weekCtx): the ordinary
	// error or tail rate of that week gives up at most these fractions.
	maxErrComp  = 0.8
	maxTailComp = 0.8

	capacityFactor = 1.9 // a region's capacity over its mean rate
)

// basis frequency indices: each frequency contributes sin and cos.
const (
	fDay = iota
	fDay2
	fWeek
	fN1
	fN2
	fN3
	nFreq
	nb = 2 * nFreq
)

// basis holds sin/cos of every frequency at one time: every cumulative
// count and rate of the model is an affine function of it.
type basis struct {
	t float64
	v [nb]float64 // v[2j] = sin(ω_j t), v[2j+1] = cos(ω_j t)
}

// lin is slope·t + icpt + coef·basis.
type lin struct {
	slope, icpt float64
	coef        [nb]float64
}

func (l *lin) at(b *basis) float64 {
	s := l.slope*b.t + l.icpt
	for i := range l.coef {
		s += l.coef[i] * b.v[i]
	}
	return s
}

func (l *lin) add(o *lin, k float64) {
	l.slope += k * o.slope
	l.icpt += k * o.icpt
	for i := range l.coef {
		l.coef[i] += k * o.coef[i]
	}
}

// addWave adds amp·cos(ω t − φ) to a rate and its integral to a count.
func addWave(rate, count *lin, f int, omega, amp, phi float64) {
	sp, cp := math.Sincos(phi)
	// cos(ωt−φ) = cos ωt·cos φ + sin ωt·sin φ
	rate.coef[2*f] += amp * sp
	rate.coef[2*f+1] += amp * cp
	// ∫ = (amp/ω)·sin(ωt−φ) = (amp/ω)(sin ωt·cos φ − cos ωt·sin φ); the
	// intercept amp/ω keeps the count positive from t = 0 on.
	count.coef[2*f] += amp / omega * cp
	count.coef[2*f+1] -= amp / omega * sp
	count.icpt += amp / omega
}

// Sim is the deterministic simulator of the audio-enhancement service. Its
// numbers are pure functions of (seed, series, time); it keeps no clock
// and no state except pushed samples and caches. It is safe for
// concurrent use.
type Sim struct {
	seed  int64
	useed uint64

	omega [nFreq]float64

	// rates (per second) and cumulative counts, per region and model and
	// per region (sums over models).
	reqRate, reqCount [nRegions][nModels]lin
	regRate, regCount [nRegions]lin
	slowCount         [nRegions]lin
	base              [nRegions][nModels]float64 // mean requests/s
	regBase           [nRegions]float64
	infraCost         [nRegions]float64 // USD/s
	qualityOffset     [nRegions]float64
	qualityPhase      [nRegions][nModels]float64
	memPhase          [nInstances]float64

	series []*seriesDef            // sorted by labels
	byName map[string][]*seriesDef // sorted by labels too

	weeks weekCache

	engine *promql.Engine
	push   *pushStore

	basisPool sync.Pool
}

// New returns a simulator whose numbers are derived from seed (0 means
// DefaultSeed). Two simulators with the same seed produce identical series.
func New(seed int64) *Sim {
	if seed == 0 {
		seed = DefaultSeed
	}
	s := &Sim{seed: seed, useed: mix(uint64(seed) ^ 0x5157_0000_0000_0001)}
	s.initModel()
	s.initSeries()
	s.weeks.init()
	s.push = newPushStore(defaultPushSeries, defaultPushSamples)
	s.engine = newEngine()
	return s
}

// Seed returns the simulator's seed.
func (s *Sim) Seed() int64 { return s.seed }

// Close releases the PromQL engine. The Sim must not be used afterwards.
func (s *Sim) Close() error { return s.engine.Close() }

// rnd returns a seeded uniform number in [0, 1) for a model parameter.
func (s *Sim) rnd(tag string, a, b int) float64 {
	return unit(hash(s.useed, strHash(tag), uint64(a)<<32|uint64(uint32(b))))
}

func (s *Sim) initModel() {
	hour := 3600.0
	s.omega[fDay] = 2 * math.Pi / daySec
	s.omega[fDay2] = 4 * math.Pi / daySec
	s.omega[fWeek] = 2 * math.Pi / weekSec
	// Seeded "weather": periods of 11–19 min, 41–67 min, 2.5–4 h.
	s.omega[fN1] = 2 * math.Pi / ((11 + 8*s.rnd("p", 1, 0)) * 60)
	s.omega[fN2] = 2 * math.Pi / ((41 + 26*s.rnd("p", 2, 0)) * 60)
	s.omega[fN3] = 2 * math.Pi / ((2.5 + 1.5*s.rnd("p", 3, 0)) * hour)
	for r := range regionSpecs {
		rs := &regionSpecs[r]
		off := rs.UTCOffset.Seconds()
		// Peak at 14:00 local: ω(t_utc + off − 14 h) = 0.
		phiDay := s.omega[fDay] * (14*hour - off)
		// Second harmonic: a dip after lunch, an evening shoulder.
		phiDay2 := s.omega[fDay2]*(20*hour-off) + 0.6*(s.rnd("d2", r, 0)-0.5)
		// Weekly: the epoch was a Thursday; peak Tuesday noon local,
		// lowest at the weekend.
		phiWeek := s.omega[fWeek] * (5*daySec + 12*hour - off)
		mean := rs.rps * (0.9 + 0.2*s.rnd("rps", r, 0))
		s.infraCost[r] = 0.012 * mean / 20 * rs.price
		s.qualityOffset[r] = 0.04 * (s.rnd("q", r, 0) - 0.5)
		for m := range modelSpecs {
			b := mean * modelSpecs[m].share * (0.92 + 0.16*s.rnd("share", r, m))
			s.base[r][m] = b
			s.regBase[r] += b
			var rate, count lin
			rate.icpt = 1
			count.slope = 1
			addWave(&rate, &count, fDay, s.omega[fDay], ampDay, phiDay)
			addWave(&rate, &count, fDay2, s.omega[fDay2], ampDay2, phiDay2)
			addWave(&rate, &count, fWeek, s.omega[fWeek], ampWeek, phiWeek)
			addWave(&rate, &count, fN1, s.omega[fN1], ampN1, 2*math.Pi*s.rnd("n1", r, m))
			addWave(&rate, &count, fN2, s.omega[fN2], ampN2, 2*math.Pi*s.rnd("n2", r, m))
			addWave(&rate, &count, fN3, s.omega[fN3], ampN3, 2*math.Pi*s.rnd("n3", r, m))
			s.reqRate[r][m].add(&rate, b)
			s.reqCount[r][m].add(&count, b)
			s.regRate[r].add(&rate, b)
			s.regCount[r].add(&count, b)
			s.qualityPhase[r][m] = 2 * math.Pi * s.rnd("qp", r, m)
		}
		// Slow requests: κ·mean·(1 + B·cos(day)), at most (1−τ) of all
		// requests at any time (see the constants).
		var slowR, slowC lin
		slowR.icpt = 1
		slowC.slope = 1
		addWave(&slowR, &slowC, fDay, s.omega[fDay], slowAmp, phiDay)
		s.slowCount[r].add(&slowC, slowShare*s.regBase[r])
	}
	for i := range s.memPhase {
		s.memPhase[i] = s.rnd("mem", i, 0) * 6 * hour
	}
}

// basisAt computes the basis at step k.
func (s *Sim) basisAt(k int64, b *basis) {
	t := float64(k) * stepSec
	b.t = t
	for f := 0; f < nFreq; f++ {
		b.v[2*f], b.v[2*f+1] = math.Sincos(s.omega[f] * t)
	}
}

// noise is the per-step hash noise of a series, uniform in [0, 1).
func (s *Sim) noise(sid uint64, k int64) float64 {
	return unit(hash(s.useed, sid, uint64(k)))
}

// Hashing: splitmix64's finalizer, fast and well mixed.
func mix(x uint64) uint64 {
	x ^= x >> 30
	x *= 0xbf58476d1ce4e5b9
	x ^= x >> 27
	x *= 0x94d049bb133111eb
	x ^= x >> 31
	return x
}

func hash(seed, a, b uint64) uint64 {
	return mix(mix(seed^(a*0x9E3779B97F4A7C15)) + b*0xC2B2AE3D27D4EB4F)
}

func unit(h uint64) float64 { return float64(h>>11) * (1.0 / (1 << 53)) }

// strHash is FNV-1a, for series ids and parameter tags.
func strHash(s string) uint64 {
	h := uint64(14695981039346656037)
	for i := 0; i < len(s); i++ {
		h ^= uint64(s[i])
		h *= 1099511628211
	}
	return h
}

// floorDiv and ceilDiv divide rounding toward −∞ and +∞.
func floorDiv(a, b int64) int64 {
	q := a / b
	if (a%b != 0) && ((a < 0) != (b < 0)) {
		q--
	}
	return q
}

func ceilDiv(a, b int64) int64 { return -floorDiv(-a, b) }

// Regions returns the simulated regions.
func Regions() []Region {
	out := make([]Region, nRegions)
	for i := range regionSpecs {
		out[i] = regionSpecs[i].Region
	}
	return out
}

// Models returns the simulated enhancement models.
func Models() []string {
	out := make([]string, nModels)
	for i := range modelSpecs {
		out[i] = modelSpecs[i].name
	}
	return out
}

// Instances returns the simulated GPU nodes.
func Instances() []string {
	out := make([]string, nInstances)
	for i := range out {
		out[i] = instanceName(i)
	}
	return out
}

func instanceName(i int) string { return "gpu-node-" + string(rune('1'+i)) }

func clamp(v, lo, hi float64) float64 {
	if v < lo {
		return lo
	}
	if v > hi {
		return hi
	}
	return v
}
