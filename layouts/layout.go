package layouts

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"
)

// Version is the layout document version this code writes.
const Version = 1

// Layout is a layout document: a set of dashboards with the sources they
// query, alert display settings and playlists. It is what a layout file holds.
type Layout struct {
	Version    int           `json:"version"`
	Title      string        `json:"title,omitempty"`
	Sources    []Source      `json:"sources,omitempty"`
	Dashboards []Dashboard   `json:"dashboards"`
	Alerts     *AlertDisplay `json:"alerts,omitempty"`
	// Rules are explicit alert rules, besides those a widget's thresholds
	// imply.
	Rules     []AlertRule `json:"rules,omitempty"`
	Playlists []Playlist  `json:"playlists,omitempty"`
	Kiosk     *Kiosk      `json:"kiosk,omitempty"`
}

// Kiosk controls how a wall leaves kiosk mode.
type Kiosk struct {
	// ExitKey is the key that leaves kiosk mode (default "Escape"), a Fyne
	// key name such as "Escape", "F11" or "Q".
	ExitKey string `json:"exitKey,omitempty"`
	// Locked makes kiosk mode impossible to leave from the keyboard.
	Locked bool `json:"locked,omitempty"`
	// PageEvery is how long a kiosk wall shows each screenful of a
	// dashboard taller than the screen before it pages on (default 15s).
	PageEvery Duration `json:"pageEvery,omitempty"`
}

// KioskShow chooses what little stays visible over a dashboard in kiosk
// mode; nil shows the title, the time range and the clock.
type KioskShow struct {
	Title     bool `json:"title,omitempty"`
	Time      bool `json:"time,omitempty"`
	Clock     bool `json:"clock,omitempty"`
	Variables bool `json:"variables,omitempty"`
}

// Source kinds.
const (
	KindSim        = "sim"
	KindPrometheus = "prometheus"
	KindInflux     = "influx"   // InfluxDB 2.x, Flux
	KindInfluxQL   = "influxql" // InfluxDB 1.x, InfluxQL
)

// Source is a data source. Credentials are never stored: only the names of
// the environment variables that hold them.
type Source struct {
	Name string `json:"name"`
	Kind string `json:"kind"`
	URL  string `json:"url,omitempty"`
	// TokenEnv names the environment variable with a bearer token.
	TokenEnv string `json:"tokenEnv,omitempty"`
	// UsernameEnv and PasswordEnv name the variables for basic auth.
	UsernameEnv string   `json:"usernameEnv,omitempty"`
	PasswordEnv string   `json:"passwordEnv,omitempty"`
	Database    string   `json:"database,omitempty"`
	Org         string   `json:"org,omitempty"`
	Bucket      string   `json:"bucket,omitempty"`
	Timeout     Duration `json:"timeout,omitempty"`
	// Seed makes a simulator source reproducible (0: the default seed).
	Seed int64 `json:"seed,omitempty"`
}

// Dashboard types: the five built-in templates plus custom.
const (
	TypeSystemHealth = "system_health"
	TypePerformance  = "performance"
	TypeQuality      = "quality"
	TypeBusinessKPI  = "business_kpi"
	TypeCost         = "cost"
	TypeCustom       = "custom"
)

// Dashboard is a titled grid of widgets sharing a time range and refresh.
type Dashboard struct {
	ID          string     `json:"id"`
	Title       string     `json:"title"`
	Type        string     `json:"type,omitempty"`
	Description string     `json:"description,omitempty"`
	Tags        []string   `json:"tags,omitempty"`
	Refresh     Duration   `json:"refresh,omitempty"`
	Time        TimeRange  `json:"time"`
	Columns     int        `json:"columns,omitempty"`
	Layout      string     `json:"layout,omitempty"` // "grid" (the only one so far)
	Variables   []Variable `json:"variables,omitempty"`
	Widgets     []Widget   `json:"widgets"`
	// Kiosk chooses the overlay shown in kiosk mode.
	Kiosk *KioskShow `json:"kiosk,omitempty"`
}

// Dashboard returns the (first) dashboard of l with the given id, or nil
// when there is none (or l is nil).
func (l *Layout) Dashboard(id string) *Dashboard {
	if l == nil {
		return nil
	}
	for i := range l.Dashboards {
		if l.Dashboards[i].ID == id {
			return &l.Dashboards[i]
		}
	}
	return nil
}

// Widget returns the (first) widget of d with the given id, or nil when
// there is none (or d is nil).
func (d *Dashboard) Widget(id string) *Widget {
	if d == nil {
		return nil
	}
	for i := range d.Widgets {
		if d.Widgets[i].ID == id {
			return &d.Widgets[i]
		}
	}
	return nil
}

// DefaultColumns is the grid width when a dashboard does not set Columns.
const DefaultColumns = 4

// TimeRange is relative ("now-1h" to "now") or absolute (RFC 3339) bounds.
type TimeRange struct {
	From string `json:"from"`
	To   string `json:"to,omitempty"`
}

// Variable is a dashboard variable, used in queries as $name.
type Variable struct {
	Name    string   `json:"name"`
	Label   string   `json:"label,omitempty"`
	Query   string   `json:"query,omitempty"` // label name whose values are offered, e.g. "region"
	Values  []string `json:"values,omitempty"`
	Default string   `json:"default,omitempty"`
	Multi   bool     `json:"multi,omitempty"`
}

// Widget kinds.
const (
	WidgetTimeSeries = "timeseries"
	WidgetStat       = "stat"
	WidgetGauge      = "gauge"
	WidgetBarGauge   = "bargauge"
	WidgetHeatmap    = "heatmap"
	WidgetHistogram  = "histogram"
	WidgetGeoMap     = "geomap"
	WidgetTable      = "table"
	WidgetAlertList  = "alertlist"
	WidgetText       = "text"
)

// WidgetKinds lists every known widget kind, in documentation order.
var WidgetKinds = []string{
	WidgetTimeSeries, WidgetStat, WidgetGauge, WidgetBarGauge, WidgetHeatmap,
	WidgetHistogram, WidgetGeoMap, WidgetTable, WidgetAlertList, WidgetText,
}

// Widget is one panel of a dashboard.
type Widget struct {
	ID          string      `json:"id"`
	Type        string      `json:"type"`
	Title       string      `json:"title,omitempty"`
	Description string      `json:"description,omitempty"`
	Source      string      `json:"source,omitempty"` // a Layout.Sources name; empty: the first / the simulator
	Queries     []Query     `json:"queries,omitempty"`
	Unit        string      `json:"unit,omitempty"`
	Decimals    *int        `json:"decimals,omitempty"`
	Min         *float64    `json:"min,omitempty"`
	Max         *float64    `json:"max,omitempty"`
	Thresholds  *Thresholds `json:"thresholds,omitempty"`
	Position    Position    `json:"position"`
	// Bins is the number of histogram bins.
	Bins int `json:"bins,omitempty"`
	// Style picks a variant: for timeseries "line", "area", "stacked", "bars".
	Style string `json:"style,omitempty"`
	// Reduce picks the value a stat, gauge or bar gauge shows from a series:
	// "last" (default), "mean", "max", "min", "sum".
	Reduce string `json:"reduce,omitempty"`
	// Text is the body of a text widget.
	Text string `json:"text,omitempty"`
	// Mappings turn values into words (e.g. 0 = "down").
	Mappings []ValueMapping `json:"mappings,omitempty"`
	// Links lead from the drill-down view to other dashboards.
	Links []DataLink `json:"links,omitempty"`
}

// DataLink opens another dashboard from a panel's drill-down, carrying the
// current values of the named variables (e.g. region).
type DataLink struct {
	Title     string   `json:"title"`
	Dashboard string   `json:"dashboard"`
	Vars      []string `json:"vars,omitempty"`
}

// Query is one expression of a widget.
type Query struct {
	Ref    string `json:"ref,omitempty"` // "A", "B", ...
	Expr   string `json:"expr"`
	Legend string `json:"legend,omitempty"`
}

// Thresholds colour a value: at or beyond Warning it is a warning, at or
// beyond Critical it is critical. Direction "below" flips the comparison
// (for success rates and quality scores, where low is bad).
type Thresholds struct {
	Warning   *float64 `json:"warning,omitempty"`
	Critical  *float64 `json:"critical,omitempty"`
	Direction string   `json:"direction,omitempty"` // "above" (default) or "below"
}

// Level is how bad a value is against thresholds.
type Level int

// Threshold levels.
const (
	LevelOK Level = iota
	LevelWarning
	LevelCritical
)

// String returns "ok", "warning" or "critical".
func (l Level) String() string {
	switch l {
	case LevelWarning:
		return "warning"
	case LevelCritical:
		return "critical"
	}
	return "ok"
}

// Level classifies v. A nil Thresholds is always LevelOK.
func (t *Thresholds) Level(v float64) Level {
	if t == nil || v != v {
		return LevelOK
	}
	beyond := func(limit *float64) bool {
		if limit == nil {
			return false
		}
		if t.Direction == "below" {
			return v <= *limit
		}
		return v >= *limit
	}
	switch {
	case beyond(t.Critical):
		return LevelCritical
	case beyond(t.Warning):
		return LevelWarning
	}
	return LevelOK
}

// ValueMapping shows Text instead of a value equal to Value.
type ValueMapping struct {
	Value float64 `json:"value"`
	Text  string  `json:"text"`
}

// Position places a widget on the grid: 1-based Row and Col, spanning Width
// columns and Height rows (0 means 1).
type Position struct {
	Row    int `json:"row"`
	Col    int `json:"col"`
	Width  int `json:"width,omitempty"`
	Height int `json:"height,omitempty"`
}

// AlertDisplay is how alerts are shown (the spec's ConfigureAlerts).
type AlertDisplay struct {
	ShowActive bool     `json:"showActive"`
	History    Duration `json:"history,omitempty"`
	Severities []string `json:"severities,omitempty"` // "info", "warning", "critical"
}

// Alert rule comparisons (AlertRule.Comparison); empty means
// ComparisonAbove.
const (
	ComparisonAbove = "above" // fires when the value is above the threshold (>)
	ComparisonBelow = "below" // fires when the value is below the threshold (<)
)

// Comparisons lists the comparisons an alert rule may use: the words, then
// the operators.
var Comparisons = []string{ComparisonAbove, ComparisonBelow, ">", ">=", "<", "<="}

// AlertRule is an explicit alert rule: it fires when the value of Expr
// compares to Value by Comparison continuously for For. A widget's
// thresholds imply rules too; these are for everything else: other
// expressions, a `for`, labels and annotations with a runbook link.
type AlertRule struct {
	// Name identifies the rule (unique in the layout) and becomes the
	// alert's name.
	Name string `json:"name"`
	// Expr is the expression watched, in its source's language; it may be
	// left out when Dashboard and Widget name a widget: the widget's first
	// query is watched, evaluated on the data the panel shows.
	Expr string `json:"expr,omitempty"`
	// Source is a Sources name; empty: the widget's source, else the first
	// source (or the simulator).
	Source string `json:"source,omitempty"`
	// Comparison is "above" (the default, >), "below" (<), or one of the
	// operators >, >=, <, <=.
	Comparison string `json:"comparison,omitempty"`
	// Value is the threshold (required).
	Value *float64 `json:"value,omitempty"`
	// For is how long the condition must hold before the alert fires
	// (0: at once).
	For Duration `json:"for,omitempty"`
	// Hysteresis is how far, in the value's own units, the value must come
	// back past the threshold before a firing alert resolves, so that a
	// value hovering on the threshold does not flap. Unset: 5% of Value;
	// 0: none.
	Hysteresis *float64 `json:"hysteresis,omitempty"`
	// Severity is "info", "warning" (the default) or "critical".
	Severity string `json:"severity,omitempty"`
	// Labels are added to every alert of the rule.
	Labels map[string]string `json:"labels,omitempty"`
	// Annotations describe the alert: "summary", "description" and
	// "runbook_url" (an http or https link) are shown.
	Annotations map[string]string `json:"annotations,omitempty"`
	// Dashboard and Widget attach the rule to a panel: its frame shows the
	// rule's state and its time series the firing periods.
	Dashboard string `json:"dashboard,omitempty"`
	Widget    string `json:"widget,omitempty"`
}

// Playlist rotates dashboards on a wall.
type Playlist struct {
	Name  string         `json:"name"`
	Items []PlaylistItem `json:"items"`
	// JumpToAlert makes the wall show the dashboard whose alert just fired,
	// for a minute, before the playlist carries on.
	JumpToAlert bool `json:"jumpToAlert,omitempty"`
}

// PlaylistItem shows one dashboard for Duration, optionally at another time range.
type PlaylistItem struct {
	Dashboard string     `json:"dashboard"`
	Duration  Duration   `json:"duration"`
	Time      *TimeRange `json:"time,omitempty"`
}

// Duration is a time.Duration written in JSON as a duration string ("5s",
// "1h30m", "7d"; see ParseDuration).
type Duration time.Duration

// MarshalJSON writes the duration as a compact string such as "24h" or "1m30s".
func (d Duration) MarshalJSON() ([]byte, error) {
	return json.Marshal(d.String())
}

// String formats the duration like time.Duration.String, without the zero
// minutes and seconds it would append to whole hours and minutes: "24h",
// not "24h0m0s".
func (d Duration) String() string {
	s := time.Duration(d).String()
	if strings.HasSuffix(s, "m0s") {
		s = s[:len(s)-2]
	}
	if strings.HasSuffix(s, "h0m") {
		s = s[:len(s)-2]
	}
	return s
}

// UnmarshalJSON reads a duration string such as "5s" or "1h30m".
func (d *Duration) UnmarshalJSON(b []byte) error {
	var s string
	if err := json.Unmarshal(b, &s); err != nil {
		return fmt.Errorf("want a duration string like \"5s\": %w", err)
	}
	v, err := ParseDuration(s)
	if err != nil {
		return err
	}
	*d = Duration(v)
	return nil
}

// D returns the value as a time.Duration.
func (d Duration) D() time.Duration { return time.Duration(d) }

// unitNanos is the length of each duration unit ParseDuration accepts.
var unitNanos = map[string]uint64{
	"ns": 1,
	"us": uint64(time.Microsecond),
	"µs": uint64(time.Microsecond), // U+00B5 micro sign
	"μs": uint64(time.Microsecond), // U+03BC Greek mu
	"ms": uint64(time.Millisecond),
	"s":  uint64(time.Second),
	"m":  uint64(time.Minute),
	"h":  uint64(time.Hour),
	"d":  uint64(24 * time.Hour),
	"w":  uint64(7 * 24 * time.Hour),
}

// ParseDuration is time.ParseDuration plus the units d (days) and w (weeks),
// which may be mixed with the others ("1d12h", "1.5w", "-2d").
func ParseDuration(s string) (time.Duration, error) {
	const limit = 1 << 63 // one more than the largest positive Duration
	orig := s
	if s == "" {
		return 0, errors.New("empty duration")
	}
	bad := func(why string) (time.Duration, error) {
		return 0, fmt.Errorf("bad duration %q: %s", orig, why)
	}
	neg := false
	if s[0] == '-' || s[0] == '+' {
		neg = s[0] == '-'
		s = s[1:]
	}
	if s == "0" {
		return 0, nil
	}
	if s == "" {
		return bad("no number")
	}
	isDigit := func(c byte) bool { return '0' <= c && c <= '9' }
	var total uint64
	for s != "" {
		i := 0
		for i < len(s) && isDigit(s[i]) {
			i++
		}
		whole := s[:i]
		s = s[i:]
		var frac string
		if s != "" && s[0] == '.' {
			s = s[1:]
			i = 0
			for i < len(s) && isDigit(s[i]) {
				i++
			}
			frac = s[:i]
			s = s[i:]
		}
		if whole == "" && frac == "" {
			return bad(`want a number and a unit, such as "5s", "1h30m" or "7d"`)
		}
		i = 0
		for i < len(s) && s[i] != '.' && !isDigit(s[i]) {
			i++
		}
		unit, ok := unitNanos[s[:i]]
		if !ok {
			if i == 0 {
				return bad("missing unit (one of ns, us, ms, s, m, h, d, w)")
			}
			return bad(fmt.Sprintf("unknown unit %q (want one of ns, us, ms, s, m, h, d, w)", s[:i]))
		}
		s = s[i:]
		var v uint64
		for j := 0; j < len(whole); j++ {
			if v > limit/10 {
				return bad("out of range")
			}
			v = v*10 + uint64(whole[j]-'0')
		}
		if v > limit/unit {
			return bad("out of range")
		}
		v *= unit
		var f uint64
		scale := 1.0
		for j := 0; j < len(frac) && f <= limit/10; j++ {
			f = f*10 + uint64(frac[j]-'0')
			scale *= 10
		}
		v += uint64(float64(f) * (float64(unit) / scale))
		total += v
		if v > limit || total > limit {
			return bad("out of range")
		}
	}
	if neg {
		return -time.Duration(total), nil
	}
	if total > limit-1 {
		return bad("out of range")
	}
	return time.Duration(total), nil
}
