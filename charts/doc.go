// Package charts draws the bodies of dashboard panels: one native renderer
// per widget kind, data in, pixels out, in pure Go (it builds with
// CGO_ENABLED=0). It does not import Fyne: the UI draws into one of two
// reused *image.RGBA buffers per panel, shows it as a canvas.Image and
// draws the panel frame around it (title, age badge, loading state).
//
// # What is here
//
//   - Draw and For: the registry of renderers, one for every kind of
//     layouts.WidgetKinds: timeseries (styles line, area, stacked, bars),
//     stat, gauge, bargauge, heatmap, histogram, geomap, table, alertlist
//     and text. A data kind with nothing to draw draws one centred
//     message, the most specific: Frame.Error (the caller's words for
//     its source's failure, "Source unreachable") when set, else "No
//     data"; text and alert list panels draw without query data.
//   - Frame: what a draw needs besides the widget and its series: the
//     time range, the scale, the theme, the query step and the source's
//     error, and per kind extras: Annotations,
//     ThresholdBands and Cursor (time series), Sort (table), Alerts and Now
//     (alert list).
//   - Interaction helpers for the UI, which compute the same layout as
//     Draw without drawing: PlotArea, TimeAt and Hover (time series: the
//     plot rectangle, the time at a pixel, the values under the cursor),
//     TableColumnAt and TableSort.Click (sortable table headers), MapHover
//     (the geo-map marker under the pointer), SortAlerts.
//   - ExportSVG and ExportPNG: panels for reports. Time series go through
//     go-chart (vectors, title, legend, axes, thresholds, annotations);
//     ExportPNG draws the other kinds natively.
//   - Theme: Dark (the default, for NOC walls), Light, HighContrast; the
//     level colours (OK, Warning, Critical) keep their meaning, Info is for
//     neutral notes, Series is a colour-blind-aware palette and Scale a
//     sequential scale (viridis on dark) for heat maps and map markers.
//   - FormatValue, FormatWidget and Reduce: how every panel and the UI
//     turn numbers into text (units, value mappings) and series into one
//     value.
//   - MinMax and LTTB: downsampling to a panel's pixel width, so a render
//     never handles more than two points per pixel column; both keep gaps.
//
// # Gaps
//
// A gap on screen is a gap in the data: lines, area fills, stacks, stat
// sparklines and go-chart exports break where a value is non-finite and
// where two consecutive samples are more than twice the series' step
// apart (Grafana's "connect null values" threshold), the step being the
// longer of Frame.Step and the series' median sample spacing. A 4-minute
// outage in a 15 s series is a hole, never a straight line across it;
// the downsampler marks the break even inside one pixel column.
//
// The geo-map draws assets.World (Natural Earth 1:110m) in the Natural
// Earth projection, cropped to latitudes -56° to 84°, the countries drawn
// once per size and theme and cached. A series' coordinates come from the
// simulator's region_latitude/region_longitude series when the widget
// queries them too (the built-in templates do), else from its "lat"/"lon"
// (or "latitude"/"longitude") labels; series with neither are counted in
// a note under the map.
//
// # Rendering
//
// Strokes are rasterised with analytic, anti-aliased coverage (distance
// to each segment, round joins, no double blending at joins) into a
// reusable coverage mask; arcs and discs likewise from the distance to the
// centre and to the edge rays; rectangles and grid lines are snapped to
// whole pixels; text is drawn from cached glyph masks of the Go fonts
// (lock-free for ASCII); golang.org/x/image/vector fills the map's
// polygons. Pixels are blended a word at a time (two 16-bit lanes per
// multiplication). Lines are downsampled with MinMax to one bucket per
// line width. Labels and values are formatted into a per-draw byte arena,
// so a warm redraw of any kind allocates nothing: an 800x400 time series
// of 1,000 noisy points draws in about 0.43 ms on a shared 2-core VM, 85
// to 94 times faster than go-chart, and a 50-panel 1920x1080 wall in about
// 6.3 ms on one core (docs/benchmarks.md, "Charts").
//
// # Sizes
//
// All sizes are logical pixels multiplied by Frame.Scale (device pixels per
// logical pixel: 1 on a 1080p wall, 2 on hi-dpi and 4K). A 1920x1080 wall
// with a 4x3 grid gives bodies of about 460x300, a phone column about
// 358x220; the text sizes below were chosen to be read across a room on
// the first and at arm's length on the second. No text on a panel is
// smaller than 14 logical pixels.
//
//   - Axis labels, legends, min/max, marker and map labels, table headers,
//     alert details: 5.2% of the body height, at least 14 and at most 20
//     (16 on a 460x300 wall body, 14 on a phone). Lines are 2 px wide (1.5
//     px with more than six series).
//   - Stat: the value is 40% of the body height (at least 24 px), shrunk to
//     fit the width; its unit is 55% of that; the change since the start of
//     the range 7.5% of the height (14..30); the sparkline takes the bottom
//     26%. A warning or critical value tints the whole body.
//   - Gauge: the arc fills the body (or one cell per series, up to six);
//     the value is at most 34% of the body height and fits inside the arc
//     (about 28% on a wall body); min and max use the small size.
//   - Bar gauge: rows up to 56 px tall, text 42% of a row (14..26).
//   - Table cells: 5.8% of the body height (14..22: 17 on a wall body),
//     rows 1.75 times that; columns that do not fit are dropped (min, then
//     mean, then max; name and last stay); "+N more" for hidden rows.
//   - Alert list: names and values bold at 6.2% of the height (15..22),
//     two lines a row with a severity stripe; hidden rows are counted by
//     severity. "No alerts" is a check mark in the OK colour.
//   - Text: body text 6.2% of the height (14..22: 19 on a wall body),
//     headings 1.45, 1.22 and 1.08 times that.
//   - Heat map: cells at least 5 px wide; rows labelled by their bucket's
//     upper bound; the colour scale's legend at the top right.
//   - Geo-map: the map fills the width; up to four rows of values under it;
//     marker radius 1.8% to 7.5% of the map's height, area by value.
//   - "No data", errors and other notes: 9% of the body height (16..32),
//     centred, an error wrapped to three lines.
//
// When room runs out the least useful text goes first, never drawn over
// other text or past the body's edge: a stat's "+N series" note before
// its value; a gauge's min and max labels, then its arc, before the
// value; the crosshair box's names, then the box; an alert's labels,
// origin, age (never cut) and value before its name and severity; the
// alert list's hidden counts from info up. A stat shows a change only
// when there is an earlier value to compare with.
//
// Legends hide in bodies under 150 px tall or 200 px wide, axes under 100
// tall or 160 wide. In narrow bodies rate axes drop their unit (the legend
// keeps it).
//
// # Threading
//
// Renderers keep no state between calls: each Draw takes its scratch
// (coverage mask, point buffers, text arena) from a sync.Pool and returns
// it, so any number of panels may draw concurrently, each on its own
// image; one image must not be drawn from two goroutines at once. Font
// faces are cached per (font, pixel size) and glyph masks per face, the
// geo-map's countries per (size, theme), all behind mutexes or atomics;
// Theme values and the Frame's slices are read-only during a Draw. The
// interaction helpers (Hover, PlotArea, TimeAt, TableColumnAt, MapHover)
// are as safe and return values that share nothing with the scratch.
// Nothing here calls Fyne, so Draw may run on any goroutine, never
// needing fyne.Do.
package charts
