package ui

import (
	"fmt"
	"math"
	"sort"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/wallboard/wallboard/charts"
	"github.com/wallboard/wallboard/datasources"
	"github.com/wallboard/wallboard/internal/redact"
	"github.com/wallboard/wallboard/layouts"
)

// DrillDown shows one panel full-window: a larger chart with crosshair
// values, a legend table (last, min, max, mean per series; tapping a row
// shows only that series), the queries behind it, and data links to other
// dashboards carrying the dashboard's variables.
type DrillDown struct {
	widget.BaseWidget

	// Widget is the widget drilled into.
	Widget *layouts.Widget

	shell    *Shell
	view     *DashboardView // a one-panel view of Widget
	panel    *Panel
	cross    *crosshair
	table    *widget.Table
	rows     []legendRow
	errLabel *widget.Label // the last error of the sources, in full
	root     fyne.CanvasObject
}

// legendRow is one series' reductions.
type legendRow struct {
	name                 string
	last, min, max, mean float64
}

func newDrillDown(s *Shell, d *layouts.Dashboard, w *layouts.Widget) *DrillDown {
	dd := &DrillDown{Widget: w, shell: s}
	one := *d
	ww := *w
	ww.Position = layouts.Position{Row: 1, Col: 1}
	one.Widgets = []layouts.Widget{ww}
	one.Columns = 1
	dd.view = NewDashboardView(s.rt, &one)
	dd.panel = dd.view.Panels()[0]
	dd.panel.onData = func(all []datasources.Series, err error) {
		dd.setRows(all)
		dd.setError(err)
	}
	dd.errLabel = widget.NewLabel("")
	dd.errLabel.Wrapping = fyne.TextWrapWord
	dd.errLabel.Importance = widget.DangerImportance
	dd.errLabel.Hide()
	dd.cross = newCrosshair(dd.panel, s.rt.Palette)

	dd.table = widget.NewTable(
		func() (int, int) { return len(dd.rows) + 1, 5 },
		func() fyne.CanvasObject { return widget.NewLabel("us-east-1 p95 latency") },
		func(id widget.TableCellID, o fyne.CanvasObject) { dd.cell(id, o.(*widget.Label)) },
	)
	dd.table.SetColumnWidth(0, 280)
	for c := 1; c < 5; c++ {
		dd.table.SetColumnWidth(c, 120)
	}
	dd.table.OnSelected = func(id widget.TableCellID) {
		dd.table.UnselectAll()
		if id.Row == 0 || id.Row > len(dd.rows) {
			return
		}
		dd.Isolate(dd.rows[id.Row-1].name)
	}

	back := widget.NewButtonWithIcon("Back", theme.NavigateBackIcon(), s.Back)
	title := widget.NewLabelWithStyle(dd.panel.Title(), fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	header := container.NewHBox(back, title, layout.NewSpacer())
	for _, link := range w.Links {
		header.Add(widget.NewButtonWithIcon(link.Title, theme.NavigateNextIcon(), func() { s.FollowLink(link) }))
	}
	header.Add(widget.NewButtonWithIcon("CSV", theme.DownloadIcon(), func() { s.exportPanelCSV(dd) }))
	header.Add(widget.NewButtonWithIcon("PNG", theme.DownloadIcon(), func() { s.exportPanelPNG(dd) }))
	header.Add(widget.NewButtonWithIcon("SVG", theme.DownloadIcon(), func() { s.exportPanelSVG(dd) }))

	var queries []fyne.CanvasObject
	queries = append(queries, widget.NewLabelWithStyle("Queries", fyne.TextAlignLeading, fyne.TextStyle{Bold: true}))
	for i, q := range w.Queries {
		ref := q.Ref
		if ref == "" {
			ref = string(rune('A' + i))
		}
		l := widget.NewLabelWithStyle(ref+": "+q.Expr, fyne.TextAlignLeading, fyne.TextStyle{Monospace: true})
		l.Wrapping = fyne.TextWrapBreak
		queries = append(queries, l)
	}
	if w.Description != "" {
		desc := widget.NewLabel(w.Description)
		desc.Wrapping = fyne.TextWrapWord
		queries = append(queries, desc)
	}
	queries = append(queries, dd.errLabel)
	bottom := container.NewHSplit(dd.table, container.NewVScroll(container.NewVBox(queries...)))
	bottom.Offset = 0.6
	chart := container.NewStack(dd.view, dd.cross)
	split := container.NewVSplit(chart, bottom)
	split.Offset = 0.68
	dd.root = container.NewBorder(header, nil, nil, nil, split)
	dd.ExtendBaseWidget(dd)
	return dd
}

// CreateRenderer shows the drill-down's content.
func (dd *DrillDown) CreateRenderer() fyne.WidgetRenderer { return widget.NewSimpleRenderer(dd.root) }

// Isolate shows only the series called name; isolating it again shows all.
func (dd *DrillDown) Isolate(name string) {
	if dd.panel.Only() == name {
		name = ""
	}
	dd.panel.SetOnly(name)
	dd.table.Refresh()
}

// Rows returns the legend table's series names in order.
func (dd *DrillDown) Rows() []string {
	names := make([]string, len(dd.rows))
	for i, r := range dd.rows {
		names[i] = r.name
	}
	return names
}

// setError shows the last error of the panel's sources in full (redacted),
// or hides it; on Fyne's goroutine.
func (dd *DrillDown) setError(err error) {
	if err == nil {
		dd.errLabel.Hide()
		return
	}
	dd.errLabel.SetText(Explain(err) + ": " + redact.Text(err.Error()))
	dd.errLabel.Show()
}

// setRows recomputes the legend table from all series; on Fyne's goroutine.
func (dd *DrillDown) setRows(all []datasources.Series) {
	rows := make([]legendRow, 0, len(all))
	for _, s := range all {
		r := legendRow{name: s.Name, last: math.NaN(), min: math.NaN(), max: math.NaN(), mean: math.NaN()}
		r.last, _ = charts.Reduce(s, "last")
		r.min, _ = charts.Reduce(s, "min")
		r.max, _ = charts.Reduce(s, "max")
		r.mean, _ = charts.Reduce(s, "mean")
		rows = append(rows, r)
	}
	sort.SliceStable(rows, func(i, j int) bool { return rows[i].last > rows[j].last })
	dd.rows = rows
	dd.table.Refresh()
}

func (dd *DrillDown) cell(id widget.TableCellID, l *widget.Label) {
	l.TextStyle.Bold = id.Row == 0
	if id.Row == 0 {
		l.SetText([]string{"Series", "Last", "Min", "Max", "Mean"}[id.Col])
		return
	}
	if id.Row-1 >= len(dd.rows) {
		l.SetText("")
		return
	}
	r := dd.rows[id.Row-1]
	only := dd.panel.Only()
	l.Importance = widget.MediumImportance
	if only != "" && only != r.name {
		l.Importance = widget.LowImportance
	}
	switch id.Col {
	case 0:
		l.SetText(r.name)
	case 1:
		l.SetText(charts.FormatWidget(dd.Widget, r.last))
	case 2:
		l.SetText(charts.FormatWidget(dd.Widget, r.min))
	case 3:
		l.SetText(charts.FormatWidget(dd.Widget, r.max))
	case 4:
		l.SetText(charts.FormatWidget(dd.Widget, r.mean))
	}
}

// crosshair follows the mouse over a time series and shows the values of
// every series at that time.
type crosshair struct {
	widget.BaseWidget
	panel   *Panel
	palette *charts.Theme
	line    *canvas.Line
	label   *widget.Label
	box     *canvas.Rectangle
	// Text is what the crosshair shows (empty when hidden).
	Text string
}

var _ desktop.Hoverable = (*crosshair)(nil)

func newCrosshair(p *Panel, pal *charts.Theme) *crosshair {
	c := &crosshair{panel: p, palette: pal}
	c.line = canvas.NewLine(pal.TextDim)
	c.line.StrokeWidth = 1
	c.label = widget.NewLabel("")
	c.box = canvas.NewRectangle(pal.Background)
	c.box.StrokeColor = pal.Border
	c.box.StrokeWidth = 1
	c.box.CornerRadius = 4
	c.line.Hide()
	c.box.Hide()
	c.label.Hide()
	c.ExtendBaseWidget(c)
	return c
}

func (c *crosshair) CreateRenderer() fyne.WidgetRenderer {
	return widget.NewSimpleRenderer(container.NewWithoutLayout(c.line, c.box, c.label))
}

// MouseIn starts following the mouse.
func (c *crosshair) MouseIn(e *desktop.MouseEvent) { c.MouseMoved(e) }

// MouseMoved shows the values under the pointer.
func (c *crosshair) MouseMoved(e *desktop.MouseEvent) {
	text, ok := c.panel.hoverText(e.Position)
	if !ok {
		c.MouseOut()
		return
	}
	c.Text = text
	c.label.SetText(c.Text)
	size := c.Size()
	c.line.Position1 = fyne.NewPos(e.Position.X, panelTitleH)
	c.line.Position2 = fyne.NewPos(e.Position.X, size.Height)
	ls := c.label.MinSize()
	x := e.Position.X + 12
	if x+ls.Width > size.Width {
		x = e.Position.X - 12 - ls.Width
	}
	c.label.Move(fyne.NewPos(x, panelTitleH+8))
	c.label.Resize(ls)
	c.box.Move(c.label.Position())
	c.box.Resize(ls)
	c.line.Show()
	c.box.Show()
	c.label.Show()
	c.line.Refresh()
	c.box.Refresh()
}

// MouseOut hides the crosshair.
func (c *crosshair) MouseOut() {
	c.Text = ""
	c.line.Hide()
	c.box.Hide()
	c.label.Hide()
}

// Tapped passes a tap through to nothing: the drill-down is already open.
func (c *crosshair) Tapped(*fyne.PointEvent) {}

// hoverText is what the crosshair shows at pos: a time series' values at
// that time, or a geo-map's region under the pointer.
func (p *Panel) hoverText(pos fyne.Position) (string, bool) {
	if p.Widget.Type == layouts.WidgetGeoMap {
		s := p.snapshot()
		f, size := p.frameFor(s)
		mp, ok := charts.MapHover(p.Widget, s.series, f, size, p.bodyPoint(pos))
		if !ok {
			return "", false
		}
		return mp.Name + "  " + mp.Text, true
	}
	s := p.snapshot()
	f, size := p.frameFor(s)
	t, values, ok := charts.Hover(p.Widget, s.series, f, size, p.bodyPoint(pos).X)
	if !ok {
		return "", false
	}
	var b strings.Builder
	b.WriteString(t.Local().Format("Mon 15:04:05"))
	shown := 0
	for _, v := range values {
		if !math.IsNaN(v.Value) {
			fmt.Fprintf(&b, "\n%s  %s", v.Name, v.Text)
			shown++
		}
	}
	return b.String(), shown > 0
}

// timeAtClamped maps x in panel coordinates, clamped into the chart's plot
// area, to a time; false for kinds without a time axis or without data.
func (p *Panel) timeAtClamped(x float32) (time.Time, bool) {
	if p.Widget.Type != layouts.WidgetTimeSeries {
		return time.Time{}, false
	}
	s := p.snapshot()
	f, px := p.frameFor(s)
	scale := float32(f.Scale)
	if s.to.Sub(s.from) <= 0 || px.X <= 0 {
		return time.Time{}, false
	}
	bx := float64((x - bodyOffsetX) * scale) // body pixels
	area := charts.PlotArea(p.Widget, s.series, f, px)
	bx = min(max(bx, float64(area.Min.X)), float64(area.Max.X))
	return charts.TimeAt(p.Widget, s.series, f, px, bx)
}
