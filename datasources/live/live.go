package live

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"sync"
	"time"

	"github.com/wallboard/wallboard/datasources"
)

// Request is what a subscriber wants refreshed.
type Request struct {
	// SourceName identifies Source for de-duplication.
	SourceName string
	Source     datasources.Source
	// Query is the expression; its Start and End are set on every refresh.
	Query datasources.Query
	// Window, when set, makes the range relative: [now-Window, now].
	Window time.Duration
	// From and To fix an absolute range when Window is zero.
	From, To time.Time
	// Interval is how often to refresh; zero fetches once.
	Interval time.Duration
}

func (r Request) key() string {
	return fmt.Sprintf("%s\x00%s\x00%d\x00%d\x00%d\x00%d",
		r.SourceName, r.Query.Key(), r.Window, r.From.UnixMilli(), r.To.UnixMilli(), r.Interval)
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
}

// Scheduler runs pollers for subscribed queries.
type Scheduler struct {
	opts Options
	ctx  context.Context
	stop context.CancelFunc

	mu      sync.Mutex
	pollers map[string]*poller
	wg      sync.WaitGroup
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
	ctx, stop := context.WithCancel(ctx)
	return &Scheduler{opts: opts, ctx: ctx, stop: stop, pollers: map[string]*poller{}}
}

// Close stops every poller and waits for them to end.
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
// already known. Identical requests share one poller. The returned function
// unsubscribes; the poller ends with its last subscriber.
func (s *Scheduler) Subscribe(req Request, fn func(*datasources.Result)) (unsubscribe func()) {
	k := req.key()
	s.mu.Lock()
	p, ok := s.pollers[k]
	if !ok {
		ctx, cancel := context.WithCancel(s.ctx)
		p = &poller{s: s, req: req, cancel: cancel, subs: map[int]func(*datasources.Result){}, kick: make(chan struct{}, 1)}
		s.pollers[k] = p
		s.wg.Add(1)
		go func() {
			defer s.wg.Done()
			p.run(ctx)
		}()
	}
	id := p.add(fn)
	s.mu.Unlock()

	var once sync.Once
	return func() {
		once.Do(func() {
			s.mu.Lock()
			defer s.mu.Unlock()
			if p.remove(id) == 0 {
				p.cancel()
				if s.pollers[k] == p {
					delete(s.pollers, k)
				}
			}
		})
	}
}

// Refresh asks every poller to fetch now rather than at its next tick.
func (s *Scheduler) Refresh() {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, p := range s.pollers {
		select {
		case p.kick <- struct{}{}:
		default:
		}
	}
}

type poller struct {
	s      *Scheduler
	req    Request
	cancel context.CancelFunc
	kick   chan struct{}

	mu     sync.Mutex
	subs   map[int]func(*datasources.Result)
	next   int
	last   *datasources.Result
	failed int
}

func (p *poller) add(fn func(*datasources.Result)) int {
	p.mu.Lock()
	id := p.next
	p.next++
	p.subs[id] = fn
	last := p.last
	p.mu.Unlock()
	if last != nil {
		go fn(last) // not under s.mu: fn may take its time
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
	for {
		delay := p.poll(ctx)
		if ctx.Err() != nil {
			return
		}
		if delay <= 0 {
			<-ctx.Done()
			return
		}
		t := time.NewTimer(delay)
		select {
		case <-ctx.Done():
			t.Stop()
			return
		case <-p.kick:
			t.Stop()
		case <-t.C:
		}
	}
}

// poll fetches once, publishes the outcome and returns the delay until the
// next fetch (0: never).
func (p *poller) poll(ctx context.Context) time.Duration {
	req := p.req
	now := p.s.opts.Now()
	q := req.Query
	if req.Window > 0 {
		q.Start, q.End = now.Add(-req.Window), now
	} else {
		q.Start, q.End = req.From, req.To
	}
	qctx, cancel := context.WithTimeout(ctx, p.s.opts.Timeout)
	res, err := req.Source.Query(qctx, q)
	cancel()
	if ctx.Err() != nil {
		return 0
	}
	if err == nil && res == nil {
		err = errors.New("source returned no result")
	}

	p.mu.Lock()
	if err != nil {
		if errors.Is(err, context.DeadlineExceeded) && !errors.Is(err, datasources.ErrTimeout) {
			err = &datasources.QueryError{Kind: datasources.ErrTimeout, Expr: q.Expr, Err: err}
		}
		if p.failed == 0 {
			p.s.opts.Logger.Warn("query failed", "source", req.SourceName, "expr", q.Expr, "err", err)
		}
		p.failed++
		stale := &datasources.Result{Stale: true, Err: err}
		if p.last != nil {
			stale.Series, stale.Fetched = p.last.Series, p.last.Fetched
		}
		res = stale
	} else {
		if p.failed > 0 {
			p.s.opts.Logger.Info("query recovered", "source", req.SourceName, "expr", q.Expr, "failures", p.failed)
		}
		p.failed = 0
		if res.Fetched.IsZero() {
			r := *res
			r.Fetched = now
			res = &r
		}
	}
	p.last = res
	subs := make([]func(*datasources.Result), 0, len(p.subs))
	for _, fn := range p.subs {
		subs = append(subs, fn)
	}
	failed := p.failed
	p.mu.Unlock()

	for _, fn := range subs {
		fn(res)
	}
	if req.Interval <= 0 {
		return 0
	}
	if failed == 0 {
		return req.Interval
	}
	return backoff(req.Interval, failed, p.s.opts.MaxBackoff)
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
