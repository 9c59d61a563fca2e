package ui

import (
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/widget"

	"github.com/wallboard/wallboard/charts"
	"github.com/wallboard/wallboard/layouts"
	"github.com/wallboard/wallboard/wall"
)

// SetKiosk enters or leaves kiosk mode: full screen (when attached to a
// window), no bar, the mouse cursor hidden over the dashboard, a thin
// overlay with what the dashboard asks to keep visible, and the layout's
// first playlist running.
func (s *Shell) SetKiosk(on bool) {
	if s.kiosk == on {
		return
	}
	s.kiosk = on
	if s.window != nil {
		s.window.SetFullScreen(on)
	}
	s.SetChrome(!on)
	if s.current != nil {
		s.current.kiosk = on
		s.kioskOverlay.update(s.current.Dashboard, s.settings, s.rt.Clock())
	}
	if s.rt.Alerts != nil {
		s.banner.update(s.rt.Alerts, on, s.rt.Clock())
	}
	if on {
		s.kioskOverlay.Show()
		if s.KioskPlaylist && len(s.Layout.Playlists) > 0 {
			s.RunPlaylist(s.Layout.Playlists[0])
		}
	} else {
		s.kioskOverlay.Hide()
		s.stopPlaylist()
	}
	s.root.Refresh() // the overlay and banner take or give back room
}

// Kiosk reports whether kiosk mode is on.
func (s *Shell) Kiosk() bool { return s.kiosk }

// leaveKiosk leaves kiosk mode unless the layout locks it.
func (s *Shell) leaveKiosk() {
	if k := s.Layout.Kiosk; k != nil && k.Locked {
		return
	}
	s.SetKiosk(false)
}

// RunPlaylist shows the playlist's dashboards in turn, each for its own
// duration (and at its own time range, when the item sets one), until kiosk
// mode ends or the shell closes. It uses the runtime's clock, so tests can
// drive it.
func (s *Shell) RunPlaylist(pl layouts.Playlist) {
	s.stopPlaylist()
	var jumps <-chan string // nil: never
	if pl.JumpToAlert {
		jumps = s.jumps
	}
	s.playlist = startPlaylist(s.ctx, pl, s.rt.Timer, jumps, func(item layouts.PlaylistItem) {
		if item.Time != nil {
			s.settings.Time, s.userTime = *item.Time, true
		} else {
			s.userTime = false
		}
		s.showLogged(item.Dashboard)
	}, s.showLogged)
}

func (s *Shell) stopPlaylist() {
	if s.playlist != nil {
		s.playlist.Stop()
		s.playlist = nil
	}
}

// Cursor hides the mouse pointer over a dashboard in kiosk mode.
func (v *DashboardView) Cursor() desktop.Cursor {
	if v.kiosk {
		return desktop.HiddenCursor
	}
	return desktop.DefaultCursor
}

// kioskOverlay is the thin strip a kiosk wall keeps: title, time range,
// variables and clock, as the dashboard's kiosk options choose.
type kioskOverlay struct {
	widget.BaseWidget
	title, when, vars, clock *canvas.Text
	box                      *fyne.Container
	bg                       *canvas.Rectangle
}

func newKioskOverlay(pal *charts.Theme) *kioskOverlay {
	k := &kioskOverlay{}
	mk := func(size float32, bold bool) *canvas.Text {
		t := canvas.NewText("", pal.Text)
		t.TextSize = size
		t.TextStyle.Bold = bold
		return t
	}
	k.title, k.when, k.vars, k.clock = mk(22, true), mk(18, false), mk(18, false), mk(22, false)
	k.clock.TextStyle.Monospace = true
	k.bg = canvas.NewRectangle(pal.Background)
	k.box = container.NewStack(k.bg, container.NewPadded(container.NewHBox(k.title, k.when, k.vars, layout.NewSpacer(), k.clock)))
	k.setPalette(pal)
	k.ExtendBaseWidget(k)
	return k
}

func (k *kioskOverlay) CreateRenderer() fyne.WidgetRenderer { return widget.NewSimpleRenderer(k.box) }

func (k *kioskOverlay) setPalette(pal *charts.Theme) {
	k.title.Color, k.clock.Color = pal.Text, pal.Text
	k.when.Color, k.vars.Color = pal.TextDim, pal.TextDim
	k.bg.FillColor = pal.Background
	k.box.Refresh()
}

// update shows what d's kiosk options ask for (nil: title, time and clock).
func (k *kioskOverlay) update(d *layouts.Dashboard, st wall.Settings, now time.Time) {
	show := layouts.KioskShow{Title: true, Time: true, Clock: true}
	if d.Kiosk != nil {
		show = *d.Kiosk
	}
	k.title.Text = d.Title
	k.when.Text = st.Time.String()
	var vs []string
	for _, v := range d.Variables {
		val := allLabel
		if c := st.Vars[v.Name]; len(c) > 0 {
			val = strings.Join(c, ", ")
		}
		label := v.Label
		if label == "" {
			label = v.Name
		}
		vs = append(vs, label+": "+val)
	}
	k.vars.Text = strings.Join(vs, "   ")
	k.clock.Text = now.Format("15:04:05")
	for _, t := range []struct {
		o  *canvas.Text
		on bool
	}{{k.title, show.Title}, {k.when, show.Time}, {k.vars, show.Variables && len(vs) > 0}, {k.clock, show.Clock}} {
		t.o.Hidden = !t.on
	}
	k.box.Refresh()
}

func (k *kioskOverlay) setClock(now time.Time) {
	k.clock.Text = now.Format("15:04:05")
	k.clock.Refresh()
}
