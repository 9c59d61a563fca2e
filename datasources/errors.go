package datasources

import (
	"errors"
	"fmt"
	"time"
)

// ErrAuth is the kind of a query the source refused for its credentials
// (HTTP 401 or 403).
var ErrAuth = errors.New("not authorised")

// TimeoutError is the cause of an ErrTimeout: the source gave no answer
// within After.
type TimeoutError struct{ After time.Duration }

func (e *TimeoutError) Error() string {
	return fmt.Sprintf("no answer within %s", e.After.Round(time.Millisecond))
}
