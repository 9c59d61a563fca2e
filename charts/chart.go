package charts

import (
	"fmt"
	"image"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/wallboard/wallboard/datasources"
	"github.com/wallboard/wallboard/layouts"
)

// Frame is what a renderer needs besides the widget and its data. Its
// zero value is a valid frame: the data's own time range, scale 1, the
// dark theme, nothing extra.
type Frame struct {
	// From and To are the panel's time range. When To is not after From,
	// renderers use the data's own extent.
	From, To time.Time
	// Scale is device pixels per logical pixel: 1 on a normal wall, 2 on
	// hi-dpi or 4K. All text sizes, line widths and paddings are multiplied
	// by it. Zero, negative or non-finite means 1.
	Scale float64
	// Theme colours the body; nil means Dark.
	Theme *Theme
	// Step is the queries' resolution, when the caller knows it (the
	// step of the range query). Lines, areas and stacks break where
	// consecutive samples are more than twice the step apart: the longer
	// of Step and the series' own median spacing, so zero (unknown) means
	// each series' median spacing alone.
	Step time.Duration

	// Annotations are time regions drawn on time series (alerts,
	// incidents, deploys) as translucent bands in their level's colour,
	// labelled with their text. One whose To is not after From is an
	// instant, drawn as a line.
	Annotations []Annotation
	// ThresholdBands shades the warning and critical zones of a time
	// series (the values beyond each threshold, in the threshold
	// direction), besides the dashed threshold lines.
	ThresholdBands bool
	// Cursor, when not zero, draws a crosshair on a time series at that
	// time: a vertical line, a dot on each series and a box with the
	// time and the values (see Hover for the same values as data).
	Cursor time.Time

	// Sort orders a table's rows; the zero value sorts by name, A to Z.
	Sort TableSort

	// Alerts are the rows of an alert list panel (the alerts feature
	// fills them); empty shows "No alerts".
	Alerts []AlertRow
	// Now is when alert ages are measured from; zero means To, or the
	// clock when To is zero too.
	Now time.Time

	// Error is why the data may be missing, in an operator's words: the
	// caller's explanation of its source's last error ("Source
	// unreachable", "Source did not answer in time"); empty when the last
	// fetch succeeded. A data kind with nothing to draw draws it, in the
	// Critical colour, instead of "No data", so that a body shows one
	// message, the most specific; the caller draws no error of its own
	// over the body. With data to draw, the data is drawn and Error is
	// not (the caller marks the panel stale).
	Error string

	// texts, in tests, collects the ink box of every text drawn.
	texts *[]textBox
}

// Annotation is a time region on a time series.
type Annotation struct {
	From, To time.Time
	// Level colours the region: warning, critical, or OK for
	// information (deploys, notes), drawn in the theme's Info colour.
	Level layouts.Level
	Text  string
}

// AlertRow is one row of an alert list.
type AlertRow struct {
	// Severity is "critical", "warning" or "info" (layouts.Severities);
	// other values are shown as info and listed after it.
	Severity string
	// Name is the alert's name.
	Name string
	// Labels are its distinguishing labels, formatted
	// ("region=eu-west, model=denoise-v3").
	Labels string
	// Since is when it started firing; the list shows its age.
	Since time.Time
	// Value is its current value, formatted ("2.8 s").
	Value string
	// Origin is where it comes from: a rule group, a source, a panel.
	Origin string
}

// Renderer draws one widget kind into a panel body. Draw clears dst to the
// theme's Panel colour first. Renderers are stateless and safe for
// concurrent use on different images.
type Renderer interface {
	Draw(dst *image.RGBA, w *layouts.Widget, series []datasources.Series, f Frame)
}

// rendererFunc adapts a function to Renderer. A renderer of a data kind
// draws "No data" when no series has a finite value.
type rendererFunc func(c *canvas, w *layouts.Widget, series []datasources.Series, f Frame)

// staticFunc adapts a function to Renderer for kinds that show no query
// data (text, alert list): it is called whatever the series.
type staticFunc func(c *canvas, w *layouts.Widget, f Frame)

var emptyWidget layouts.Widget

func (r rendererFunc) Draw(dst *image.RGBA, w *layouts.Widget, series []datasources.Series, f Frame) {
	c := newCanvas(dst, f)
	defer c.release()
	if !c.ok() {
		return
	}
	c.clear(c.th.Panel)
	if w == nil {
		w = &emptyWidget
	}
	if !hasData(series) {
		c.noData(f)
		return
	}
	r(c, w, series, f)
}

func (r staticFunc) Draw(dst *image.RGBA, w *layouts.Widget, _ []datasources.Series, f Frame) {
	c := newCanvas(dst, f)
	defer c.release()
	if !c.ok() {
		return
	}
	c.clear(c.th.Panel)
	if w == nil {
		w = &emptyWidget
	}
	r(c, w, f)
}

var registry = map[string]Renderer{
	layouts.WidgetTimeSeries: rendererFunc(drawTimeSeries),
	layouts.WidgetStat:       rendererFunc(drawStat),
	layouts.WidgetGauge:      rendererFunc(drawGauge),
	layouts.WidgetBarGauge:   rendererFunc(drawBarGauge),
	layouts.WidgetHeatmap:    rendererFunc(drawHeatmap),
	layouts.WidgetHistogram:  rendererFunc(drawHistogram),
	layouts.WidgetGeoMap:     rendererFunc(drawGeoMap),
	layouts.WidgetTable:      rendererFunc(drawTable),
	layouts.WidgetAlertList:  staticFunc(drawAlertList),
	layouts.WidgetText:       staticFunc(drawText),
}

// For returns the renderer of a widget kind (one of layouts.WidgetKinds),
// and false for an unknown kind.
func For(kind string) (Renderer, bool) {
	r, ok := registry[kind]
	return r, ok
}

// Draw clears dst to the theme's Panel colour and draws the widget's body
// with the renderer of its kind. A data kind with no data (no series, or
// no finite value) draws one centred message: Frame.Error when set, else
// "No data"; an unknown kind a centred note naming it. It never panics: a renderer failure is drawn as "Render
// error" (and is a bug).
func Draw(dst *image.RGBA, w *layouts.Widget, series []datasources.Series, f Frame) {
	if dst == nil || dst.Rect.Empty() {
		return
	}
	defer func() {
		if p := recover(); p != nil {
			c := newCanvas(dst, f)
			defer c.release()
			c.clear(c.th.Panel)
			c.message("Render error")
		}
	}()
	kind := ""
	if w != nil {
		kind = w.Type
	}
	r, ok := For(kind)
	if !ok {
		c := newCanvas(dst, f)
		defer c.release()
		c.clear(c.th.Panel)
		if kind == "" {
			c.message("No panel type")
		} else {
			c.message(fmt.Sprintf("Unknown panel type %q", kind))
		}
		return
	}
	r.Draw(dst, w, series, f)
}

// hasData reports whether any series has a finite value.
func hasData(series []datasources.Series) bool {
	for i := range series {
		for _, p := range series[i].Points {
			if finite(p.V) {
				return true
			}
		}
	}
	return false
}

// noData draws the one message of a data kind with nothing to draw: the
// frame's Error, in the Critical colour, when its source failed, else
// "No data".
func (c *canvas) noData(f Frame) {
	if f.Error != "" {
		c.messageIn(f.Error, c.th.Critical)
		return
	}
	c.message("No data")
}

// message draws a centred, dimmed note such as "No data".
func (c *canvas) message(s string) { c.messageIn(s, c.th.TextDim) }

// maxMessageLines is how many lines a long message wraps to.
const maxMessageLines = 3

// messageIn draws a centred note in col, wrapped at spaces to at most
// maxMessageLines lines that fit the width (the last one cut with an
// ellipsis), as many as fit the height.
func (c *canvas) messageIn(s string, col colorT) {
	size := c.s * clampF(0.09*c.logicalH(), 16, 32)
	f := getFace(fontMedium, size)
	maxW := float64(c.w) - c.px(8)
	lineH := f.height()
	most := max(1, min(maxMessageLines, int(float64(c.h)/lineH)))
	var lines [maxMessageLines]string
	n := 0
	for rest := strings.TrimSpace(s); rest != "" && n < most; n++ {
		line := rest
		if n < most-1 && f.measure(rest) > maxW {
			// The longest run of words that fits; a word too long alone
			// (a URL) is a line of its own, cut.
			end := strings.IndexByte(rest, ' ')
			for i := end + 1; i < len(rest); i++ {
				if rest[i] == ' ' && f.measure(rest[:i]) <= maxW {
					end = i
				}
			}
			if end > 0 {
				line = rest[:end]
			}
		}
		rest = strings.TrimSpace(rest[len(line):])
		if rest != "" && n == most-1 {
			line = c.join(line, " …")
		}
		lines[n] = c.truncate(f, line, maxW)
	}
	y := float64(c.h)/2 - float64(n-1)*lineH/2
	for i := 0; i < n; i++ {
		c.textMid(f, lines[i], float64(c.w)/2, y+float64(i)*lineH, alignCenter, col)
	}
}

// seriesNames returns the display names of series, in the scratch and the
// arena: a series' own Name when it is a legend (not just its labels),
// else the values of the labels that differ between the series
// ("us-east", "us-east, denoise-v3"), else its labels, else "Series N".
func (c *canvas) seriesNames(series []datasources.Series) []string {
	sc := c.sc
	dst := sc.names[:0]
	keys := sc.keys[:0]
	for i := range series {
		for k := range series[i].Labels {
			if k != "__name__" && !slices.Contains(keys, k) {
				keys = append(keys, k)
			}
		}
	}
	slices.Sort(keys)
	differ := keys[:0]
	for _, k := range keys {
		for i := 1; i < len(series); i++ {
			if series[i].Labels[k] != series[0].Labels[k] {
				differ = append(differ, k)
				break
			}
		}
	}
	sc.keys = keys
	for i := range series {
		s := &series[i]
		name := s.Name
		if len(s.Labels) > 0 && (name == "" || c.isLabelString(name, s.Labels)) {
			start := len(sc.arena)
			if len(differ) > 0 {
				for j, k := range differ {
					if j > 0 {
						sc.arena = append(sc.arena, ", "...)
					}
					sc.arena = append(sc.arena, s.Labels[k]...)
				}
			} else {
				sc.arena = c.appendLabels(sc.arena, s.Labels)
			}
			name = c.view(start)
		}
		if name == "" {
			name = c.itoa("Series ", i+1, "")
		}
		dst = append(dst, name)
	}
	sc.names = dst
	return dst
}

// appendLabels appends l as datasources.Labels.String writes it:
// name{a="1", b="2"}.
func (c *canvas) appendLabels(dst []byte, l datasources.Labels) []byte {
	names := c.sc.lkeys[:0]
	for k := range l {
		if k != "__name__" {
			names = append(names, k)
		}
	}
	slices.Sort(names)
	c.sc.lkeys = names
	dst = append(dst, l["__name__"]...)
	if len(names) == 0 && l["__name__"] != "" {
		return dst
	}
	dst = append(dst, '{')
	for i, k := range names {
		if i > 0 {
			dst = append(dst, ", "...)
		}
		dst = append(dst, k...)
		dst = append(dst, '=')
		dst = strconv.AppendQuote(dst, l[k])
	}
	return append(dst, '}')
}

// isLabelString reports whether s is l's String form, without allocating.
func (c *canvas) isLabelString(s string, l datasources.Labels) bool {
	start := len(c.sc.arena)
	c.sc.arena = c.appendLabels(c.sc.arena, l)
	eq := c.view(start) == s
	c.sc.arena = c.sc.arena[:start]
	return eq
}

// timeRange is the frame's range in Unix ms, or the data's extent.
func timeRange(f Frame, series []datasources.Series) (from, to int64) {
	if f.To.After(f.From) && !f.From.IsZero() {
		return f.From.UnixMilli(), f.To.UnixMilli()
	}
	from, to = math.MaxInt64, math.MinInt64
	for i := range series {
		p := series[i].Points
		if len(p) == 0 {
			continue
		}
		from = min(from, p[0].T)
		to = max(to, p[len(p)-1].T)
	}
	if from > to {
		return 0, 1
	}
	if from == to {
		return from - 30_000, to + 30_000
	}
	return from, to
}

// widgetReduce reduces s the widget's way.
func widgetReduce(w *layouts.Widget, s datasources.Series) (float64, bool) {
	return Reduce(s, w.Reduce)
}

// thresholdValues returns the widget's warning and critical values, NaN
// when unset.
func thresholdValues(w *layouts.Widget) (warn, crit float64) {
	warn, crit = math.NaN(), math.NaN()
	if t := w.Thresholds; t != nil {
		if t.Warning != nil && finite(*t.Warning) {
			warn = *t.Warning
		}
		if t.Critical != nil && finite(*t.Critical) {
			crit = *t.Critical
		}
	}
	return warn, crit
}

func hasThresholds(w *layouts.Widget) bool {
	warn, crit := thresholdValues(w)
	return finite(warn) || finite(crit)
}
