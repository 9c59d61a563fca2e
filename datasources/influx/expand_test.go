package influx

import (
	"testing"
	"time"
)

func TestExpand(t *testing.T) {
	start := time.Date(2026, 11, 27, 0, 0, 0, 0, time.UTC)
	end := start.Add(time.Hour)
	for _, tc := range []struct {
		name, in, want string
		flux           bool
		step           time.Duration
	}{
		{"influxql filter and interval", `SELECT mean(v) FROM m WHERE $timeFilter GROUP BY time($__interval)`,
			`SELECT mean(v) FROM m WHERE time >= 1795737600000ms and time <= 1795741200000ms GROUP BY time(15s)`, false, 15 * time.Second},
		{"influxql ms interval and bounds", `$__interval $__interval_ms $__from $__to $__timeFilter $other`,
			`1500ms 1500 1795737600000 1795741200000 time >= 1795737600000ms and time <= 1795741200000ms $other`, false, 1500 * time.Millisecond},
		{"flux", `from(bucket: v.bucket) |> range(start: v.timeRangeStart, stop: v.timeRangeStop) |> aggregateWindow(every: v.windowPeriod, fn: mean)`,
			`from(bucket: "b\"\${x") |> range(start: 2026-11-27T00:00:00Z, stop: 2026-11-27T01:00:00Z) |> aggregateWindow(every: 1m, fn: mean)`, true, time.Minute},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := ExpandInfluxQL(tc.in, start, end, tc.step)
			if tc.flux {
				got = ExpandFlux(tc.in, start, end, tc.step, `b"${x`)
			}
			if got != tc.want {
				t.Fatalf("got  %s\nwant %s", got, tc.want)
			}
		})
	}
}
