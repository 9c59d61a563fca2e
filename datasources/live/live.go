package live

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"sync"
	"sync/atomic"
	"time"

	"github.com/wallboard/wallboard/datasources"
	"github.com/wallboard/wallboard/datasources/history"
)

// Request is what a subscriber wants refreshed.
type Request struct {
	// SourceName identifies Source for de-duplication, for the concurrency
	// limit, for Notify and in the history.
	SourceName string
	Source     datasources.Source
	// Query is the expression; its Start and End are set on every refresh.
	Query datasources.Query
	// Window, when set, makes the range relative: [now-Window, now].
	Window time.Duration
	// From and To fix an absolute range when Window is zero.
	From, To time.Time
	// Interval is how often to refresh; zero fetches once (and again on
	// Refresh or Notify).
	Interval time.Duration
}

// key identifies identical requests. With a Window the absolute bounds play
// no part (they are recomputed on every refresh), so panels that subscribed
// the same relative query at different instants share one poller.
func (r Request) key() string {
	from, to := r.From.UnixMilli(), r.To.UnixMilli()
	if r.Window > 0 {
		from, to = 0, 0
	}
	return fmt.Sprintf("%s\x00%s\x00%d\x00%d\x00%d\x00%d",
		r.SourceName, r.Query.Key(), r.Window, from, to, r.Interval)
}

// Options tune a Scheduler; the zero value is usable.
type Options struct {
	// Now is the clock (default time.Now).
	Now func() time.Time
	// Timeout bounds one query (default 10s).
	Timeout time.Duration
	// MaxBackoff caps the retry delay after failures (default 1m).
	MaxBackoff time.Duration
	// Logger receives one line per change of a poller's health.
	Logger *slog.Logger
	// History, when set, is the local cache: a new poller delivers what it
	// holds at once (with its real fetch time, so its age shows), then asks
	// the source only for the missing tail, merges it in and stores it.
	// Nil: every refresh fetches the whole range. The Scheduler does not
	// close it; close the Scheduler first.
	History *history.Store
	// MaxConcurrentPerSource bounds the queries in flight per SourceName
	// (default 4); the others wait their turn.
	MaxConcurrentPerSource int
}

// Scheduler runs pollers for subscribed queries.
type Scheduler struct {
	opts Options
	ctx  context.Context
	stop context.CancelFunc

	mu      sync.Mutex
	pollers map[string]*poller
	sems    map[string]chan struct{}
	// failing is, per source name, the last failure of a query to that
	// source that was not about the query itself (unreachable, timeout,
	// server error, 401), until a query to it succeeds: a new poller's
	// first result (from history) carries it, so a panel of a dashboard
	// just switched to is stale at once, not only after its own timeout.
	failing map[string]error
	// ended is, per request key, the failure of a poller that ended while
	// failing (any kind, a bad query too), for a poller of the same
	// request started later; a success of that request clears it.
	ended map[string]endedFailure
	wg    sync.WaitGroup

	histLogged atomic.Bool
}

// New returns a Scheduler whose pollers all end when ctx ends or Close is called.
func New(ctx context.Context, opts Options) *Scheduler {
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.Timeout <= 0 {
		opts.Timeout = 10 * time.Second
	}
	if opts.MaxBackoff <= 0 {
		opts.MaxBackoff = time.Minute
	}
	if opts.Logger == nil {
		opts.Logger = slog.Default()
	}
	if opts.MaxConcurrentPerSource <= 0 {
		opts.MaxConcurrentPerSource = 4
	}
	ctx, stop := context.WithCancel(ctx)
	return &Scheduler{opts: opts, ctx: ctx, stop: stop, pollers: map[string]*poller{}, sems: map[string]chan struct{}{},
		failing: map[string]error{}, ended: map[string]endedFailure{}}
}

// endedFailure is the last error of a poller that ended while failing.
type endedFailure struct {
	err error
	at  time.Time
}

// maxEnded bounds the failures remembered for ended pollers.
const maxEnded = 1024

// Close stops every poller and every subscriber's delivery, and waits for
// them to end.
func (s *Scheduler) Close() {
	s.stop()
	s.wg.Wait()
}

// Pollers reports how many distinct queries are being refreshed.
func (s *Scheduler) Pollers() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.pollers)
}

// Subscribe calls fn with every result of req, starting with the last one
// already known, in order: fn runs on a goroutine of this subscriber's own
// (owned by the Scheduler), one call at a time, and never sees an older
// result after a newer one. Identical requests share one poller. The
// returned function unsubscribes and waits for a call of fn in progress,
// so fn is never called once it has returned (it must therefore not be
// called from fn itself); the poller ends with its last subscriber.
func (s *Scheduler) Subscribe(req Request, fn func(*datasources.Result)) (unsubscribe func()) {
	k := req.key()
	s.mu.Lock()
	p, ok := s.pollers[k]
	if !ok {
		ctx, cancel := context.WithCancel(s.ctx)
		p = &poller{s: s, req: req, key: k, cancel: cancel, subs: map[int]*subscriber{}, kick: make(chan struct{}, 1)}
		if s.opts.History != nil {
			p.hkey = history.QueryKey(req.Query)
		}
		p.lastErr = s.knownFailure(req.SourceName, k)
		s.pollers[k] = p
		s.wg.Add(1)
		go func() {
			defer s.wg.Done()
			p.run(ctx)
		}()
	}
	sub := newSubscriber(fn)
	s.wg.Add(1)
	go func() {
		defer s.wg.Done()
		sub.run(s.ctx)
	}()
	id := p.add(sub)
	s.mu.Unlock()

	var once sync.Once
	return func() {
		once.Do(func() {
			s.mu.Lock()
			if p.remove(id) == 0 {
				p.cancel()
				if s.pollers[k] == p {
					delete(s.pollers, k)
				}
			}
			s.mu.Unlock()
			sub.stop()
		})
	}
}

// knownFailure is the error a new poller for the request with key k, of
// the source named sourceName, starts with: its own last failure if an
// earlier poller of it ended while failing, else the source's current
// failure (nil: none known).
func (s *Scheduler) knownFailure(sourceName, k string) error {
	if f, ok := s.ended[k]; ok {
		return f.err
	}
	return s.failing[sourceName]
}

// noteOutcome records the outcome of a fetch of the request with key k
// (err nil: a success) for knownFailure.
//
// It reports whether the outcome is news for the source, to be logged once
// for all its queries: the source starts failing, fails another way, or
// comes back (a bad query is always news: it is the query's own).
func (s *Scheduler) noteOutcome(sourceName, k string, err error) (news bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	prev, wasFailing := s.failing[sourceName]
	if err == nil {
		delete(s.failing, sourceName)
		delete(s.ended, k)
		return wasFailing
	}
	if errors.Is(err, datasources.ErrBadQuery) {
		return true
	}
	s.failing[sourceName] = err
	return !wasFailing || errorKind(prev) != errorKind(err)
}

// errorKind is the class of a query error (one of the datasources Err
// values), for telling one failure of a source from another.
func errorKind(err error) error {
	for _, k := range []error{datasources.ErrTimeout, datasources.ErrUnreachable, datasources.ErrAuth, datasources.ErrBadQuery, datasources.ErrServer} {
		if errors.Is(err, k) {
			return k
		}
	}
	return nil
}

// pollerEnded remembers the failure of a poller that ends while failing.
func (s *Scheduler) pollerEnded(k string, err error) {
	if err == nil {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(s.ended) >= maxEnded {
		oldest, at := "", time.Time{}
		for key, f := range s.ended {
			if oldest == "" || f.at.Before(at) {
				oldest, at = key, f.at
			}
		}
		delete(s.ended, oldest)
	}
	s.ended[k] = endedFailure{err: err, at: s.opts.Now()}
}

// Refresh asks every poller to fetch now rather than at its next tick.
func (s *Scheduler) Refresh() {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, p := range s.pollers {
		p.wake()
	}
}

// Notify makes every poller of the source named sourceName fetch now (a
// failing one too, without waiting for its backoff): call it when samples
// were pushed into that source (UpdateMetrics), so that they reach the
// subscribers at once.
func (s *Scheduler) Notify(sourceName string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, p := range s.pollers {
		if p.req.SourceName == sourceName {
			p.wake()
		}
	}
}

// sem is the semaphore that bounds the queries in flight to one source.
func (s *Scheduler) sem(sourceName string) chan struct{} {
	s.mu.Lock()
	defer s.mu.Unlock()
	c, ok := s.sems[sourceName]
	if !ok {
		c = make(chan struct{}, s.opts.MaxConcurrentPerSource)
		s.sems[sourceName] = c
	}
	return c
}

// historyProblem logs the first failure of the history cache; the wall
// keeps working from its sources. A read-only cache's refused writes are
// not a problem: history.Open's notice said so.
func (s *Scheduler) historyProblem(err error) {
	if errors.Is(err, history.ErrReadOnly) {
		return
	}
	if s.histLogged.CompareAndSwap(false, true) {
		s.opts.Logger.Warn("history cache failed; continuing without it where needed (logged once)", "err", err)
	}
}

// maxQueued bounds the results waiting for one subscriber: one that falls
// that far behind loses its oldest undelivered results, never the newest.
const maxQueued = 16

// subscriber delivers results to one subscriber's fn, in order, on its
// own goroutine (run), so that a new subscriber's first result (the last
// one known) and the poller's next publish cannot overtake each other.
type subscriber struct {
	fn   func(*datasources.Result)
	wake chan struct{}
	quit chan struct{}
	done chan struct{}

	mu     sync.Mutex
	queue  []*datasources.Result
	closed bool
}

func newSubscriber(fn func(*datasources.Result)) *subscriber {
	return &subscriber{fn: fn, wake: make(chan struct{}, 1), quit: make(chan struct{}), done: make(chan struct{})}
}

// push queues r for delivery; it never blocks.
func (sub *subscriber) push(r *datasources.Result) {
	sub.mu.Lock()
	if sub.closed {
		sub.mu.Unlock()
		return
	}
	if len(sub.queue) >= maxQueued {
		sub.queue[0] = nil
		sub.queue = sub.queue[1:]
	}
	sub.queue = append(sub.queue, r)
	sub.mu.Unlock()
	select {
	case sub.wake <- struct{}{}:
	default:
	}
}

// next takes the oldest queued result (nil: none, or stopped).
func (sub *subscriber) next() *datasources.Result {
	sub.mu.Lock()
	defer sub.mu.Unlock()
	if sub.closed || len(sub.queue) == 0 {
		return nil
	}
	r := sub.queue[0]
	sub.queue[0] = nil
	sub.queue = sub.queue[1:]
	return r
}

// run delivers queued results until stop is called or ctx ends.
func (sub *subscriber) run(ctx context.Context) {
	defer close(sub.done)
	for {
		select {
		case <-ctx.Done():
			return
		case <-sub.quit:
			return
		case <-sub.wake:
		}
		for r := sub.next(); r != nil; r = sub.next() {
			sub.fn(r)
		}
	}
}

// stop ends the delivery and waits for a call of fn in progress.
func (sub *subscriber) stop() {
	sub.mu.Lock()
	if !sub.closed {
		sub.closed = true
		sub.queue = nil
		close(sub.quit)
	}
	sub.mu.Unlock()
	<-sub.done
}

type poller struct {
	s      *Scheduler
	req    Request
	key    string // req.key()
	hkey   string // the query's key in the history
	cancel context.CancelFunc
	kick   chan struct{}

	mu     sync.Mutex
	subs   map[int]*subscriber
	next   int
	last   *datasources.Result
	failed int

	// Owned by the run goroutine: the error of the last fetch while it
	// fails (nil after a success; at start what the Scheduler knew).
	lastErr error

	// Owned by the run goroutine: the last good series (from history or
	// the source) and the range they cover without holes (ms).
	loaded         bool
	base           []datasources.Series
	covered        bool
	covFrom, covTo int64
}

func (p *poller) wake() {
	select {
	case p.kick <- struct{}{}:
	default:
	}
}

// add registers sub and queues the last result for it, under the lock
// that publish takes, so that it comes before every later one.
func (p *poller) add(sub *subscriber) int {
	p.mu.Lock()
	defer p.mu.Unlock()
	id := p.next
	p.next++
	p.subs[id] = sub
	if p.last != nil {
		sub.push(p.last)
	}
	return id
}

func (p *poller) remove(id int) int {
	p.mu.Lock()
	defer p.mu.Unlock()
	delete(p.subs, id)
	return len(p.subs)
}

func (p *poller) run(ctx context.Context) {
	defer func() { p.s.pollerEnded(p.key, p.lastErr) }()
	for {
		delay := p.poll(ctx)
		if ctx.Err() != nil {
			return
		}
		var (
			t     *time.Timer
			timer <-chan time.Time // nil: wait for a wake-up only
		)
		if delay > 0 {
			t = time.NewTimer(delay)
			timer = t.C
		}
		select {
		case <-ctx.Done():
		case <-p.kick:
		case <-timer:
		}
		if t != nil {
			t.Stop()
		}
		if ctx.Err() != nil {
			return
		}
	}
}

// publish marks res (see mark), makes it the poller's last result and
// queues it for every subscriber.
func (p *poller) publish(res datasources.Result) {
	r := p.mark(res, p.s.opts.Now())
	p.mu.Lock()
	defer p.mu.Unlock()
	p.last = r
	for _, sub := range p.subs {
		sub.push(r)
	}
}

// mark sets what a result must say about itself, whoever gets it: while
// the last fetch failed, Stale and that error; on a live (relative) range,
// Stale when its newest sample is older at now than the step allows
// (staleAfter). An absolute range is not stale for its samples' age: its
// age is how long ago it was fetched (Fetched).
func (p *poller) mark(r datasources.Result, now time.Time) *datasources.Result {
	if p.lastErr != nil {
		r.Stale, r.Err = true, p.lastErr
	}
	if lim := p.req.staleAfter(); !r.Stale && lim > 0 {
		if newest, ok := newestSample(r.Series); ok && now.Sub(newest) > lim {
			r.Stale = true
		}
	}
	return &r
}

// staleAfter is how old the newest sample of a live (relative) range may
// be before its result is stale: three steps (a sample may be missing or
// late by a step or two) plus the refresh interval. Zero: no such bound
// (an absolute range, or neither a step nor an interval).
func (r Request) staleAfter() time.Duration {
	if r.Window <= 0 {
		return 0
	}
	return 3*max(r.Query.Step, 0) + max(r.Interval, 0)
}

// newestSample is the time of the newest sample among series.
func newestSample(series []datasources.Series) (time.Time, bool) {
	var newest int64
	ok := false
	for _, s := range series {
		if n := len(s.Points); n > 0 && (!ok || s.Points[n-1].T > newest) {
			newest, ok = s.Points[n-1].T, true
		}
	}
	return time.UnixMilli(newest), ok
}

// query asks src for q within timeout, holding a slot of the source's
// semaphore sem (already taken) until the source returns. The poller waits
// only as long as ctx and the timeout allow: a source that ignores its
// context (a parser deep in a huge expression) is left to finish on its own
// goroutine, still holding its slot, so a hung query never stalls a
// poller, a dashboard switch or the scheduler's Close.
func query(ctx context.Context, src datasources.Source, q datasources.Query, timeout time.Duration, sem chan struct{}) (*datasources.Result, error) {
	qctx, cancel := context.WithTimeout(ctx, timeout)
	type answer struct {
		res *datasources.Result
		err error
	}
	done := make(chan answer, 1)
	go func() {
		defer func() { <-sem }()
		defer cancel()
		res, err := src.Query(qctx, q)
		done <- answer{res, err}
	}()
	select {
	case a := <-done:
		return a.res, a.err
	case <-qctx.Done():
		// Give a source that honours its context a moment to say why.
		select {
		case a := <-done:
			return a.res, a.err
		case <-time.After(50 * time.Millisecond):
		}
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		return nil, &datasources.QueryError{Kind: datasources.ErrTimeout, Expr: q.Expr, Err: &datasources.TimeoutError{After: timeout}}
	}
}

// span is the range a refresh at now covers.
func (p *poller) span(now time.Time) (from, to time.Time) {
	if p.req.Window > 0 {
		return now.Add(-p.req.Window), now
	}
	return p.req.From, p.req.To
}

// poll fetches once, publishes the outcome and returns the delay until the
// next fetch (0: only when woken).
func (p *poller) poll(ctx context.Context) time.Duration {
	req := p.req
	h := p.s.opts.History
	now := p.s.opts.Now()
	from, to := p.span(now)
	if h != nil && !p.loaded {
		p.loaded = true
		p.loadHistory(ctx, from, to)
	}

	q := req.Query
	q.Start, q.End = from, to
	tail := p.planTail(&q)

	sem := p.s.sem(req.SourceName)
	select {
	case sem <- struct{}{}:
	case <-ctx.Done():
		return 0
	}
	res, err := query(ctx, req.Source, q, p.s.opts.Timeout, sem)
	if ctx.Err() != nil {
		return 0
	}
	if err == nil && res == nil {
		err = errors.New("source returned no result")
	}

	if err != nil {
		err = classify(err, q.Expr, p.s.opts.Timeout)
		p.lastErr = err
		news := p.s.noteOutcome(req.SourceName, p.key, err)
		p.mu.Lock()
		if p.failed == 0 {
			// One line per source when it starts failing (not one per
			// query: a wall has hundreds); the others at debug level.
			log := p.s.opts.Logger.Debug
			if news {
				log = p.s.opts.Logger.Warn
			}
			log("query failed", "source", req.SourceName, "expr", q.Expr, "err", err)
		}
		p.failed++
		failed := p.failed
		var stale datasources.Result
		if p.last != nil {
			stale.Series, stale.Fetched = p.last.Series, p.last.Fetched
		}
		p.mu.Unlock()
		p.publish(stale)
		if req.Interval <= 0 {
			return 0
		}
		return backoff(req.Interval, failed, p.s.opts.MaxBackoff)
	}

	p.lastErr = nil
	news := p.s.noteOutcome(req.SourceName, p.key, nil)
	p.mu.Lock()
	if p.failed > 0 {
		log := p.s.opts.Logger.Debug
		if news {
			log = p.s.opts.Logger.Info
		}
		log("query recovered", "source", req.SourceName, "expr", q.Expr, "failures", p.failed)
	}
	p.failed = 0
	p.mu.Unlock()
	// Fetched is how long ago what a panel shows was fetched. A source
	// says when its answer ends (the range's end); on a live range that is
	// now, but on an absolute one, say a winter of 2013, it is the range's
	// end, years ago: there the fetch's own time is the age.
	fetched := res.Fetched
	if fetched.IsZero() || req.Window <= 0 {
		fetched = now
	}
	if h == nil {
		r := *res
		r.Fetched, r.Stale, r.Err = fetched, false, nil
		p.publish(r)
		return aligned(time.Now(), req.Interval)
	}

	series := res.Series
	lo, hi := q.Start.UnixMilli(), q.End.UnixMilli()
	if tail {
		series = trim(history.MergeSeries(p.base, res.Series, lo, hi, history.MinGap(q.Step).Milliseconds()), from.UnixMilli())
		p.covTo = hi
	} else {
		p.covFrom, p.covTo, p.covered = lo, hi, true
	}
	p.base = series
	out := *res
	out.Series, out.Fetched, out.Stale, out.Err = series, fetched, false, nil
	p.publish(out)

	b := history.Batch{Source: req.SourceName, Query: p.hkey, From: q.Start, To: q.End, Step: q.Step, Fetched: fetched, Series: res.Series}
	if q.Instant {
		b.From = q.End
	}
	// Stored even when the poller is being cancelled (a dashboard switch):
	// the answer is already here, and switching back should find it.
	if err := h.Write(context.WithoutCancel(ctx), b); err != nil {
		p.s.historyProblem(err)
	}
	return aligned(time.Now(), req.Interval)
}

// aligned is the wait from now to the next multiple of interval on the
// wall clock (a whole interval if that is under a tenth of one away):
// pollers of the same interval fetch together, so the panels they feed
// change together and a wall repaints once per interval, not once per
// poller at its own phase.
func aligned(now time.Time, interval time.Duration) time.Duration {
	if interval <= 0 {
		return interval
	}
	wait := now.Truncate(interval).Add(interval).Sub(now)
	if wait < interval/10 {
		wait += interval
	}
	return wait
}

// loadHistory publishes what the history holds for [from, to], marked with
// the time it was fetched, and remembers it as the base for tails.
func (p *poller) loadHistory(ctx context.Context, from, to time.Time) {
	lo := from
	if p.req.Query.Instant && p.req.Window <= 0 && from.IsZero() {
		lo = to.Add(-24 * time.Hour)
	}
	c, ok, err := p.s.opts.History.Load(ctx, p.req.SourceName, p.hkey, lo, to)
	if err != nil {
		if ctx.Err() == nil {
			p.s.historyProblem(err)
		}
		return
	}
	if !ok {
		return
	}
	series := c.Series
	if p.req.Query.Instant {
		series = lastPoints(series)
	}
	fetched := c.Fetched
	if fetched.IsZero() || fetched.After(p.s.opts.Now()) {
		fetched = c.Newest
	}
	p.base = series
	p.covFrom, p.covTo, p.covered = c.From.UnixMilli(), c.To.UnixMilli(), true
	p.publish(datasources.Result{Series: series, Fetched: fetched})
}

// classify makes err one of the kinds a panel explains (datasources.Err*),
// the most specific: a query that ran out of its timeout is ErrTimeout,
// "no answer within" the timeout; an error of no known kind is ErrServer.
func classify(err error, expr string, timeout time.Duration) error {
	if errorKind(err) != nil {
		return err
	}
	if errors.Is(err, context.DeadlineExceeded) {
		return &datasources.QueryError{Kind: datasources.ErrTimeout, Expr: expr, Err: fmt.Errorf("%w: %w", &datasources.TimeoutError{After: timeout}, err)}
	}
	return &datasources.QueryError{Kind: datasources.ErrServer, Expr: expr, Err: err}
}

// planTail narrows q to the tail that the base lacks and reports whether it
// did: from one step before the end of the covered range, anchored so that
// the last point falls at q.End (as a full fetch's does). It does not when
// there is no history, no step, an instant query, or when the base does not
// reach back to the start of the range.
func (p *poller) planTail(q *datasources.Query) bool {
	if p.s.opts.History == nil || q.Instant || q.Step <= 0 || !p.covered {
		return false
	}
	step := q.Step.Milliseconds()
	if step <= 0 {
		return false
	}
	f, t := q.Start.UnixMilli(), q.End.UnixMilli()
	if p.covFrom > f+step || p.covTo < f {
		return false
	}
	anchor := p.covTo - step
	k := max((t-anchor+step-1)/step, 1)
	start := t - k*step
	if start <= f {
		return false
	}
	q.Start = time.UnixMilli(start)
	return true
}

// trim drops the points before from (ms), and the series left without any.
// Point slices are re-sliced, never modified.
func trim(series []datasources.Series, from int64) []datasources.Series {
	out := make([]datasources.Series, 0, len(series))
	for _, s := range series {
		i := 0
		for i < len(s.Points) && s.Points[i].T < from {
			i++
		}
		if i == len(s.Points) {
			continue
		}
		s.Points = s.Points[i:]
		out = append(out, s)
	}
	return out
}

// lastPoints keeps the newest point of every series (an instant query's answer).
func lastPoints(series []datasources.Series) []datasources.Series {
	out := make([]datasources.Series, len(series))
	for i, s := range series {
		s.Points = s.Points[len(s.Points)-1:]
		out[i] = s
	}
	return out
}

// backoff is the delay after n consecutive failures: the interval doubled
// per failure, capped, with ±20% jitter so walls do not retry in lockstep.
func backoff(interval time.Duration, n int, max time.Duration) time.Duration {
	d := interval
	for i := 1; i < n && d < max; i++ {
		d *= 2
	}
	if d > max {
		d = max
	}
	jitter := 0.8 + 0.4*rand.Float64()
	return time.Duration(float64(d) * jitter)
}
