package influx

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/wallboard/wallboard/datasources"
	"github.com/wallboard/wallboard/internal/httpsrc"
	"github.com/wallboard/wallboard/internal/redact"
)

// Defaults and limits.
const (
	// DefaultTimeout bounds one query when Config.Timeout is zero.
	DefaultTimeout = 10 * time.Second
	// DefaultMinStep is the finest $__interval / v.windowPeriod when
	// Config.MinStep is zero.
	DefaultMinStep = 15 * time.Second
	// MaxPoints is the most points per series a step may ask for.
	MaxPoints = 11000
	// maxBody bounds a query answer.
	maxBody = 512 << 20
)

// Config describes an InfluxDB server and how to reach it.
type Config struct {
	// URL is the server's base URL, e.g. http://127.0.0.1:8086.
	URL string
	// Token is an API token: "Authorization: Token ..." (2.x, Cloud; 1.8+
	// also accepts "user:password"). Username and Password are basic auth
	// (1.x). Set at most one kind.
	Token              string
	Username, Password string
	// Database and RetentionPolicy (optional) are what InfluxQL reads and
	// writes (1.x).
	Database, RetentionPolicy string
	// Org and Bucket are what Flux writes, and what v.bucket and
	// LabelValues use (2.x).
	Org, Bucket string
	// CAFile is a PEM file of certificate authorities to trust in addition
	// to the system's; CertFile and KeyFile are a client certificate.
	CAFile, CertFile, KeyFile string
	// ServerName overrides the name the server's certificate must have.
	ServerName string
	// InsecureSkipVerify accepts any server certificate (tests only).
	InsecureSkipVerify bool
	// Timeout bounds one query or write (default DefaultTimeout).
	Timeout time.Duration
	// MinStep is the finest step of the interval macros (default
	// DefaultMinStep).
	MinStep time.Duration
}

// errBadAnswer marks answers that are not what the protocol promises.
var errBadAnswer = errors.New("malformed answer")

// common is what both sources share.
type common struct {
	base      *url.URL
	url       string // for messages: no user information
	http      *http.Client
	transport *http.Transport
	timeout   time.Duration
	minStep   time.Duration
}

func newCommon(cfg Config) (common, error) {
	if cfg.URL == "" {
		return common{}, errors.New("no URL")
	}
	u, err := url.Parse(cfg.URL)
	if err != nil {
		// The url.Error would repeat the URL, and any password in it.
		var ue *url.Error
		if errors.As(err, &ue) {
			err = ue.Err
		}
		return common{}, fmt.Errorf("URL: %w (want http://host:port or https://host:port)", err)
	}
	if u.Scheme != "http" && u.Scheme != "https" || u.Host == "" {
		return common{}, fmt.Errorf("URL %q: want http://host:port or https://host:port", httpsrc.Redact(u))
	}
	if cfg.Token != "" && (cfg.Username != "" || cfg.Password != "") {
		return common{}, errors.New("both a token and basic auth are set: choose one")
	}
	tr, err := httpsrc.NewTransport(httpsrc.TLS{CAFile: cfg.CAFile, CertFile: cfg.CertFile, KeyFile: cfg.KeyFile, ServerName: cfg.ServerName, InsecureSkipVerify: cfg.InsecureSkipVerify})
	if err != nil {
		return common{}, err
	}
	c := common{
		base:      u,
		url:       httpsrc.Redact(u),
		http:      &http.Client{Transport: tr},
		transport: tr,
		timeout:   cfg.Timeout,
		minStep:   cfg.MinStep,
	}
	if c.timeout <= 0 {
		c.timeout = DefaultTimeout
	}
	if c.minStep <= 0 {
		c.minStep = DefaultMinStep
	}
	return c, nil
}

// URL returns the server's URL (without any user information).
func (c *common) URL() string { return c.url }

// Close releases idle connections. The source stays usable.
func (c *common) Close() error {
	c.transport.CloseIdleConnections()
	return nil
}

// Step returns the interval of a query over [start, end] that asked for
// want (0: datasources.AutoStep): never below the minimum step and widened so
// that a series has at most MaxPoints points; whole milliseconds.
func (c *common) Step(start, end time.Time, want time.Duration) time.Duration {
	return httpsrc.Step(start, end, want, c.minStep, MaxPoints)
}

// deadline bounds ctx by the source's timeout and returns the time left.
func (c *common) deadline(ctx context.Context) (context.Context, context.CancelFunc, time.Duration) {
	if d, ok := ctx.Deadline(); ok && time.Until(d) <= c.timeout {
		ctx, cancel := context.WithCancel(ctx)
		return ctx, cancel, time.Until(d)
	}
	ctx, cancel := context.WithTimeout(ctx, c.timeout)
	return ctx, cancel, c.timeout
}

// fail classifies a failed call: ctx's end first (ErrTimeout), then a
// transport error (see netKind), then the HTTP status with the server's
// message (status 0: no answer).
func (c *common) fail(ctx context.Context, expr string, budget time.Duration, status int, err error) error {
	var kind error
	switch cerr := ctx.Err(); {
	case cerr != nil:
		kind = datasources.ErrTimeout
		what := errors.New("query canceled")
		if errors.Is(cerr, context.DeadlineExceeded) {
			what = &datasources.TimeoutError{After: budget}
		}
		if errors.Is(err, cerr) {
			err = fmt.Errorf("%w: %w", what, err)
		} else {
			err = fmt.Errorf("%w: %w: %w", what, cerr, err)
		}
	case status == 0:
		kind = httpsrc.NetKind(err)
	default:
		kind = statusKind(status, err)
	}
	return &datasources.QueryError{Kind: kind, Expr: expr, Err: redact.Error(fmt.Errorf("influxdb %s: %w", c.url, err))}
}

// statusKind classifies an error answer by its HTTP status.
func statusKind(status int, err error) error {
	switch {
	case status == http.StatusBadRequest || status == http.StatusUnprocessableEntity:
		return datasources.ErrBadQuery
	case status == http.StatusGatewayTimeout || status == http.StatusRequestTimeout:
		return datasources.ErrTimeout
	case status == http.StatusUnauthorized || status == http.StatusForbidden:
		return datasources.ErrAuth
	case status >= 200 && status < 300:
		// An error inside a successful answer: a garbled answer is the
		// server's fault, anything else the query's own.
		if errors.Is(err, errBadAnswer) {
			return datasources.ErrServer
		}
		if err != nil && strings.Contains(strings.ToLower(err.Error()), "timeout") {
			return datasources.ErrTimeout
		}
		return datasources.ErrBadQuery
	}
	return datasources.ErrServer
}

// serverMessage extracts the message of an error answer: the "error" or
// "message" of a JSON body, else the body's text, shortened.
func serverMessage(body []byte) string {
	s := strings.TrimSpace(string(body))
	if strings.HasPrefix(s, "{") {
		var m struct {
			Error   string `json:"error"`
			Message string `json:"message"`
			Code    string `json:"code"`
		}
		if json.Unmarshal(body, &m) == nil {
			switch {
			case m.Error != "":
				return m.Error
			case m.Message != "" && m.Code != "":
				return m.Code + ": " + m.Message
			case m.Message != "":
				return m.Message
			}
		}
	}
	if len(s) > 300 {
		s = s[:300] + "…"
	}
	return s
}
