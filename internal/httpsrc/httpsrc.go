// Package httpsrc is what the HTTP data sources (prometheus, influx) share:
// a transport with their TLS options, the classification of transport
// errors into the datasources error kinds, and URLs safe to show and log.
package httpsrc

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"strings"
	"syscall"
	"time"

	"github.com/wallboard/wallboard/datasources"
	"github.com/wallboard/wallboard/internal/redact"
	"github.com/wallboard/wallboard/layouts"
)

// TLS are a source's TLS options.
type TLS struct {
	// CAFile is a PEM file of certificate authorities to trust in addition
	// to the system's; CertFile and KeyFile are a client certificate.
	CAFile, CertFile, KeyFile string
	// ServerName overrides the name the server's certificate must have.
	ServerName string
	// InsecureSkipVerify accepts any server certificate (tests only).
	InsecureSkipVerify bool
}

// NewTransport returns an HTTP transport with t's TLS settings and room for
// the parallel queries of a dashboard.
func NewTransport(t TLS) (*http.Transport, error) {
	tr := http.DefaultTransport.(*http.Transport).Clone()
	tr.MaxIdleConnsPerHost = 16
	if t == (TLS{}) {
		return tr, nil
	}
	tc := &tls.Config{
		MinVersion:         tls.VersionTLS12,
		ServerName:         t.ServerName,
		InsecureSkipVerify: t.InsecureSkipVerify, //nolint:gosec // asked for explicitly
	}
	if t.CAFile != "" {
		pem, err := os.ReadFile(t.CAFile)
		if err != nil {
			return nil, fmt.Errorf("CA file: %w", err)
		}
		pool, err := x509.SystemCertPool()
		if err != nil || pool == nil {
			pool = x509.NewCertPool()
		}
		if !pool.AppendCertsFromPEM(pem) {
			return nil, fmt.Errorf("CA file %s: no PEM certificates in it", t.CAFile)
		}
		tc.RootCAs = pool
	}
	if t.CertFile != "" || t.KeyFile != "" {
		if t.CertFile == "" || t.KeyFile == "" {
			return nil, errors.New("a client certificate needs both CertFile and KeyFile")
		}
		cert, err := tls.LoadX509KeyPair(t.CertFile, t.KeyFile)
		if err != nil {
			return nil, fmt.Errorf("client certificate: %w", err)
		}
		tc.Certificates = []tls.Certificate{cert}
	}
	tr.TLSClientConfig = tc
	return tr, nil
}

// NetKind classifies a transport error: the server cannot be reached
// (refused, no route, DNS, TLS, connection dropped) is ErrUnreachable, a
// deadline or network timeout is ErrTimeout, anything else ErrServer.
func NetKind(err error) error {
	var (
		dnsErr  *net.DNSError
		opErr   *net.OpError
		netErr  net.Error
		unkCA   x509.UnknownAuthorityError
		hostErr x509.HostnameError
		invErr  x509.CertificateInvalidError
		verErr  *tls.CertificateVerificationError
		recErr  tls.RecordHeaderError
		urlErr  *url.Error
	)
	switch {
	case errors.Is(err, context.DeadlineExceeded), errors.Is(err, context.Canceled):
		return datasources.ErrTimeout
	case errors.As(err, &dnsErr),
		errors.Is(err, syscall.ECONNREFUSED), errors.Is(err, syscall.EHOSTUNREACH),
		errors.Is(err, syscall.ENETUNREACH), errors.Is(err, syscall.ECONNRESET),
		errors.Is(err, syscall.ECONNABORTED), errors.Is(err, syscall.EPIPE),
		errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF),
		errors.As(err, &unkCA), errors.As(err, &hostErr), errors.As(err, &invErr),
		errors.As(err, &verErr), errors.As(err, &recErr):
		return datasources.ErrUnreachable
	case errors.As(err, &netErr) && netErr.Timeout():
		return datasources.ErrTimeout
	case errors.As(err, &opErr) && opErr.Op == "dial":
		return datasources.ErrUnreachable
	case errors.As(err, &urlErr):
		return datasources.ErrUnreachable
	}
	return datasources.ErrServer
}

// Redact returns u without user information, query or fragment: safe to
// show on a panel or write to a log.
func Redact(u *url.URL) string {
	return strings.TrimRight(redact.Clean(u).String(), "/")
}

// Credentials are what a source authenticates with: a bearer token, or a
// username and password for basic auth.
type Credentials struct {
	Token, Username, Password string
}

// CredentialsFromEnv reads the credentials a layout source names by
// environment variable, with getenv (nil: os.Getenv). A named variable that
// is unset or empty is an error, naming the variable, never a value: a wall
// never silently queries without the credentials it was given.
func CredentialsFromEnv(src layouts.Source, getenv func(string) string) (Credentials, error) {
	if getenv == nil {
		getenv = os.Getenv
	}
	var c Credentials
	for _, v := range []struct {
		field, name string
		into        *string
	}{
		{"tokenEnv", src.TokenEnv, &c.Token},
		{"usernameEnv", src.UsernameEnv, &c.Username},
		{"passwordEnv", src.PasswordEnv, &c.Password},
	} {
		if v.name == "" {
			continue
		}
		if *v.into = getenv(v.name); *v.into == "" {
			return Credentials{}, fmt.Errorf("source %q: %s names the environment variable %s, which is unset or empty", src.Name, v.field, v.name)
		}
	}
	c.register()
	return c, nil
}

// register adds the token and password to the values every log line and
// shown error is scrubbed of.
func (c Credentials) register() { redact.Known.Add(c.Token, c.Password) }

// Transport returns next with c's credentials added to every request (on
// a copy: a RoundTripper must not change its request); next itself when
// there are none. Token is sent as scheme+" "+Token ("Bearer", "Token").
func (c Credentials) Transport(next http.RoundTripper, scheme string) http.RoundTripper {
	if c == (Credentials{}) {
		return next
	}
	c.register()
	return &authTransport{next: next, c: c, scheme: scheme}
}

type authTransport struct {
	next   http.RoundTripper
	c      Credentials
	scheme string
}

func (t *authTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	r := req.Clone(req.Context())
	if t.c.Token != "" {
		r.Header.Set("Authorization", t.scheme+" "+t.c.Token)
	} else {
		r.SetBasicAuth(t.c.Username, t.c.Password)
	}
	return t.next.RoundTrip(r)
}

// Step is the interval of a range query over [start, end] that asked for
// want (0: datasources.AutoStep, the program's one policy): never below
// minStep, widened so that a series has at most maxPoints points, and a
// whole number of milliseconds.
func Step(start, end time.Time, want, minStep time.Duration, maxPoints int) time.Duration {
	span := end.Sub(start)
	step := want
	if step <= 0 {
		step = datasources.AutoStep(span, minStep)
	}
	step = max(step, minStep)
	if span > 0 { // span/step+1 points: at most maxPoints
		step = max(step, (span+time.Duration(maxPoints)-2)/time.Duration(maxPoints-1))
	}
	return (step + time.Millisecond - 1) / time.Millisecond * time.Millisecond
}
