package ui

import (
	"context"
	"slices"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/wallboard/wallboard/charts"
	"github.com/wallboard/wallboard/layouts"
	"github.com/wallboard/wallboard/wall"
)

// allLabel is the variable choice that selects every value.
const allLabel = "All"

// bar is the shell's top bar. On a desktop or wall it shows everything;
// below the phone breakpoint (or when it does not fit) it collapses to a
// dashboard picker, the time range and a menu.
type bar struct {
	s    *Shell
	root *fyne.Container

	tabs     []*widget.Button
	search   *widget.Entry
	results  *widget.PopUp
	vars     *fyne.Container
	clock    *canvas.Text
	timeSel  *widget.Select
	timeSelN *widget.Select // the phone bar's
	refSel   *widget.Select
	dashSel  *widget.Select // the phone bar's dashboard picker
	dashSelM *widget.Select // the desktop bar's, when the tabs do not fit
	menuBtn  *widget.Button
	alertBtn *widget.Button // active alerts: count, opens the list
	moreBtn  *widget.Button // the phone bar's menu
	syncing  bool           // sync is setting pickers: ignore their callbacks
}

func newBar(s *Shell) *bar {
	b := &bar{s: s}
	pal := s.rt.Palette
	left := container.NewHBox(brand(pal))
	var titles []string
	for i := range s.Layout.Dashboards {
		d := &s.Layout.Dashboards[i]
		titles = append(titles, d.Title)
		t := widget.NewButton(d.Title, func() { s.showLogged(d.ID) })
		b.tabs = append(b.tabs, t)
		left.Add(t)
	}
	b.search = widget.NewEntry()
	b.search.SetPlaceHolder("Search  /")
	b.search.OnChanged = b.showResults
	b.search.OnSubmitted = func(q string) {
		if r := Search(s.Layout, q); len(r) > 0 {
			b.jump(r[0])
		}
	}
	b.clock = newClockText(pal, s.rt.Clock())
	b.vars = container.NewHBox()

	var timeLabels []string
	for _, tr := range TimePresets {
		timeLabels = append(timeLabels, tr.String())
	}
	onTime := func(label string) {
		if b.syncing {
			return
		}
		for _, tr := range TimePresets {
			if tr.String() == label && tr != s.settings.Time {
				b.report(s.SetTime(tr))
			}
		}
	}
	var refLabels []string
	for _, d := range RefreshChoices {
		refLabels = append(refLabels, RefreshLabel(d))
	}
	onRefresh := func(label string) {
		if b.syncing {
			return
		}
		for _, d := range RefreshChoices {
			if RefreshLabel(d) == label && d != s.settings.Refresh {
				b.report(s.SetRefresh(d))
			}
		}
	}
	b.timeSel = widget.NewSelect(timeLabels, onTime)
	b.refSel = widget.NewSelect(refLabels, onRefresh)
	zoomOut := widget.NewButtonWithIcon("", theme.ZoomOutIcon(), func() { b.report(s.ZoomOut()) })
	back := widget.NewButtonWithIcon("", theme.NavigateBackIcon(), func() { b.report(s.ShiftTime(-1)) })
	fwd := widget.NewButtonWithIcon("", theme.NavigateNextIcon(), func() { b.report(s.ShiftTime(1)) })
	b.menuBtn = widget.NewButtonWithIcon("", theme.MenuIcon(), func() { b.popMenu(b.menuBtn, false) })
	searchBox := container.NewGridWrap(fyne.NewSize(200, b.search.MinSize().Height), b.search)
	b.dashSelM = widget.NewSelect(titles, b.onDashboardPicked)
	b.alertBtn = widget.NewButtonWithIcon("0", theme.WarningIcon(), s.ShowAlerts)
	right := container.NewHBox(b.vars, b.clock, zoomOut, back, b.timeSel, fwd, b.refSel, b.menuBtn)
	if s.rt.Alerts != nil {
		right.Objects = append([]fyne.CanvasObject{b.alertBtn}, right.Objects...)
	}
	wide := container.New(barLayout{}, left, container.NewHBox(brand(pal), b.dashSelM), searchBox, right)

	b.dashSel = widget.NewSelect(titles, b.onDashboardPicked)
	b.timeSelN = widget.NewSelect(timeLabels, onTime)
	b.moreBtn = widget.NewButtonWithIcon("", theme.MoreVerticalIcon(), func() { b.popMenu(b.moreBtn, true) })
	narrow := container.NewBorder(nil, nil, nil, container.NewHBox(b.timeSelN, b.moreBtn), b.dashSel)
	b.root = container.New(responsiveLayout{}, wide, narrow)
	return b
}

func (b *bar) onDashboardPicked(title string) {
	if b.syncing {
		return
	}
	s := b.s
	for _, d := range s.Layout.Dashboards {
		if d.Title == title && (s.current == nil || s.current.Dashboard.ID != d.ID) {
			s.showLogged(d.ID)
		}
	}
}

// brand is the app's name at the left of the bar.
func brand(pal *charts.Theme) *canvas.Text {
	name := canvas.NewText("Wallboard", pal.Text)
	name.TextSize = 20
	name.TextStyle.Bold = true
	return name
}

// barLayout lays out the desktop bar: the dashboard tabs (objs[0]) when
// they fit, else a dashboard picker (objs[1]); then the search box
// (objs[2]); and the pickers (objs[3]) against the right edge.
type barLayout struct{}

func (barLayout) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	tabs, picker, search, right := objs[0], objs[1], objs[2], objs[3]
	pad := theme.Padding()
	rw := right.MinSize().Width
	left := tabs
	if tabs.MinSize().Width+search.MinSize().Width+rw+2*pad > size.Width {
		left = picker
	}
	for _, o := range []fyne.CanvasObject{tabs, picker} {
		if o == left {
			o.Show()
		} else {
			o.Hide()
		}
	}
	lw := left.MinSize().Width
	left.Move(fyne.NewPos(0, 0))
	left.Resize(fyne.NewSize(lw, size.Height))
	search.Move(fyne.NewPos(lw+pad, 0))
	search.Resize(fyne.NewSize(search.MinSize().Width, size.Height))
	right.Move(fyne.NewPos(size.Width-rw, 0))
	right.Resize(fyne.NewSize(rw, size.Height))
}

func (barLayout) MinSize(objs []fyne.CanvasObject) fyne.Size {
	var w, h float32
	for _, o := range objs[1:] {
		m := o.MinSize()
		w += m.Width
		h = max(h, m.Height)
	}
	return fyne.NewSize(w+2*theme.Padding(), max(h, objs[0].MinSize().Height))
}

func (b *bar) report(err error) {
	if err != nil {
		b.s.ShowError(err)
	}
}

func (b *bar) setClock(now time.Time) {
	b.clock.Text = now.Format("15:04:05")
	b.clock.Refresh()
}

func (b *bar) selectDashboard(i int) {
	for j, t := range b.tabs {
		t.Importance = widget.MediumImportance
		if j == i {
			t.Importance = widget.HighImportance
		}
		t.Refresh()
	}
	b.syncing = true
	b.dashSel.SetSelected(b.s.Layout.Dashboards[i].Title)
	b.dashSelM.SetSelected(b.s.Layout.Dashboards[i].Title)
	b.syncing = false
}

// sync shows the settings in the pickers without triggering them.
func (b *bar) sync(st wall.Settings, palette string) {
	b.syncing = true
	defer func() { b.syncing = false }()
	preset := slices.Contains(TimePresets, st.Time)
	for _, sel := range []*widget.Select{b.timeSel, b.timeSelN} {
		if preset {
			sel.SetSelected(st.Time.String())
		} else {
			sel.ClearSelected()
			sel.PlaceHolder = st.Time.String()
			sel.Refresh()
		}
	}
	if !slices.Contains(RefreshChoices, st.Refresh) { // a layout's own interval
		b.refSel.Options = nil
		for _, d := range RefreshChoices {
			b.refSel.Options = append(b.refSel.Options, RefreshLabel(d))
		}
		b.refSel.Options = append(b.refSel.Options, RefreshLabel(st.Refresh))
	}
	b.refSel.SetSelected(RefreshLabel(st.Refresh))
}

// setVariables shows one picker per variable of d, offering the source's
// label values (fetched in the background) or the variable's own values.
func (b *bar) setVariables(d *layouts.Dashboard, chosen map[string][]string) {
	b.vars.Objects = nil
	for _, v := range d.Variables {
		label := v.Label
		if label == "" {
			label = v.Name
		}
		options := append([]string{allLabel}, v.Values...)
		sel := widget.NewSelect(options, nil)
		cur := allLabel
		if c := chosen[v.Name]; len(c) > 0 {
			cur = strings.Join(c, "|")
			if !slices.Contains(options, cur) {
				sel.Options = append(sel.Options, cur)
			}
		}
		sel.Selected = cur
		sel.OnChanged = func(val string) { b.report(b.s.SetVariable(v.Name, val)) }
		b.vars.Add(container.NewHBox(widget.NewLabel(label), sel))
		if v.Query != "" {
			b.fetchValues(d, v, sel)
		}
	}
	b.root.Refresh() // the bar's layout depends on the pickers' widths
}

// labelValuer is a source that can list a label's values.
type labelValuer interface {
	LabelValues(ctx context.Context, name string) ([]string, error)
}

func (b *bar) fetchValues(d *layouts.Dashboard, v layouts.Variable, sel *widget.Select) {
	source := ""
	for _, w := range d.Widgets {
		if w.Source != "" {
			source = w.Source
			break
		}
	}
	src, err := b.s.rt.Sources.Source(source)
	lv, ok := src.(labelValuer)
	if err != nil || !ok {
		return
	}
	b.s.wg.Add(1)
	go func() {
		defer b.s.wg.Done()
		ctx, cancel := context.WithTimeout(b.s.ctx, 10*time.Second)
		defer cancel()
		vals, err := lv.LabelValues(ctx, v.Query)
		if err != nil {
			return // the picker keeps "All" and the layout's values
		}
		fyne.Do(func() {
			opts := append([]string{allLabel}, v.Values...)
			for _, val := range vals {
				if !slices.Contains(opts, val) {
					opts = append(opts, val)
				}
			}
			sel.Options = opts
			sel.Refresh()
		})
	}()
}

// showResults lists the dashboards and panels matching the search.
func (b *bar) showResults(q string) {
	if b.results != nil {
		b.results.Hide()
		b.results = nil
	}
	res := Search(b.s.Layout, q)
	c := fyne.CurrentApp().Driver().CanvasForObject(b.search)
	if strings.TrimSpace(q) == "" || len(res) == 0 || c == nil {
		return
	}
	if len(res) > 12 {
		res = res[:12]
	}
	list := widget.NewList(
		func() int { return len(res) },
		func() fyne.CanvasObject { return widget.NewLabel("Dashboard · panel title") },
		func(i widget.ListItemID, o fyne.CanvasObject) { o.(*widget.Label).SetText(res[i].String()) },
	)
	list.OnSelected = func(i widget.ListItemID) { b.jump(res[i]) }
	pos := fyne.CurrentApp().Driver().AbsolutePositionForObject(b.search)
	b.results = widget.NewPopUp(list, c)
	b.results.Resize(fyne.NewSize(420, float32(len(res))*40))
	b.results.ShowAtPosition(pos.AddXY(0, b.search.Size().Height))
}

func (b *bar) jump(r SearchResult) {
	if b.results != nil {
		b.results.Hide()
		b.results = nil
	}
	b.search.SetText("")
	if err := b.s.Show(r.Dashboard); err != nil {
		b.s.ShowError(err)
		return
	}
	if r.Widget != "" {
		b.s.DrillInto(r.Widget)
	}
}

// FocusSearch puts the cursor in the search box.
func (b *bar) focusSearch() {
	if c := fyne.CurrentApp().Driver().CanvasForObject(b.search); c != nil {
		c.Focus(b.search)
	}
}

// popMenu shows the shell's menu under btn; the phone menu also offers the
// refresh intervals that its bar has no room for.
func (b *bar) popMenu(btn *widget.Button, phone bool) {
	c := fyne.CurrentApp().Driver().CanvasForObject(btn)
	if c == nil {
		return
	}
	pos := fyne.CurrentApp().Driver().AbsolutePositionForObject(btn)
	widget.ShowPopUpMenuAtPosition(b.s.Menu(phone), c, pos.AddXY(0, btn.Size().Height))
}

func themeLabel(name string) string {
	switch name {
	case "light":
		return "Light theme"
	case "highcontrast":
		return "High contrast theme"
	}
	return "Dark theme"
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

// themes offered in the menu, in order.
var themes = []string{"dark", "light", "highcontrast"}

func (s *Shell) setThemeNamed(name string) {
	if p, ok := charts.ThemeNamed(name); ok && p.Name != s.rt.Palette.Name {
		s.SetPalette(p)
	}
}
