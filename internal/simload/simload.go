// Package simload loads the simulator's series into a real time series
// server, for tests that compare a real source with the simulator.
package simload

import (
	"context"
	"fmt"
	"math"
	"time"

	"github.com/prometheus/prometheus/model/labels"
	"github.com/wallboard/wallboard/datasources"
	"github.com/wallboard/wallboard/datasources/influx"
	"github.com/wallboard/wallboard/datasources/sim"
)

// simBatch is how many lines WriteSim sends per write.
const simBatch = 5000

// WriteSim writes the simulator's series (gauges, counters, the latency
// histogram's _bucket, _sum and _count, and pushed series) at every one of
// their samples in [from, to] to w, in batches, as line protocol: the
// metric name is the measurement, the other labels are tags, the sample is
// the float field "value", the time is in milliseconds. It returns how many
// lines were written; on error, the lines of the batches before it were.
func WriteSim(ctx context.Context, w influx.Writer, s *sim.Sim, from, to time.Time) (int, error) {
	if to.Before(from) {
		return 0, fmt.Errorf("write sim: range end %v is before start %v", to, from)
	}
	q, err := s.Querier(from.UnixMilli(), to.UnixMilli())
	if err != nil {
		return 0, fmt.Errorf("write sim: %w", err)
	}
	defer q.Close()
	set := q.Select(ctx, false, nil, labels.MustNewMatcher(labels.MatchRegexp, labels.MetricName, ".+"))
	var (
		buf     []byte
		lines   int
		pending int
		tags    = datasources.Labels{}
	)
	flush := func() error {
		if pending == 0 {
			return nil
		}
		if err := w.WriteLines(ctx, buf); err != nil {
			return fmt.Errorf("write sim: %w", err)
		}
		lines += pending
		buf, pending = buf[:0], 0
		return nil
	}
	for set.Next() {
		ser := set.At()
		clear(tags)
		name := ""
		ser.Labels().Range(func(l labels.Label) {
			if l.Name == labels.MetricName {
				name = l.Value
			} else {
				tags[l.Name] = l.Value
			}
		})
		it := ser.Iterator(nil)
		for it.Next() != 0 {
			t, v := it.At()
			if math.IsNaN(v) || math.IsInf(v, 0) {
				continue // line protocol has no NaN or Inf
			}
			buf = influx.AppendLine(buf, name, tags, v, t)
			if pending++; pending == simBatch {
				if err := flush(); err != nil {
					return lines, err
				}
			}
		}
		if err := it.Err(); err != nil {
			return lines, fmt.Errorf("write sim: %s: %w", name, err)
		}
	}
	if err := set.Err(); err != nil {
		return lines, fmt.Errorf("write sim: %w", err)
	}
	return lines, flush()
}
