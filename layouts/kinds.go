package layouts

import "slices"

// SourceKinds lists the known source kinds.
var SourceKinds = []string{KindSim, KindPrometheus, KindInflux, KindInfluxQL}

// DashboardTypes lists the known dashboard types: the five built-in
// templates, then custom.
var DashboardTypes = []string{
	TypeSystemHealth, TypePerformance, TypeQuality, TypeBusinessKPI, TypeCost, TypeCustom,
}

// LayoutGrid is the only dashboard layout so far (Dashboard.Layout).
const LayoutGrid = "grid"

// Widget styles (Widget.Style); an empty style is the kind's first one.
const (
	StyleLine       = "line"       // timeseries
	StyleArea       = "area"       // timeseries
	StyleStacked    = "stacked"    // timeseries: stacked areas
	StyleBars       = "bars"       // timeseries
	StyleValue      = "value"      // stat: the number alone
	StyleSparkline  = "sparkline"  // stat: the number over a sparkline of the range
	StyleHorizontal = "horizontal" // bargauge
	StyleVertical   = "vertical"   // bargauge
	StyleMarkdown   = "markdown"   // text
	StylePlain      = "plain"      // text
)

var styles = map[string][]string{
	WidgetTimeSeries: {StyleLine, StyleArea, StyleStacked, StyleBars},
	WidgetStat:       {StyleValue, StyleSparkline},
	WidgetBarGauge:   {StyleHorizontal, StyleVertical},
	WidgetText:       {StyleMarkdown, StylePlain},
}

// Styles returns the styles a widget kind offers, the default first; nil
// for kinds without styles.
func Styles(kind string) []string { return slices.Clone(styles[kind]) }

// Reductions of a series to one value (Widget.Reduce); empty means ReduceLast.
const (
	ReduceLast = "last"
	ReduceMean = "mean"
	ReduceMax  = "max"
	ReduceMin  = "min"
	ReduceSum  = "sum"
)

// Reductions lists the known reductions, the default first.
var Reductions = []string{ReduceLast, ReduceMean, ReduceMax, ReduceMin, ReduceSum}

// reducing lists the widget kinds that reduce each series to one value.
var reducing = []string{WidgetStat, WidgetGauge, WidgetBarGauge, WidgetGeoMap, WidgetTable}

// Reduces reports whether widgets of kind show one value per series, and so
// take a Reduce.
func Reduces(kind string) bool { return slices.Contains(reducing, kind) }

// IsDataKind reports whether widgets of kind show query results and so need
// at least one query: every kind but text and alertlist.
func IsDataKind(kind string) bool { return kind != WidgetText && kind != WidgetAlertList }

// Alert severities (AlertDisplay.Severities).
const (
	SeverityInfo     = "info"
	SeverityWarning  = "warning"
	SeverityCritical = "critical"
)

// Severities lists the alert severities, least severe first.
var Severities = []string{SeverityInfo, SeverityWarning, SeverityCritical}

// Threshold directions (Thresholds.Direction); empty means DirectionAbove.
const (
	DirectionAbove = "above" // high values are bad
	DirectionBelow = "below" // low values are bad
)
