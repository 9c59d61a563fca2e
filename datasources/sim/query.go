package sim

import (
	"context"
	"errors"
	"fmt"
	"math"
	"time"

	"github.com/prometheus/prometheus/model/labels"
	"github.com/prometheus/prometheus/promql"
	"github.com/prometheus/prometheus/promql/parser"

	"github.com/wallboard/wallboard/datasources"
)

// The Sim is a datasources.Source answering PromQL.
var _ datasources.Source = (*Sim)(nil)

// Engine limits.
const (
	// MaxPoints is the most points a range query may ask per series
	// (Prometheus' own limit).
	MaxPoints     = 11000
	engineTimeout = 30 * time.Second
	maxSamples    = 50_000_000
	lookbackDelta = 5 * time.Minute
)

func newEngine() *promql.Engine {
	return promql.NewEngine(promql.EngineOpts{
		MaxSamples:    maxSamples,
		Timeout:       engineTimeout,
		LookbackDelta: lookbackDelta,
		// A subquery without a step ([30m:]) runs at the data's resolution.
		NoStepSubqueryIntervalFn: func(int64) int64 { return stepMs },
		EnableAtModifier:         true,
		EnableNegativeOffset:     true,
		// Experimental functions (double_exponential_smoothing, mad_over_time,
		// sort_by_label, limitk, ...) serve forecasts and insights.
		Parser: parser.NewParser(parser.Options{EnableExperimentalFunctions: true}),
	})
}

// AutoStep is the step a range query over [start, end] gets when it asks
// for none: the program's one policy, datasources.AutoStep, at the
// simulator's Step.
func AutoStep(start, end time.Time) time.Duration {
	return datasources.AutoStep(end.Sub(start), Step)
}

// Query evaluates q.Expr with the PromQL engine over the simulator (and the
// pushed series): a range query over [q.Start, q.End] at q.Step (0: see
// AutoStep), or with q.Instant one value per series at q.End. The engine
// knows no clock: q.End is "now" for a live panel (a zero End means
// time.Now()). Result.Fetched is q.End. Errors are *datasources.QueryError:
// ErrBadQuery for expressions that do not parse or cannot be evaluated,
// ErrTimeout when ctx ends first (errors.Is also matches ctx's error).
func (s *Sim) Query(ctx context.Context, q datasources.Query) (*datasources.Result, error) {
	fail := func(kind, err error) (*datasources.Result, error) {
		return nil, &datasources.QueryError{Kind: kind, Expr: q.Expr, Err: err}
	}
	if err := ctx.Err(); err != nil {
		return fail(datasources.ErrTimeout, err)
	}
	end := q.End
	if end.IsZero() {
		end = time.Now()
	}
	var (
		qry promql.Query
		err error
	)
	if q.Instant {
		qry, err = s.engine.NewInstantQuery(ctx, s, nil, q.Expr, end)
	} else {
		start := q.Start
		if start.IsZero() || start.After(end) {
			return fail(datasources.ErrBadQuery, fmt.Errorf("range start %v is not before end %v", start, end))
		}
		step := q.Step
		if step <= 0 {
			step = AutoStep(start, end)
		}
		if pts := end.Sub(start) / step; pts > MaxPoints {
			return fail(datasources.ErrBadQuery, fmt.Errorf("%d points per series exceed %d: use a larger step", pts, MaxPoints))
		}
		qry, err = s.engine.NewRangeQuery(ctx, s, nil, q.Expr, start, end, step)
	}
	if err != nil {
		return fail(s.classify(ctx, err))
	}
	defer qry.Close()
	res := qry.Exec(ctx)
	if res.Err != nil {
		return fail(s.classify(ctx, res.Err))
	}
	out := &datasources.Result{Fetched: end}
	switch v := res.Value.(type) {
	case promql.Matrix:
		out.Series = make([]datasources.Series, 0, len(v))
		for _, ser := range v {
			pts := make([]datasources.Point, len(ser.Floats))
			for i, p := range ser.Floats {
				pts[i] = datasources.Point{T: p.T, V: p.F}
			}
			out.Series = append(out.Series, newSeries(q.Legend, ser.Metric, pts))
		}
	case promql.Vector:
		out.Series = make([]datasources.Series, 0, len(v))
		for _, smp := range v {
			val := smp.F
			if smp.H != nil {
				val = math.NaN() // native histograms have no single value
			}
			out.Series = append(out.Series, newSeries(q.Legend, smp.Metric, []datasources.Point{{T: smp.T, V: val}}))
		}
	case promql.Scalar:
		out.Series = []datasources.Series{newSeries(q.Legend, labels.EmptyLabels(), []datasources.Point{{T: v.T, V: v.V}})}
	default:
		return fail(datasources.ErrBadQuery, fmt.Errorf("result of type %s is not a number", res.Value.Type()))
	}
	return out, nil
}

// newSeries names a series by the legend; a series without labels and
// without a legend (a scalar, sum(...)) is called "value".
func newSeries(legend string, l labels.Labels, pts []datasources.Point) datasources.Series {
	m := make(datasources.Labels, l.Len())
	l.Range(func(lb labels.Label) { m[lb.Name] = lb.Value })
	name := "value"
	if legend != "" || len(m) > 0 {
		name = datasources.FormatLegend(legend, m)
	}
	return datasources.Series{Name: name, Labels: m, Points: pts}
}

// classify maps an engine error to a datasources error kind. The generated
// storage cannot fail, so whatever is not a timeout, a cancellation or a
// storage error is the expression's fault.
func (s *Sim) classify(ctx context.Context, err error) (kind, cause error) {
	var (
		timeout  promql.ErrQueryTimeout
		canceled promql.ErrQueryCanceled
		storage  promql.ErrStorage
	)
	switch {
	case ctx.Err() != nil:
		return datasources.ErrTimeout, fmt.Errorf("%w: %w", ctx.Err(), err)
	case errors.As(err, &timeout), errors.Is(err, context.DeadlineExceeded):
		return datasources.ErrTimeout, err
	case errors.As(err, &canceled), errors.Is(err, context.Canceled):
		return datasources.ErrTimeout, err
	case errors.As(err, &storage):
		return datasources.ErrServer, err
	}
	return datasources.ErrBadQuery, err
}

// LabelValues returns the sorted values of the label name over every
// series (generated and pushed), for dashboard variables.
func (s *Sim) LabelValues(ctx context.Context, name string) ([]string, error) {
	q := &querier{s: s, mint: math.MinInt64, maxt: math.MaxInt64}
	vals, _, err := q.LabelValues(ctx, name, nil)
	return vals, err
}
