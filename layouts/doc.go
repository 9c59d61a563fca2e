// Package layouts is the layout document of Wallboard: what a layout file
// holds, how it is read, checked, written and built, the built-in
// dashboards, and the geometry of a dashboard's grid. It is pure Go: it
// imports no GUI and builds with CGO_ENABLED=0.
//
// # The document
//
// A layout file is a JSON object (see Layout): a version, the data sources
// the widgets query (Source: the embedded simulator, Prometheus, InfluxDB;
// never with credentials, only the names of the environment variables that
// hold them), the dashboards, how alerts are shown, and playlists that
// rotate dashboards on a wall. A Dashboard is a grid of Widget panels, by
// default 4 columns wide and as many rows as its widgets use, with a
// refresh interval, a time range ("now-1h" to "now", or RFC 3339 times; see
// TimeRange and ParseTime) and variables such as a region filter, which
// queries use as {region=~"$region"} (see Interpolate, which escapes every
// value for where it goes, and Dashboard.CheckVars). Each widget has a
// kind (WidgetKinds), queries, a unit (Units), optional thresholds, and a
// 1-based row and column on the grid with a width and height in cells.
//
// # Versions
//
// Marshal writes the current Version. Parse reads documents of that version
// and older ones, which it first upgrades with a chain of migrations; a
// document from a newer Wallboard is refused with a message that says so.
//
// # Validation
//
// Parse and Load are strict: besides JSON syntax they reject unknown fields
// (suggesting the field meant), values of the wrong JSON type, duplicate
// fields and trailing data, and then check the meaning of the document:
// unique ids, known kinds, queries present, widgets inside the grid and
// not overlapping, sane thresholds, parseable time ranges, references to
// existing sources and dashboards, no passwords in URLs, and bounds that
// keep hostile input from stalling a wall (MaxFileSize, MaxDashboards,
// MaxWidgets, and CheckExpr's MaxExprLen and MaxExprDepth for every query).
// Problems are reported in document order, as a *ValidationError (or
// Errors, for several; beyond MaxErrors, a *TooManyErrors that counts the
// rest) that reads
//
//	broken.json:14:19: $.dashboards[0].widgets[2].type: unknown widget type "guage" (known: ...); did you mean "gauge"?
//
// Validate applies the same checks to a layout in memory, with paths but
// no lines. Save validates, then writes atomically, so a bad layout never
// replaces a good file.
//
// # Building in code
//
// NewSet starts a layout fed by the simulator; Set.CreateDashboard adds a
// dashboard, DashboardBuilder.AddWidget a widget, Set.ConfigureAlerts sets
// the alert display and Set.ExportConfig writes the file. Widgets can name
// metrics of the catalog (Metric, Catalog), such as "cpu_usage" or
// "p95_latency", instead of writing PromQL; their units and bounds come
// along. Builder methods record the first error, which Set.Err and
// Set.ExportConfig return.
//
// # Templates and geometry
//
// Builtin returns the five built-in dashboards (system health, performance,
// quality, business KPIs, cost) and Template one of them. Cells computes
// where each widget of a dashboard goes in an area of a given size: the
// grid on walls and desktops, one scrolling column below PhoneBreakpoint.
package layouts
