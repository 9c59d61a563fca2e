package ui

import (
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
// dashboard picker, the time range and a menu. It knows nothing of the
// shell: what the operator picks reaches its owner through the OnX
// callbacks, all called on Fyne's goroutine, and the owner shows its state
// with selectDashboard, sync, setVariables, setClock and setAlertCount.
type bar struct {
	// OnDashboard shows the dashboard with an id.
	OnDashboard func(id string)
	// OnTime and OnRefresh set the time range and the refresh interval.
	OnTime    func(layouts.TimeRange) error
	OnRefresh func(time.Duration) error
	// OnZoomOut doubles the range; OnShift moves it by half (dir -1, 1).
	OnZoomOut func() error
	OnShift   func(dir int) error
	// OnVariable selects a value of a variable ("All": every value).
	OnVariable func(name, value string) error
	// OnAlerts opens the alert list.
	OnAlerts func()
	// OnSearch opens a search result (a dashboard, or a panel drilled into).
	OnSearch func(SearchResult)
	// OnMenu is the menu under the menu button (phone: the phone bar's).
	OnMenu func(phone bool) *fyne.Menu
	// OnError reports a failed choice.
	OnError func(error)
	// LabelValues fetches a variable's values in the background and calls
	// set with them on Fyne's goroutine; nil offers the layout's values only.
	LabelValues func(d *layouts.Dashboard, v layouts.Variable, set func([]string))

	layout   *layouts.Layout
	current  string        // the dashboard shown
	st       wall.Settings // the settings shown in the pickers
	root     *fyne.Container
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

// newBar returns the bar for l's dashboards in palette pal, its clock at
// now; withAlerts adds the alert button.
func newBar(l *layouts.Layout, pal *charts.Theme, now time.Time, withAlerts bool) *bar {
	b := &bar{layout: l}
	left := container.NewHBox(brand(pal))
	var titles []string
	for i := range l.Dashboards {
		d := &l.Dashboards[i]
		titles = append(titles, d.Title)
		t := widget.NewButton(d.Title, func() { b.show(d.ID) })
		b.tabs = append(b.tabs, t)
		left.Add(t)
	}
	b.search = widget.NewEntry()
	b.search.SetPlaceHolder("Search  /")
	b.search.OnChanged = b.showResults
	b.search.OnSubmitted = func(q string) {
		if r := Search(l, q); len(r) > 0 {
			b.jump(r[0])
		}
	}
	b.clock = newClockText(pal, now)
	b.vars = container.NewHBox()

	var timeLabels []string
	for _, tr := range TimePresets {
		timeLabels = append(timeLabels, tr.String())
	}
	onTime := func(label string) {
		if b.syncing || b.OnTime == nil {
			return
		}
		for _, tr := range TimePresets {
			if tr.String() == label && tr != b.st.Time {
				b.report(b.OnTime(tr))
			}
		}
	}
	var refLabels []string
	for _, d := range RefreshChoices {
		refLabels = append(refLabels, RefreshLabel(d))
	}
	onRefresh := func(label string) {
		if b.syncing || b.OnRefresh == nil {
			return
		}
		for _, d := range RefreshChoices {
			if RefreshLabel(d) == label && d != b.st.Refresh {
				b.report(b.OnRefresh(d))
			}
		}
	}
	b.timeSel = widget.NewSelect(timeLabels, onTime)
	b.refSel = widget.NewSelect(refLabels, onRefresh)
	zoomOut := widget.NewButtonWithIcon("", theme.ZoomOutIcon(), func() {
		if b.OnZoomOut != nil {
			b.report(b.OnZoomOut())
		}
	})
	shift := func(dir int) func() {
		return func() {
			if b.OnShift != nil {
				b.report(b.OnShift(dir))
			}
		}
	}
	back := widget.NewButtonWithIcon("", theme.NavigateBackIcon(), shift(-1))
	fwd := widget.NewButtonWithIcon("", theme.NavigateNextIcon(), shift(1))
	b.menuBtn = widget.NewButtonWithIcon("", theme.MenuIcon(), func() { b.popMenu(b.menuBtn, false) })
	searchBox := container.NewGridWrap(fyne.NewSize(200, b.search.MinSize().Height), b.search)
	b.dashSelM = widget.NewSelect(titles, b.onDashboardPicked)
	b.alertBtn = widget.NewButtonWithIcon("0", theme.WarningIcon(), func() {
		if b.OnAlerts != nil {
			b.OnAlerts()
		}
	})
	right := container.NewHBox(b.vars, b.clock, zoomOut, back, b.timeSel, fwd, b.refSel, b.menuBtn)
	if withAlerts {
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

// show asks the owner for the dashboard with id.
func (b *bar) show(id string) {
	if b.OnDashboard != nil {
		b.OnDashboard(id)
	}
}

func (b *bar) onDashboardPicked(title string) {
	if b.syncing {
		return
	}
	for _, d := range b.layout.Dashboards {
		if d.Title == title && b.current != d.ID {
			b.show(d.ID)
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
	if err != nil && b.OnError != nil {
		b.OnError(err)
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
	b.current = b.layout.Dashboards[i].ID
	b.syncing = true
	b.dashSel.SetSelected(b.layout.Dashboards[i].Title)
	b.dashSelM.SetSelected(b.layout.Dashboards[i].Title)
	b.syncing = false
}

// sync shows the settings in the pickers without triggering them.
func (b *bar) sync(st wall.Settings) {
	b.st = st
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
		sel.OnChanged = func(val string) {
			if b.OnVariable != nil {
				b.report(b.OnVariable(v.Name, val))
			}
		}
		b.vars.Add(container.NewHBox(widget.NewLabel(label), sel))
		if v.Query != "" && b.LabelValues != nil {
			b.LabelValues(d, v, func(vals []string) {
				opts := append([]string{allLabel}, v.Values...)
				for _, val := range vals {
					if !slices.Contains(opts, val) {
						opts = append(opts, val)
					}
				}
				sel.Options = opts
				sel.Refresh()
			})
		}
	}
	b.root.Refresh() // the bar's layout depends on the pickers' widths
}

// showResults lists the dashboards and panels matching the search.
func (b *bar) showResults(q string) {
	if b.results != nil {
		b.results.Hide()
		b.results = nil
	}
	res := Search(b.layout, q)
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
	if b.OnSearch != nil {
		b.OnSearch(r)
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
	if b.OnMenu == nil {
		return
	}
	pos := fyne.CurrentApp().Driver().AbsolutePositionForObject(btn)
	widget.ShowPopUpMenuAtPosition(b.OnMenu(phone), c, pos.AddXY(0, btn.Size().Height))
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
