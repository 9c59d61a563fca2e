package ui

import (
	"sync"
	"time"

	"fyne.io/fyne/v2"
)

// DefaultFrameGap is the least time between two hand-overs of a view's
// panels to Fyne. Every change to the window makes the driver repaint all
// of it, so a wall whose 200 panels each update once a second at their own
// moments would repaint up to 60 times a second; batched, it repaints at
// most 1/DefaultFrameGap times. A change after a quiet spell is handed
// over at once, so a pushed sample still shows within a frame.
const DefaultFrameGap = 100 * time.Millisecond

// presenter batches what a view's goroutines hand to Fyne: post queues a
// function, and all queued functions run in one fyne.Do, at most once per
// gap. The functions must check themselves whether their owner stopped.
type presenter struct {
	gap time.Duration

	mu        sync.Mutex
	pending   []func()
	scheduled bool
	last      time.Time
}

func newPresenter(gap time.Duration) *presenter {
	if gap <= 0 {
		gap = DefaultFrameGap
	}
	return &presenter{gap: gap}
}

// post queues fn to run on Fyne's goroutine with the next batch; safe from
// any goroutine.
func (pr *presenter) post(fn func()) {
	pr.mu.Lock()
	defer pr.mu.Unlock()
	pr.pending = append(pr.pending, fn)
	if pr.scheduled {
		return
	}
	pr.scheduled = true
	wait := time.Until(pr.last.Add(pr.gap))
	if wait <= 0 {
		go pr.flush()
		return
	}
	time.AfterFunc(wait, pr.flush)
}

// flush hands every queued function to Fyne in one call.
func (pr *presenter) flush() {
	pr.mu.Lock()
	batch := pr.pending
	pr.pending = nil
	pr.scheduled = false
	pr.last = time.Now()
	pr.mu.Unlock()
	if len(batch) == 0 {
		return
	}
	fyne.Do(func() {
		for _, fn := range batch {
			fn()
		}
	})
}
