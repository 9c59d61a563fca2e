package prometheus

import (
	"context"
	"errors"
	"fmt"
	"math"
	"net/http"
	"net/url"
	"slices"
	"time"

	"github.com/prometheus/client_golang/api"
	v1 "github.com/prometheus/client_golang/api/prometheus/v1"
	"github.com/prometheus/common/model"

	"github.com/wallboard/wallboard/datasources"
	"github.com/wallboard/wallboard/internal/httpsrc"
	"github.com/wallboard/wallboard/layouts"
)

// The Source is a datasources.Source.
var _ datasources.Source = (*Source)(nil)

// Defaults and limits.
const (
	// DefaultTimeout bounds one query when Config.Timeout is zero.
	DefaultTimeout = 10 * time.Second
	// DefaultMinStep is the finest range-query step when Config.MinStep is
	// zero: Prometheus' usual scrape interval.
	DefaultMinStep = 15 * time.Second
	// MaxPoints is the most points a range query returns per series
	// (Prometheus refuses more than 11,000).
	MaxPoints = 11000
)

// Config describes a Prometheus server and how to reach it.
type Config struct {
	// URL is the server's base URL, e.g. http://127.0.0.1:9090; a path
	// prefix (a reverse proxy's) is kept.
	URL string
	// Token is a bearer token. Username and Password are HTTP basic auth.
	// Set at most one kind.
	Token              string
	Username, Password string
	// CAFile is a PEM file of certificate authorities to trust in addition
	// to the system's.
	CAFile string
	// CertFile and KeyFile are a client certificate for mutual TLS.
	CertFile, KeyFile string
	// ServerName overrides the name the server's certificate must have.
	ServerName string
	// InsecureSkipVerify accepts any server certificate (tests only).
	InsecureSkipVerify bool
	// Timeout bounds one query (default DefaultTimeout).
	Timeout time.Duration
	// MinStep is the finest step of a range query (default DefaultMinStep).
	MinStep time.Duration
}

// Source queries one Prometheus server. It is safe for concurrent use.
type Source struct {
	api       v1.API
	transport *http.Transport
	url       string
	timeout   time.Duration
	minStep   time.Duration
}

// New returns a Source for cfg. It does not contact the server.
func New(cfg Config) (*Source, error) {
	if cfg.URL == "" {
		return nil, errors.New("prometheus: no URL")
	}
	u, err := url.Parse(cfg.URL)
	if err != nil {
		// The url.Error would repeat the URL, and any password in it.
		var ue *url.Error
		if errors.As(err, &ue) {
			err = ue.Err
		}
		return nil, fmt.Errorf("prometheus: URL: %w (want http://host:port or https://host:port)", err)
	}
	if u.Scheme != "http" && u.Scheme != "https" || u.Host == "" {
		return nil, fmt.Errorf("prometheus: URL %q: want http://host:port or https://host:port", httpsrc.Redact(u))
	}
	if cfg.Token != "" && (cfg.Username != "" || cfg.Password != "") {
		return nil, errors.New("prometheus: both a bearer token and basic auth are set: choose one")
	}
	tr, err := httpsrc.NewTransport(httpsrc.TLS{CAFile: cfg.CAFile, CertFile: cfg.CertFile, KeyFile: cfg.KeyFile, ServerName: cfg.ServerName, InsecureSkipVerify: cfg.InsecureSkipVerify})
	if err != nil {
		return nil, fmt.Errorf("prometheus: %w", err)
	}
	rt := httpsrc.Credentials{Token: cfg.Token, Username: cfg.Username, Password: cfg.Password}.Transport(tr, "Bearer")
	hc := &http.Client{Transport: rt}
	c, err := api.NewClient(api.Config{Address: cfg.URL, Client: hc})
	if err != nil {
		return nil, fmt.Errorf("prometheus: %w", err)
	}
	s := &Source{
		api:       v1.NewAPI(doer{Client: c, http: hc}),
		transport: tr,
		url:       httpsrc.Redact(u),
		timeout:   cfg.Timeout,
		minStep:   cfg.MinStep,
	}
	if s.timeout <= 0 {
		s.timeout = DefaultTimeout
	}
	if s.minStep <= 0 {
		s.minStep = DefaultMinStep
	}
	return s, nil
}

// FromLayout returns a Source for a layout's source of kind "prometheus".
// Credentials are read with getenv (nil: os.Getenv) from the variables the
// layout names; a named variable that is unset or empty is an error, so a
// wall never silently queries without the credentials it was given.
func FromLayout(src layouts.Source, getenv func(string) string) (*Source, error) {
	if src.Kind != layouts.KindPrometheus {
		return nil, fmt.Errorf("source %q: kind %q is not %q", src.Name, src.Kind, layouts.KindPrometheus)
	}
	if src.URL == "" {
		return nil, fmt.Errorf("source %q: no url", src.Name)
	}
	cred, err := httpsrc.CredentialsFromEnv(src, getenv)
	if err != nil {
		return nil, err
	}
	cfg := Config{URL: src.URL, Timeout: time.Duration(src.Timeout), Token: cred.Token, Username: cred.Username, Password: cred.Password}
	s, err := New(cfg)
	if err != nil {
		return nil, fmt.Errorf("source %q: %w", src.Name, err)
	}
	return s, nil
}

// URL returns the server's URL (without any user information).
func (s *Source) URL() string { return s.url }

// Close releases idle connections. The Source stays usable.
func (s *Source) Close() error {
	s.transport.CloseIdleConnections()
	return nil
}

// Step returns the step of a range query over [start, end] that asked for
// want (0: datasources.AutoStep): never below the source's minimum step, and
// widened so that no series has more than MaxPoints points. It is a whole
// number of milliseconds.
func (s *Source) Step(start, end time.Time, want time.Duration) time.Duration {
	return httpsrc.Step(start, end, want, s.minStep, MaxPoints)
}

// Query evaluates q.Expr (PromQL): over [q.Start, q.End] at Step(q.Start,
// q.End, q.Step), or with q.Instant once at q.End. A zero End is now.
// Result.Fetched is the evaluation's end. Series are named by q.Legend
// (datasources.FormatLegend); a series without labels and legend is
// "value". Native histogram samples have no single value and become NaN.
func (s *Source) Query(ctx context.Context, q datasources.Query) (*datasources.Result, error) {
	end := q.End
	if end.IsZero() {
		end = time.Now()
	}
	ctx, cancel, budget := s.deadline(ctx)
	defer cancel()
	c := new(call)
	defer c.done()
	ctx = context.WithValue(ctx, callKey{}, c)

	var (
		v   model.Value
		err error
	)
	if q.Instant {
		v, _, _, err = s.api.Query(ctx, q.Expr, end, s.serverTimeout(ctx))
	} else {
		if q.Start.IsZero() || !q.Start.Before(end) {
			return nil, &datasources.QueryError{Kind: datasources.ErrBadQuery, Expr: q.Expr,
				Err: fmt.Errorf("range start %v is not before end %v", q.Start, end)}
		}
		r := v1.Range{Start: q.Start, End: end, Step: s.Step(q.Start, end, q.Step)}
		v, _, _, err = s.api.QueryRange(ctx, q.Expr, r, s.serverTimeout(ctx))
	}
	if err != nil {
		return nil, s.classify(ctx, q.Expr, budget, c.status, err)
	}
	series, err := convert(v, q.Legend)
	if err != nil {
		return nil, &datasources.QueryError{Kind: datasources.ErrBadQuery, Expr: q.Expr, Err: fmt.Errorf("prometheus %s: %w", s.url, err)}
	}
	return &datasources.Result{Series: series, Fetched: end}, nil
}

// LabelValues returns the sorted values of the label name on the server,
// for dashboard variables. Errors are classified as Query's are.
func (s *Source) LabelValues(ctx context.Context, name string) ([]string, error) {
	ctx, cancel, budget := s.deadline(ctx)
	defer cancel()
	c := new(call)
	defer c.done()
	ctx = context.WithValue(ctx, callKey{}, c)
	vals, _, _, err := s.api.LabelValues(ctx, name, nil, time.Time{}, time.Time{})
	if err != nil {
		return nil, s.classify(ctx, "label_values("+name+")", budget, c.status, err)
	}
	out := make([]string, len(vals))
	for i, v := range vals {
		out[i] = string(v)
	}
	slices.Sort(out)
	return out, nil
}

// deadline bounds ctx by the source's timeout and returns the time left.
func (s *Source) deadline(ctx context.Context) (context.Context, context.CancelFunc, time.Duration) {
	if d, ok := ctx.Deadline(); ok && time.Until(d) <= s.timeout {
		ctx, cancel := context.WithCancel(ctx)
		return ctx, cancel, time.Until(d)
	}
	ctx, cancel := context.WithTimeout(ctx, s.timeout)
	return ctx, cancel, s.timeout
}

// serverTimeout tells Prometheus to give up when the caller will. The
// duration must be one Prometheus parses (2.x takes no fractions: "9s",
// "999ms", not "9.999s"), so it is cut to whole seconds, or milliseconds
// below a second.
func (s *Source) serverTimeout(ctx context.Context) v1.Option {
	d := s.timeout
	if dl, ok := ctx.Deadline(); ok {
		d = time.Until(dl)
	}
	if d >= time.Second {
		d = d.Truncate(time.Second)
	} else {
		d = max(d.Truncate(time.Millisecond), time.Millisecond)
	}
	return v1.WithTimeout(d)
}

// convert turns a Prometheus value into series named by legend.
func convert(v model.Value, legend string) ([]datasources.Series, error) {
	switch v := v.(type) {
	case model.Matrix:
		out := make([]datasources.Series, 0, len(v))
		for _, ss := range v {
			pts := make([]datasources.Point, 0, len(ss.Values)+len(ss.Histograms))
			for _, p := range ss.Values {
				pts = append(pts, datasources.Point{T: int64(p.Timestamp), V: float64(p.Value)})
			}
			if len(ss.Histograms) > 0 {
				for _, h := range ss.Histograms {
					pts = append(pts, datasources.Point{T: int64(h.Timestamp), V: math.NaN()})
				}
				if len(ss.Values) > 0 {
					slices.SortStableFunc(pts, func(a, b datasources.Point) int { return cmpInt(a.T, b.T) })
				}
			}
			out = append(out, newSeries(legend, ss.Metric, pts))
		}
		return out, nil
	case model.Vector:
		out := make([]datasources.Series, 0, len(v))
		for _, smp := range v {
			val := float64(smp.Value)
			if smp.Histogram != nil {
				val = math.NaN()
			}
			out = append(out, newSeries(legend, smp.Metric, []datasources.Point{{T: int64(smp.Timestamp), V: val}}))
		}
		return out, nil
	case *model.Scalar:
		return []datasources.Series{newSeries(legend, nil, []datasources.Point{{T: int64(v.Timestamp), V: float64(v.Value)}})}, nil
	case nil:
		return nil, errors.New("empty answer")
	default:
		return nil, fmt.Errorf("result of type %s is not a number", v.Type())
	}
}

func cmpInt(a, b int64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// newSeries names a series by the legend, as the simulator does.
func newSeries(legend string, m model.Metric, pts []datasources.Point) datasources.Series {
	l := make(datasources.Labels, len(m))
	for k, v := range m {
		l[string(k)] = string(v)
	}
	name := "value"
	if legend != "" || len(l) > 0 {
		name = datasources.FormatLegend(legend, l)
	}
	return datasources.Series{Name: name, Labels: l, Points: pts}
}
