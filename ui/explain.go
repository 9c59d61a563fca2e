package ui

import (
	"context"
	"errors"

	"github.com/wallboard/wallboard/datasources"
	"github.com/wallboard/wallboard/internal/redact"
)

// Explain turns a query error into words an operator understands at a glance.
func Explain(err error) string {
	switch {
	case err == nil:
		return ""
	case errors.Is(err, datasources.ErrTimeout), errors.Is(err, context.DeadlineExceeded):
		var te *datasources.TimeoutError
		if errors.As(err, &te) {
			return "No answer within " + shortDuration(te.After)
		}
		return "Source did not answer in time"
	case errors.Is(err, datasources.ErrAuth):
		return "Not authorised: check the source's credentials"
	case errors.Is(err, datasources.ErrUnreachable):
		return "Source unreachable"
	case errors.Is(err, datasources.ErrBadQuery):
		return "Query error: check the panel's expression"
	case errors.Is(err, datasources.ErrServer):
		return "Source reported an error"
	}
	return "Error: " + redact.Text(err.Error())
}

// Reason is the one or two words of why a source failed, for a stale
// badge: "timeout", "unreachable", "401", "bad query", "server error".
func Reason(err error) string {
	switch {
	case err == nil:
		return ""
	case errors.Is(err, datasources.ErrTimeout), errors.Is(err, context.DeadlineExceeded):
		return "timeout"
	case errors.Is(err, datasources.ErrUnreachable):
		return "unreachable"
	case errors.Is(err, datasources.ErrAuth):
		return "not authorised"
	case errors.Is(err, datasources.ErrBadQuery):
		return "bad query"
	}
	return "server error"
}
