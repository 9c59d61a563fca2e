package alerts

import (
	"context"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"syscall"
	"time"

	"github.com/prometheus/client_golang/api"
	v1 "github.com/prometheus/client_golang/api/prometheus/v1"
	"github.com/prometheus/common/model"

	"github.com/wallboard/wallboard/datasources"
	"github.com/wallboard/wallboard/datasources/internal/httpsrc"
	"github.com/wallboard/wallboard/layouts"
)

// DefaultPrometheusTimeout bounds one fetch when PrometheusConfig.Timeout
// is zero.
const DefaultPrometheusTimeout = 10 * time.Second

// PrometheusConfig describes a Prometheus server whose alerts are shown.
type PrometheusConfig struct {
	// Source is the layout source name; it labels the alerts (Alert.Source).
	Source string
	// URL is the server's base URL, e.g. http://127.0.0.1:9090.
	URL string
	// Client makes the requests (credentials, TLS); nil: a plain client.
	Client *http.Client
	// Timeout bounds one fetch (default DefaultPrometheusTimeout).
	Timeout time.Duration
}

// Prometheus reads the alerts and alerting rules a Prometheus server
// evaluates (/api/v1/alerts, /api/v1/rules) through client_golang's v1
// API. It is safe for concurrent use.
type Prometheus struct {
	api     v1.API
	source  string
	url     string
	timeout time.Duration
}

// NewPrometheus returns a client for cfg. It does not contact the server.
func NewPrometheus(cfg PrometheusConfig) (*Prometheus, error) {
	u, err := url.Parse(cfg.URL)
	if err != nil {
		var ue *url.Error
		if errors.As(err, &ue) {
			err = ue.Err // the url.Error would repeat the URL, and any password in it
		}
		return nil, fmt.Errorf("alerts: prometheus URL: %w", err)
	}
	if u.Scheme != "http" && u.Scheme != "https" || u.Host == "" {
		return nil, fmt.Errorf("alerts: prometheus URL %q: want http://host:port or https://host:port", u.Redacted())
	}
	hc := cfg.Client
	if hc == nil {
		hc = &http.Client{}
	}
	c, err := api.NewClient(api.Config{Address: cfg.URL, Client: hc})
	if err != nil {
		return nil, fmt.Errorf("alerts: prometheus client: %w", err)
	}
	p := &Prometheus{api: v1.NewAPI(c), source: cfg.Source, url: u.Redacted(), timeout: cfg.Timeout}
	if p.timeout <= 0 {
		p.timeout = DefaultPrometheusTimeout
	}
	return p, nil
}

// PrometheusFromLayout returns a client for a layout source of kind
// "prometheus", with the credentials its tokenEnv or usernameEnv and
// passwordEnv name, read with getenv (nil: os.Getenv). A named variable
// that is unset is an error; credentials only ever travel in headers.
func PrometheusFromLayout(src layouts.Source, getenv func(string) string) (*Prometheus, error) {
	if src.Kind != layouts.KindPrometheus {
		return nil, fmt.Errorf("alerts: source %q: kind %q is not %q", src.Name, src.Kind, layouts.KindPrometheus)
	}
	cred, err := httpsrc.CredentialsFromEnv(src, getenv)
	if err != nil {
		return nil, fmt.Errorf("alerts: %w", err)
	}
	rt := cred.Transport(http.DefaultTransport, "Bearer")
	return NewPrometheus(PrometheusConfig{
		Source:  src.Name,
		URL:     src.URL,
		Client:  &http.Client{Transport: rt},
		Timeout: src.Timeout.D(),
	})
}

// Source is the layout source name the client labels alerts with.
func (p *Prometheus) Source() string { return p.source }

// Snapshot is what one poll of a Prometheus found.
type Snapshot struct {
	// Origin is OriginPrometheus; Source the layout source name.
	Origin, Source string
	// Alerts are the server's pending and firing alerts, as Alerts with
	// Origin OriginPrometheus (FiredAt is ActiveAt plus the rule's for).
	Alerts []Alert
	// Rules are the server's alerting rules, in its order.
	Rules []RuleStatus
	// Fetched is when the answer came.
	Fetched time.Time
	// Err is why the poll failed (a *datasources.QueryError); Alerts and
	// Rules are then empty.
	Err error
}

// Fetch reads the server's alerts and alerting rules. Errors are
// *datasources.QueryError classified like a query's: ErrUnreachable,
// ErrTimeout, ErrBadQuery (the server refused the request as malformed)
// or ErrServer.
func (p *Prometheus) Fetch(ctx context.Context) (Snapshot, error) {
	ctx, cancel := context.WithTimeout(ctx, p.timeout)
	defer cancel()
	snap := Snapshot{Origin: OriginPrometheus, Source: p.source}
	rules, err := p.api.Rules(ctx, nil)
	if err != nil {
		return snap, p.classify(ctx, "/api/v1/rules", err)
	}
	alerts, err := p.api.Alerts(ctx)
	if err != nil {
		return snap, p.classify(ctx, "/api/v1/alerts", err)
	}
	snap.Fetched = time.Now()
	forOf := map[string]time.Duration{}
	for _, g := range rules.Groups {
		for _, r := range g.Rules {
			ar, ok := r.(v1.AlertingRule)
			if !ok {
				continue
			}
			d := time.Duration(ar.Duration * float64(time.Second))
			forOf[ar.Name] = d
			labels := labelMap(ar.Labels)
			st := RuleStatus{
				Rule: Rule{
					Name:        ar.Name,
					Expr:        ar.Query,
					Source:      p.source,
					For:         d,
					Severity:    string(ar.Labels["severity"]),
					Labels:      labels,
					Annotations: labelMap(ar.Annotations),
				},
				Origin:    OriginPrometheus,
				Group:     g.Name,
				Health:    string(ar.Health),
				LastError: ar.LastError,
				LastEval:  ar.LastEvaluation,
			}
			delete(st.Labels, "severity")
			if s, ok := ParseState(ar.State); ok {
				st.State = s
			}
			snap.Rules = append(snap.Rules, st)
		}
	}
	for _, pa := range alerts.Alerts {
		var state State
		switch pa.State {
		case v1.AlertStateFiring:
			state = Firing
		case v1.AlertStatePending:
			state = Pending
		default:
			continue
		}
		name := string(pa.Labels[model.AlertNameLabel])
		all := labelMap(pa.Labels)
		labels := alertLabels(datasources.Labels(all), nil)
		v, err := strconv.ParseFloat(pa.Value, 64)
		if err != nil {
			v = math.NaN()
		}
		a := Alert{
			ID:          alertID(OriginPrometheus, p.source, name, labels),
			Origin:      OriginPrometheus,
			Source:      p.source,
			Rule:        name,
			Severity:    string(pa.Labels["severity"]),
			State:       state,
			Labels:      labels,
			Annotations: labelMap(pa.Annotations),
			Value:       v,
			ActiveAt:    pa.ActiveAt,
			LastEval:    snap.Fetched,
		}
		if state == Firing {
			a.FiredAt = pa.ActiveAt.Add(forOf[name])
		}
		for i := range snap.Rules {
			if snap.Rules[i].Name == name {
				a.Expr = snap.Rules[i].Expr
				break
			}
		}
		snap.Alerts = append(snap.Alerts, a)
	}
	return snap, nil
}

func labelMap(ls model.LabelSet) map[string]string {
	m := make(map[string]string, len(ls))
	for k, v := range ls {
		m[string(k)] = string(v)
	}
	return m
}

// Run polls the server every interval (at least a second) until ctx ends,
// handing every snapshot, failed ones included, to fn: typically
// Evaluator.SetRemote. After failures it waits longer (doubling, up to a
// minute, with jitter). Run blocks: start it on a goroutine the caller
// owns, and end it by cancelling ctx.
func (p *Prometheus) Run(ctx context.Context, interval time.Duration, fn func(Snapshot)) {
	interval = max(interval, time.Second)
	failures := 0
	for {
		snap, err := p.Fetch(ctx)
		if ctx.Err() != nil {
			return
		}
		delay := interval
		if err != nil {
			snap.Err = err
			snap.Fetched = time.Now()
			failures++
			for i := 1; i < failures && delay < time.Minute; i++ {
				delay *= 2
			}
			delay = min(delay, max(time.Minute, interval))
			delay = time.Duration(float64(delay) * (0.8 + 0.4*rand.Float64()))
		} else {
			failures = 0
		}
		fn(snap)
		t := time.NewTimer(delay)
		select {
		case <-ctx.Done():
			t.Stop()
			return
		case <-t.C:
		}
	}
}

// classify turns a failed call into a *datasources.QueryError.
func (p *Prometheus) classify(ctx context.Context, endpoint string, err error) error {
	return &datasources.QueryError{Kind: errorKind(ctx, err), Expr: endpoint, Err: fmt.Errorf("prometheus %s: %w", p.url, err)}
}

// errorKind classifies a failure like the query sources do.
func errorKind(ctx context.Context, err error) error {
	var (
		apiErr  *v1.Error
		dnsErr  *net.DNSError
		netErr  net.Error
		opErr   *net.OpError
		unkCA   x509.UnknownAuthorityError
		hostErr x509.HostnameError
		urlErr  *url.Error
	)
	switch {
	case ctx.Err() != nil, errors.Is(err, context.DeadlineExceeded), errors.Is(err, context.Canceled):
		return datasources.ErrTimeout
	case errors.As(err, &apiErr):
		switch apiErr.Type {
		case v1.ErrTimeout, v1.ErrCanceled:
			return datasources.ErrTimeout
		case v1.ErrBadData:
			return datasources.ErrBadQuery
		}
		return datasources.ErrServer
	case errors.As(err, &dnsErr),
		errors.Is(err, syscall.ECONNREFUSED), errors.Is(err, syscall.EHOSTUNREACH),
		errors.Is(err, syscall.ENETUNREACH), errors.Is(err, syscall.ECONNRESET),
		errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF),
		errors.As(err, &unkCA), errors.As(err, &hostErr):
		return datasources.ErrUnreachable
	case errors.As(err, &netErr) && netErr.Timeout():
		return datasources.ErrTimeout
	case errors.As(err, &opErr), errors.As(err, &urlErr):
		return datasources.ErrUnreachable
	}
	return datasources.ErrServer
}

// SetRemote takes in a snapshot of a remote source (a Prometheus poll):
// its alerts replace that source's, with transitions recorded for alerts
// that appear, change state or disappear (firing ones then resolve at the
// poll's time). A failed snapshot (Err set) changes no state: the
// source's alerts stay, marked Stale, until a poll succeeds.
func (e *Evaluator) SetRemote(s Snapshot) {
	if s.Origin == "" {
		s.Origin = OriginPrometheus
	}
	now := s.Fetched
	if now.IsZero() {
		now = e.opts.Now()
	}
	key := s.Origin + "\x00" + s.Source
	e.mu.Lock()
	r := e.remotes[key]
	if r == nil {
		r = &remoteState{alerts: map[string]*Alert{}}
		e.remotes[key] = r
	}
	if s.Err != nil {
		changed := r.snap.Err == nil
		r.snap.Err, r.snap.Fetched = s.Err, now
		for _, a := range r.alerts {
			changed = changed || !a.Stale
			a.Stale = true
		}
		e.mu.Unlock()
		e.finish(nil, changed)
		return
	}
	var ts []Transition
	changed := true
	seen := make(map[string]bool, len(s.Alerts))
	for i := range s.Alerts {
		in := s.Alerts[i]
		in.Origin, in.Source = s.Origin, s.Source
		seen[in.ID] = true
		prev := r.alerts[in.ID]
		if prev == nil {
			prev = e.restored[in.ID]
			delete(e.restored, in.ID)
		}
		a := &in
		if ack, ok := e.acks[in.ID]; ok && ack.activeAt.Equal(in.ActiveAt) {
			a.Acknowledged = true
		}
		r.alerts[in.ID] = a
		switch {
		case prev == nil || prev.State == Resolved || prev.State == Inactive:
			from := Inactive
			if prev != nil {
				from = prev.State
			}
			if a.State == Firing && a.FiredAt.After(a.ActiveAt) {
				// Seen firing at once: note when it became pending too, so
				// that the history has the whole episode.
				ts = e.recordAt(ts, a, from, Pending, a.ActiveAt)
				from = Pending
			}
			at := a.ActiveAt
			if a.State == Firing {
				at = a.FiredAt
			}
			ts = e.recordAt(ts, a, from, a.State, at)
		case prev.State != a.State:
			at := now
			if a.State == Firing && !a.FiredAt.IsZero() {
				at = a.FiredAt
			}
			ts = e.recordAt(ts, a, prev.State, a.State, at)
		}
	}
	for id, a := range r.alerts {
		if seen[id] {
			continue
		}
		switch a.State {
		case Pending, Firing:
			from := a.State
			a.State = Inactive
			if from == Firing {
				a.State, a.ResolvedAt = Resolved, now
			}
			a.Stale = false
			ts = e.recordAt(ts, a, from, a.State, now)
			if a.State == Inactive {
				delete(r.alerts, id)
			}
		case Resolved:
			if now.Sub(a.ResolvedAt) >= e.opts.KeepResolved {
				delete(r.alerts, id)
			}
		default:
			delete(r.alerts, id)
		}
	}
	for id, a := range e.restored {
		if a.Origin != s.Origin || a.Source != s.Source || seen[id] {
			continue
		}
		delete(e.restored, id)
		from := a.State
		a.State = Inactive
		if from == Firing {
			a.State = Resolved
		}
		ts = e.recordAt(ts, a, from, a.State, now)
	}
	for id, ack := range e.acks {
		if ack.remote == key && r.alerts[id] == nil {
			delete(e.acks, id)
		}
	}
	r.snap = s
	r.snap.Alerts = nil // the live copies are in r.alerts
	e.pruneLog(now)
	e.mu.Unlock()
	e.finish(ts, changed)
}

// recordAt records a transition of a from one state to another at a
// given time, whatever a.State is. Callers hold e.mu.
func (e *Evaluator) recordAt(ts []Transition, a *Alert, from, to State, at time.Time) []Transition {
	saved := a.State
	a.State = to
	ts = e.record(ts, a, from, at)
	a.State = saved
	return ts
}

// Remote returns the last snapshot of a remote source (its rules, when it
// was fetched, the error of the last poll) and whether there is one; its
// alerts are those listed by Active with Filter{Source: source}.
func (e *Evaluator) Remote(origin, source string) (Snapshot, bool) {
	e.mu.Lock()
	defer e.mu.Unlock()
	r := e.remotes[origin+"\x00"+source]
	if r == nil {
		return Snapshot{}, false
	}
	s := r.snap
	s.Origin, s.Source = origin, source
	return s, true
}
