package layouts

import (
	"errors"
	"fmt"
	"maps"
	"math"
	"math/bits"
	"net/url"
	"slices"
	"strings"
	"time"
)

// Limits of a valid layout.
const (
	MaxColumns  = 24   // grid columns of a dashboard (Grafana's grid is 24 wide)
	MaxRows     = 1000 // a widget's last row
	MaxDecimals = 10
	MaxBins     = 1000
)

// Validate checks a layout in memory by the rules Parse applies to a file.
// Errors carry JSON paths but no line and column: each reads
// "PATH: reason". The error is a *ValidationError or, when there are
// several problems, Errors.
func Validate(l *Layout) error {
	if l == nil {
		return &ValidationError{Path: "$", Reason: "no layout"}
	}
	probs := validate(l)
	errs := make([]*ValidationError, 0, min(len(probs), MaxErrors))
	for i := range probs {
		if len(errs) == MaxErrors {
			break
		}
		errs = append(errs, &ValidationError{Path: probs[i].path, Reason: probs[i].text()})
	}
	return asError(errs, len(probs)-len(errs))
}

// checker collects the problems of one layout.
type checker struct {
	probs []problem
}

// add records a problem at path; its reason is formatted only if it is
// reported.
func (c *checker) add(path, format string, args ...any) {
	if args == nil {
		args = []any{}
	}
	c.probs = append(c.probs, problem{path: path, reason: format, args: args, off: -1})
}

func validate(l *Layout) []problem {
	var c checker
	switch {
	case l.Version == 0:
		c.add("$.version", "version is missing (this Wallboard writes version %d)", Version)
	case l.Version < 0:
		c.add("$.version", "version must be at least 1, got %d (this Wallboard writes version %d)", l.Version, Version)
	case l.Version > Version:
		c.add("$.version", "written by a newer Wallboard (version %d; this one reads up to %d)", l.Version, Version)
	}
	sources := c.sources(l.Sources)
	if len(l.Dashboards) == 0 {
		c.add("$.dashboards", "at least one dashboard is required")
	}
	dashboards := map[string]int{}
	for i := range l.Dashboards {
		d := &l.Dashboards[i]
		path := fmt.Sprintf("$.dashboards[%d]", i)
		if d.ID != "" {
			if j, dup := dashboards[d.ID]; dup {
				c.add(path+".id", "duplicate dashboard id %q (also $.dashboards[%d])", d.ID, j)
			} else {
				dashboards[d.ID] = i
			}
		}
		c.dashboard(path, d, l.Sources, sources)
	}
	if a := l.Alerts; a != nil {
		if a.History < 0 {
			c.add("$.alerts.history", "history must not be negative, got %s", a.History)
		}
		for i, s := range a.Severities {
			if !slices.Contains(Severities, s) {
				c.add(fmt.Sprintf("$.alerts.severities[%d]", i), "%s", unknownValue("severity", s, Severities))
			}
		}
	}
	ids := make([]string, 0, len(dashboards)) // each id once, in order
	emptyID := false
	for i, d := range l.Dashboards {
		if j, ok := dashboards[d.ID]; ok && j == i || d.ID == "" && !emptyID {
			emptyID = emptyID || d.ID == ""
			ids = append(ids, d.ID)
		}
	}
	for i, d := range l.Dashboards {
		for j, w := range d.Widgets {
			for k, link := range w.Links {
				path := fmt.Sprintf("$.dashboards[%d].widgets[%d].links[%d]", i, j, k)
				if link.Title == "" {
					c.add(path+".title", "title is required")
				}
				if _, ok := dashboards[link.Dashboard]; !ok {
					c.add(path+".dashboard", "%s", unknownValue("dashboard", link.Dashboard, ids))
				}
			}
		}
	}
	c.rules(l, sources, dashboards, ids)
	if k := l.Kiosk; k != nil && k.ExitKey != "" && !validKeyName(k.ExitKey) {
		c.add("$.kiosk.exitKey", "unknown key %q (use a key name such as \"Escape\", \"F11\" or \"Q\")", k.ExitKey)
	}
	playlists := map[string]int{}
	for i, p := range l.Playlists {
		path := fmt.Sprintf("$.playlists[%d]", i)
		switch j, dup := playlists[p.Name]; {
		case p.Name == "":
			c.add(path+".name", "name is required")
		case dup:
			c.add(path+".name", "duplicate playlist name %q (also $.playlists[%d])", p.Name, j)
		default:
			playlists[p.Name] = i
		}
		if len(p.Items) == 0 {
			c.add(path+".items", "a playlist needs at least one dashboard")
		}
		for j, item := range p.Items {
			ipath := fmt.Sprintf("%s.items[%d]", path, j)
			if _, ok := dashboards[item.Dashboard]; !ok {
				if item.Dashboard == "" {
					c.add(ipath+".dashboard", "dashboard is required")
				} else {
					c.add(ipath+".dashboard", "%s", unknownValue("dashboard", item.Dashboard, ids))
				}
			}
			if item.Duration < Duration(time.Second) {
				c.add(ipath+".duration", "duration must be at least 1s, got %s", item.Duration)
			}
			if item.Time != nil {
				c.timeRange(ipath+".time", *item.Time)
			}
		}
	}
	return c.probs
}

// sources checks the sources and returns their indexes by name.
func (c *checker) sources(sources []Source) map[string]int {
	names := map[string]int{}
	for i, s := range sources {
		path := fmt.Sprintf("$.sources[%d]", i)
		switch j, dup := names[s.Name]; {
		case s.Name == "":
			c.add(path+".name", "name is required")
		case dup:
			c.add(path+".name", "duplicate source name %q (also $.sources[%d])", s.Name, j)
		default:
			names[s.Name] = i
		}
		switch {
		case s.Kind == "":
			c.add(path+".kind", "kind is required (one of %s)", strings.Join(SourceKinds, ", "))
		case !slices.Contains(SourceKinds, s.Kind):
			c.add(path+".kind", "%s", unknownValue("source kind", s.Kind, SourceKinds))
		}
		if s.URL != "" {
			if reason := checkURL(s.URL); reason != "" {
				c.add(path+".url", "%s", reason)
			}
		} else if s.Kind != KindSim && slices.Contains(SourceKinds, s.Kind) {
			c.add(path+".url", "a %s source needs a url", s.Kind)
		}
		for _, env := range []struct{ field, value string }{
			{"tokenEnv", s.TokenEnv}, {"usernameEnv", s.UsernameEnv}, {"passwordEnv", s.PasswordEnv},
		} {
			if env.value != "" && !isIdent(env.value) {
				c.add(path+"."+env.field, "%s must be the name of an environment variable (letters, digits and _), not its value", env.field)
			}
		}
		if s.Timeout < 0 {
			c.add(path+".timeout", "timeout must not be negative, got %s", s.Timeout)
		}
	}
	return names
}

// checkURL checks a source's URL: http or https, a host, and nothing that
// could carry a secret. A user part (even without a password: a token is
// often sent as the user), a query or a fragment (auth=, sig=, #token=) is
// refused, as the URL is shown and logged; credentials come from the
// environment variables tokenEnv, usernameEnv and passwordEnv name.
func checkURL(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		var uerr *url.Error
		if errors.As(err, &uerr) {
			err = uerr.Err // url.Error repeats the URL, which may hold a secret
		}
		return "bad URL: " + err.Error()
	}
	switch {
	case u.User != nil:
		return "credentials must not be stored in a layout (the URL has a user part); use tokenEnv, or usernameEnv and passwordEnv"
	case u.RawQuery != "" || u.ForceQuery:
		return "a source URL takes no query parameters (they are shown and logged, and often carry credentials); use tokenEnv or passwordEnv"
	case u.Fragment != "" || strings.Contains(raw, "#"):
		return "a source URL takes no fragment (#...)"
	}
	if u.Scheme != "http" && u.Scheme != "https" || u.Host == "" {
		return fmt.Sprintf("want an http or https URL such as http://localhost:9090, got %q", u.Redacted())
	}
	return ""
}

func (c *checker) timeRange(path string, r TimeRange) {
	field, reason := r.check()
	if reason == "" {
		return
	}
	if field != "" {
		path += "." + field
	}
	c.add(path, "%s", reason)
}

func validDashboardID(id string) bool {
	for i := 0; i < len(id); i++ {
		c := id[i]
		if !('a' <= c && c <= 'z' || '0' <= c && c <= '9' || c == '_' || c == '-') {
			return false
		}
	}
	return id != ""
}

func (c *checker) dashboard(path string, d *Dashboard, sources []Source, sourceIndex map[string]int) {
	switch {
	case d.ID == "":
		c.add(path+".id", "id is required")
	case !validDashboardID(d.ID):
		c.add(path+".id", "id %q may only hold a-z, 0-9, _ and -", d.ID)
	}
	if d.Type != "" && !slices.Contains(DashboardTypes, d.Type) {
		c.add(path+".type", "%s", unknownValue("dashboard type", d.Type, DashboardTypes))
	}
	columns := d.Columns
	if columns < 0 || columns > MaxColumns {
		c.add(path+".columns", "columns must be between 1 and %d (0 means %d), got %d", MaxColumns, DefaultColumns, columns)
		columns = 0
	}
	if columns == 0 {
		columns = DefaultColumns
	}
	if d.Layout != "" && d.Layout != LayoutGrid {
		c.add(path+".layout", "%s", unknownValue("layout", d.Layout, []string{LayoutGrid}))
	}
	if d.Refresh != 0 && d.Refresh < Duration(time.Second) {
		c.add(path+".refresh", "refresh must be 0 (off) or at least 1s, got %s", d.Refresh)
	}
	c.timeRange(path+".time", d.Time)

	vars := map[string]int{}
	for i, v := range d.Variables {
		vpath := fmt.Sprintf("%s.variables[%d]", path, i)
		switch j, dup := vars[v.Name]; {
		case v.Name == "":
			c.add(vpath+".name", "name is required")
		case !isIdent(v.Name):
			c.add(vpath+".name", "variable name %q must start with a letter or _ and hold only letters, digits and _", v.Name)
		case dup:
			c.add(vpath+".name", "duplicate variable %q (also %s.variables[%d])", v.Name, path, j)
		default:
			vars[v.Name] = i
		}
		if v.Default != "" && len(v.Values) > 0 && !slices.Contains(v.Values, v.Default) && v.Default != AllValues {
			c.add(vpath+".default", "default %q is not one of the values (%s)", v.Default, strings.Join(v.Values, ", "))
		}
	}

	names := make([]string, 0, len(sources))
	for _, s := range sources {
		names = append(names, s.Name)
	}
	widgets := map[string]int{}
	var grid occupancy
	for i := range d.Widgets {
		w := &d.Widgets[i]
		wpath := fmt.Sprintf("%s.widgets[%d]", path, i)
		switch j, dup := widgets[w.ID]; {
		case w.ID == "":
			c.add(wpath+".id", "id is required")
		case dup:
			c.add(wpath+".id", "duplicate widget id %q (also %s.widgets[%d])", w.ID, path, j)
		default:
			widgets[w.ID] = i
		}
		c.widget(wpath, w, names, sourceIndex)

		pos, ok := c.position(wpath+".position", w.Position, columns)
		if !ok {
			continue
		}
		pos.i = i
		if o, row, col, overlaps := grid.place(pos); overlaps {
			other := d.Widgets[o].ID
			if other == "" {
				other = fmt.Sprintf("%s.widgets[%d]", path, o)
			}
			c.add(wpath+".position", "overlaps widget %q (%s.widgets[%d]) at row %d, col %d",
				other, path, o, row, col)
		}
	}
}

// occupancy is which widget first took each cell of a grid at most 32
// columns wide: a bit mask of the taken columns of each row, and the
// widget of each taken cell. Placing a widget costs one step per row it
// spans and per cell it takes first, so checking n widgets for overlaps
// is linear in n, not quadratic.
type occupancy struct {
	taken []uint32  // by row-1
	owner [][]int32 // by row-1, then col-1; nil for an empty row
}

// place marks the cells of s as taken (those not taken before) and reports
// whether s overlaps a widget placed before: the one that took the first
// cell of s, in reading order, that was already taken, and that cell.
func (g *occupancy) place(s cellSpan) (other, row, col int, overlaps bool) {
	for len(g.taken) < s.rowEnd {
		g.taken = append(g.taken, 0)
		g.owner = append(g.owner, nil)
	}
	mask := uint32(1)<<(s.colEnd-s.col+1) - 1
	mask <<= s.col - 1
	for r := s.row - 1; r < s.rowEnd; r++ {
		if hit := g.taken[r] & mask; hit != 0 && !overlaps {
			overlaps = true
			row, col = r+1, bits.TrailingZeros32(hit)+1
			other = int(g.owner[r][col-1])
		}
		free := mask &^ g.taken[r]
		if free == 0 {
			continue
		}
		if g.owner[r] == nil {
			g.owner[r] = make([]int32, 32)
		}
		for f := free; f != 0; f &= f - 1 {
			g.owner[r][bits.TrailingZeros32(f)] = int32(s.i)
		}
		g.taken[r] |= free
	}
	return other, row, col, overlaps
}

// cellSpan is the cells widget i covers, 1-based and inclusive.
type cellSpan struct {
	i                        int
	row, col, rowEnd, colEnd int
}

// position checks a widget's place on a grid of columns and returns the
// cells it covers; ok is false when the position is unusable.
func (c *checker) position(path string, p Position, columns int) (cellSpan, bool) {
	ok := true
	if p.Row < 1 || p.Row > MaxRows {
		c.add(path+".row", "row must be between 1 and %d, got %d", MaxRows, p.Row)
		ok = false
	}
	if p.Col < 1 || p.Col > columns {
		c.add(path+".col", "col must be between 1 and %d (the dashboard's columns), got %d", columns, p.Col)
		ok = false
	}
	if p.Width < 0 || p.Width > columns {
		c.add(path+".width", "width must be between 1 and %d (0 means 1), got %d", columns, p.Width)
		ok = false
	}
	if p.Height < 0 || p.Height > MaxRows {
		c.add(path+".height", "height must be between 1 and %d (0 means 1), got %d", MaxRows, p.Height)
		ok = false
	}
	if !ok {
		return cellSpan{}, false
	}
	width, height := max(p.Width, 1), max(p.Height, 1)
	s := cellSpan{row: p.Row, col: p.Col, rowEnd: p.Row + height - 1, colEnd: p.Col + width - 1}
	if s.colEnd > columns {
		c.add(path, "widget spans columns %d-%d but the dashboard has %d columns", s.col, s.colEnd, columns)
		return cellSpan{}, false
	}
	if s.rowEnd > MaxRows {
		c.add(path, "widget spans rows %d-%d, beyond row %d", s.row, s.rowEnd, MaxRows)
		return cellSpan{}, false
	}
	return s, true
}

func (c *checker) widget(path string, w *Widget, sourceNames []string, sources map[string]int) {
	known := slices.Contains(WidgetKinds, w.Type)
	switch {
	case w.Type == "":
		c.add(path+".type", "type is required (one of %s)", strings.Join(WidgetKinds, ", "))
	case !known:
		c.add(path+".type", "%s", unknownValue("widget type", w.Type, WidgetKinds))
	}
	if known && IsDataKind(w.Type) && len(w.Queries) == 0 {
		c.add(path+".queries", "a %s widget needs at least one query", w.Type)
	}
	for i, q := range w.Queries {
		if strings.TrimSpace(q.Expr) == "" {
			c.add(fmt.Sprintf("%s.queries[%d].expr", path, i), "expr is required")
		} else if err := CheckExpr(q.Expr); err != nil {
			c.add(fmt.Sprintf("%s.queries[%d].expr", path, i), "%v", err)
		}
	}
	if w.Type == WidgetText && strings.TrimSpace(w.Text) == "" {
		c.add(path+".text", "a text widget needs text")
	}
	if w.Source != "" {
		if _, ok := sources[w.Source]; !ok {
			if len(sourceNames) == 0 {
				c.add(path+".source", "unknown source %q: the layout has no sources", w.Source)
			} else {
				c.add(path+".source", "%s", unknownValue("source", w.Source, sourceNames))
			}
		}
	}
	if w.Unit != "" && !slices.Contains(Units, w.Unit) {
		c.add(path+".unit", "%s", unknownValue("unit", w.Unit, Units))
	}
	if w.Decimals != nil && (*w.Decimals < 0 || *w.Decimals > MaxDecimals) {
		c.add(path+".decimals", "decimals must be between 0 and %d, got %d", MaxDecimals, *w.Decimals)
	}
	if w.Min != nil && w.Max != nil && !(*w.Min < *w.Max) {
		c.add(path+".max", "min (%g) must be less than max (%g)", *w.Min, *w.Max)
	}
	if t := w.Thresholds; t != nil {
		switch t.Direction {
		case "", DirectionAbove:
			if t.Warning != nil && t.Critical != nil && *t.Warning > *t.Critical {
				c.add(path+".thresholds", "warning (%g) must not be above critical (%g) when high values are bad (direction %q)",
					*t.Warning, *t.Critical, DirectionAbove)
			}
		case DirectionBelow:
			if t.Warning != nil && t.Critical != nil && *t.Warning < *t.Critical {
				c.add(path+".thresholds", "warning (%g) must not be below critical (%g) when low values are bad (direction %q)",
					*t.Warning, *t.Critical, DirectionBelow)
			}
		default:
			c.add(path+".thresholds.direction", "%s", unknownValue("direction", t.Direction, []string{DirectionAbove, DirectionBelow}))
		}
	}
	if w.Bins < 0 || w.Bins > MaxBins {
		c.add(path+".bins", "bins must be between 1 and %d (0 means automatic), got %d", MaxBins, w.Bins)
	}
	if w.Style != "" && known {
		switch allowed := styles[w.Type]; {
		case len(allowed) == 0:
			c.add(path+".style", "a %s widget has no styles, got %q", w.Type, w.Style)
		case !slices.Contains(allowed, w.Style):
			c.add(path+".style", "%s", unknownValue(w.Type+" style", w.Style, allowed))
		}
	}
	if w.Reduce != "" && known {
		switch {
		case !Reduces(w.Type):
			c.add(path+".reduce", "reduce applies only to %s widgets", strings.Join(reducing, ", "))
		case !slices.Contains(Reductions, w.Reduce):
			c.add(path+".reduce", "%s", unknownValue("reduction", w.Reduce, Reductions))
		}
	}
}

// reservedAlertLabels are set by Wallboard on every alert.
var reservedAlertLabels = []string{"alertname", "severity"}

// rules checks the explicit alert rules.
func (c *checker) rules(l *Layout, sources, dashboards map[string]int, ids []string) {
	sourceNames := make([]string, 0, len(l.Sources))
	for _, s := range l.Sources {
		sourceNames = append(sourceNames, s.Name)
	}
	names := map[string]int{}
	widgetIndex := map[int]map[string]int{} // by dashboard index, built when a rule names a widget
	for i, r := range l.Rules {
		path := fmt.Sprintf("$.rules[%d]", i)
		switch j, dup := names[r.Name]; {
		case strings.TrimSpace(r.Name) == "":
			c.add(path+".name", "name is required")
		case dup:
			c.add(path+".name", "duplicate rule name %q (also $.rules[%d])", r.Name, j)
		default:
			names[r.Name] = i
		}
		var widget *Widget
		if r.Dashboard != "" {
			if di, ok := dashboards[r.Dashboard]; !ok {
				c.add(path+".dashboard", "%s", unknownValue("dashboard", r.Dashboard, ids))
			} else if r.Widget != "" {
				d := &l.Dashboards[di]
				if widgetIndex[di] == nil {
					widgetIndex[di] = make(map[string]int, len(d.Widgets))
					for k := len(d.Widgets) - 1; k >= 0; k-- {
						widgetIndex[di][d.Widgets[k].ID] = k
					}
				}
				if k, ok := widgetIndex[di][r.Widget]; ok {
					widget = &d.Widgets[k]
				} else {
					wids := make([]string, len(d.Widgets))
					for k := range d.Widgets {
						wids[k] = d.Widgets[k].ID
					}
					c.add(path+".widget", "%s", unknownValue("widget", r.Widget, wids))
				}
			}
		} else if r.Widget != "" {
			c.add(path+".widget", "a widget needs its dashboard: set dashboard too")
		}
		if err := CheckExpr(r.Expr); err != nil {
			c.add(path+".expr", "%v", err)
		}
		if strings.TrimSpace(r.Expr) == "" {
			switch {
			case widget != nil && len(widget.Queries) == 0:
				c.add(path+".expr", "widget %q has no query to watch: set expr", r.Widget)
			case widget == nil && (r.Dashboard == "" || r.Widget == ""):
				c.add(path+".expr", "expr is required (or name the dashboard and widget whose first query the rule watches)")
			}
		}
		if r.Source != "" {
			if _, ok := sources[r.Source]; !ok {
				if len(sourceNames) == 0 {
					c.add(path+".source", "unknown source %q: the layout has no sources", r.Source)
				} else {
					c.add(path+".source", "%s", unknownValue("source", r.Source, sourceNames))
				}
			}
		}
		if r.Comparison != "" && !slices.Contains(Comparisons, r.Comparison) {
			c.add(path+".comparison", "%s", unknownValue("comparison", r.Comparison, Comparisons))
		}
		switch {
		case r.Value == nil:
			c.add(path+".value", "value is required: the threshold the expression is compared with")
		case math.IsNaN(*r.Value) || math.IsInf(*r.Value, 0):
			c.add(path+".value", "value must be a finite number")
		}
		if r.For < 0 {
			c.add(path+".for", "for must not be negative, got %s", r.For)
		}
		if h := r.Hysteresis; h != nil && (*h < 0 || math.IsNaN(*h) || math.IsInf(*h, 0)) {
			c.add(path+".hysteresis", "hysteresis must be a finite number, 0 or more, got %g", *h)
		}
		if r.Severity != "" && !slices.Contains(Severities, r.Severity) {
			c.add(path+".severity", "%s", unknownValue("severity", r.Severity, Severities))
		}
		for _, k := range slices.Sorted(maps.Keys(r.Labels)) {
			switch {
			case !isIdent(k):
				c.add(path+".labels"+pathKey(k), "label name %q must start with a letter or _ and hold only letters, digits and _", k)
			case slices.Contains(reservedAlertLabels, k):
				c.add(path+".labels"+pathKey(k), "label %q is set from the rule's name and severity: remove it", k)
			}
		}
		for _, k := range slices.Sorted(maps.Keys(r.Annotations)) {
			if !isIdent(k) {
				c.add(path+".annotations"+pathKey(k), "annotation name %q must start with a letter or _ and hold only letters, digits and _", k)
			}
		}
		if u, ok := r.Annotations["runbook_url"]; ok {
			if reason := checkRunbook(u); reason != "" {
				c.add(path+".annotations.runbook_url", "%s", reason)
			}
		}
	}
}

// checkRunbook checks a runbook link: an http or https URL.
func checkRunbook(raw string) string {
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return fmt.Sprintf("runbook_url must be an http or https URL such as https://wiki.example.com/runbooks/errors, got %q", raw)
	}
	return ""
}

// validKeyName accepts the key names a kiosk exit key may use: Escape, the
// function keys and single letters or digits (Fyne's key names).
func validKeyName(k string) bool {
	switch {
	case k == "Escape", k == "Pause", k == "End", k == "Home", k == "Delete":
		return true
	case len(k) == 1:
		return (k[0] >= 'A' && k[0] <= 'Z') || (k[0] >= '0' && k[0] <= '9')
	case len(k) >= 2 && k[0] == 'F':
		n := 0
		for _, r := range k[1:] {
			if r < '0' || r > '9' {
				return false
			}
			n = n*10 + int(r-'0')
		}
		return n >= 1 && n <= 12
	}
	return false
}
