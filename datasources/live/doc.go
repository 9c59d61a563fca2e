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
// # What a result says about itself
//
// Every result a subscriber gets says how old and how true it is, so that
// a panel needs no memory of its own (switching dashboards keeps both):
// Fetched is when its data was fetched; while the last fetch failed it is
// Stale and Err is that failure, classified (datasources.ErrTimeout "no
// answer within" the timeout, ErrUnreachable, ErrServer, ErrBadQuery). A
// new poller starts with what the Scheduler knows: the failure of an
// earlier poller of the same request that ended while failing, else the
// current failure of its source (a bad query is not the source's), so the
// first result from history of a dashboard just switched to is already
// stale with the reason. On a live (relative) range a result is also
// Stale when its newest sample is older than three steps plus the refresh
// interval; an absolute range is never stale for its samples' age.
//
// Every poller is a goroutine owned by the Scheduler and holds the
// context.CancelFunc that ends it: it stops when its last subscriber
// unsubscribes or when the Scheduler is closed. Each subscriber has a
// delivery goroutine of its own, also owned by the Scheduler: results reach
// it in order (the last one known first, then every later one), never on
// Fyne's goroutine, and unsubscribing (or Close) ends it and waits for a
// call in progress. Subscribers should not block for long: one that falls
// more than a few results behind loses the oldest ones, never the newest.
package live
