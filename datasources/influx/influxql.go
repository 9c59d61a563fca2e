package influx

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"net/http"
	"net/url"
	"path"
	"slices"
	"strconv"
	"time"

	"github.com/wallboard/wallboard/datasources"
)

// The InfluxQL source is a datasources.Source and a Writer.
var (
	_ datasources.Source = (*InfluxQL)(nil)
	_ Writer             = (*InfluxQL)(nil)
)

// InfluxQL queries an InfluxDB 1.x server in InfluxQL over its HTTP /query
// API and writes line protocol to its /write API. It is safe for concurrent
// use.
type InfluxQL struct {
	common
	db, rp string
	auth   func(*http.Request)
}

// NewInfluxQL returns an InfluxQL source for cfg (Database is required). It
// does not contact the server.
func NewInfluxQL(cfg Config) (*InfluxQL, error) {
	c, err := newCommon(cfg)
	if err != nil {
		return nil, fmt.Errorf("influxql: %w", err)
	}
	if cfg.Database == "" {
		return nil, errors.New("influxql: no database")
	}
	s := &InfluxQL{common: c, db: cfg.Database, rp: cfg.RetentionPolicy, auth: func(*http.Request) {}}
	switch {
	case cfg.Token != "":
		s.auth = func(r *http.Request) { r.Header.Set("Authorization", "Token "+cfg.Token) }
	case cfg.Username != "" || cfg.Password != "":
		s.auth = func(r *http.Request) { r.SetBasicAuth(cfg.Username, cfg.Password) }
	}
	return s, nil
}

// Query runs q.Expr, after ExpandInfluxQL with the query's range and step
// (Step(q.Start, q.End, q.Step)). Every value column of every series of the
// answer becomes a series, labelled by its tags, _measurement and _field
// and named by q.Legend (empty: "measurement.field{tags}"). With
// q.Instant each series keeps only its last value; the range is then
// [q.Start, q.End], or the 5 minutes before q.End when Start is zero.
// Null values are NaN; text and columns without numbers are left out.
// Result.Fetched is the range's end.
func (s *InfluxQL) Query(ctx context.Context, q datasources.Query) (*datasources.Result, error) {
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
	expr := ExpandInfluxQL(q.Expr, start, end, s.Step(start, end, q.Step))
	body, status, err := s.do(ctx, http.MethodGet, "query", url.Values{"q": {expr}, "epoch": {"ms"}}, nil)
	if err != nil {
		return nil, s.fail(ctx, q.Expr, budget, status, err)
	}
	series, err := parseInfluxQL(body, q.Legend)
	if err != nil {
		return nil, s.fail(ctx, q.Expr, budget, status, err)
	}
	if q.Instant {
		series = lastPoints(series)
	}
	return &datasources.Result{Series: series, Fetched: end}, nil
}

// LabelValues returns the sorted values of the tag name in the database
// (SHOW TAG VALUES), for dashboard variables.
func (s *InfluxQL) LabelValues(ctx context.Context, name string) ([]string, error) {
	ctx, cancel, budget := s.deadline(ctx)
	defer cancel()
	expr := "SHOW TAG VALUES WITH KEY = " + influxQLIdent(name)
	body, status, err := s.do(ctx, http.MethodGet, "query", url.Values{"q": {expr}}, nil)
	if err != nil {
		return nil, s.fail(ctx, expr, budget, status, err)
	}
	resp, err := decodeInfluxQL(body)
	if err != nil {
		return nil, s.fail(ctx, expr, budget, status, err)
	}
	set := map[string]struct{}{}
	for _, r := range resp.Results {
		for _, ser := range r.Series {
			vi := slices.Index(ser.Columns, "value")
			for _, row := range ser.Values {
				if vi >= 0 && vi < len(row) {
					if v, ok := row[vi].(string); ok {
						set[v] = struct{}{}
					}
				}
			}
		}
	}
	out := make([]string, 0, len(set))
	for v := range set {
		out = append(out, v)
	}
	slices.Sort(out)
	return out, nil
}

// WriteLines writes line protocol with millisecond timestamps to the
// database (POST /write?precision=ms).
func (s *InfluxQL) WriteLines(ctx context.Context, lines []byte) error {
	ctx, cancel, budget := s.deadline(ctx)
	defer cancel()
	_, status, err := s.do(ctx, http.MethodPost, "write", url.Values{"precision": {"ms"}}, lines)
	if err != nil {
		return s.fail(ctx, "write", budget, status, err)
	}
	return nil
}

// do sends one request to the API endpoint ep and returns the answer's
// body and status; an answer outside 2xx is an error with the server's
// message.
func (s *InfluxQL) do(ctx context.Context, method, ep string, params url.Values, body []byte) ([]byte, int, error) {
	u := *s.base
	u.Path = path.Join("/", u.Path, ep)
	params.Set("db", s.db)
	if s.rp != "" {
		params.Set("rp", s.rp)
	}
	u.RawQuery = params.Encode()
	var rd io.Reader
	if body != nil {
		rd = bytes.NewReader(body)
	}
	req, err := http.NewRequestWithContext(ctx, method, u.String(), rd)
	if err != nil {
		return nil, 0, err
	}
	if body != nil {
		req.Header.Set("Content-Type", "text/plain; charset=utf-8")
	}
	s.auth(req)
	resp, err := s.http.Do(req)
	if err != nil {
		return nil, 0, err
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(io.LimitReader(resp.Body, maxBody+1))
	if err != nil {
		return nil, 0, err
	}
	if len(data) > maxBody {
		return nil, resp.StatusCode, fmt.Errorf("answer larger than %d MiB", maxBody>>20)
	}
	if resp.StatusCode/100 != 2 {
		msg := serverMessage(data)
		if msg == "" {
			msg = http.StatusText(resp.StatusCode)
		}
		return data, resp.StatusCode, fmt.Errorf("HTTP %d: %s", resp.StatusCode, msg)
	}
	return data, resp.StatusCode, nil
}

// influxQLResponse is the JSON answer of /query.
type influxQLResponse struct {
	Results []struct {
		StatementID int `json:"statement_id"`
		Series      []struct {
			Name    string            `json:"name"`
			Tags    map[string]string `json:"tags"`
			Columns []string          `json:"columns"`
			Values  [][]any           `json:"values"`
		} `json:"series"`
		Error string `json:"error"`
	} `json:"results"`
	Error string `json:"error"`
}

func decodeInfluxQL(body []byte) (*influxQLResponse, error) {
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	var resp influxQLResponse
	if err := dec.Decode(&resp); err != nil {
		return nil, fmt.Errorf("%w: not InfluxQL JSON: %w", errBadAnswer, err)
	}
	if resp.Error != "" {
		return nil, errors.New(resp.Error)
	}
	for _, r := range resp.Results {
		if r.Error != "" {
			return nil, fmt.Errorf("statement %d: %s", r.StatementID, r.Error)
		}
	}
	return &resp, nil
}

// parseInfluxQL turns a /query answer (epoch=ms) into series: one per
// value column of each result series. It never panics on bad input.
func parseInfluxQL(body []byte, legend string) ([]datasources.Series, error) {
	resp, err := decodeInfluxQL(body)
	if err != nil {
		return nil, err
	}
	var out []datasources.Series
	for _, r := range resp.Results {
		for _, ser := range r.Series {
			ti := slices.Index(ser.Columns, "time")
			if ti < 0 {
				return nil, fmt.Errorf("series %q has no time column (only SELECT answers are numbers over time)", ser.Name) // the query's fault
			}
			times := make([]int64, len(ser.Values))
			for i, row := range ser.Values {
				if len(row) != len(ser.Columns) {
					return nil, fmt.Errorf("%w: series %q: row %d has %d values for %d columns", errBadAnswer, ser.Name, i, len(row), len(ser.Columns))
				}
				t, err := influxTime(row[ti])
				if err != nil {
					return nil, fmt.Errorf("%w: series %q: row %d: %w", errBadAnswer, ser.Name, i, err)
				}
				times[i] = t
			}
			for ci, col := range ser.Columns {
				if ci == ti {
					continue
				}
				pts := make([]datasources.Point, 0, len(ser.Values))
				numbers := false
				for i, row := range ser.Values {
					v, ok := number(row[ci])
					if !ok {
						continue
					}
					numbers = numbers || !math.IsNaN(v)
					pts = append(pts, datasources.Point{T: times[i], V: v})
				}
				if !numbers {
					continue
				}
				l := make(datasources.Labels, len(ser.Tags)+2)
				for k, v := range ser.Tags {
					l[k] = v
				}
				l["_measurement"] = ser.Name
				l["_field"] = col
				sortPoints(pts)
				out = append(out, newSeries(legend, l, pts))
			}
		}
	}
	return out, nil
}

// influxTime reads a time value: epoch milliseconds, or RFC 3339 text.
func influxTime(v any) (int64, error) {
	switch v := v.(type) {
	case json.Number:
		if i, err := strconv.ParseInt(string(v), 10, 64); err == nil {
			return i, nil
		}
		f, err := strconv.ParseFloat(string(v), 64)
		if err != nil || math.IsNaN(f) || math.IsInf(f, 0) || math.Abs(f) > 1<<62 {
			return 0, fmt.Errorf("time %q is not epoch milliseconds", string(v))
		}
		return int64(f), nil
	case string:
		t, err := time.Parse(time.RFC3339Nano, v)
		if err != nil {
			return 0, fmt.Errorf("time: %w", err)
		}
		return t.UnixMilli(), nil
	}
	return 0, fmt.Errorf("time %v (%T) is not a time", v, v)
}

// number reads a value: numbers and booleans (1/0) are numbers, null is a
// gap (NaN); anything else (text) is not a number.
func number(v any) (float64, bool) {
	switch v := v.(type) {
	case json.Number:
		f, err := strconv.ParseFloat(string(v), 64)
		if err != nil {
			var ne *strconv.NumError
			if errors.As(err, &ne) && errors.Is(ne.Err, strconv.ErrRange) {
				return f, true // ±Inf or 0: the closest value
			}
			return 0, false
		}
		return f, true
	case bool:
		if v {
			return 1, true
		}
		return 0, true
	case nil:
		return math.NaN(), true
	}
	return 0, false
}
