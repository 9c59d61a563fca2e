package influx

import (
	"context"
	"fmt"
	"math"
	"slices"
	"strconv"
	"time"

	"github.com/prometheus/prometheus/model/labels"

	"github.com/wallboard/wallboard/datasources"
	"github.com/wallboard/wallboard/datasources/sim"
)

// Writer accepts line protocol whose timestamps are Unix milliseconds.
// InfluxQL (1.x /write) and Flux (2.x write API) are Writers.
type Writer interface {
	WriteLines(ctx context.Context, lines []byte) error
}

// simBatch is how many lines WriteSim sends per write.
const simBatch = 5000

// WriteSim writes the simulator's series (gauges, counters, the latency
// histogram's _bucket, _sum and _count, and pushed series) at every one of
// their samples in [from, to] to w, in batches, as line protocol: the
// metric name is the measurement, the other labels are tags, the sample is
// the float field "value", the time is in milliseconds. It returns how many
// lines were written; on error, the lines of the batches before it were.
func WriteSim(ctx context.Context, w Writer, s *sim.Sim, from, to time.Time) (int, error) {
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
			buf = AppendLine(buf, name, tags, v, t)
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

// AppendLine appends one line of line protocol to dst: measurement, the
// tags in name order (empty values left out, as line protocol requires),
// the float field "value" and the time in Unix milliseconds. NaN and Inf
// cannot be written; callers skip them.
func AppendLine(dst []byte, measurement string, tags datasources.Labels, value float64, ms int64) []byte {
	dst = appendEscaped(dst, measurement, false)
	names := make([]string, 0, len(tags))
	for k, v := range tags {
		if k != "" && v != "" {
			names = append(names, k)
		}
	}
	slices.Sort(names)
	for _, k := range names {
		dst = append(dst, ',')
		dst = appendEscaped(dst, k, true)
		dst = append(dst, '=')
		dst = appendEscaped(dst, tags[k], true)
	}
	dst = append(dst, " value="...)
	dst = strconv.AppendFloat(dst, value, 'f', -1, 64)
	dst = append(dst, ' ')
	dst = strconv.AppendInt(dst, ms, 10)
	return append(dst, '\n')
}

// appendEscaped escapes commas and spaces (and, in tags, equals signs) and
// turns newlines, which line protocol cannot carry, into spaces.
func appendEscaped(dst []byte, s string, tag bool) []byte {
	for i := 0; i < len(s); i++ {
		switch c := s[i]; c {
		case ',', ' ':
			dst = append(dst, '\\', c)
		case '=':
			if tag {
				dst = append(dst, '\\')
			}
			dst = append(dst, c)
		case '\n', '\r':
			dst = append(dst, '\\', ' ')
		default:
			dst = append(dst, c)
		}
	}
	return dst
}
