// Package live is the scheduler between sources and panels: it runs one
// refresh loop (a poller) per distinct query, fans each result out to every
// subscriber of that query, retries failed sources with jittered exponential
// backoff, and marks results stale (keeping the last good data and its age)
// while a source is failing.
//
// With a history (Options.History), a new poller first delivers what the
// local cache holds for its range, at once and marked with the time it was
// fetched (so a panel shows its age), then asks the source only for the
// missing tail: from a step before the end of the cached range to now,
// anchored so that its last point falls at now as a full fetch's does. It
// merges the tail into the cached series (by name and labels; see
// history.MergePoints for how the seam keeps one point per step), delivers
// the result and stores the tail. When the cache does not reach back to the
// start of the range, the whole range is fetched once. With every source
// down, a wall thus comes up from its history in milliseconds, stale and
// with the right age.
//
// At most Options.MaxConcurrentPerSource queries (default 4) run at once
// per source; the others wait their turn. Notify makes the pollers of one
// source fetch now, for pushed samples.
//
// Every poller is a goroutine owned by the Scheduler and holds the
// context.CancelFunc that ends it: it stops when its last subscriber
// unsubscribes or when the Scheduler is closed. Subscribers are called on the
// poller's goroutine, never on Fyne's; they must not block for long.
package live
