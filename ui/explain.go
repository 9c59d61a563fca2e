package ui

import (
	"context"
	"errors"

	"github.com/wallboard/wallboard/datasources"
)

// Explain turns a query error into words an operator understands at a glance.
func Explain(err error) string {
	switch {
	case err == nil:
		return ""
	case errors.Is(err, datasources.ErrTimeout), errors.Is(err, context.DeadlineExceeded):
		return "Source did not answer in time"
	case errors.Is(err, datasources.ErrUnreachable):
		return "Source unreachable"
	case errors.Is(err, datasources.ErrBadQuery):
		return "Query error: check the panel's expression"
	case errors.Is(err, datasources.ErrServer):
		return "Source reported an error"
	}
	return "Error: " + err.Error()
}
