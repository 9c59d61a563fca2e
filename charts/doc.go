// Package charts draws the bodies of dashboard panels: one native renderer
// per widget kind, data in, pixels out, in pure Go. It does not import
// Fyne: the UI puts the *image.RGBA in a canvas.Raster and draws the panel
// frame around it (title, age badge, loading and error states).
//
// # What is here
//
//   - Draw and For: the registry of renderers. Implemented kinds:
//     timeseries (styles line, area, stacked, bars), stat, gauge,
//     bargauge, histogram. Heatmap, geomap, table, alertlist and text come
//     later and draw a "not supported yet" note meanwhile.
//   - Theme, Dark (the default, for NOC walls) and Light: colours, with
//     the level colours (OK, Warning, Critical) kept for meaning and a
//     colour-blind-aware series palette.
//   - FormatValue, FormatWidget and Reduce: how every panel and the UI
//     turn numbers into text (units, value mappings) and series into one
//     value.
//   - MinMax and LTTB: downsampling to a panel's pixel width, so a render
//     never handles more than two points per pixel column.
//
// Rendering is native: strokes are rasterised with analytic, anti-aliased
// coverage (distance to each segment, round joins, no double blending at
// joins) into a reusable coverage mask, arcs likewise from the distance to
// the centre and to the edge rays, rectangles and grid lines are snapped to
// whole pixels, text is drawn from cached glyph masks of the Go fonts, and
// golang.org/x/image/vector fills general polygons. A 460x300 time series
// of 3 series x 240 points draws in about 0.3 ms on a slow core and
// allocates a few hundred bytes (labels); see the benchmarks for the
// comparison with go-chart.
//
// # Sizes
//
// All sizes are logical pixels multiplied by Frame.Scale (device pixels per
// logical pixel: 1 on a 1080p wall, 2 on hi-dpi and 4K). A 1920x1080 wall
// with a 4x3 grid gives bodies of about 460x300, a phone column about
// 358x220; the text sizes below were chosen to be read across a room on
// the first and at arm's length on the second.
//
//   - Axis labels, legends, min/max and marker labels: 5.2% of the body
//     height, at least 14 and at most 20 (16 on a 460x300 wall body, 14 on
//     a phone). Lines are 2 px wide (1.5 px with more than six series).
//   - Stat: the value is 40% of the body height (at least 24 px), shrunk to
//     fit the width; its unit is 55% of that; the change since the start of
//     the range 7.5% of the height (14..30); the sparkline takes the bottom
//     26%. A warning or critical value tints the whole body.
//   - Gauge: the arc fills the body (or one cell per series, up to six);
//     the value is at most 34% of the body height and fits inside the arc
//     (about 28% on a wall body); min and max use the small size.
//   - Bar gauge: rows up to 56 px tall, text 42% of a row (14..26).
//   - "No data" and other notes: 9% of the body height (16..32), centred.
//
// Legends hide in bodies under 150 px tall or 200 px wide, axes under 100
// tall or 160 wide.
//
// # Threading
//
// Renderers keep no state between calls: each Draw takes its scratch
// buffers (coverage mask, point buffers) from a sync.Pool and returns
// them, so any number of panels may draw concurrently, each on its own
// image; one image must not be drawn from two goroutines at once. Font
// faces are cached per (font, pixel size) and glyph masks per face, behind
// mutexes; Theme values are read-only during a Draw. Nothing here calls
// Fyne, so Draw may run on any goroutine, never needing fyne.Do.
package charts
