package main

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/app"

	"github.com/wallboard/wallboard/assets"
	"github.com/wallboard/wallboard/charts"
	"github.com/wallboard/wallboard/layouts"
	"github.com/wallboard/wallboard/ui"
)

// appID is the application's unique id (FyneApp.toml uses the same).
const appID = "io.wallboard.app"

// windowOptions choose what the main window shows.
type windowOptions struct {
	// Dashboard is shown first (default: the first, or the playlist's first).
	Dashboard string
	// Kiosk opens full screen without the bar and runs the layout's first
	// playlist, if it has one.
	Kiosk bool
	// Logger gets the first-complete-frame line.
	Logger *slog.Logger
	// Shown, if set, is called once the first dashboard has subscribed
	// its queries (on Fyne's goroutine).
	Shown func()
}

// runWindow opens the main window on l and blocks until it is closed or
// ctx ends. Either way the shell stops on Fyne's goroutine, before the
// app's loop ends, so nothing touches a widget after it.
func runWindow(ctx context.Context, rt *ui.Runtime, l *layouts.Layout, opts windowOptions) error {
	if len(l.Dashboards) == 0 {
		return fmt.Errorf("the layout has no dashboards")
	}
	a := app.NewWithID(appID)
	a.SetIcon(fyne.NewStaticResource("icon.png", assets.Icon))
	a.Settings().SetTheme(ui.NewTheme(rt.Palette))
	if path, err := ui.DefaultViewsPath(); err == nil {
		views, err := ui.OpenViewStore(path)
		if err != nil {
			slog.Warn("saved views unavailable", "err", err)
		}
		rt.Views = views
	}
	w := a.NewWindow("Wallboard")
	shell := ui.NewShell(rt, l)
	shell.OnThemeChanged = func(p *charts.Theme) { a.Settings().SetTheme(ui.NewTheme(p)) }
	shell.Attach(w)
	w.SetContent(shell.Content())
	if opts.Kiosk {
		w.SetFullScreen(true) // no window-sized first frame before full screen
	} else {
		w.Resize(fyne.NewSize(1600, 900))
	}
	closed := false
	closeShell := func() { // on Fyne's goroutine
		if !closed {
			closed = true
			shell.Close()
		}
	}
	w.SetOnClosed(closeShell)
	stopWatch := context.AfterFunc(ctx, func() {
		fyne.Do(func() {
			closeShell()
			a.Quit()
		})
	})
	defer stopWatch()

	first := opts.Dashboard
	if first == "" {
		first = l.Dashboards[0].ID
	}
	// Everything that touches a widget runs on Fyne's goroutine once the
	// app runs: nothing is shown from the main goroutine before the loop.
	var showErr error
	a.Lifecycle().SetOnStarted(func() {
		if showErr = shell.Show(first); showErr != nil {
			a.Quit()
			return
		}
		if opts.Kiosk {
			shell.KioskPlaylist = opts.Dashboard == "" // an explicit dashboard stays put
			shell.SetKiosk(true)
		}
		if opts.Shown != nil {
			opts.Shown()
		}
		go logFirstFrame(ctx, w, shell.Current(), opts.Logger)
	})
	w.ShowAndRun()
	return showErr
}

// atWindowSize reports whether v is laid out at its window's size: the view
// is first laid out at its minimum size, before the window has its own, and
// only a frame at the window's size counts.
func atWindowSize(ctx context.Context, w fyne.Window, v *ui.DashboardView) bool {
	sized := make(chan bool, 1)
	fyne.Do(func() {
		c := w.Canvas().Size()
		sized <- c.Height > 0 && v.Size().Width >= c.Width*0.9 && v.Size().Height >= c.Height*0.5
	})
	select {
	case <-ctx.Done():
		return false
	case ok := <-sized:
		return ok
	}
}

// processStart is when the process began, for the first-frame figure.
var processStart = time.Now()

// logFirstFrame logs, once, how long after the start every panel of the
// first dashboard on screen, at the window's final size, showed its first
// data or error, and sets wallboard_first_complete_frame_seconds.
func logFirstFrame(ctx context.Context, w fyne.Window, v *ui.DashboardView, log *slog.Logger) {
	for {
		if err := v.WaitReady(ctx); err != nil {
			return
		}
		if atWindowSize(ctx, w, v) {
			break
		}
		select {
		case <-ctx.Done():
			return
		case <-time.After(10 * time.Millisecond):
		}
	}
	d := time.Since(processStart)
	firstFrameSeconds.Set(d.Seconds())
	if log != nil {
		log.Info("first complete frame", "dashboard", v.Dashboard.ID, "panels", len(v.Panels()), "seconds", fmt.Sprintf("%.3f", d.Seconds()))
	}
}
