package layouts

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// timeExpr is a parsed time expression: an absolute time, or an offset from
// the moment the expression is resolved.
type timeExpr struct {
	abs bool
	t   time.Time
	off time.Duration
}

func (e timeExpr) at(now time.Time) time.Time {
	if e.abs {
		return e.t
	}
	return now.Add(e.off)
}

// parseTimeExpr parses "now", "now-1h", "now+5m" or an RFC 3339 time.
func parseTimeExpr(s string) (timeExpr, error) {
	s = strings.TrimSpace(s)
	if rest, ok := strings.CutPrefix(s, "now"); ok {
		rest = strings.TrimSpace(rest)
		if rest == "" {
			return timeExpr{}, nil
		}
		if rest[0] != '-' && rest[0] != '+' {
			return timeExpr{}, fmt.Errorf("bad time %q: want now, now-DURATION or now+DURATION", s)
		}
		d, err := ParseDuration(rest[:1] + strings.TrimSpace(rest[1:]))
		if err != nil {
			return timeExpr{}, fmt.Errorf("bad time %q: %w", s, err)
		}
		return timeExpr{off: d}, nil
	}
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		return timeExpr{}, fmt.Errorf(`bad time %q: want "now", "now-1h" or an RFC 3339 time such as "2026-11-27T10:00:00Z"`, s)
	}
	return timeExpr{abs: true, t: t}, nil
}

// ParseTime returns the time s stands for at now: "now", "now-1h",
// "now-30m", "now-7d", "now+5m" (any ParseDuration after the sign), or an
// RFC 3339 timestamp such as "2026-11-27T10:00:00Z".
func ParseTime(s string, now time.Time) (time.Time, error) {
	e, err := parseTimeExpr(s)
	if err != nil {
		return time.Time{}, err
	}
	return e.at(now), nil
}

// exprs parses both ends of the range. A bare duration as From ("1h")
// means that long before now; an empty To means now.
func (r TimeRange) exprs() (from, to timeExpr, err error) {
	if strings.TrimSpace(r.From) == "" {
		return from, to, errors.New("time range has no start (from)")
	}
	if d, derr := ParseDuration(strings.TrimSpace(r.From)); derr == nil {
		from = timeExpr{off: -d}
	} else if from, err = parseTimeExpr(r.From); err != nil {
		return from, to, fmt.Errorf("from: %w", err)
	}
	if strings.TrimSpace(r.To) != "" {
		if to, err = parseTimeExpr(r.To); err != nil {
			return from, to, fmt.Errorf("to: %w", err)
		}
	}
	return from, to, nil
}

// Resolve returns the bounds of the range at now. From may be a bare
// duration ("1h" means now-1h) and an empty To means now; from must come
// before to.
func (r TimeRange) Resolve(now time.Time) (from, to time.Time, err error) {
	f, t, err := r.exprs()
	if err != nil {
		return from, to, err
	}
	from, to = f.at(now), t.at(now)
	if !from.Before(to) {
		return from, to, fmt.Errorf("time range %s: from must be before to", r)
	}
	return from, to, nil
}

// check reports what is wrong with the range without a clock: each end
// must parse, and when both ends are relative (or both absolute) from must
// come before to. It returns the JSON field at fault ("from", "to" or "")
// and the reason.
func (r TimeRange) check() (field, reason string) {
	if strings.TrimSpace(r.From) == "" {
		return "from", `from is required, e.g. "now-1h"`
	}
	strip := func(err error) string {
		msg := err.Error()
		return strings.TrimPrefix(strings.TrimPrefix(msg, "from: "), "to: ")
	}
	if _, _, err := (TimeRange{From: r.From}).exprs(); err != nil {
		return "from", strip(err)
	}
	from, to, err := r.exprs()
	if err != nil {
		return "to", strip(err)
	}
	switch {
	case from.abs && to.abs && !from.t.Before(to.t),
		!from.abs && !to.abs && from.off >= to.off:
		return "", fmt.Sprintf("from (%s) must be before to (%s)", r.From, orNow(r.To))
	}
	return "", ""
}

func orNow(s string) string {
	if strings.TrimSpace(s) == "" {
		return "now"
	}
	return s
}

// String describes the range in words: "Last 1 hour", "Last 7 days",
// "2026-11-27 10:00 to 12:00", "now-2h to now-1h".
func (r TimeRange) String() string {
	from, to, err := r.exprs()
	if err != nil {
		if r.From == "" && r.To == "" {
			return ""
		}
		return r.From + " to " + orNow(r.To)
	}
	switch {
	case !from.abs && !to.abs && to.off == 0 && from.off < 0:
		return "Last " + durationWords(-from.off)
	case from.abs && to.abs:
		f, t := from.t, to.t
		s := formatClock(f, "2006-01-02 15:04")
		if f.Year() == t.Year() && f.YearDay() == t.YearDay() && f.Location().String() == t.Location().String() {
			return s + " to " + formatClock(t, "15:04")
		}
		return s + " to " + formatClock(t, "2006-01-02 15:04")
	}
	return describeEnd(from, r.From) + " to " + describeEnd(to, orNow(r.To))
}

func describeEnd(e timeExpr, raw string) string {
	if e.abs {
		return formatClock(e.t, "2006-01-02 15:04")
	}
	if e.off == 0 {
		return "now"
	}
	if e.off < 0 && !strings.HasPrefix(strings.TrimSpace(raw), "now") {
		return "now-" + Duration(-e.off).String() // a bare duration
	}
	return strings.Join(strings.Fields(raw), "")
}

// formatClock formats t with layout, adding seconds when t has any.
func formatClock(t time.Time, layout string) string {
	if t.Second() != 0 || t.Nanosecond() != 0 {
		layout += ":05"
	}
	return t.Format(layout)
}

// durationWords says d in the largest whole unit: "1 hour", "15 minutes",
// "7 days" (days from two on; one day is "24 hours").
func durationWords(d time.Duration) string {
	plural := func(n int64, unit string) string {
		s := strconv.FormatInt(n, 10) + " " + unit
		if n != 1 {
			s += "s"
		}
		return s
	}
	const day = 24 * time.Hour
	switch {
	case d >= 2*day && d%day == 0:
		return plural(int64(d/day), "day")
	case d >= time.Hour && d%time.Hour == 0:
		return plural(int64(d/time.Hour), "hour")
	case d >= time.Minute && d%time.Minute == 0:
		return plural(int64(d/time.Minute), "minute")
	case d >= time.Second && d%time.Second == 0:
		return plural(int64(d/time.Second), "second")
	}
	return Duration(d).String()
}
