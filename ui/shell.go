package ui

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/wallboard/wallboard/charts"
	"github.com/wallboard/wallboard/layouts"
)

// TimePresets are the time ranges offered in the picker, in order.
var TimePresets = []layouts.TimeRange{
	{From: "now-5m", To: "now"}, {From: "now-15m", To: "now"}, {From: "now-1h", To: "now"},
	{From: "now-6h", To: "now"}, {From: "now-12h", To: "now"}, {From: "now-24h", To: "now"},
	{From: "now-7d", To: "now"}, {From: "now-30d", To: "now"},
}

// RefreshChoices are the refresh intervals offered in the picker (0 is off).
var RefreshChoices = []time.Duration{0, time.Second, 5 * time.Second, 10 * time.Second, 30 * time.Second, time.Minute, 5 * time.Minute}

// RefreshLabel names a refresh interval in the picker.
func RefreshLabel(d time.Duration) string {
	if d == 0 {
		return "Off"
	}
	return "Every " + layouts.Duration(d).String()
}

// Shell is the main window's content: a bar with the dashboard switcher,
// clock, time-range, refresh and theme pickers above the current dashboard.
// Only one dashboard runs at a time: switching stops the old one's pollers.
type Shell struct {
	// Layout is the document being shown.
	Layout *layouts.Layout
	// OnThemeChanged is called (on Fyne's goroutine) after the operator
	// picks another palette; the app applies the matching Fyne theme.
	OnThemeChanged func(*charts.Theme)

	rt       *Runtime
	settings Settings
	userTime bool // the operator picked a range; keep it across dashboards

	current  *DashboardView
	tabs     []*widget.Button
	body     *fyne.Container
	bar      *fyne.Container
	top      *fyne.Container // the bar with its padding
	root     *fyne.Container
	clock    *canvas.Text
	timeSel  *widget.Select
	timeSelN *widget.Select // the phone bar's
	dashSel  *widget.Select // the phone bar's dashboard picker
	refSel   *widget.Select

	ctx       context.Context
	cancel    context.CancelFunc
	clockOnce sync.Once
	wg        sync.WaitGroup
}

// NewShell returns the shell for l; call Show to start a dashboard and
// Close to stop everything it started.
func NewShell(rt *Runtime, l *layouts.Layout) *Shell {
	s := &Shell{Layout: l, rt: rt}
	s.ctx, s.cancel = context.WithCancel(context.Background())
	s.build()
	return s
}

// Content is the shell's root object, for a window or another container.
func (s *Shell) Content() fyne.CanvasObject { return s.root }

// Current is the dashboard being shown (nil before Show).
func (s *Shell) Current() *DashboardView { return s.current }

// Settings are the operator's current choices.
func (s *Shell) Settings() Settings { return s.settings }

func (s *Shell) build() {
	pal := s.rt.Palette
	name := canvas.NewText("Wallboard", pal.Text)
	name.TextSize = 20
	name.TextStyle.Bold = true
	left := container.NewHBox(name)
	var titles []string
	for i := range s.Layout.Dashboards {
		d := &s.Layout.Dashboards[i]
		titles = append(titles, d.Title)
		b := widget.NewButton(d.Title, func() { s.showLogged(d.ID) })
		s.tabs = append(s.tabs, b)
		left.Add(b)
	}
	s.clock = canvas.NewText(s.rt.now().Format("15:04:05"), pal.Text)
	s.clock.TextSize = 20
	s.clock.TextStyle.Monospace = true

	var timeLabels []string
	for _, tr := range TimePresets {
		timeLabels = append(timeLabels, tr.String())
	}
	onTime := func(label string) {
		for _, tr := range TimePresets {
			if tr.String() == label && tr != s.settings.Time {
				s.userTime = true
				s.settings.Time = tr
				s.restart()
			}
		}
	}
	var refLabels []string
	for _, d := range RefreshChoices {
		refLabels = append(refLabels, RefreshLabel(d))
	}
	onRefresh := func(label string) {
		for _, d := range RefreshChoices {
			if RefreshLabel(d) == label && d != s.settings.Refresh {
				s.settings.Refresh = d
				s.restart()
			}
		}
	}
	onTheme := func(label string) {
		name := strings.ToLower(strings.TrimSuffix(label, " theme"))
		if p, ok := charts.ThemeNamed(name); ok && p.Name != s.rt.Palette.Name {
			s.SetPalette(p)
		}
	}
	s.timeSel = widget.NewSelect(timeLabels, onTime)
	s.refSel = widget.NewSelect(refLabels, onRefresh)
	themeSel := widget.NewSelect([]string{"Dark theme", "Light theme"}, onTheme)
	themeSel.Selected = themeLabel(pal.Name)
	wide := container.NewHBox(left, layout.NewSpacer(), s.clock, s.timeSel, s.refSel, themeSel)

	// The phone bar: a dashboard picker, the range, and a menu for the rest.
	s.dashSel = widget.NewSelect(titles, func(title string) {
		for _, d := range s.Layout.Dashboards {
			if d.Title == title && (s.current == nil || s.current.Dashboard.ID != d.ID) {
				s.showLogged(d.ID)
			}
		}
	})
	s.timeSelN = widget.NewSelect(timeLabels, onTime)
	var more *widget.Button
	more = widget.NewButtonWithIcon("", theme.MoreVerticalIcon(), func() {
		var items []*fyne.MenuItem
		for _, l := range refLabels {
			item := fyne.NewMenuItem(l, func() { onRefresh(l) })
			item.Checked = l == RefreshLabel(s.settings.Refresh)
			items = append(items, item)
		}
		items = append(items, fyne.NewMenuItemSeparator())
		for _, l := range []string{"Dark theme", "Light theme"} {
			item := fyne.NewMenuItem(l, func() { onTheme(l) })
			item.Checked = l == themeLabel(s.rt.Palette.Name)
			items = append(items, item)
		}
		c := fyne.CurrentApp().Driver().CanvasForObject(more)
		pos := fyne.CurrentApp().Driver().AbsolutePositionForObject(more)
		widget.ShowPopUpMenuAtPosition(fyne.NewMenu("", items...), c, pos.AddXY(0, more.Size().Height))
	})
	narrow := container.NewBorder(nil, nil, nil, container.NewHBox(s.timeSelN, more), s.dashSel)
	s.bar = container.New(&responsiveLayout{}, wide, narrow)
	s.body = container.NewStack()
	s.top = container.NewPadded(s.bar)
	s.root = container.NewBorder(s.top, nil, nil, nil, s.body)
}

func themeLabel(name string) string {
	if name == "light" {
		return "Light theme"
	}
	return "Dark theme"
}

func (s *Shell) showLogged(id string) {
	if err := s.Show(id); err != nil {
		fyne.LogError("show dashboard", err)
	}
}

// responsiveLayout shows its first object (the full bar) when it fits and
// its second (the phone bar) otherwise, so the bar never widens the window.
type responsiveLayout struct{}

func (responsiveLayout) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	wide, narrow := objs[0], objs[1]
	fits := size.Width >= wide.MinSize().Width && !layouts.IsPhone(size.Width)
	if fits {
		wide.Show()
		narrow.Hide()
	} else {
		wide.Hide()
		narrow.Show()
	}
	for _, o := range objs {
		o.Move(fyne.NewPos(0, 0))
		o.Resize(size)
	}
}

func (responsiveLayout) MinSize(objs []fyne.CanvasObject) fyne.Size {
	w, n := objs[0].MinSize(), objs[1].MinSize()
	return fyne.NewSize(n.Width, max(w.Height, n.Height))
}

// Show stops the current dashboard and starts the one with id.
func (s *Shell) Show(id string) error {
	var d *layouts.Dashboard
	for i := range s.Layout.Dashboards {
		if s.Layout.Dashboards[i].ID == id {
			d = &s.Layout.Dashboards[i]
			for j, b := range s.tabs {
				b.Importance = widget.MediumImportance
				if j == i {
					b.Importance = widget.HighImportance
				}
				b.Refresh()
			}
		}
	}
	if d == nil {
		return fmt.Errorf("no dashboard %q in the layout", id)
	}
	if s.current != nil {
		s.current.Stop()
	}
	if !s.userTime {
		s.settings.Time = d.Time
	}
	if s.settings.Refresh == 0 && s.current == nil {
		s.settings.Refresh = d.Refresh.D()
	}
	s.current = NewDashboardView(s.rt, d)
	s.body.Objects = []fyne.CanvasObject{s.current}
	s.body.Refresh()
	s.syncPickers()
	s.startClock()
	return s.current.Start(s.settings)
}

// SetSettings replaces the operator's choices and restarts the dashboard.
func (s *Shell) SetSettings(st Settings) error {
	s.settings = st
	s.userTime = true
	s.syncPickers()
	if s.current == nil {
		return nil
	}
	return s.current.Start(st)
}

// SetPalette switches the colours of the shell and every panel.
func (s *Shell) SetPalette(p *charts.Theme) {
	s.rt.Palette = p
	if s.OnThemeChanged != nil {
		s.OnThemeChanged(p)
	}
	if s.current != nil {
		id := s.current.Dashboard.ID
		if err := s.Show(id); err != nil {
			fyne.LogError("theme change", err)
		}
	}
}

// SetChrome shows or hides the bar (kiosk mode hides it).
func (s *Shell) SetChrome(visible bool) {
	if visible {
		s.top.Show()
	} else {
		s.top.Hide()
	}
	s.root.Refresh()
}

func (s *Shell) restart() {
	if s.current == nil {
		return
	}
	if err := s.current.Start(s.settings); err != nil {
		fyne.LogError("restart dashboard", err)
	}
}

func (s *Shell) syncPickers() {
	found := false
	for _, tr := range TimePresets {
		if tr == s.settings.Time {
			found = true
		}
	}
	for _, sel := range []*widget.Select{s.timeSel, s.timeSelN} {
		if found {
			sel.Selected = s.settings.Time.String()
		} else {
			sel.Selected = ""
			sel.PlaceHolder = s.settings.Time.String()
		}
		sel.Refresh()
	}
	if s.current != nil {
		s.dashSel.Selected = s.current.Dashboard.Title
		s.dashSel.Refresh()
	}
	s.refSel.Selected = RefreshLabel(s.settings.Refresh)
	s.refSel.Refresh()
}

// startClock runs the bar's clock once; it ends with Close.
func (s *Shell) startClock() {
	s.clockOnce.Do(func() {
		s.wg.Add(1)
		go s.runClock(s.ctx)
	})
}

func (s *Shell) runClock(ctx context.Context) {
	defer s.wg.Done()
	t := time.NewTicker(time.Second)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			now := s.rt.now().Format("15:04:05")
			fyne.Do(func() {
				s.clock.Text = now
				s.clock.Refresh()
			})
		}
	}
}

// RunPlaylist shows the playlist's dashboards in turn, each for its own
// duration, until Close.
func (s *Shell) RunPlaylist(pl layouts.Playlist) {
	if len(pl.Items) == 0 {
		return
	}
	ctx := s.ctx
	s.wg.Add(1)
	go func() {
		defer s.wg.Done()
		for i := 0; ; i = (i + 1) % len(pl.Items) {
			item := pl.Items[i]
			fyne.Do(func() {
				if item.Time != nil {
					s.settings.Time, s.userTime = *item.Time, true
				} else {
					s.userTime = false
				}
				if err := s.Show(item.Dashboard); err != nil {
					fyne.LogError("playlist", err)
				}
			})
			t := time.NewTimer(max(item.Duration.D(), time.Second))
			select {
			case <-ctx.Done():
				t.Stop()
				return
			case <-t.C:
			}
		}
	}()
}

// Close stops the dashboard and the shell's goroutines.
func (s *Shell) Close() {
	if s.current != nil {
		s.current.Stop()
	}
	s.cancel()
	s.wg.Wait()
}
