package history

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/wallboard/wallboard/datasources"
)

// QueryKey is the query string under which the scheduler stores the results
// of q: everything that shapes them except the time range (expression,
// legend, step, instant). It is readable, since the Queryable shows it as
// the label __query__.
func QueryKey(q datasources.Query) string {
	kind := "range"
	if q.Instant {
		kind = "instant"
	}
	return fmt.Sprintf("%s step=%s legend=%q expr=%s", kind, q.Step, q.Legend, q.Expr)
}

// identity is what tells series of one query apart: the name and the labels.
func identity(name string, l datasources.Labels) string {
	keys := make([]string, 0, len(l))
	for k := range l {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	var b strings.Builder
	b.WriteString(name)
	for _, k := range keys {
		b.WriteByte(0)
		b.WriteString(k)
		b.WriteByte(0)
		b.WriteString(l[k])
	}
	return b.String()
}

// MinGap is the smallest spacing kept where a fetched tail meets older
// points, for a query at step: nine tenths of the step (0 for step 0).
func MinGap(step time.Duration) time.Duration { return step * 9 / 10 }

// MergePoints returns old with its points in [from, to] (ms) replaced by
// tail, the fresh answer of the source for that range. Where the tail
// meets the older points, leading tail points closer than minGap (ms) to
// the last older point are dropped, so that a series refreshed by tails
// anchored at different instants keeps about one point per step. Both
// inputs must be in increasing time order; neither is modified.
func MergePoints(old, tail []datasources.Point, from, to, minGap int64) []datasources.Point {
	i := 0
	for i < len(old) && old[i].T < from {
		i++
	}
	j := i
	for j < len(old) && old[j].T <= to {
		j++
	}
	if minGap > 0 && i > 0 {
		for len(tail) > 1 && tail[0].T-old[i-1].T < minGap {
			tail = tail[1:]
		}
	}
	out := make([]datasources.Point, 0, i+len(tail)+len(old)-j)
	out = append(out, old[:i]...)
	out = append(out, tail...)
	return append(out, old[j:]...)
}

// MergeSeries merges tail, the answer of a source over [from, to] (ms),
// into old, series by series (matched by name and labels) with
// MergePoints. Series only in old keep their points; series only in tail
// are added after the others. The result shares no point slice that it
// changed with its inputs, so old may be a published, immutable result.
func MergeSeries(old, tail []datasources.Series, from, to, minGap int64) []datasources.Series {
	out := make([]datasources.Series, len(old), len(old)+len(tail))
	copy(out, old)
	idx := make(map[string]int, len(old)+len(tail))
	for i, s := range old {
		idx[identity(s.Name, s.Labels)] = i
	}
	for _, s := range tail {
		id := identity(s.Name, s.Labels)
		if i, ok := idx[id]; ok {
			out[i].Points = MergePoints(out[i].Points, s.Points, from, to, minGap)
			continue
		}
		idx[id] = len(out)
		out = append(out, s)
	}
	return out
}

// sortedPoints returns pts in strictly increasing time order: pts itself
// when it already is, else a sorted copy keeping the last of equal times.
func sortedPoints(pts []datasources.Point) []datasources.Point {
	ok := true
	for i := 1; i < len(pts); i++ {
		if pts[i].T <= pts[i-1].T {
			ok = false
			break
		}
	}
	if ok {
		return pts
	}
	cp := slices.Clone(pts)
	slices.SortStableFunc(cp, func(a, b datasources.Point) int {
		switch {
		case a.T < b.T:
			return -1
		case a.T > b.T:
			return 1
		}
		return 0
	})
	out := cp[:0]
	for _, p := range cp {
		if len(out) > 0 && out[len(out)-1].T == p.T {
			out[len(out)-1] = p
			continue
		}
		out = append(out, p)
	}
	return out
}
