package layouts

import (
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// DefaultRefresh is the refresh of a dashboard built without one.
const DefaultRefresh = 5 * time.Second

// Set builds a layout in code: the operational dashboard set of the spec.
// Its methods record the first error instead of returning it, so a set is
// built in a row of calls and checked once, by Err or ExportConfig. A Set
// is not safe for concurrent use.
type Set struct {
	layout *Layout
	err    error
}

// NewSet returns an empty set whose only source is the embedded simulator
// (named "sim"), which widgets without a Source query.
func NewSet() *Set {
	return &Set{layout: &Layout{
		Version: Version,
		Sources: []Source{{Name: "sim", Kind: KindSim}},
	}}
}

// Layout returns the document being built; changes to it show in the set.
func (s *Set) Layout() *Layout { return s.layout }

// Err returns the first error recorded by the set's methods.
func (s *Set) Err() error { return s.err }

func (s *Set) fail(err error) {
	if s.err == nil {
		s.err = err
	}
}

// ExportConfig validates the layout and saves it to path (see Save). It
// returns the first error recorded while building, if any, and writes
// nothing then.
func (s *Set) ExportConfig(path string) error {
	if s.err != nil {
		return fmt.Errorf("export %s: %w", path, s.err)
	}
	return Save(path, s.layout)
}

// AddSource adds a data source, replacing the one of the same name (such
// as "sim", to point the set at a Prometheus server instead).
func (s *Set) AddSource(src Source) {
	for i := range s.layout.Sources {
		if s.layout.Sources[i].Name == src.Name {
			s.layout.Sources[i] = src
			return
		}
	}
	s.layout.Sources = append(s.layout.Sources, src)
}

// ConfigureAlerts sets how alerts are shown: active ones, how much history,
// which severities.
func (s *Set) ConfigureAlerts(a AlertDisplay) {
	a.Severities = slices.Clone(a.Severities)
	for _, sev := range a.Severities {
		if !slices.Contains(Severities, sev) {
			s.fail(fmt.Errorf("configure alerts: %s", unknownValue("severity", sev, Severities)))
		}
	}
	s.layout.Alerts = &a
}

// AddPlaylist adds a playlist showing each of the named dashboards (all of
// them, in order, when none is named) for each.
func (s *Set) AddPlaylist(name string, each time.Duration, dashboards ...string) {
	if len(dashboards) == 0 {
		for _, d := range s.layout.Dashboards {
			dashboards = append(dashboards, d.ID)
		}
	}
	p := Playlist{Name: name}
	for _, id := range dashboards {
		p.Items = append(p.Items, PlaylistItem{Dashboard: id, Duration: Duration(each)})
	}
	s.layout.Playlists = append(s.layout.Playlists, p)
}

// DashboardConfig configures a new dashboard. Zero fields take defaults.
type DashboardConfig struct {
	Title       string // default: the template's for a template id, else from the id ("my_board" is "My board")
	Type        string // default: the id when it is one of DashboardTypes, else custom
	Description string
	Tags        []string
	// Refresh is how often the dashboard's queries run: DefaultRefresh
	// when zero, never when negative.
	Refresh time.Duration
	// TimeRange is how far back the dashboard looks: a duration ("1h" is
	// the last hour, the default) or a time expression for its start
	// ("now-6h", an RFC 3339 time), ending now.
	TimeRange string
	Layout    string // LayoutGrid, the default
	Columns   int    // default DefaultColumns
	Variables []Variable
	// Metrics adds one time series per named catalog metric (see Metric),
	// placed in turn, two columns wide.
	Metrics []string
	// KPIs adds one stat per key performance indicator, in name order,
	// placed in turn: the key names it, the value is its PromQL. A name in
	// the catalog lends the stat its title and unit.
	KPIs map[string]string
}

// DashboardBuilder adds widgets to a dashboard of a Set.
type DashboardBuilder struct {
	set   *Set
	index int
}

// CreateDashboard adds a dashboard to the set. The id must be unique and
// hold only a-z, 0-9, _ and -.
func (s *Set) CreateDashboard(id string, cfg DashboardConfig) *DashboardBuilder {
	if !validDashboardID(id) {
		s.fail(fmt.Errorf("create dashboard %q: id may only hold a-z, 0-9, _ and -", id))
	}
	if s.layout.Dashboard(id) != nil {
		s.fail(fmt.Errorf("create dashboard %q: a dashboard with this id exists", id))
	}
	d := Dashboard{
		ID:          id,
		Title:       cfg.Title,
		Type:        cfg.Type,
		Description: cfg.Description,
		Tags:        slices.Clone(cfg.Tags),
		Columns:     cfg.Columns,
		Layout:      cfg.Layout,
		Variables:   slices.Clone(cfg.Variables),
		Widgets:     []Widget{},
	}
	if d.Title == "" {
		d.Title = titleFromID(id)
		if t, ok := Template(id); ok {
			d.Title = t.Title
		}
	}
	if d.Type == "" {
		d.Type = TypeCustom
		if slices.Contains(DashboardTypes, id) {
			d.Type = id
		}
	}
	if d.Layout == "" {
		d.Layout = LayoutGrid
	}
	switch {
	case cfg.Refresh == 0:
		d.Refresh = Duration(DefaultRefresh)
	case cfg.Refresh > 0:
		d.Refresh = Duration(cfg.Refresh)
	}
	d.Time = TimeRange{From: "now-1h", To: "now"}
	if tr := strings.TrimSpace(cfg.TimeRange); tr != "" {
		if dur, err := ParseDuration(tr); err == nil {
			d.Time.From = "now-" + Duration(dur).String()
		} else if _, err := parseTimeExpr(tr); err == nil {
			d.Time.From = tr
		} else {
			s.fail(fmt.Errorf("create dashboard %q: time range: %w", id, err))
		}
	}
	s.layout.Dashboards = append(s.layout.Dashboards, d)
	b := &DashboardBuilder{set: s, index: len(s.layout.Dashboards) - 1}

	wide := min(2, columnsOf(&d))
	for _, m := range cfg.Metrics {
		b.AddWidget(m, WidgetTimeSeries, WidgetConfig{Metric: m, Position: Position{Width: wide}})
	}
	for _, name := range slices.Sorted(maps.Keys(cfg.KPIs)) {
		wc := WidgetConfig{
			Queries: []Query{{Expr: cfg.KPIs[name], Legend: name}},
			Style:   StyleSparkline,
		}
		if def, ok := Metric(name); ok {
			wc.Title, wc.Unit = def.Title, def.Unit
		}
		b.AddWidget(name, WidgetStat, wc)
	}
	return b
}

// Dashboard returns the dashboard being built. The pointer is valid until
// the set's next CreateDashboard.
func (b *DashboardBuilder) Dashboard() *Dashboard { return &b.set.layout.Dashboards[b.index] }

// WidgetConfig configures a new widget. What it queries is, in order of
// precedence: Queries; else Metric and Metrics, names of catalog metrics;
// else, for a data widget whose id is a catalog metric, that metric.
type WidgetConfig struct {
	Title       string // default: the metric's title, or from the id
	Description string
	Source      string // a source name; default: the layout's first
	Metric      string
	Metrics     []string
	Queries     []Query
	Unit        string // default: the metrics' unit, when they share one
	Decimals    *int
	// Min and Max bound a gauge, bar gauge or histogram; they default to
	// the metric's natural bounds or its unit's (0..100 for percent).
	Min, Max   *float64
	Thresholds *Thresholds
	// Position places the widget; with no Row or Col it goes to the first
	// free place, in reading order, that fits its Width and Height.
	Position Position
	Bins     int
	Style    string
	Reduce   string
	Text     string
	Mappings []ValueMapping
}

// AddWidget adds a widget of kind (one of WidgetKinds) to the dashboard and
// returns b, so calls can be chained.
func (b *DashboardBuilder) AddWidget(id, kind string, cfg WidgetConfig) *DashboardBuilder {
	d := b.Dashboard()
	fail := func(format string, args ...any) {
		b.set.fail(fmt.Errorf("dashboard %q: widget %q: %s", d.ID, id, fmt.Sprintf(format, args...)))
	}
	if !slices.Contains(WidgetKinds, kind) {
		fail("%s", unknownValue("widget type", kind, WidgetKinds))
	}
	if d.Widget(id) != nil {
		fail("a widget with this id exists")
	}
	w := Widget{
		ID:          id,
		Type:        kind,
		Title:       cfg.Title,
		Description: cfg.Description,
		Source:      cfg.Source,
		Unit:        cfg.Unit,
		Decimals:    cloneInt(cfg.Decimals),
		Min:         cloneFloat(cfg.Min),
		Max:         cloneFloat(cfg.Max),
		Thresholds:  cfg.Thresholds.clone(),
		Position:    cfg.Position,
		Bins:        cfg.Bins,
		Style:       cfg.Style,
		Reduce:      cfg.Reduce,
		Text:        cfg.Text,
		Mappings:    slices.Clone(cfg.Mappings),
	}

	var defs []MetricDef
	if len(cfg.Queries) > 0 {
		w.Queries = slices.Clone(cfg.Queries)
	} else {
		names := cfg.Metrics
		if cfg.Metric != "" {
			names = append([]string{cfg.Metric}, names...)
		}
		if _, ok := Metric(id); ok && len(names) == 0 && IsDataKind(kind) {
			names = []string{id}
		}
		if len(names) == 0 && IsDataKind(kind) {
			fail("no queries: give Queries, or Metric or Metrics from the catalog")
		}
		for _, name := range names {
			def, ok := Metric(name)
			if !ok {
				fail("%s", unknownValue("metric", name, metricNames()))
				continue
			}
			defs = append(defs, def)
			w.Queries = append(w.Queries, Query{Expr: def.Expr, Legend: def.Legend})
		}
	}
	for i := range w.Queries {
		if w.Queries[i].Ref == "" {
			w.Queries[i].Ref = queryRef(i)
		}
	}

	if w.Unit == "" && len(defs) > 0 {
		unit := defs[0].Unit
		for _, def := range defs[1:] {
			if def.Unit != unit {
				unit = ""
			}
		}
		w.Unit = unit
	}
	if w.Title == "" {
		if len(defs) == 1 && defs[0].Name == id {
			w.Title = defs[0].Title
		} else {
			w.Title = titleFromID(id)
		}
	}
	switch kind {
	case WidgetGauge, WidgetBarGauge, WidgetHistogram:
		lo, hi, ok := UnitRange(w.Unit)
		if len(defs) == 1 {
			lo, hi, ok = defs[0].Range()
		}
		if ok && w.Min == nil && w.Max == nil {
			w.Min, w.Max = Float(lo), Float(hi)
		}
	}
	if w.Position.Row == 0 || w.Position.Col == 0 {
		w.Position.Row, w.Position.Col = freePlace(d, w.Position.Width, w.Position.Height)
	}
	d.Widgets = append(d.Widgets, w)
	return b
}

// freePlace returns the first row and column, in reading order, where a
// widget width x height cells fits on d without overlapping another.
func freePlace(d *Dashboard, width, height int) (row, col int) {
	cols := columnsOf(d)
	width, height = min(max(width, 1), cols), max(height, 1)
	for row = 1; row <= MaxRows; row++ {
		for col = 1; col+width-1 <= cols; col++ {
			free := true
			for _, o := range d.Widgets {
				p := o.Position
				if p.Row < 1 || p.Col < 1 {
					continue
				}
				if row <= p.Row+max(p.Height, 1)-1 && p.Row <= row+height-1 &&
					col <= p.Col+max(p.Width, 1)-1 && p.Col <= col+width-1 {
					free = false
					break
				}
			}
			if free {
				return row, col
			}
		}
	}
	return MaxRows + 1, 1 // full: Validate says so
}

// queryRef names the i-th query of a widget: "A", "B", ..., "Z", "Q27", ...
func queryRef(i int) string {
	if i < 26 {
		return string(rune('A' + i))
	}
	return fmt.Sprintf("Q%d", i+1)
}

// acronyms are the words titleFromID writes in capitals.
var acronyms = map[string]string{
	"kpi": "KPI", "kpis": "KPIs", "cpu": "CPU", "gpu": "GPU", "api": "API",
	"p50": "p50", "p95": "p95", "p99": "p99", "id": "ID", "url": "URL",
}

// titleFromID makes a title of an id: "system_health" is "System health",
// "business_kpi" is "Business KPI".
func titleFromID(id string) string {
	words := strings.FieldsFunc(id, func(r rune) bool { return r == '_' || r == '-' || r == ' ' })
	for i, w := range words {
		if a, ok := acronyms[strings.ToLower(w)]; ok {
			words[i] = a
		} else if i == 0 {
			r, n := utf8.DecodeRuneInString(w)
			words[i] = string(unicode.ToUpper(r)) + w[n:]
		}
	}
	return strings.Join(words, " ")
}

// Float returns a pointer to v, for the optional numbers of a layout.
func Float(v float64) *float64 { return &v }

// Int returns a pointer to v, for the optional numbers of a layout.
func Int(v int) *int { return &v }

func cloneFloat(p *float64) *float64 {
	if p == nil {
		return nil
	}
	return Float(*p)
}

func cloneInt(p *int) *int {
	if p == nil {
		return nil
	}
	return Int(*p)
}

func (t *Thresholds) clone() *Thresholds {
	if t == nil {
		return nil
	}
	return &Thresholds{Warning: cloneFloat(t.Warning), Critical: cloneFloat(t.Critical), Direction: t.Direction}
}
