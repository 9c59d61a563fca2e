package ui

import (
	"context"
	"fmt"
	"sync"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"

	"github.com/wallboard/wallboard/charts"
	"github.com/wallboard/wallboard/layouts"
	"github.com/wallboard/wallboard/wall"
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

// Shell is the main window's content: a bar (dashboard switcher, search,
// variables, clock, time range, refresh, menu) above the current dashboard,
// or above one panel drilled into. Only one dashboard runs at a time:
// switching stops the old one's pollers. Attach connects it to a window for
// dialogs, keyboard shortcuts, drag and drop, full screen and exports.
type Shell struct {
	// Layout is the document being shown.
	Layout *layouts.Layout
	// OnThemeChanged is called (on Fyne's goroutine) after the operator
	// picks another palette; the app applies the matching Fyne theme.
	OnThemeChanged func(*charts.Theme)
	// SaveFile asks where to save a file and writes it there; the default
	// shows a save dialog and writes atomically. Tests replace it.
	SaveFile func(name string, write func(path string) error)
	// OpenFile asks for a file to open; the default shows an open dialog.
	OpenFile func(open func(path string))
	// ShowError tells the operator something failed; the default shows a
	// dialog (or logs without a window). Tests replace it.
	ShowError func(err error)
	// KioskPlaylist makes kiosk mode run the layout's first playlist
	// (default true; false keeps the dashboard shown).
	KioskPlaylist bool

	rt       *Runtime
	settings wall.Settings
	userTime bool // the operator picked a range; keep it across dashboards

	window fyne.Window
	bar    *bar
	body   *fyne.Container
	top    *fyne.Container // the bar with its padding
	root   *fyne.Container

	current *DashboardView
	views   map[string]*DashboardView // by dashboard id; see view
	drill   *DrillDown

	kiosk        bool
	kioskOverlay *kioskOverlay
	banner       *banner
	jumps        chan string // dashboards whose alerts just fired
	keys         keySequence

	ctx       context.Context
	cancel    context.CancelFunc
	clockOnce sync.Once
	playlist  *playlist
	wg        sync.WaitGroup
}

// NewShell returns the shell for l; call Show to start a dashboard and
// Close to stop everything it started.
func NewShell(rt *Runtime, l *layouts.Layout) *Shell {
	s := &Shell{Layout: l, rt: rt, KioskPlaylist: true, jumps: make(chan string, 1)}
	s.ctx, s.cancel = context.WithCancel(context.Background())
	s.SaveFile = s.saveDialog
	s.OpenFile = s.openDialog
	s.ShowError = s.errorDialog
	s.build()
	s.watchAlerts()
	return s
}

// Content is the shell's root object, for a window or another container.
func (s *Shell) Content() fyne.CanvasObject { return s.root }

// Current is the dashboard being shown (nil before Show).
func (s *Shell) Current() *DashboardView { return s.current }

// Drill is the panel drilled into, or nil on the grid.
func (s *Shell) Drill() *DrillDown { return s.drill }

// Settings are the operator's current choices.
func (s *Shell) Settings() wall.Settings { return s.settings }

// Runtime is what the shell's dashboards run on.
func (s *Shell) Runtime() *Runtime { return s.rt }

func (s *Shell) build() {
	s.bar = s.newBar()
	s.top = container.NewPadded(s.bar.root)
	s.body = container.NewStack()
	s.kioskOverlay = newKioskOverlay(s.rt.Palette)
	s.kioskOverlay.Hide()
	s.banner = newBanner(s.rt.Palette)
	s.banner.OnAck = func(id string) {
		if a := s.rt.Alerts; a != nil {
			a.Evaluator.Ack(id)
		}
	}
	s.banner.OnResize = func() { s.root.Refresh() }
	s.root = container.NewBorder(s.top, nil, nil, nil, container.NewBorder(container.NewVBox(s.kioskOverlay, s.banner.root), nil, nil, nil, s.body))
}

// Attach connects the shell to its window: keyboard shortcuts, dropped
// layout files, dialogs, full screen for kiosk mode.
func (s *Shell) Attach(w fyne.Window) {
	s.window = w
	c := w.Canvas()
	c.SetOnTypedRune(s.TypedRune)
	c.SetOnTypedKey(s.TypedKey)
	w.SetOnDropped(func(_ fyne.Position, uris []fyne.URI) {
		for _, u := range uris {
			s.ImportLayout(u.Path())
			return
		}
	})
}

func (s *Shell) showLogged(id string) {
	if err := s.Show(id); err != nil {
		s.ShowError(err)
	}
}

func (s *Shell) dashboard(id string) (*layouts.Dashboard, int) {
	for i := range s.Layout.Dashboards {
		if s.Layout.Dashboards[i].ID == id {
			return &s.Layout.Dashboards[i], i
		}
	}
	return nil, -1
}

// Show leaves any drill-down, stops the current dashboard and starts the
// one with id.
func (s *Shell) Show(id string) error {
	d, i := s.dashboard(id)
	if d == nil {
		return fmt.Errorf("no dashboard %q in the layout", id)
	}
	s.closeDrill()
	if s.current != nil {
		s.current.Stop()
		if s.current.Dashboard.ID != id {
			s.settings.Vars = nil
		}
	}
	if !s.userTime {
		s.settings.Time = d.Time
	}
	if s.current == nil && s.settings.Refresh == 0 {
		s.settings.Refresh = d.Refresh.D()
	}
	s.current = s.view(d)
	s.current.kiosk = s.kiosk
	if k := s.Layout.Kiosk; k != nil {
		s.current.pageEvery = k.PageEvery.D()
	}
	s.body.Objects = []fyne.CanvasObject{s.current}
	s.body.Refresh()
	s.bar.selectDashboard(i)
	s.bar.setVariables(d, s.settings.Vars)
	s.syncPickers()
	s.kioskOverlay.update(d, s.settings, s.rt.Clock())
	s.startClock()
	if err := s.current.Start(s.settings); err != nil {
		return err
	}
	s.alertsChanged()
	return nil
}

// view returns the dashboard's view, made once and kept while the layout
// and palette stay: a playlist cycling all day reuses its panels and their
// buffers instead of making new ones every few seconds.
func (s *Shell) view(d *layouts.Dashboard) *DashboardView {
	if v, ok := s.views[d.ID]; ok {
		return v
	}
	v := NewDashboardView(s.rt, d)
	v.onTap = s.DrillInto
	v.onZoom = s.zoomTo
	if s.views == nil {
		s.views = map[string]*DashboardView{}
	}
	s.views[d.ID] = v
	return v
}

// Next shows the dashboard after the current one (dir 1) or before it (-1).
func (s *Shell) Next(dir int) {
	n := len(s.Layout.Dashboards)
	if n == 0 || s.current == nil {
		return
	}
	_, i := s.dashboard(s.current.Dashboard.ID)
	s.showLogged(s.Layout.Dashboards[((i+dir)%n+n)%n].ID)
}

// SetSettings replaces the operator's choices and restarts the dashboard.
func (s *Shell) SetSettings(st wall.Settings) error {
	s.settings = st
	s.userTime = true
	s.syncPickers()
	if s.current == nil {
		return nil
	}
	s.bar.setVariables(s.current.Dashboard, st.Vars)
	return s.restart()
}

// SetTime sets the time range of every panel.
func (s *Shell) SetTime(tr layouts.TimeRange) error {
	if _, _, err := tr.Resolve(s.rt.Clock()); err != nil {
		return err
	}
	s.settings.Time = tr
	s.userTime = true
	s.syncPickers()
	return s.restart()
}

// SetRefresh sets the refresh interval (0 turns refreshing off).
func (s *Shell) SetRefresh(d time.Duration) error {
	s.settings.Refresh = d
	s.syncPickers()
	return s.restart()
}

// SetVariable selects values of a dashboard variable (none: all) and
// applies them to every query.
func (s *Shell) SetVariable(name string, values ...string) error {
	vars := map[string][]string{}
	for k, v := range s.settings.Vars {
		vars[k] = v
	}
	if len(values) == 0 || (len(values) == 1 && (values[0] == "" || values[0] == allLabel)) {
		delete(vars, name)
	} else {
		vars[name] = values
	}
	s.settings.Vars = vars
	if s.current != nil {
		s.bar.setVariables(s.current.Dashboard, vars)
	}
	return s.restart()
}

// ZoomOut doubles the time range.
func (s *Shell) ZoomOut() error {
	tr, err := ZoomOut(s.settings.Time, s.rt.Clock())
	if err != nil {
		return err
	}
	return s.SetTime(tr)
}

// ShiftTime moves the range back (dir < 0) or forward by half its span.
func (s *Shell) ShiftTime(dir int) error {
	tr, err := Shift(s.settings.Time, s.rt.Clock(), dir)
	if err != nil {
		return err
	}
	return s.SetTime(tr)
}

func (s *Shell) zoomTo(from, to time.Time) {
	if err := s.SetTime(ZoomTo(from, to)); err != nil {
		s.ShowError(err)
	}
}

// Refresh asks every source for fresh data now.
func (s *Shell) Refresh() { s.rt.Scheduler.Refresh() }

// SetPalette switches the colours of the shell and every panel.
func (s *Shell) SetPalette(p *charts.Theme) {
	s.rt.Palette = p
	s.views = nil // panels are made with their palette
	if s.OnThemeChanged != nil {
		s.OnThemeChanged(p)
	}
	s.kioskOverlay.setPalette(p)
	if s.current != nil {
		drilled := ""
		if s.drill != nil {
			drilled = s.drill.Widget.ID
		}
		s.showLogged(s.current.Dashboard.ID)
		if drilled != "" {
			s.DrillInto(drilled)
		}
	}
}

// SetChrome shows or hides the bar.
func (s *Shell) SetChrome(visible bool) {
	if visible {
		s.top.Show()
	} else {
		s.top.Hide()
	}
	s.root.Refresh()
}

func (s *Shell) restart() error {
	if s.current == nil {
		return nil
	}
	s.kioskOverlay.update(s.current.Dashboard, s.settings, s.rt.Clock())
	if err := s.current.Start(s.settings); err != nil {
		return err
	}
	if s.drill != nil {
		return s.drill.view.Start(s.settings)
	}
	return nil
}

// DrillInto opens the panel with widget id of the current dashboard full-window.
func (s *Shell) DrillInto(id string) {
	if s.current == nil {
		return
	}
	d := s.current.Dashboard
	w := d.Widget(id)
	if w == nil {
		return
	}
	s.closeDrill()
	s.drill = newDrillDown(s, d, w)
	s.drill.view.onZoom = s.zoomTo
	s.body.Objects = []fyne.CanvasObject{s.drill}
	s.body.Refresh()
	if err := s.drill.view.Start(s.settings); err != nil {
		s.ShowError(err)
	}
}

// Back leaves the drill-down for the grid, which kept running.
func (s *Shell) Back() {
	if s.drill == nil {
		return
	}
	s.closeDrill()
	s.body.Objects = []fyne.CanvasObject{s.current}
	s.body.Refresh()
}

func (s *Shell) closeDrill() {
	if s.drill != nil {
		s.drill.view.Stop()
		s.drill = nil
	}
}

// FollowLink opens a data link's dashboard, carrying the named variables.
func (s *Shell) FollowLink(link layouts.DataLink) {
	carried := map[string][]string{}
	for _, name := range link.Vars {
		if v, ok := s.settings.Vars[name]; ok {
			carried[name] = v
		}
	}
	if err := s.Show(link.Dashboard); err != nil {
		s.ShowError(err)
		return
	}
	if len(carried) > 0 {
		s.settings.Vars = carried
		s.bar.setVariables(s.current.Dashboard, carried)
		if err := s.restart(); err != nil {
			s.ShowError(err)
		}
	}
}

func (s *Shell) syncPickers() {
	s.bar.sync(s.settings)
}

// newBar returns the bar for the shell's layout, wired to the shell.
func (s *Shell) newBar() *bar {
	b := newBar(s.Layout, s.rt.Palette, s.rt.Clock(), s.rt.Alerts != nil)
	b.OnDashboard = s.showLogged
	b.OnTime = s.SetTime
	b.OnRefresh = s.SetRefresh
	b.OnZoomOut = s.ZoomOut
	b.OnShift = s.ShiftTime
	b.OnVariable = func(name, value string) error { return s.SetVariable(name, value) }
	b.OnAlerts = s.ShowAlerts
	b.OnSearch = s.open
	b.OnMenu = s.Menu
	b.OnError = func(err error) { s.ShowError(err) }
	b.LabelValues = s.labelValues
	return b
}

// open shows a search result: its dashboard, drilled into its panel if it
// is one.
func (s *Shell) open(r SearchResult) {
	if err := s.Show(r.Dashboard); err != nil {
		s.ShowError(err)
		return
	}
	if r.Widget != "" {
		s.DrillInto(r.Widget)
	}
}

// labelValuer is a source that can list a label's values.
type labelValuer interface {
	LabelValues(ctx context.Context, name string) ([]string, error)
}

// labelValues fetches the values of variable v of d from the source of d's
// panels on a goroutine the shell owns, and hands them to set on Fyne's
// goroutine; a failure keeps the picker's "All" and the layout's values.
func (s *Shell) labelValues(d *layouts.Dashboard, v layouts.Variable, set func([]string)) {
	source := ""
	for _, w := range d.Widgets {
		if w.Source != "" {
			source = w.Source
			break
		}
	}
	src, err := s.rt.Sources.Source(source)
	lv, ok := src.(labelValuer)
	if err != nil || !ok {
		return
	}
	s.wg.Add(1)
	go func() {
		defer s.wg.Done()
		ctx, cancel := context.WithTimeout(s.ctx, 10*time.Second)
		defer cancel()
		vals, err := lv.LabelValues(ctx, v.Query)
		if err != nil || ctx.Err() != nil {
			return
		}
		fyne.Do(func() {
			if s.ctx.Err() == nil {
				set(vals)
			}
		})
	}()
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
	everySecond(ctx, s.rt.Clock, fyne.Do, func(now time.Time) {
		s.bar.setClock(now)
		s.kioskOverlay.setClock(now)
	})
}

// Close stops the dashboard and the shell's goroutines.
func (s *Shell) Close() {
	s.closeDrill()
	if s.current != nil {
		s.current.Stop()
	}
	s.stopPlaylist()
	s.cancel()
	s.wg.Wait()
}

func newClockText(pal *charts.Theme, now time.Time) *canvas.Text {
	t := canvas.NewText(now.Format("15:04:05"), pal.Text)
	t.TextSize = 20
	t.TextStyle.Monospace = true
	return t
}
