package sim

import (
	"slices"
	"sync"
	"time"
)

// IncidentKind is the kind of a simulated incident.
type IncidentKind string

// Incident kinds; they are also the values of sim_incident_active's kind label.
const (
	// ErrorBurst: a share of a region's requests fail (mostly for one
	// reason), its quality score dips and its queue grows a little.
	ErrorBurst IncidentKind = "error_burst"
	// LatencySpike: a share of a region's fast requests become very slow
	// (p95/p99 jump), its queue fills, its GPU nodes run hot and quality dips.
	LatencySpike IncidentKind = "latency_spike"
)

var incidentKinds = [...]IncidentKind{ErrorBurst, LatencySpike}

const (
	kBurst = 0
	kSpike = 1
)

// Incident is one simulated incident, active during [Start, End).
type Incident struct {
	Kind   IncidentKind
	Region string
	Start  time.Time
	End    time.Time
	// Intensity is the extra error ratio of an error burst (0.12–0.35) or
	// the share of fast requests slowed down by a latency spike (0.25–0.6),
	// as simulated (a week with many incidents in one region gets them
	// toned down).
	Intensity float64
}

// incident is an Incident with what the counters need precomputed.
type incident struct {
	kind, region int
	reason       int     // an error burst's dominant reason
	s, e         int64   // seconds since the epoch, on the Step grid
	phi          float64 // intensity, after the week's scaling
	reqS, reqE   [nModels]float64
	fastS, fastE float64
}

// Incidents per day: 2 to 4, 5 to 30 minutes long, placed by the seed;
// each ends within its UTC day, and incidents of the same kind in the same
// region never overlap.
const (
	stepsPerDay     = daySec / int64(stepSec)
	minIncSteps     = 20  // 5 min
	maxIncSteps     = 120 // 30 min
	incidentRampSec = 120.0
)

func (s *Sim) dayIncidents(d int64, out []incident) []incident {
	n := 2 + int(hash(s.useed, strHash("incidents"), uint64(d))%3)
	first := len(out)
	for j := 0; j < n; j++ {
		h := hash(s.useed^0x1ac1de47, uint64(d), uint64(j))
		in := incident{
			kind:   int(h & 1),
			region: int((h >> 1) % uint64(nRegions)),
			reason: int((h >> 56) % uint64(nReasons)),
		}
		dur := minIncSteps + int64((h>>8)%(maxIncSteps-minIncSteps+1))
		st := int64((h >> 20) % uint64(stepsPerDay-dur))
		in.s = d*daySec + st*int64(stepSec)
		in.e = in.s + dur*int64(stepSec)
		u := unit(hash(s.useed^0x1ac1de47, uint64(d), uint64(j)+1000))
		if in.kind == kBurst {
			in.phi = 0.12 + 0.23*u
		} else {
			in.phi = 0.25 + 0.35*u
		}
		overlap := false
		for _, o := range out[first:] {
			if o.kind == in.kind && o.region == in.region && in.s < o.e && o.s < in.e {
				overlap = true
				break
			}
		}
		if !overlap {
			out = append(out, in)
		}
	}
	return out
}

// weekCtx holds a week's incidents and the numbers that make them cost
// nothing outside their week: extra errors (and extra tail latency) in a
// week are paid for by a slightly lower ordinary error (tail) rate over
// the whole week, so every cumulative count at a week boundary is the
// closed-form baseline. That keeps every counter a pure function of time
// with no sum over history.
type weekCtx struct {
	w        int64
	start    int64 // seconds
	inc      []incident
	byRegion [nRegions][]*incident
	reqStart [nRegions][nModels]float64
	regStart [nRegions]float64
	errC     [nRegions][nModels][nReasons]float64
	tailC    [nRegions]float64
}

func burstWeight(in *incident, q int) float64 {
	if in.reason == q {
		return 0.6
	}
	return 0.2
}

func (s *Sim) fastCount(r int, b *basis) float64 {
	return (1-tailShare)*s.regCount[r].at(b) - s.slowCount[r].at(b)
}

func (s *Sim) buildWeek(w int64) *weekCtx {
	wc := &weekCtx{w: w, start: w * weekSec}
	for d := w * 7; d < w*7+7; d++ {
		wc.inc = s.dayIncidents(d, wc.inc)
	}
	slices.SortStableFunc(wc.inc, func(a, b incident) int {
		switch {
		case a.s < b.s:
			return -1
		case a.s > b.s:
			return 1
		}
		return 0
	})
	var b basis
	var reqEnd [nRegions][nModels]float64
	var regEnd [nRegions]float64
	s.basisAt(wc.start/int64(stepSec), &b)
	for r := 0; r < nRegions; r++ {
		for m := 0; m < nModels; m++ {
			wc.reqStart[r][m] = s.reqCount[r][m].at(&b)
		}
		wc.regStart[r] = s.regCount[r].at(&b)
	}
	s.basisAt((wc.start+weekSec)/int64(stepSec), &b)
	for r := 0; r < nRegions; r++ {
		for m := 0; m < nModels; m++ {
			reqEnd[r][m] = s.reqCount[r][m].at(&b)
		}
		regEnd[r] = s.regCount[r].at(&b)
	}
	for i := range wc.inc {
		in := &wc.inc[i]
		s.basisAt(in.s/int64(stepSec), &b)
		for m := 0; m < nModels; m++ {
			in.reqS[m] = s.reqCount[in.region][m].at(&b)
		}
		in.fastS = s.fastCount(in.region, &b)
		s.basisAt(in.e/int64(stepSec), &b)
		for m := 0; m < nModels; m++ {
			in.reqE[m] = s.reqCount[in.region][m].at(&b)
		}
		in.fastE = s.fastCount(in.region, &b)
		wc.byRegion[in.region] = append(wc.byRegion[in.region], in)
	}
	for r := 0; r < nRegions; r++ {
		// Error bursts: one scale per region-week keeps every
		// (model, reason) within its compensation budget.
		scale := 1.0
		for m := 0; m < nModels; m++ {
			for q := 0; q < nReasons; q++ {
				x := 0.0
				for _, in := range wc.byRegion[r] {
					if in.kind == kBurst {
						x += in.phi * burstWeight(in, q) * (in.reqE[m] - in.reqS[m])
					}
				}
				budget := maxErrComp * reasonEps[q] * (reqEnd[r][m] - wc.reqStart[r][m])
				if x > budget {
					scale = min(scale, budget/x)
				}
			}
		}
		xt := 0.0
		for _, in := range wc.byRegion[r] {
			if in.kind == kBurst {
				in.phi *= scale
			} else {
				xt += in.phi * (in.fastE - in.fastS)
			}
		}
		for m := 0; m < nModels; m++ {
			for q := 0; q < nReasons; q++ {
				x := 0.0
				for _, in := range wc.byRegion[r] {
					if in.kind == kBurst {
						x += in.phi * burstWeight(in, q) * (in.reqE[m] - in.reqS[m])
					}
				}
				wc.errC[r][m][q] = x / (reasonEps[q] * (reqEnd[r][m] - wc.reqStart[r][m]))
			}
		}
		// Latency spikes: the same for the tail population.
		tb := tailShare * (regEnd[r] - wc.regStart[r])
		tscale := 1.0
		if xt > maxTailComp*tb {
			tscale = maxTailComp * tb / xt
		}
		xt = 0
		for _, in := range wc.byRegion[r] {
			if in.kind == kSpike {
				in.phi *= tscale
				xt += in.phi * (in.fastE - in.fastS)
			}
		}
		wc.tailC[r] = xt / tb
	}
	return wc
}

// errCount is the real-valued cumulative error count of (r, m, q) at the
// basis time, given the cumulative request count irm there.
func (wc *weekCtx) errCount(r, m, q int, t, irm float64) float64 {
	x := 0.0
	for _, in := range wc.byRegion[r] {
		if in.kind != kBurst || t <= float64(in.s) {
			continue
		}
		hi := irm
		if t >= float64(in.e) {
			hi = in.reqE[m]
		}
		x += in.phi * burstWeight(in, q) * (hi - in.reqS[m])
	}
	eps := reasonEps[q]
	return eps*irm + x - wc.errC[r][m][q]*eps*(irm-wc.reqStart[r][m])
}

// tailCount is the cumulative count of tail-latency requests of region r,
// given the region's cumulative requests ir and fast requests fast.
func (wc *weekCtx) tailCount(r int, t, ir, fast float64) float64 {
	x := 0.0
	for _, in := range wc.byRegion[r] {
		if in.kind != kSpike || t <= float64(in.s) {
			continue
		}
		hi := fast
		if t >= float64(in.e) {
			hi = in.fastE
		}
		x += in.phi * (hi - in.fastS)
	}
	return tailShare*ir + x - wc.tailC[r]*tailShare*(ir-wc.regStart[r])
}

// envelope is how strongly an incident is felt at t: 0 outside [s, e),
// ramping up over its first two minutes and down over its last two.
func (in *incident) envelope(t float64) float64 {
	s, e := float64(in.s), float64(in.e)
	if t < s || t >= e {
		return 0
	}
	return min(1, (t-s+stepSec)/incidentRampSec, (e-t)/incidentRampSec)
}

// weekCache memoizes weekCtx values; they are pure functions of (seed, week).
type weekCache struct {
	mu sync.Mutex
	m  map[int64]*weekCtx
}

const maxCachedWeeks = 64

func (c *weekCache) init() { c.m = make(map[int64]*weekCtx) }

func weekOfStep(k int64) int64 { return floorDiv(k, weekSec/int64(stepSec)) }

func (s *Sim) week(w int64) *weekCtx {
	s.weeks.mu.Lock()
	wc := s.weeks.m[w]
	s.weeks.mu.Unlock()
	if wc != nil {
		return wc
	}
	wc = s.buildWeek(w)
	s.weeks.mu.Lock()
	if old := s.weeks.m[w]; old != nil {
		wc = old
	} else {
		if len(s.weeks.m) >= maxCachedWeeks {
			for k := range s.weeks.m {
				delete(s.weeks.m, k)
				if len(s.weeks.m) < maxCachedWeeks/2 {
					break
				}
			}
		}
		s.weeks.m[w] = wc
	}
	s.weeks.mu.Unlock()
	return wc
}

// Incidents returns the simulated incidents active at some time in
// [from, to), in order of their start. They are a pure function of the
// seed: any range, past or future, can be asked for.
func (s *Sim) Incidents(from, to time.Time) []Incident {
	if !to.After(from) {
		return nil
	}
	fs, ts := from.Unix(), to.Unix()+1
	var out []Incident
	for w := floorDiv(fs, weekSec); w <= floorDiv(ts, weekSec); w++ {
		wc := s.week(w)
		for i := range wc.inc {
			in := &wc.inc[i]
			st, en := time.Unix(in.s, 0).UTC(), time.Unix(in.e, 0).UTC()
			if st.Before(to) && en.After(from) {
				out = append(out, Incident{
					Kind:      incidentKinds[in.kind],
					Region:    regionSpecs[in.region].Name,
					Start:     st,
					End:       en,
					Intensity: in.phi,
				})
			}
		}
	}
	return out
}
