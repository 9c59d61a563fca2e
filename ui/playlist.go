package ui

import (
	"context"
	"time"

	"fyne.io/fyne/v2"

	"github.com/wallboard/wallboard/layouts"
)

// alertJumpFor is how long a playlist that jumps to a firing alert's
// dashboard stays there.
const alertJumpFor = time.Minute

// playlist runs a layout's playlist on a goroutine it owns: it asks its
// owner to show each item in turn (onShow, on Fyne's goroutine), waits the
// item's duration on timer, and, when jumps delivers a dashboard whose
// alert just fired, has the owner jump there (onJump, on Fyne's goroutine)
// for alertJumpFor before carrying on. Stop ends it.
type playlist struct {
	cancel context.CancelFunc
	done   chan struct{}
}

func startPlaylist(ctx context.Context, pl layouts.Playlist, timer func(time.Duration) <-chan time.Time, jumps <-chan string, onShow func(layouts.PlaylistItem), onJump func(dashboard string)) *playlist {
	ctx, cancel := context.WithCancel(ctx)
	p := &playlist{cancel: cancel, done: make(chan struct{})}
	if len(pl.Items) == 0 {
		close(p.done)
		return p
	}
	go func() {
		defer close(p.done)
		do := func(fn func()) bool {
			shown := make(chan struct{})
			fyne.Do(func() {
				defer close(shown)
				if ctx.Err() == nil {
					fn()
				}
			})
			select { // never block Stop, which waits for this goroutine
			case <-ctx.Done():
				return false
			case <-shown:
				return true
			}
		}
		for i := 0; ; i = (i + 1) % len(pl.Items) {
			item := pl.Items[i]
			if !do(func() { onShow(item) }) {
				return
			}
			select {
			case <-ctx.Done():
				return
			case <-timer(max(item.Duration.D(), time.Second)):
			case id := <-jumps:
				if !do(func() { onJump(id) }) {
					return
				}
				select {
				case <-ctx.Done():
					return
				case <-timer(alertJumpFor):
				}
			}
		}
	}()
	return p
}

// Stop ends the playlist and waits for its goroutine, which never waits on
// Fyne's goroutine once stopped, so Stop may be called there.
func (p *playlist) Stop() {
	p.cancel()
	<-p.done
}
