// Package influx holds the InfluxDB data sources and the line-protocol
// writer that feeds the simulator's metrics into InfluxDB.
//
//   - Flux is a datasources.Source over InfluxDB 2.x and Cloud (and 1.8+
//     with its /api/v2 compatibility endpoints) through
//     github.com/influxdata/influxdb-client-go/v2: Flux queries, whose
//     annotated-CSV tables become series (the group key columns, _field and
//     _measurement are the labels, _value the value, _time the time).
//   - InfluxQL is a datasources.Source over InfluxDB 1.x's HTTP /query API
//     (net/http and encoding/json): every value column of every result
//     series becomes a series labelled by its tags, _measurement and _field.
//
// Queries may use the time-range macros dashboards use: in Flux
// v.timeRangeStart, v.timeRangeStop, v.windowPeriod and v.bucket; in
// InfluxQL $timeFilter, $__interval, $__from and $__to (see Expand).
//
// A Writer sends line protocol (AppendLine): InfluxQL writes to 1.x's
// /write, Flux through the client's blocking write API.
//
// Credentials come from Config or, through FromLayout, from the
// environment variables a layout names; they are sent in headers only and
// never logged or shown in errors. Errors are *datasources.QueryError values
// classified as ErrUnreachable, ErrTimeout, ErrBadQuery or ErrServer, with
// the server's message kept.
//
// The package never imports Fyne and builds with CGO_ENABLED=0.
package influx
