// Package datasources defines what every producer of numbers offers: the
// Source interface, queries, and the immutable series and result model that
// flows from sources through the scheduler (package live) to the charts.
//
// Sub-packages: sim (the embedded, deterministic simulator of the
// audio-enhancement service, answering PromQL) and live (the scheduler).
// Nothing under datasources imports Fyne; it builds with CGO_ENABLED=0.
package datasources
