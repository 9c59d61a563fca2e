package main

import (
	"fmt"
	"log/slog"

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
}

// runWindow opens the main window on l and blocks until it is closed.
func runWindow(rt *ui.Runtime, l *layouts.Layout, opts windowOptions) error {
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
	w.Resize(fyne.NewSize(1600, 900))
	w.SetOnClosed(shell.Close)

	first := opts.Dashboard
	if first == "" {
		first = l.Dashboards[0].ID
	}
	if err := shell.Show(first); err != nil {
		return err
	}
	if opts.Kiosk {
		shell.KioskPlaylist = opts.Dashboard == "" // an explicit dashboard stays put
		shell.SetKiosk(true)
	}
	w.ShowAndRun()
	return nil
}
