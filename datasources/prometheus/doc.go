// Package prometheus is a datasources.Source over a Prometheus server's
// HTTP API, through github.com/prometheus/client_golang/api/prometheus/v1.
//
// A Source answers range queries (at the query's step, widened so that no
// series has more than MaxPoints points and never finer than the source's
// minimum step), instant queries (datasources.Query.Instant, for stat and
// gauge panels) and label values (LabelValues, for dashboard variables).
// Every call has a deadline: the caller's, or the source's Timeout when it is
// sooner, which is also sent to Prometheus so that it stops evaluating.
//
// Credentials (a bearer token, or a user name and password for basic auth)
// are given to New directly or, by FromLayout, read from the environment
// variables a layout names; they are only ever sent in request headers,
// never logged, stored or shown in errors.
//
// Errors are *datasources.QueryError values whose Kind tells an operator
// what is wrong: ErrUnreachable (connection refused, DNS, no route, TLS),
// ErrTimeout (no answer before the deadline, or Prometheus' own query
// timeout), ErrBadQuery (HTTP 400/422: bad_data or execution errors) and
// ErrServer (5xx and other refusals), with the server's own message kept.
//
// The package never imports Fyne and builds with CGO_ENABLED=0.
package prometheus
