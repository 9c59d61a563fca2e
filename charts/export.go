package charts

import (
	"bytes"
	"encoding/base64"
	"encoding/xml"
	"errors"
	"fmt"
	"image"
	"image/png"
	"io"
	"math"
	"strings"
	"time"

	"github.com/golang/freetype/truetype"
	chart "github.com/wcharczuk/go-chart/v2"
	"github.com/wcharczuk/go-chart/v2/drawing"

	"github.com/wallboard/wallboard/datasources"
	"github.com/wallboard/wallboard/layouts"
)

// ErrExportKind is returned by ExportSVG for panel kinds it cannot draw
// as vectors: every kind but time series (ExportPNG draws those natively).
var ErrExportKind = errors.New("charts: SVG export supports time series panels only")

// Export size bounds, in pixels.
const (
	minExportSize = 64
	maxExportSize = 8192
)

// ExportSVG writes a time series panel as an SVG document of width x
// height for reports, drawn by go-chart: the widget's title, a legend, the
// series (downsampled to the width; gaps split lines), the time and value
// axes as the panel shows them, the threshold lines and the frame's
// annotations, in the frame's theme. Styles: line, area and stacked as on
// screen; bars are exported as areas. Every other kind is drawn by the
// native renderer, as on screen, and embedded in the SVG document as a PNG
// image (with the widget's title as the document's title). A nil widget
// returns ErrExportKind.
func ExportSVG(out io.Writer, w *layouts.Widget, series []datasources.Series, f Frame, width, height int) error {
	if w == nil {
		return fmt.Errorf("%w (no widget)", ErrExportKind)
	}
	if w.Type == layouts.WidgetTimeSeries {
		return exportGoChart(out, chart.SVG, w, series, f, width, height)
	}
	if err := checkExportSize(width, height); err != nil {
		return err
	}
	img := image.NewRGBA(image.Rect(0, 0, width, height))
	Draw(img, w, series, f)
	var pngBuf bytes.Buffer
	if err := png.Encode(&pngBuf, img); err != nil {
		return fmt.Errorf("charts: encode PNG: %w", err)
	}
	title := w.Title
	if title == "" {
		title = w.ID
	}
	var esc strings.Builder
	_ = xml.EscapeText(&esc, []byte(title))
	_, err := fmt.Fprintf(out, `<svg xmlns="http://www.w3.org/2000/svg" width="%d" height="%d" viewBox="0 0 %d %d"><title>%s</title><image width="%d" height="%d" href="data:image/png;base64,%s"/></svg>`+"\n",
		width, height, width, height, esc.String(), width, height, base64.StdEncoding.EncodeToString(pngBuf.Bytes()))
	if err != nil {
		return fmt.Errorf("charts: write SVG: %w", err)
	}
	return nil
}

// ExportPNG writes a panel as a PNG image of width x height for reports:
// time series through go-chart (as ExportSVG), every other kind with the
// native renderer (the panel body as on screen, at Frame.Scale).
func ExportPNG(out io.Writer, w *layouts.Widget, series []datasources.Series, f Frame, width, height int) error {
	if err := checkExportSize(width, height); err != nil {
		return err
	}
	if w != nil && w.Type == layouts.WidgetTimeSeries {
		return exportGoChart(out, chart.PNG, w, series, f, width, height)
	}
	img := image.NewRGBA(image.Rect(0, 0, width, height))
	Draw(img, w, series, f)
	if err := png.Encode(out, img); err != nil {
		return fmt.Errorf("charts: encode PNG: %w", err)
	}
	return nil
}

func checkExportSize(width, height int) error {
	if width < minExportSize || height < minExportSize || width > maxExportSize || height > maxExportSize {
		return fmt.Errorf("charts: export size %dx%d out of range (%d to %d px a side)", width, height, minExportSize, maxExportSize)
	}
	return nil
}

func dcolor(c colorT) drawing.Color { return drawing.Color{R: c.R, G: c.G, B: c.B, A: c.A} }

// exportSeries is one exported line: a run between gaps.
type exportRun struct {
	name string
	xs   []time.Time
	ys   []float64
	col  colorT
	fill bool
}

func exportGoChart(out io.Writer, rp chart.RendererProvider, w *layouts.Widget, series []datasources.Series, f Frame, width, height int) error {
	if err := checkExportSize(width, height); err != nil {
		return err
	}
	th := f.Theme
	if th == nil {
		th = Dark()
	}
	from, to := timeRange(f, series)
	loc := f.From.Location()
	if !hasData(series) {
		return errors.New("charts: nothing to export: no data")
	}
	// Layout on a canvas the size of the export, so that ticks and the
	// value range are those the panel would show.
	c := newLayoutCanvas(image.Pt(width, height), Frame{From: f.From, To: f.To, Theme: th, Scale: 1})
	defer c.release()
	l := c.layoutTimeSeries(w, series, f)
	names := c.seriesNames(series)
	cols := max(1, int(l.plot.w()))

	var runs []exportRun
	addRuns := func(name string, pts []datasources.Point, col colorT, fill bool) {
		first := true
		var cur exportRun
		flush := func() {
			if len(cur.xs) == 0 {
				return
			}
			if len(cur.xs) == 1 { // a lone point: a short flat line
				cur.xs = append(cur.xs, cur.xs[0].Add(time.Duration(to-from)*time.Millisecond/time.Duration(4*cols)))
				cur.ys = append(cur.ys, cur.ys[0])
			}
			if first {
				cur.name = name
				first = false
			}
			runs = append(runs, cur)
			cur = exportRun{}
		}
		for _, p := range pts {
			if !finite(p.V) {
				flush()
				continue
			}
			if len(cur.xs) == 0 {
				cur = exportRun{col: col, fill: fill}
			}
			cur.xs = append(cur.xs, time.UnixMilli(p.T).In(loc))
			cur.ys = append(cur.ys, p.V)
		}
		flush()
	}
	switch w.Style {
	case styleStacked:
		// Cumulative sums per column, drawn top layer first so that each
		// lower layer's fill covers the one above down to its own line.
		cum := make([]float64, cols)
		layers := make([][]datasources.Point, len(series))
		for i := range series {
			vals := columnValues(nil, series[i].Points, from, to, cols, true, gapLimit(series[i].Points, f.Step))
			pts := make([]datasources.Point, cols)
			for k, v := range vals {
				t := from + int64((float64(k)+0.5)*float64(to-from)/float64(cols))
				if finite(v) {
					cum[k] += v
					pts[k] = datasources.Point{T: t, V: cum[k]}
				} else {
					pts[k] = datasources.Point{T: t, V: math.NaN()}
				}
			}
			layers[i] = pts
		}
		for i := len(series) - 1; i >= 0; i-- {
			addRuns(names[i], layers[i], th.seriesColor(i), true)
		}
	default:
		fill := w.Style == styleArea || w.Style == styleBars
		for i := range series {
			pts := minMax(nil, series[i].Points, from, to, cols, gapLimit(series[i].Points, f.Step))
			addRuns(names[i], pts, th.seriesColor(i), fill)
		}
	}
	if len(runs) == 0 {
		return errors.New("charts: nothing to export: no data in the time range")
	}

	fontSize := clampF(float64(height)*0.03, 9, 14)
	axisStyle := chart.Style{FontColor: dcolor(th.TextDim), FontSize: fontSize, StrokeColor: dcolor(th.Axis), StrokeWidth: 1}
	gridStyle := chart.Style{StrokeColor: dcolor(th.Grid), StrokeWidth: 1}
	// The panel's value ticks; labelled here when the layout hid its axes.
	var yTicks []chart.Tick
	for i, v := range c.sc.tick {
		label := FormatValue(v, w.Unit, nil)
		if len(c.sc.lbls) == len(c.sc.tick) {
			label = strings.Clone(c.sc.lbls[i])
		}
		yTicks = append(yTicks, chart.Tick{Value: v, Label: label})
	}
	maxX := max(2, width/90)
	var tt []timeTick
	var arena []byte
	tt = timeTicks(tt, &arena, time.UnixMilli(from).In(loc), time.UnixMilli(to).In(loc), maxX)
	var xTicks []chart.Tick
	for _, t := range tt {
		xTicks = append(xTicks, chart.Tick{Value: chart.TimeToFloat64(t.t), Label: strings.Clone(t.label)})
	}

	// The legend: series in query order, then the thresholds.
	var legend []exportItem
	for i := range series {
		legend = append(legend, exportItem{name: strings.Clone(names[i]), col: th.seriesColor(i)})
	}
	var cs []chart.Series
	for _, r := range runs {
		st := chart.Style{StrokeColor: dcolor(r.col), StrokeWidth: 2}
		if r.fill {
			st.FillColor = dcolor(withAlpha(r.col, 90))
		}
		cs = append(cs, chart.TimeSeries{Name: r.name, XValues: r.xs, YValues: r.ys, Style: st})
	}
	// Threshold lines.
	warn, crit := thresholdValues(w)
	for _, tv := range [2]struct {
		name string
		v    float64
		col  colorT
	}{{"warning", warn, th.Warning}, {"critical", crit, th.Critical}} {
		if finite(tv.v) && tv.v >= l.ar.lo && tv.v <= l.ar.hi {
			name := tv.name + " " + FormatWidget(w, tv.v)
			legend = append(legend, exportItem{name: name, col: tv.col, dashed: true})
			cs = append(cs, chart.TimeSeries{
				Name:    name,
				XValues: []time.Time{time.UnixMilli(from), time.UnixMilli(to)},
				YValues: []float64{tv.v, tv.v},
				Style:   chart.Style{StrokeColor: dcolor(tv.col), StrokeWidth: 1.5, StrokeDashArray: []float64{6, 4}},
			})
		}
	}

	legendH := 0
	if len(runs) > 0 {
		legendH = int(fontSize*1.6) + 6
	}
	titleH := 0
	if w.Title != "" {
		titleH = int(fontSize*1.5) + 12
	}
	ch := chart.Chart{
		Width:  width,
		Height: height,
		Title:  w.Title,
		TitleStyle: chart.Style{
			FontColor: dcolor(th.Text), FontSize: fontSize * 1.25,
			Padding: chart.Box{Top: 8},
		},
		Background: chart.Style{
			FillColor: dcolor(th.Panel), StrokeColor: dcolor(th.Panel),
			Padding: chart.Box{Top: 10 + titleH + legendH, Left: 10, Right: 20, Bottom: 10},
		},
		Canvas: chart.Style{FillColor: dcolor(th.Panel), StrokeColor: dcolor(th.Panel)},
		XAxis: chart.XAxis{
			Style: axisStyle, GridMajorStyle: gridStyle, Ticks: xTicks,
			Range: &chart.ContinuousRange{Min: chart.TimeToFloat64(time.UnixMilli(from)), Max: chart.TimeToFloat64(time.UnixMilli(to))},
		},
		YAxis: chart.YAxis{
			Style: axisStyle, GridMajorStyle: gridStyle, Ticks: yTicks,
			Range: &chart.ContinuousRange{Min: l.ar.lo, Max: l.ar.hi},
		},
		Series: cs,
	}
	font, err := chart.GetDefaultFont()
	if err != nil {
		return fmt.Errorf("charts: export font: %w", err)
	}
	ch.Elements = []chart.Renderable{
		exportAnnotations(f.Annotations, th, font, from, to, fontSize),
		exportLegend(legend, width, th, font, fontSize, titleH+6),
	}
	if err := ch.Render(rp, out); err != nil {
		return fmt.Errorf("charts: export: %w", err)
	}
	return nil
}

// exportAnnotations draws annotation regions over the canvas box.
func exportAnnotations(as []Annotation, th *Theme, font *truetype.Font, from, to int64, fontSize float64) chart.Renderable {
	return func(r chart.Renderer, cb chart.Box, _ chart.Style) {
		span := float64(to - from)
		var placed []chart.Box
		for _, a := range as {
			if a.From.IsZero() {
				continue
			}
			t0, t1 := a.From.UnixMilli(), a.To.UnixMilli()
			if t1 < t0 {
				t1 = t0
			}
			if t1 < from || t0 > to {
				continue
			}
			col := th.Info
			switch a.Level {
			case layouts.LevelWarning:
				col = th.Warning
			case layouts.LevelCritical:
				col = th.Critical
			}
			x0 := cb.Left + int(float64(cb.Width())*clampF(float64(t0-from)/span, 0, 1))
			x1 := cb.Left + int(float64(cb.Width())*clampF(float64(t1-from)/span, 0, 1))
			x1 = max(x1, x0+2)
			chart.Draw.Box(r, chart.Box{Top: cb.Top, Left: x0, Right: x1, Bottom: cb.Bottom},
				chart.Style{FillColor: dcolor(withAlpha(col, 50)), StrokeColor: dcolor(withAlpha(col, 0)), StrokeWidth: 0})
			if a.Text == "" {
				continue
			}
			// The label in the band, or ending at the canvas' right edge;
			// a row lower when it would cover another. (Drawing the box
			// reset the renderer's font.)
			r.SetFont(font)
			r.SetFontSize(fontSize * 0.9)
			tb := r.MeasureText(a.Text)
			lh := int(fontSize * 1.3)
			box := chart.Box{Left: x0 + 4, Top: cb.Top + 4, Right: x0 + 4 + tb.Width(), Bottom: cb.Top + 4 + lh}
			if box.Right > cb.Right-4 {
				box.Left, box.Right = cb.Right-4-tb.Width(), cb.Right-4
			}
			for clash := true; clash && box.Bottom < cb.Bottom; {
				clash = false
				for _, o := range placed {
					if box.Left < o.Right && o.Left < box.Right && box.Top < o.Bottom && o.Top < box.Bottom {
						clash = true
						box.Top += lh
						box.Bottom += lh
						break
					}
				}
			}
			placed = append(placed, box)
			r.SetFontColor(dcolor(col))
			r.Text(a.Text, box.Left, box.Bottom-lh/4)
		}
	}
}

// exportItem is a legend entry.
type exportItem struct {
	name   string
	col    colorT
	dashed bool
}

// exportLegend draws one row of legend items above the canvas, at y, as
// many as fit in width.
func exportLegend(items []exportItem, width int, th *Theme, font *truetype.Font, fontSize float64, y int) chart.Renderable {
	return func(r chart.Renderer, cb chart.Box, _ chart.Style) {
		x := cb.Left
		ty := y + int(fontSize*1.2)
		for _, it := range items {
			r.SetFont(font)
			r.SetFontSize(fontSize)
			r.SetFontColor(dcolor(th.TextDim))
			tb := r.MeasureText(it.name)
			if x+24+tb.Width() > width-10 {
				break
			}
			r.SetStrokeColor(dcolor(it.col))
			r.SetStrokeWidth(3)
			if it.dashed {
				r.SetStrokeDashArray([]float64{5, 3})
			}
			r.MoveTo(x, ty-tb.Height()/2+1)
			r.LineTo(x+16, ty-tb.Height()/2+1)
			r.Stroke()
			r.SetStrokeDashArray(nil)
			r.Text(it.name, x+22, ty)
			x += 22 + tb.Width() + 18
		}
	}
}
