package history

import (
	"errors"
	"fmt"
	"runtime"
	"runtime/debug"
)

// ErrBroken is wrapped by every error of a Store that stopped using its
// file: reading the mapped file faulted (a damaged page pointing outside
// the mapping, a file cut short under the running wall) or bbolt panicked
// on it. bbolt may then hold its locks for good, so the Store never
// touches the file again, not even to close it; Close moves it aside. The
// app carries on from its sources.
var ErrBroken = errors.New("history: store broken")

// ErrReadOnly is wrapped by the error of a write to a Store whose file
// could only be opened read-only (see the ReadOnly notice).
var ErrReadOnly = errors.New("history: cache is read-only")

// guarded runs fn with memory faults of this goroutine turned into panics
// (runtime/debug.SetPanicOnFault, restored afterwards), and turns a panic
// into an error wrapping ErrCorrupt. panicked reports one: bbolt's locks
// may then be held, so the DB fn used must not be used again.
func guarded(fn func() error) (err error, panicked bool) {
	defer func() {
		if r := recover(); r != nil {
			err, panicked = fmt.Errorf("%w: %s", ErrCorrupt, describePanic(r)), true
		}
	}()
	defer debug.SetPanicOnFault(debug.SetPanicOnFault(true))
	return fn(), false
}

// describePanic says what a recovered panic was.
func describePanic(r any) string {
	var addr interface{ Addr() uintptr }
	if e, ok := r.(error); ok && errors.As(e, &addr) {
		return fmt.Sprintf("memory fault at %#x reading the mapped file (damaged, or cut short while in use): %v", addr.Addr(), e)
	}
	if e, ok := r.(runtime.Error); ok {
		return fmt.Sprintf("bbolt failed on damaged data: %v", e)
	}
	return fmt.Sprintf("bbolt panicked on damaged data: %v", r)
}
