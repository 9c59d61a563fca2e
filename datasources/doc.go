// Package datasources defines what every producer of numbers offers: the
// Source interface, queries, and the immutable series and result model that
// flows from sources through the scheduler (package live) to the charts,
// with classified errors (unreachable, timeout, not authorised, bad query,
// server error) and the one step policy of the program (AutoStep).
//
// Sub-packages:
//   - sim: the embedded, deterministic simulator of the audio-enhancement
//     service, answering PromQL (also a Prometheus exporter).
//   - prometheus: a real Prometheus through client_golang's api/v1; also a server's own alerts and alerting rules (Alerts).
//   - influx: InfluxDB 2 (Flux) and InfluxDB 1 (InfluxQL), and line-protocol
//     writes.
//   - history: the bbolt cache of fetched series (Gorilla/XOR chunks) that
//     lets a wall open instantly and keep its data through outages.
//   - live: the scheduler (shared pollers, backoff, staleness, history first).
//
// Alerting is not here: it produces no numbers (package alerts, run by
// package wall). Nothing under datasources imports Fyne; it builds with
// CGO_ENABLED=0.
package datasources
