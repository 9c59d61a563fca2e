package influx

import (
	"strconv"
	"strings"
	"time"
)

// ExpandInfluxQL replaces the time-range macros of an InfluxQL query:
// $timeFilter (also $__timeFilter) by "time >= START and time <= END" in
// epoch milliseconds, $__interval by step as an InfluxQL duration,
// $__interval_ms by step in milliseconds, and $__from / $__to by the range
// in epoch milliseconds.
func ExpandInfluxQL(q string, start, end time.Time, step time.Duration) string {
	if !strings.Contains(q, "$") {
		return q
	}
	from, to := strconv.FormatInt(start.UnixMilli(), 10), strconv.FormatInt(end.UnixMilli(), 10)
	filter := "time >= " + from + "ms and time <= " + to + "ms"
	return strings.NewReplacer(
		"$__timeFilter", filter,
		"$timeFilter", filter,
		"$__interval_ms", strconv.FormatInt(step.Milliseconds(), 10),
		"$__interval", durationLiteral(step),
		"$__from", from,
		"$__to", to,
	).Replace(q)
}

// ExpandFlux replaces the dashboard variables of a Flux query the way the
// InfluxDB UI and Grafana do: v.timeRangeStart and v.timeRangeStop by
// RFC 3339 time literals, v.windowPeriod by step as a duration literal and
// v.bucket by the bucket's name as a string literal.
func ExpandFlux(q string, start, end time.Time, step time.Duration, bucket string) string {
	if !strings.Contains(q, "v.") {
		return q
	}
	return strings.NewReplacer(
		"v.timeRangeStart", start.UTC().Format(time.RFC3339Nano),
		"v.timeRangeStop", end.UTC().Format(time.RFC3339Nano),
		"v.windowPeriod", durationLiteral(step),
		"v.bucket", fluxString(bucket),
	).Replace(q)
}

// durationLiteral writes d as an InfluxQL or Flux duration literal in its
// largest whole unit: "1h", "5m", "15s", "1500ms".
func durationLiteral(d time.Duration) string {
	ms := d.Milliseconds()
	if ms <= 0 {
		return "1ms"
	}
	for _, u := range []struct {
		ms   int64
		unit string
	}{{3_600_000, "h"}, {60_000, "m"}, {1000, "s"}} {
		if ms%u.ms == 0 {
			return strconv.FormatInt(ms/u.ms, 10) + u.unit
		}
	}
	return strconv.FormatInt(ms, 10) + "ms"
}

// fluxString quotes s as a Flux string literal (escaping \, " and the
// interpolation opener ${).
func fluxString(s string) string {
	var b strings.Builder
	b.WriteByte('"')
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c == '\\' || c == '"':
			b.WriteByte('\\')
			b.WriteByte(c)
		case c == '$' && i+1 < len(s) && s[i+1] == '{':
			b.WriteString(`\$`)
		case c == '\n':
			b.WriteString(`\n`)
		default:
			b.WriteByte(c)
		}
	}
	b.WriteByte('"')
	return b.String()
}

// influxQLIdent quotes s as an InfluxQL identifier.
func influxQLIdent(s string) string {
	return `"` + strings.NewReplacer(`\`, `\\`, `"`, `\"`).Replace(s) + `"`
}
