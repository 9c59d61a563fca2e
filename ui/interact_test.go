package ui

import (
	"bytes"
	"context"
	"encoding/csv"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/wallboard/wallboard/charts"
	"github.com/wallboard/wallboard/datasources"
	"github.com/wallboard/wallboard/layouts"
	"github.com/wallboard/wallboard/wall"
)

// recordingSources wraps the layout's sources and records every query expression.
type recordingSources struct {
	wall.Sources
	mu    sync.Mutex
	exprs []string
	calls int
}

func (r *recordingSources) Source(name string) (datasources.Source, error) {
	src, err := r.Sources.Source(name)
	if err != nil {
		return nil, err
	}
	return recordingSource{src, r}, nil
}

func (r *recordingSources) seen(sub string) bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	for _, e := range r.exprs {
		if strings.Contains(e, sub) {
			return true
		}
	}
	return false
}

type recordingSource struct {
	datasources.Source
	r *recordingSources
}

// LabelValues passes variable lookups through.
func (s recordingSource) LabelValues(ctx context.Context, name string) ([]string, error) {
	lv, ok := s.Source.(labelValuer)
	if !ok {
		return nil, errors.New("no label values")
	}
	return lv.LabelValues(ctx, name)
}

func (s recordingSource) Query(ctx context.Context, q datasources.Query) (*datasources.Result, error) {
	s.r.mu.Lock()
	s.r.exprs = append(s.r.exprs, q.Expr)
	s.r.calls++
	s.r.mu.Unlock()
	return s.Source.Query(ctx, q)
}

// shellFixture is a shell on the built-in layout in a test window.
type shellFixture struct {
	s      *Shell
	w      fyne.Window
	src    *recordingSources
	errs   []error
	saved  map[string]string // name -> path written
	outDir string
}

func newShellFixture(t *testing.T, size fyne.Size) *shellFixture {
	t.Helper()
	test.NewTempApp(t).Settings().SetTheme(NewTheme(charts.Dark()))
	l := layouts.Builtin()
	rt := newTestRuntime(t, l, nil)
	f := &shellFixture{src: &recordingSources{Sources: rt.Sources}, saved: map[string]string{}, outDir: t.TempDir()}
	rt.Sources = f.src
	views, err := OpenViewStore(filepath.Join(f.outDir, "views.json"))
	if err != nil {
		t.Fatal(err)
	}
	rt.Views = views
	f.s = NewShell(rt, l)
	t.Cleanup(f.s.Close)
	f.s.ShowError = func(err error) { f.errs = append(f.errs, err) }
	f.s.SaveFile = func(name string, write func(string) error) {
		path := filepath.Join(f.outDir, name)
		if err := write(path); err != nil {
			f.errs = append(f.errs, err)
		}
		f.saved[name] = path
	}
	f.w = test.NewTempWindow(t, f.s.Content())
	f.s.Attach(f.w)
	f.w.Resize(size)
	if err := f.s.Show(layouts.TypeSystemHealth); err != nil {
		t.Fatal(err)
	}
	f.waitReady(t)
	return f
}

func (f *shellFixture) waitReady(t *testing.T) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	if err := f.s.Current().WaitReady(ctx); err != nil {
		t.Fatal(err)
	}
}

func (f *shellFixture) panel(t *testing.T, id string) *Panel {
	t.Helper()
	for _, p := range f.s.Current().Panels() {
		if p.Widget.ID == id {
			return p
		}
	}
	t.Fatalf("no panel %s on %s", id, f.s.Current().Dashboard.ID)
	return nil
}

func (f *shellFixture) key(name fyne.KeyName) {
	f.w.Canvas().OnTypedKey()(&fyne.KeyEvent{Name: name})
}

func TestTimeRangePicker(t *testing.T) {
	f := newShellFixture(t, fyne.NewSize(1920, 1080))
	b := f.s.bar
	if got := b.timeSel.Selected; got != "Last 1 hour" {
		t.Fatalf("picker shows %q, want the dashboard's Last 1 hour", got)
	}
	b.timeSel.SetSelected("Last 6 hours") // as the select's menu does
	if got := f.s.Settings().Time; got != (layouts.TimeRange{From: "now-6h", To: "now"}) {
		t.Fatalf("time = %+v after choosing Last 6 hours", got)
	}
	f.waitReady(t)
	p := f.panel(t, "request_rate")
	if s := p.snapshot(); s.to.Sub(s.from) != 6*time.Hour {
		t.Fatalf("panel range %v, want 6h: every panel follows", s.to.Sub(s.from))
	}

	zoom := findButton(t, b.root, "", theme.ZoomOutIcon())
	test.Tap(zoom)
	if got := f.s.Settings().Time; got != (layouts.TimeRange{From: "now-12h", To: "now"}) {
		t.Fatalf("zoom out: time = %+v, want now-12h", got)
	}
	if got := b.timeSel.Selected; got != "Last 12 hours" {
		t.Errorf("zoom out: picker shows %q", got)
	}
	test.Tap(findButton(t, b.root, "", theme.NavigateBackIcon()))
	from, to, _ := f.s.Settings().Time.Resolve(fixedNow)
	if !to.Equal(fixedNow.Add(-6*time.Hour)) || !from.Equal(fixedNow.Add(-18*time.Hour)) {
		t.Fatalf("shift back: %v .. %v, want now-18h .. now-6h", from, to)
	}
	if b.timeSel.PlaceHolder != f.s.Settings().Time.String() {
		t.Errorf("picker placeholder %q, want the range in words %q", b.timeSel.PlaceHolder, f.s.Settings().Time.String())
	}
	test.Tap(findButton(t, b.root, "", theme.NavigateNextIcon()))
	if got := f.s.Settings().Time; got != (layouts.TimeRange{From: "now-12h", To: "now"}) {
		t.Fatalf("shift forward back to now: %+v, want now-12h relative again", got)
	}

	// Drag across the requests graph to zoom into that stretch.
	f.waitReady(t)
	p = f.panel(t, "request_rate")
	pos := fyne.CurrentApp().Driver().AbsolutePositionForObject(p)
	sz := p.Size()
	test.Drag(f.w.Canvas(), pos.AddXY(sz.Width*0.4, sz.Height/2), sz.Width*0.2, 0)
	p.DragEnd()
	from, to, err := f.s.Settings().Time.Resolve(fixedNow)
	if err != nil {
		t.Fatal(err)
	}
	if span := to.Sub(from); span <= time.Minute || span >= 6*time.Hour || from.Before(fixedNow.Add(-12*time.Hour)) || to.After(fixedNow) {
		t.Fatalf("drag zoom gave %v .. %v, want a narrower stretch inside the last 12 hours", from, to)
	}
}

func TestDrillDown(t *testing.T) {
	f := newShellFixture(t, fyne.NewSize(1600, 900))
	test.Tap(f.panel(t, "request_rate"))
	dd := f.s.Drill()
	if dd == nil {
		t.Fatal("tapping a panel did not open its drill-down")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := dd.view.WaitReady(ctx); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "legend rows", func() bool { return len(dd.Rows()) == 2 })
	rows := dd.Rows()
	if !slices.Contains(rows, "requests/s") || !slices.Contains(rows, "errors/s") {
		t.Fatalf("legend rows %v", rows)
	}

	// Crosshair values under the mouse.
	pos := fyne.CurrentApp().Driver().AbsolutePositionForObject(dd.cross)
	test.MoveMouse(f.w.Canvas(), pos.AddXY(dd.cross.Size().Width/2, dd.cross.Size().Height/2))
	if !strings.Contains(dd.cross.Text, "requests/s") || !strings.Contains(dd.cross.Text, "req/s") {
		t.Fatalf("crosshair shows %q, want each series' value with its unit", dd.cross.Text)
	}

	// Tapping a legend row shows only that series; again shows all.
	dd.table.Select(widget.TableCellID{Row: 1 + slices.Index(rows, "errors/s"), Col: 0})
	if got := dd.panel.Only(); got != "errors/s" {
		t.Fatalf("isolated %q, want errors/s", got)
	}
	waitFor(t, "only one series drawn", func() bool { return len(dd.panel.snapshot().series) == 1 })
	dd.table.Select(widget.TableCellID{Row: 1 + slices.Index(rows, "errors/s"), Col: 0})
	if got := dd.panel.Only(); got != "" {
		t.Fatalf("second tap left %q isolated", got)
	}

	// Esc goes back to the grid, which kept its state.
	grid := f.s.Current()
	f.key(fyne.KeyEscape)
	if f.s.Drill() != nil || f.s.Current() != grid {
		t.Fatal("Esc did not return to the same grid")
	}

	// A data link carries the region to another dashboard.
	if err := f.s.SetVariable("region", "eu-west"); err != nil {
		t.Fatal(err)
	}
	f.s.DrillInto("request_rate")
	link := findButton(t, f.s.Drill().root, "Performance", nil)
	test.Tap(link)
	if f.s.Current().Dashboard.ID != layouts.TypePerformance {
		t.Fatalf("data link opened %s", f.s.Current().Dashboard.ID)
	}
	if got := f.s.Settings().Vars["region"]; !slices.Equal(got, []string{"eu-west"}) {
		t.Fatalf("data link carried region %v", got)
	}
}

func TestFilterVariables(t *testing.T) {
	f := newShellFixture(t, fyne.NewSize(1920, 1080))
	var sel *widget.Select
	walk(f.s.bar.vars, func(o fyne.CanvasObject) {
		if s, ok := o.(*widget.Select); ok && sel == nil {
			sel = s
		}
	})
	if sel == nil {
		t.Fatal("no variable picker in the bar")
	}
	waitFor(t, "region values from the source", func() bool { return slices.Contains(sel.Options, "ap-south") })
	sel.SetSelected("ap-south")
	f.waitReady(t)
	if !f.src.seen(`region=~"ap-south"`) {
		t.Fatal(`no query ran with region=~"ap-south" after choosing it`)
	}
	sel.SetSelected(allLabel)
	if _, ok := f.s.Settings().Vars["region"]; ok {
		t.Fatal("choosing All kept a region filter")
	}
}

func TestSearch(t *testing.T) {
	f := newShellFixture(t, fyne.NewSize(1920, 1080))
	res := Search(f.s.Layout, "p99")
	if !slices.ContainsFunc(res, func(r SearchResult) bool { return r.Widget == "p99_latency" }) {
		t.Fatalf("Search(p99) = %v", res)
	}
	if got := Search(f.s.Layout, "cost"); len(got) == 0 || got[0].Dashboard != layouts.TypeCost || got[0].Widget != "" {
		t.Fatalf("Search(cost) should find the cost dashboard first, got %v", got)
	}
	f.s.TypedRune('/')
	if f.w.Canvas().Focused() != f.s.bar.search {
		t.Fatal("/ did not focus the search box")
	}
	want := Search(f.s.Layout, "latency p99")[0]
	test.Type(f.s.bar.search, "latency p99")
	if f.s.bar.results == nil || !f.s.bar.results.Visible() {
		t.Fatal("typing did not list results")
	}
	f.s.bar.search.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
	if f.s.Current().Dashboard.ID != want.Dashboard || f.s.Drill() == nil || f.s.Drill().Widget.ID != want.Widget {
		t.Fatalf("Enter did not jump to the p99 panel (at %s)", f.s.Current().Dashboard.ID)
	}
}

func TestSavedViews(t *testing.T) {
	f := newShellFixture(t, fyne.NewSize(1600, 900))
	if err := f.s.Show(layouts.TypePerformance); err != nil {
		t.Fatal(err)
	}
	if err := f.s.SetTime(layouts.TimeRange{From: "now-6h", To: "now"}); err != nil {
		t.Fatal(err)
	}
	if err := f.s.SetVariable("region", "us-east"); err != nil {
		t.Fatal(err)
	}
	f.s.DrillInto("latency_percentiles")
	if err := f.s.SaveView("US latency"); err != nil {
		t.Fatal(err)
	}
	f.s.Back()
	f.s.Show(layouts.TypeCost)

	// Another session, same user: the view persisted.
	views, err := OpenViewStore(filepath.Join(f.outDir, "views.json"))
	if err != nil {
		t.Fatal(err)
	}
	f.s.rt.Views = views
	names := []string{}
	for _, item := range f.s.Menu(false).Items {
		if item.Label == "Views" {
			for _, v := range item.ChildMenu.Items {
				names = append(names, v.Label)
				if v.Label == "US latency" {
					v.Action()
				}
			}
		}
	}
	if !slices.Contains(names, "US latency") {
		t.Fatalf("Views menu lists %v", names)
	}
	st := f.s.Settings()
	if f.s.Current().Dashboard.ID != layouts.TypePerformance || st.Time.From != "now-6h" ||
		!slices.Equal(st.Vars["region"], []string{"us-east"}) || f.s.Drill() == nil || f.s.Drill().Widget.ID != "latency_percentiles" {
		t.Fatalf("reopened view: %s %+v drill=%v", f.s.Current().Dashboard.ID, st, f.s.Drill() != nil)
	}
	data, _ := os.ReadFile(filepath.Join(f.outDir, "views.json"))
	if bytes.Contains(data, []byte("sources")) {
		t.Error("saved views file holds layout content; it should hold only the view")
	}
}

func TestExportMenu(t *testing.T) {
	f := newShellFixture(t, fyne.NewSize(1600, 900))
	action := func(label string) {
		t.Helper()
		for _, item := range f.s.Menu(false).Items {
			if item.Label == label {
				item.Action()
				return
			}
		}
		t.Fatalf("menu has no %q", label)
	}
	action("Export layout…")
	if _, err := layouts.Load(f.saved["layout.json"]); err != nil {
		t.Fatalf("exported layout does not load: %v", err)
	}
	action("Export dashboard as PNG…")
	var png string
	for name, path := range f.saved {
		if strings.HasSuffix(name, ".png") {
			png = path
		}
	}
	if st, err := os.Stat(png); err != nil || st.Size() < 10000 {
		t.Fatalf("dashboard PNG: %v", err)
	}

	f.s.DrillInto("request_rate")
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := f.s.Drill().view.WaitReady(ctx); err != nil {
		t.Fatal(err)
	}
	test.Tap(findButton(t, f.s.Drill().root, "CSV", nil))
	var csvPath string
	for name, path := range f.saved {
		if strings.HasSuffix(name, ".csv") {
			csvPath = path
		}
	}
	data, err := os.ReadFile(csvPath)
	if err != nil {
		t.Fatal(err)
	}
	recs, err := csv.NewReader(bytes.NewReader(data)).ReadAll()
	if err != nil || len(recs) < 200 || recs[0][0] != "time" || len(recs[0]) != 3 {
		t.Fatalf("panel CSV: %d records, header %v, err %v", len(recs), recs[0], err)
	}
	f.s.Back()

	// Importing an invalid file shows the validator's message and changes nothing.
	bad := filepath.Join(f.outDir, "broken.json")
	os.WriteFile(bad, []byte(`{"version": 1, "dashboards": [{"id": "x", "title": "X", "time": {"from": "now-1h"}, "widgets": [{"id": "a", "type": "guage", "position": {"row": 1, "col": 1}}]}]}`), 0o644)
	before := f.s.Layout
	f.s.ImportLayout(bad)
	if len(f.errs) == 0 || !strings.Contains(f.errs[len(f.errs)-1].Error(), `broken.json:1:`) || !strings.Contains(f.errs[len(f.errs)-1].Error(), `unknown widget type "guage"`) {
		t.Fatalf("import of a broken file reported %v", f.errs)
	}
	if f.s.Layout != before {
		t.Fatal("a broken import replaced the layout")
	}
	// A valid one replaces it.
	good := layouts.Builtin()
	good.Dashboards = good.Dashboards[3:4]
	good.Playlists = nil
	for i := range good.Dashboards[0].Widgets {
		good.Dashboards[0].Widgets[i].Links = nil
	}
	goodPath := filepath.Join(f.outDir, "good.json")
	if err := layouts.Save(goodPath, good); err != nil {
		t.Fatal(err)
	}
	f.s.ImportLayout(goodPath)
	if len(f.s.Layout.Dashboards) != 1 || f.s.Current().Dashboard.ID != layouts.TypeBusinessKPI {
		t.Fatalf("import did not open the new layout: %d dashboards, showing %s", len(f.s.Layout.Dashboards), f.s.Current().Dashboard.ID)
	}
}

// fakeAfter is a playlist timer the test fires by hand.
type fakeAfter struct {
	mu    sync.Mutex
	asked []time.Duration
	chans []chan time.Time
}

func (a *fakeAfter) After(d time.Duration) <-chan time.Time {
	a.mu.Lock()
	defer a.mu.Unlock()
	c := make(chan time.Time, 1)
	a.asked = append(a.asked, d)
	a.chans = append(a.chans, c)
	return c
}

func (a *fakeAfter) fire(t *testing.T, n int) {
	t.Helper()
	waitFor(t, "playlist timer", func() bool {
		a.mu.Lock()
		defer a.mu.Unlock()
		return len(a.chans) >= n
	})
	a.mu.Lock()
	c := a.chans[n-1]
	a.mu.Unlock()
	c <- fixedNow
}

func TestKioskPlaylist(t *testing.T) {
	f := newShellFixture(t, fyne.NewSize(1920, 1080))
	clock := &fakeAfter{}
	f.s.rt.After = clock.After
	six := layouts.TimeRange{From: "now-6h", To: "now"}
	f.s.Layout.Playlists = []layouts.Playlist{{Name: "wall", Items: []layouts.PlaylistItem{
		{Dashboard: layouts.TypeCost, Duration: layouts.Duration(10 * time.Second)},
		{Dashboard: layouts.TypeSystemHealth, Duration: layouts.Duration(20 * time.Second)},
		{Dashboard: layouts.TypeSystemHealth, Duration: layouts.Duration(15 * time.Second), Time: &six},
	}}}
	f.s.TypedRune('d')
	f.s.TypedRune('k')
	if !f.s.Kiosk() || f.s.top.Visible() || !f.s.kioskOverlay.Visible() {
		t.Fatal("d k did not enter kiosk mode (bar hidden, overlay shown)")
	}
	if !f.w.FullScreen() {
		t.Error("kiosk mode is not full screen")
	}
	shows := func(id string) func() bool {
		return func() bool { return f.s.Current() != nil && f.s.Current().Dashboard.ID == id }
	}
	waitFor(t, "first playlist item", shows(layouts.TypeCost))
	f.clockCheck(t, clock, []time.Duration{10 * time.Second})
	clock.fire(t, 1)
	waitFor(t, "second item after its 10s", shows(layouts.TypeSystemHealth))
	f.clockCheck(t, clock, []time.Duration{10 * time.Second, 20 * time.Second})
	clock.fire(t, 2)
	waitFor(t, "the same dashboard at 6 hours", func() bool { return f.s.Settings().Time == six })
	f.clockCheck(t, clock, []time.Duration{10 * time.Second, 20 * time.Second, 15 * time.Second})
	if c := f.s.Current().Cursor(); c == nil {
		t.Error("no cursor")
	}

	f.key(fyne.KeyEscape)
	if f.s.Kiosk() || !f.s.top.Visible() {
		t.Fatal("Esc did not leave kiosk mode")
	}

	// A locked wall ignores the exit key.
	f.s.Layout.Kiosk = &layouts.Kiosk{Locked: true}
	f.s.SetKiosk(true)
	f.key(fyne.KeyEscape)
	if !f.s.Kiosk() {
		t.Fatal("a locked kiosk was left with Esc")
	}
}

func (f *shellFixture) clockCheck(t *testing.T, a *fakeAfter, want []time.Duration) {
	t.Helper()
	waitFor(t, "playlist timers", func() bool {
		a.mu.Lock()
		defer a.mu.Unlock()
		return len(a.asked) >= len(want)
	})
	a.mu.Lock()
	defer a.mu.Unlock()
	if !slices.Equal(a.asked[:len(want)], want) {
		t.Fatalf("playlist waited %v, want each dashboard's own time %v", a.asked, want)
	}
}

func TestShortcuts(t *testing.T) {
	f := newShellFixture(t, fyne.NewSize(1920, 1080))
	f.s.TypedRune('?')
	if len(f.w.Canvas().Overlays().List()) == 0 {
		t.Fatal("? did not show the shortcuts")
	}
	f.w.Canvas().Overlays().Top().Hide()
	f.w.Canvas().Overlays().Remove(f.w.Canvas().Overlays().Top())

	f.s.TypedRune('d')
	f.s.TypedRune('n')
	if got := f.s.Current().Dashboard.ID; got != layouts.TypePerformance {
		t.Fatalf("d n showed %s, want performance", got)
	}
	f.s.TypedRune('d')
	f.s.TypedRune('p')
	if got := f.s.Current().Dashboard.ID; got != layouts.TypeSystemHealth {
		t.Fatalf("d p showed %s", got)
	}
	f.s.TypedRune('t')
	f.s.TypedRune('z')
	if got := f.s.Settings().Time.From; got != "now-2h" {
		t.Fatalf("t z: from %s, want now-2h", got)
	}
	f.s.TypedRune('t')
	f.key(fyne.KeyLeft)
	if got := f.s.Settings().Time.To; got == "now" {
		t.Fatal("t ← did not move the range back")
	}
	f.s.TypedRune('t')
	f.key(fyne.KeyRight)
	if got := f.s.Settings().Time.To; got != "now" {
		t.Fatalf("t → did not come back to now: %+v", f.s.Settings().Time)
	}
	f.waitReady(t)
	f.src.mu.Lock()
	before := f.src.calls
	f.src.mu.Unlock()
	f.s.TypedRune('d')
	f.s.TypedRune('r')
	waitFor(t, "d r refresh", func() bool {
		f.src.mu.Lock()
		defer f.src.mu.Unlock()
		return f.src.calls > before
	})
	f.s.TypedRune('d')
	f.s.TypedRune('k')
	if !f.s.Kiosk() {
		t.Fatal("d k did not enter kiosk")
	}
	f.s.TypedRune('d')
	f.s.TypedRune('k')
	if f.s.Kiosk() {
		t.Fatal("d k did not leave kiosk")
	}
}

// findButton finds a button by its text or its icon's resource name.
func findButton(t *testing.T, root fyne.CanvasObject, text string, icon fyne.Resource) *widget.Button {
	t.Helper()
	var found *widget.Button
	walk(root, func(o fyne.CanvasObject) {
		b, ok := o.(*widget.Button)
		if !ok || found != nil {
			return
		}
		if (text != "" && b.Text == text) || (icon != nil && b.Icon != nil && b.Icon.Name() == icon.Name()) {
			found = b
		}
	})
	if found == nil {
		t.Fatalf("no button %q %v", text, icon)
	}
	return found
}

// walk visits o and everything inside it, containers and widgets alike.
func walk(o fyne.CanvasObject, fn func(fyne.CanvasObject)) {
	fn(o)
	switch v := o.(type) {
	case *fyne.Container:
		for _, c := range v.Objects {
			walk(c, fn)
		}
	case fyne.Widget:
		for _, c := range test.WidgetRenderer(v).Objects() {
			walk(c, fn)
		}
	}
}

func TestResponsiveLayout(t *testing.T) {
	for _, tc := range []struct {
		name  string
		size  fyne.Size
		phone bool
	}{
		{"phone", fyne.NewSize(390, 844), true},
		{"wall", fyne.NewSize(1920, 1080), false},
		{"4k", fyne.NewSize(3840, 2160), false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := newShellFixture(t, tc.size)
			b := f.s.bar
			wide, narrow := b.root.Objects[0], b.root.Objects[1]
			if wide.Visible() == tc.phone || narrow.Visible() != tc.phone {
				t.Fatalf("wide bar visible %v, phone bar visible %v", wide.Visible(), narrow.Visible())
			}
			panels := f.s.Current().Panels()
			d := f.s.Current().Dashboard
			if tc.phone {
				for _, c := range []fyne.CanvasObject{b.dashSel, b.timeSelN, b.moreBtn} {
					if h := c.MinSize().Height; h < 44 {
						t.Errorf("%T is %v px high; touch targets need 44", c, h)
					}
				}
				order := layouts.ReadingOrder(d)
				for k := 1; k < len(order); k++ {
					prev, cur := panels[order[k-1]], panels[order[k]]
					if cur.Position().X != prev.Position().X || cur.Position().Y <= prev.Position().Y {
						t.Fatalf("phone: %s at %v after %s at %v; want one column in reading order",
							cur.Widget.ID, cur.Position(), prev.Widget.ID, prev.Position())
					}
				}
				return
			}
			// A wall keeps the grid: the first row's panels side by side.
			if panels[0].Position().Y != panels[1].Position().Y || panels[1].Position().X <= panels[0].Position().X {
				t.Fatalf("wall: first panels at %v and %v, want side by side", panels[0].Position(), panels[1].Position())
			}
		})
	}
}

func TestTableSortByTap(t *testing.T) {
	f := newShellFixture(t, fyne.NewSize(1920, 1080))
	if err := f.s.Show("showcase"); err != nil {
		t.Fatal(err)
	}
	f.waitReady(t)
	var table *Panel
	for _, p := range f.s.Current().Panels() {
		if p.Widget.Type == layouts.WidgetTable {
			table = p
		}
	}
	if table == nil {
		t.Fatal("the showcase has no table")
	}
	// Find a header cell by scanning the top of the body, as a finger would.
	var hit fyne.Position
	found := false
	for y := table.bodyTop() + 2; y < table.bodyTop()+60 && !found; y += 4 {
		for x := float32(table.Size().Width * 0.5); x < table.Size().Width-10; x += 10 {
			if col, ok := table.tableColumnAt(fyne.NewPos(x, y)); ok && col != 0 {
				hit, found = fyne.NewPos(x, y), true
				break
			}
		}
	}
	if !found {
		t.Fatal("no sortable header cell found in the table")
	}
	test.TapAt(table, hit)
	if table.sort == (charts.TableSort{}) {
		t.Fatal("tapping a header did not sort")
	}
	first := table.sort
	test.TapAt(table, hit)
	if table.sort == first {
		t.Fatal("tapping the header again did not reverse the order")
	}
	if f.s.Drill() != nil {
		t.Fatal("a header tap opened the drill-down")
	}
}
