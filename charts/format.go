package charts

import (
	"math"
	"strconv"
	"strings"

	"github.com/wallboard/wallboard/datasources"
	"github.com/wallboard/wallboard/layouts"
)

// NoValue is what FormatValue shows for NaN: an en dash.
const NoValue = "–"

// FormatValue formats v in unit for display, with decimals digits after the
// point if decimals is not nil, else with about three significant digits
// (trailing zeros dropped). Units:
//
//	"percent"     0..100      73.2%
//	"percentunit" 0..1        98.7%
//	"s"           seconds     234 ms, 12 µs, 1.5 s, 2.5 min, 3 h, 2 d
//	"ms"          milliseconds, shown as "s" is
//	"bytes"       binary      512 B, 1.5 KiB, 3.2 GiB
//	"reqps"       per second  1.23K req/s
//	"ops"         per second  12.3/s
//	"currencyUSD" dollars     $0.0123, $12.50, $1.2K
//	"short"       K, M, B, T  1.23K, 4.5M
//	"none", ""    plain below 10,000, then as "short"
//
// Any other unit is shown as "short" followed by a space and the unit.
// NaN is NoValue, infinities are "∞" and "-∞".
func FormatValue(v float64, unit string, decimals *int) string {
	p, n, s := formatParts(v, unit, decimals)
	if p == "" && s == "" {
		return n
	}
	return p + n + s
}

// FormatWidget formats v for w: its value mappings first (a value equal
// to a mapping's Value is shown as its Text), then FormatValue with the
// widget's unit and decimals.
func FormatWidget(w *layouts.Widget, v float64) string {
	p, n, s := widgetParts(w, v)
	return p + n + s
}

// widgetParts is FormatWidget split into prefix, number and suffix; a
// mapped value is all number.
func widgetParts(w *layouts.Widget, v float64) (prefix, num, suffix string) {
	if w == nil {
		return formatParts(v, "", nil)
	}
	for _, m := range w.Mappings {
		if m.Value == v {
			return "", m.Text, ""
		}
	}
	return formatParts(v, w.Unit, w.Decimals)
}

type scaleStep struct {
	div    float64
	suffix string
}

var (
	shortScale = []scaleStep{{1, ""}, {1e3, "K"}, {1e6, "M"}, {1e9, "B"}, {1e12, "T"}}
	byteScale  = []scaleStep{{1, " B"}, {1 << 10, " KiB"}, {1 << 20, " MiB"}, {1 << 30, " GiB"}, {1 << 40, " TiB"}, {1 << 50, " PiB"}}
	timeScale  = []scaleStep{{1e-9, " ns"}, {1e-6, " µs"}, {1e-3, " ms"}, {1, " s"}, {60, " min"}, {3600, " h"}, {86400, " d"}}
)

// formatParts formats v as prefix (sign, currency), number and suffix
// (scale letter and unit).
func formatParts(v float64, unit string, decimals *int) (prefix, num, suffix string) {
	if math.IsNaN(v) {
		return "", NoValue, ""
	}
	sign := ""
	if v < 0 {
		sign = "-"
		v = -v
	}
	if math.IsInf(v, 0) {
		return sign, "∞", ""
	}
	switch unit {
	case "percent":
		return sign, number(v, decimals), "%"
	case "percentunit":
		return sign, number(v*100, decimals), "%"
	case "s":
		n, s := scaled(v, timeScale, decimals, true)
		return sign, n, s
	case "ms":
		n, s := scaled(v/1000, timeScale, decimals, true)
		return sign, n, s
	case "bytes":
		n, s := scaled(v, byteScale, decimals, false)
		return sign, n, s
	case "reqps":
		n, s := scaled(v, shortScale, decimals, false)
		return sign, n, s + " req/s"
	case "ops":
		n, s := scaled(v, shortScale, decimals, false)
		return sign, n, s + "/s"
	case "currencyUSD":
		if decimals == nil && v < 1000 {
			if v > 0 && v < 1 {
				// three significant digits, at least cents: $0.50, $0.0123
				d := autoDecimals(v)
				if d < 0 {
					return sign + "$", strconv.FormatFloat(v, 'g', 3, 64), ""
				}
				s := trimZeros(strconv.FormatFloat(v, 'f', max(2, d), 64))
				if strings.IndexByte(s, '.') < 0 {
					s += "."
				}
				for len(s)-strings.IndexByte(s, '.') < 3 {
					s += "0"
				}
				return sign + "$", s, ""
			}
			return sign + "$", strconv.FormatFloat(v, 'f', 2, 64), ""
		}
		n, s := scaled(v, shortScale, decimals, false)
		return sign + "$", n + strings.TrimSpace(s), ""
	case "short":
		n, s := scaled(v, shortScale, decimals, false)
		return sign, n, s
	case "", "none":
		if v < 1e4 {
			return sign, number(v, decimals), ""
		}
		n, s := scaled(v, shortScale, decimals, false)
		return sign, n, s
	}
	n, s := scaled(v, shortScale, decimals, false)
	return sign, n, s + " " + unit
}

// autoDecimals is the number of decimals giving about three significant
// digits for v >= 0, or -1 when v is too small for fixed notation.
func autoDecimals(v float64) int {
	switch {
	case v == 0 || v >= 100:
		return 0
	case v >= 10:
		return 1
	case v >= 1:
		return 2
	}
	d := 2 - int(math.Floor(math.Log10(v)))
	if d > 6 {
		return -1
	}
	return d
}

// number formats v >= 0 with fixed or automatic decimals.
func number(v float64, decimals *int) string {
	if decimals != nil {
		d := min(max(*decimals, 0), 12)
		return strconv.FormatFloat(v, 'f', d, 64)
	}
	d := autoDecimals(v)
	if d < 0 {
		return strconv.FormatFloat(v, 'g', 3, 64)
	}
	return trimZeros(strconv.FormatFloat(v, 'f', d, 64))
}

func trimZeros(s string) string {
	if strings.IndexByte(s, '.') < 0 {
		return s
	}
	s = strings.TrimRight(s, "0")
	return strings.TrimSuffix(s, ".")
}

// scaled formats v >= 0 in the largest step of scale not above it, moving
// to the next step when rounding reaches it. Time steps are not powers of
// 1000 after seconds, so ups gives the factor to the next step per step.
func scaled(v float64, scale []scaleStep, decimals *int, isTime bool) (string, string) {
	i := 0
	if v > 0 {
		for i+1 < len(scale) && v >= scale[i+1].div {
			i++
		}
	} else if isTime {
		i = 3 // zero seconds: "0 s"
	}
	for {
		x := v / scale[i].div
		s := number(x, decimals)
		if i+1 < len(scale) {
			next := scale[i+1].div / scale[i].div
			if f, err := strconv.ParseFloat(s, 64); err == nil && f >= next {
				i++
				continue
			}
		}
		return s, scale[i].suffix
	}
}

// Reduce reduces the non-NaN points of s to one value: how is "last" (the
// default, also for an unknown how), "mean", "max", "min", "sum", "first",
// "count" or "range" (max-min); Grafana's names ("lastNotNull", "avg",
// "firstNotNull", "delta" as range) are accepted too. It returns false when
// s has no non-NaN point.
func Reduce(s datasources.Series, how string) (float64, bool) {
	pts := s.Points
	switch how {
	case "first", "firstNotNull":
		for _, p := range pts {
			if !math.IsNaN(p.V) {
				return p.V, true
			}
		}
		return math.NaN(), false
	case "mean", "avg", "sum", "count", "max", "min", "range", "delta":
	default:
		p, ok := s.Last()
		if !ok {
			return math.NaN(), false
		}
		return p.V, true
	}
	n := 0
	sum := 0.0
	lo, hi := math.Inf(1), math.Inf(-1)
	for _, p := range pts {
		if math.IsNaN(p.V) {
			continue
		}
		n++
		sum += p.V
		lo = min(lo, p.V)
		hi = max(hi, p.V)
	}
	if n == 0 {
		return math.NaN(), false
	}
	switch how {
	case "mean", "avg":
		return sum / float64(n), true
	case "sum":
		return sum, true
	case "count":
		return float64(n), true
	case "max":
		return hi, true
	case "min":
		return lo, true
	}
	return hi - lo, true
}
