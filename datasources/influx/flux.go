package influx

import (
	"context"
	"encoding/base64"
	"encoding/csv"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	influxdb2 "github.com/influxdata/influxdb-client-go/v2"
	"github.com/influxdata/influxdb-client-go/v2/api"
	ihttp "github.com/influxdata/influxdb-client-go/v2/api/http"

	"github.com/wallboard/wallboard/datasources"
	"github.com/wallboard/wallboard/internal/httpsrc"
)

// The Flux source is a datasources.Source and a Writer.
var (
	_ datasources.Source = (*Flux)(nil)
	_ Writer             = (*Flux)(nil)
)

// Flux queries an InfluxDB 2.x or Cloud server in Flux through
// influxdb-client-go and writes line protocol through its blocking write
// API. It is safe for concurrent use.
type Flux struct {
	common
	client      influxdb2.Client
	query       api.QueryAPI
	org, bucket string
}

// NewFlux returns a Flux source for cfg. Token authenticates; Username
// and Password, when given instead, are sent as the token "user:password"
// (InfluxDB 1.8+ compatibility API). It does not contact the server.
func NewFlux(cfg Config) (*Flux, error) {
	c, err := newCommon(cfg)
	if err != nil {
		return nil, fmt.Errorf("flux: %w", err)
	}
	token := cfg.Token
	if token == "" && (cfg.Username != "" || cfg.Password != "") {
		token = cfg.Username + ":" + cfg.Password
	}
	opts := influxdb2.DefaultOptions().
		SetHTTPClient(c.http).
		SetApplicationName("wallboard").
		SetPrecision(time.Millisecond)
	client := influxdb2.NewClientWithOptions(cfg.URL, token, opts)
	return &Flux{common: c, client: client, query: client.QueryAPI(cfg.Org), org: cfg.Org, bucket: cfg.Bucket}, nil
}

// Close releases the client's resources and idle connections.
func (s *Flux) Close() error {
	s.client.Close()
	return s.common.Close()
}

// Query runs q.Expr after ExpandFlux with the query's range, step
// (Step(q.Start, q.End, q.Step)) and the source's bucket. Each table of the
// answer becomes a series (see the package documentation), named by
// q.Legend (empty: "measurement.field{labels}"). With q.Instant each
// series keeps only its last value; the range is then [q.Start, q.End], or
// the 5 minutes before q.End when Start is zero. Result.Fetched is the
// range's end.
func (s *Flux) Query(ctx context.Context, q datasources.Query) (*datasources.Result, error) {
	end := q.End
	if end.IsZero() {
		end = time.Now()
	}
	start := q.Start
	switch {
	case q.Instant && start.IsZero():
		start = end.Add(-5 * time.Minute)
	case start.IsZero() || !start.Before(end):
		return nil, &datasources.QueryError{Kind: datasources.ErrBadQuery, Expr: q.Expr,
			Err: fmt.Errorf("range start %v is not before end %v", start, end)}
	}
	ctx, cancel, budget := s.deadline(ctx)
	defer cancel()
	flux := ExpandFlux(q.Expr, start, end, s.Step(start, end, q.Step), s.bucket)
	res, err := s.query.Query(ctx, flux)
	if err != nil {
		return nil, s.clientFail(ctx, q.Expr, budget, err)
	}
	series, err := tablesToSeries(res, q.Legend, end)
	if err != nil {
		err = s.answerFail(ctx, q.Expr, budget, err)
		cancel() // stop the answer's download before draining it
		_ = res.Close()
		return nil, err
	}
	if q.Instant {
		series = lastPoints(series)
	}
	return &datasources.Result{Series: series, Fetched: end}, nil
}

// LabelValues returns the sorted values of the tag name in the source's
// bucket over the last 30 days (schema.tagValues), for dashboard
// variables.
func (s *Flux) LabelValues(ctx context.Context, name string) ([]string, error) {
	if s.bucket == "" {
		return nil, errors.New("flux: label values need the source's bucket")
	}
	ctx, cancel, budget := s.deadline(ctx)
	defer cancel()
	flux := "import \"influxdata/influxdb/schema\"\nschema.tagValues(bucket: " + fluxString(s.bucket) + ", tag: " + fluxString(name) + ")"
	res, err := s.query.Query(ctx, flux)
	if err != nil {
		return nil, s.clientFail(ctx, flux, budget, err)
	}
	set := map[string]struct{}{}
	for res.Next() {
		if rec := res.Record(); rec != nil {
			if v, ok := rec.Value().(string); ok {
				set[v] = struct{}{}
			}
		}
	}
	if err := res.Err(); err != nil {
		return nil, s.answerFail(ctx, flux, budget, err)
	}
	out := make([]string, 0, len(set))
	for v := range set {
		out = append(out, v)
	}
	slices.Sort(out)
	return out, nil
}

// WriteLines writes line protocol with millisecond timestamps to the
// source's org and bucket.
func (s *Flux) WriteLines(ctx context.Context, lines []byte) error {
	ctx, cancel, budget := s.deadline(ctx)
	defer cancel()
	if err := s.client.WriteAPIBlocking(s.org, s.bucket).WriteRecord(ctx, string(lines)); err != nil {
		return s.clientFail(ctx, "write", budget, err)
	}
	return nil
}

// clientFail classifies an error of the client: an HTTP error answer by its
// status, a transport error by netKind.
func (s *Flux) clientFail(ctx context.Context, expr string, budget time.Duration, err error) error {
	var he *ihttp.Error
	if errors.As(err, &he) && he.StatusCode != 0 {
		return s.fail(ctx, expr, budget, he.StatusCode, fmt.Errorf("HTTP %d: %w", he.StatusCode, err))
	}
	return s.fail(ctx, expr, budget, 0, err)
}

// answerFail classifies an error met while reading an answer: a transport
// error, or the answer's own (an error table: the query's fault; bad CSV:
// the server's).
func (s *Flux) answerFail(ctx context.Context, expr string, budget time.Duration, err error) error {
	if errors.Is(err, errTooManyPoints) {
		return &datasources.QueryError{Kind: datasources.ErrBadQuery, Expr: expr, Err: fmt.Errorf("influxdb %s: %w", s.url, err)}
	}
	if k := httpsrc.NetKind(err); k != datasources.ErrServer || ctx.Err() != nil {
		return s.fail(ctx, expr, budget, 0, err)
	}
	if malformedCSV(err) {
		err = fmt.Errorf("%w: %w", errBadAnswer, err)
	}
	return s.fail(ctx, expr, budget, 200, err)
}

// malformedCSV tells the client's complaints about the CSV itself from the
// message of an error table.
func malformedCSV(err error) bool {
	var (
		csvErr  *csv.ParseError
		numErr  *strconv.NumError
		timeErr *time.ParseError
		b64Err  base64.CorruptInputError
	)
	msg := err.Error()
	return errors.As(err, &csvErr) || errors.As(err, &numErr) || errors.As(err, &timeErr) || errors.As(err, &b64Err) ||
		strings.HasPrefix(msg, "parsing error") || strings.Contains(msg, "has unknown data type")
}
