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

	"github.com/wallboard/wallboard/datasources"
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
	c := *u
	c.User = nil
	c.RawQuery, c.Fragment = "", ""
	return strings.TrimRight(c.String(), "/")
}
