package prometheus

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	v1 "github.com/prometheus/client_golang/api/prometheus/v1"

	"github.com/wallboard/wallboard/datasources"
	"github.com/wallboard/wallboard/internal/httpsrc"
	"github.com/wallboard/wallboard/internal/redact"
)

// classify turns a failed call into a *datasources.QueryError whose Kind an
// operator can act on, keeping the server's message. status is the HTTP
// status of the answer, 0 when there was none.
func (s *Source) classify(ctx context.Context, expr string, budget time.Duration, status int, err error) error {
	kind, cause := kindOf(ctx, budget, status, err)
	return &datasources.QueryError{Kind: kind, Expr: expr, Err: redact.Error(fmt.Errorf("prometheus %s: %w", s.url, cause))}
}

// kindOf classifies err; cause is err, reworded where the client's words
// would not help an operator.
func kindOf(ctx context.Context, budget time.Duration, status int, err error) (kind, cause error) {
	if cerr := ctx.Err(); cerr != nil {
		if errors.Is(cerr, context.DeadlineExceeded) {
			cause = &datasources.TimeoutError{After: budget}
		} else {
			cause = errors.New("query canceled")
		}
		if errors.Is(err, cerr) {
			return datasources.ErrTimeout, fmt.Errorf("%w: %w", cause, err)
		}
		return datasources.ErrTimeout, fmt.Errorf("%w: %w: %w", cause, cerr, err)
	}
	var apiErr *v1.Error
	if errors.As(err, &apiErr) {
		return apiKind(status, apiErr)
	}
	return httpsrc.NetKind(err), err
}

// apiKind classifies an error answer of the Prometheus API.
func apiKind(status int, e *v1.Error) (kind, cause error) {
	typ, msg := e.Type, e.Msg
	// Answers with a status the client does not decode (503 for a query
	// timeout, 5xx from a proxy) carry the body in Detail.
	if e.Detail != "" {
		var body struct {
			ErrorType v1.ErrorType `json:"errorType"`
			Error     string       `json:"error"`
		}
		if json.Unmarshal([]byte(e.Detail), &body) == nil && body.Error != "" {
			typ, msg = body.ErrorType, body.Error
		} else if d := strings.TrimSpace(e.Detail); d != "" {
			msg += ": " + truncate(d, 300)
		}
	}
	if status != 0 {
		msg = fmt.Sprintf("HTTP %d: %s", status, msg)
	}
	cause = &apiError{typ: typ, msg: msg, err: e}
	switch typ {
	case v1.ErrTimeout, v1.ErrCanceled:
		return datasources.ErrTimeout, cause
	case v1.ErrBadData:
		return datasources.ErrBadQuery, cause
	case v1.ErrExec:
		if status == 422 || status == 400 {
			return datasources.ErrBadQuery, cause
		}
		return datasources.ErrServer, cause
	}
	if status == 400 || status == 422 {
		return datasources.ErrBadQuery, cause
	}
	if status == 401 || status == 403 {
		return datasources.ErrAuth, cause
	}
	return datasources.ErrServer, cause
}

// apiError is the server's error, reworded, still matching *v1.Error.
type apiError struct {
	typ v1.ErrorType
	msg string
	err *v1.Error
}

func (e *apiError) Error() string {
	if e.typ == "" {
		return e.msg
	}
	return string(e.typ) + ": " + e.msg
}

func (e *apiError) Unwrap() error { return e.err }

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "…"
}
