package datasources

import (
	"context"
	"errors"
	"fmt"
	"math"
	"sort"
	"strings"
	"time"
)

// Source answers queries for numbers. Implementations must honour ctx
// (deadline and cancellation) and be safe for concurrent use.
type Source interface {
	Query(ctx context.Context, q Query) (*Result, error)
}

// Query is one expression evaluated over a time range (Range) or at one
// instant (Instant, at End).
type Query struct {
	// Expr is the expression in the source's language (PromQL for the
	// simulator and Prometheus).
	Expr string
	// Legend is a template for series names, e.g. "{{region}}"; empty
	// means the series' labels.
	Legend string
	Start  time.Time
	End    time.Time
	// Step is the resolution of a range query.
	Step time.Duration
	// Instant asks for one value per series at End.
	Instant bool
}

// Key identifies a query for de-duplication; the time range is not part of it.
func (q Query) Key() string {
	return fmt.Sprintf("%s\x00%s\x00%d\x00%t", q.Expr, q.Legend, q.Step, q.Instant)
}

// Point is one sample: T in Unix milliseconds, V its value (NaN is a gap).
type Point struct {
	T int64
	V float64
}

// Time returns the sample's time.
func (p Point) Time() time.Time { return time.UnixMilli(p.T) }

// Series is a named sequence of points in increasing time order.
type Series struct {
	// Name is the display name: the rendered legend, or the labels.
	Name   string
	Labels Labels
	Points []Point
}

// Last returns the last non-NaN point and true, or false when there is none.
func (s Series) Last() (Point, bool) {
	for i := len(s.Points) - 1; i >= 0; i-- {
		if !math.IsNaN(s.Points[i].V) {
			return s.Points[i], true
		}
	}
	return Point{}, false
}

// Result is an immutable snapshot of a query's answer. Callers must not
// modify it once it has been returned.
type Result struct {
	Series []Series
	// Fetched is when the data was produced by its source.
	Fetched time.Time
	// Stale is set when the source failed and this is the last good data.
	Stale bool
	// Err is the last error of the source, if any.
	Err error
}

// Age is how old the data is at now.
func (r *Result) Age(now time.Time) time.Duration {
	if r == nil || r.Fetched.IsZero() {
		return 0
	}
	return now.Sub(r.Fetched)
}

// Labels is a set of label name/value pairs.
type Labels map[string]string

// String renders labels as {a="1", b="2"} in name order, with __name__ first
// outside the braces, as Prometheus does.
func (l Labels) String() string {
	names := make([]string, 0, len(l))
	for k := range l {
		if k != "__name__" {
			names = append(names, k)
		}
	}
	sort.Strings(names)
	var b strings.Builder
	b.WriteString(l["__name__"])
	if len(names) == 0 && b.Len() > 0 {
		return b.String()
	}
	b.WriteByte('{')
	for i, k := range names {
		if i > 0 {
			b.WriteString(", ")
		}
		fmt.Fprintf(&b, "%s=%q", k, l[k])
	}
	b.WriteByte('}')
	return b.String()
}

// FormatLegend renders a legend template such as "p95 {{region}}" with
// labels. An empty template yields the labels' String form.
func FormatLegend(tmpl string, l Labels) string {
	if tmpl == "" {
		return l.String()
	}
	var b strings.Builder
	for {
		i := strings.Index(tmpl, "{{")
		if i < 0 {
			b.WriteString(tmpl)
			break
		}
		j := strings.Index(tmpl[i:], "}}")
		if j < 0 {
			b.WriteString(tmpl)
			break
		}
		b.WriteString(tmpl[:i])
		b.WriteString(l[strings.TrimSpace(tmpl[i+2:i+j])])
		tmpl = tmpl[i+j+2:]
	}
	return b.String()
}

// Error kinds let callers (and operators) tell failures apart.
var (
	ErrUnreachable = errors.New("source unreachable")
	ErrTimeout     = errors.New("query timed out")
	ErrBadQuery    = errors.New("bad query")
	ErrServer      = errors.New("source server error")
)

// QueryError is a failed query, classified by Kind (one of the Err values).
type QueryError struct {
	Kind error
	Expr string
	Err  error
}

func (e *QueryError) Error() string {
	return fmt.Sprintf("%v: %s: %v", e.Kind, e.Expr, e.Err)
}

// Unwrap lets errors.Is match both the kind and the cause.
func (e *QueryError) Unwrap() []error { return []error{e.Kind, e.Err} }
