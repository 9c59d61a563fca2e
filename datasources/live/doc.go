// Package live is the scheduler between sources and panels: it runs one
// refresh loop (a poller) per distinct query, fans each result out to every
// subscriber of that query, retries failed sources with jittered exponential
// backoff, and marks results stale (keeping the last good data and its age)
// while a source is failing.
//
// Every poller is a goroutine owned by the Scheduler and holds the
// context.CancelFunc that ends it: it stops when its last subscriber
// unsubscribes or when the Scheduler is closed. Subscribers are called on the
// poller's goroutine, never on Fyne's; they must not block for long.
package live
