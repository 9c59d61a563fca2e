package layouts

import (
	"testing"
	"time"
)

var now = time.Date(2026, 11, 27, 12, 0, 0, 0, time.UTC)

func TestParseTime(t *testing.T) {
	tests := []struct {
		in   string
		want time.Time
		err  string
	}{
		{in: "now", want: now},
		{in: "now-1h", want: now.Add(-time.Hour)},
		{in: "now-30m", want: now.Add(-30 * time.Minute)},
		{in: "now-7d", want: now.AddDate(0, 0, -7)},
		{in: "now+5m", want: now.Add(5 * time.Minute)},
		{in: " now - 1h ", want: now.Add(-time.Hour)},
		{in: "2026-11-27T10:00:00Z", want: time.Date(2026, 11, 27, 10, 0, 0, 0, time.UTC)},
		{in: "2026-11-27T10:00:00.5+01:00", want: time.Date(2026, 11, 27, 9, 0, 0, 5e8, time.UTC)},
		{in: "", err: `bad time "": want "now", "now-1h" or an RFC 3339 time such as "2026-11-27T10:00:00Z"`},
		{in: "yesterday", err: `bad time "yesterday": want "now", "now-1h" or an RFC 3339 time such as "2026-11-27T10:00:00Z"`},
		{in: "now1h", err: `bad time "now1h": want now, now-DURATION or now+DURATION`},
		{in: "now-1y", err: `bad time "now-1y": bad duration "-1y": unknown unit "y" (want one of ns, us, ms, s, m, h, d, w)`},
		{in: "2026-11-27 10:00", err: `bad time "2026-11-27 10:00": want "now", "now-1h" or an RFC 3339 time such as "2026-11-27T10:00:00Z"`},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := ParseTime(tt.in, now)
			if tt.err != "" {
				if err == nil || err.Error() != tt.err {
					t.Errorf("ParseTime(%q) = %v, %v; want error %q", tt.in, got, err, tt.err)
				}
				return
			}
			if err != nil || !got.Equal(tt.want) {
				t.Errorf("ParseTime(%q) = %v, %v; want %v", tt.in, got, err, tt.want)
			}
		})
	}
}

func TestResolve(t *testing.T) {
	tests := []struct {
		r        TimeRange
		from, to time.Time
		err      string
	}{
		{r: TimeRange{From: "now-1h", To: "now"}, from: now.Add(-time.Hour), to: now},
		{r: TimeRange{From: "1h"}, from: now.Add(-time.Hour), to: now},
		{r: TimeRange{From: "7d", To: ""}, from: now.AddDate(0, 0, -7), to: now},
		{r: TimeRange{From: "now-2h", To: "now-1h"}, from: now.Add(-2 * time.Hour), to: now.Add(-time.Hour)},
		{r: TimeRange{From: "2026-11-27T10:00:00Z", To: "2026-11-27T11:00:00Z"},
			from: time.Date(2026, 11, 27, 10, 0, 0, 0, time.UTC), to: time.Date(2026, 11, 27, 11, 0, 0, 0, time.UTC)},
		{r: TimeRange{From: "2026-11-27T10:00:00Z"}, from: time.Date(2026, 11, 27, 10, 0, 0, 0, time.UTC), to: now},
		{r: TimeRange{}, err: "time range has no start (from)"},
		{r: TimeRange{From: "now-1h", To: "now-2h"}, err: "time range now-1h to now-2h: from must be before to"},
		{r: TimeRange{From: "now", To: "now"}, err: "time range now to now: from must be before to"},
		{r: TimeRange{From: "-1h"}, err: "time range -1h to now: from must be before to"},
		{r: TimeRange{From: "now-1h", To: "then"}, err: `to: bad time "then": want "now", "now-1h" or an RFC 3339 time such as "2026-11-27T10:00:00Z"`},
	}
	for _, tt := range tests {
		t.Run(tt.r.From+".."+tt.r.To, func(t *testing.T) {
			from, to, err := tt.r.Resolve(now)
			if tt.err != "" {
				if err == nil || err.Error() != tt.err {
					t.Errorf("Resolve = %v, %v, %v; want error %q", from, to, err, tt.err)
				}
				return
			}
			if err != nil || !from.Equal(tt.from) || !to.Equal(tt.to) {
				t.Errorf("Resolve = %v, %v, %v; want %v, %v", from, to, err, tt.from, tt.to)
			}
		})
	}
}

func TestTimeRangeString(t *testing.T) {
	tests := []struct {
		r    TimeRange
		want string
	}{
		{TimeRange{From: "now-1h", To: "now"}, "Last 1 hour"},
		{TimeRange{From: "now-6h"}, "Last 6 hours"},
		{TimeRange{From: "now-7d", To: "now"}, "Last 7 days"},
		{TimeRange{From: "now-15m", To: "now"}, "Last 15 minutes"},
		{TimeRange{From: "now-24h", To: "now"}, "Last 24 hours"},
		{TimeRange{From: "now-90s"}, "Last 90 seconds"},
		{TimeRange{From: "now-1h30m"}, "Last 90 minutes"},
		{TimeRange{From: "1h"}, "Last 1 hour"},
		{TimeRange{From: "now-2h", To: "now-1h"}, "now-2h to now-1h"},
		{TimeRange{From: "2026-11-27T10:00:00Z", To: "2026-11-27T12:00:00Z"}, "2026-11-27 10:00 to 12:00"},
		{TimeRange{From: "2026-11-27T22:00:00Z", To: "2026-11-28T02:00:00Z"}, "2026-11-27 22:00 to 2026-11-28 02:00"},
		{TimeRange{From: "2026-11-27T10:00:30Z", To: "2026-11-27T12:00:00Z"}, "2026-11-27 10:00:30 to 12:00"},
		{TimeRange{From: "2026-11-27T10:00:00Z"}, "2026-11-27 10:00 to now"},
		{TimeRange{From: "2026-11-27T10:00:00+01:00", To: "now-1h"}, "2026-11-27 10:00 to now-1h"},
		{TimeRange{From: "bogus", To: "now"}, "bogus to now"},
		{TimeRange{}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.want, func(t *testing.T) {
			if got := tt.r.String(); got != tt.want {
				t.Errorf("%+v.String() = %q, want %q", tt.r, got, tt.want)
			}
		})
	}
}
