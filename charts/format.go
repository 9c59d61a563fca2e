package charts

import (
	"bytes"
	"math"
	"strconv"
	"unsafe"

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
//	"Bps"         bytes/s     512 B/s, 1.5 kB/s, 3.2 GB/s (decimal)
//	"bps"         bits/s      800 b/s, 12.5 Mb/s, 10 Gb/s (decimal)
//	"reqps"       per second  1.23K req/s
//	"ops"         per second  12.3/s
//	"currencyUSD" dollars     $0.0123, $12.50, $1.2K
//	"short"       K, M, B, T  1.23K, 4.5M
//	"none", ""    plain below 10,000, then as "short"
//
// Any other unit is shown as "short" followed by a space and the unit.
// NaN is NoValue, infinities are "∞" and "-∞".
func FormatValue(v float64, unit string, decimals *int) string {
	var buf [48]byte
	b, _, _ := appendValue(buf[:0], v, unit, decimals)
	return string(b)
}

// FormatWidget formats v for w: its value mappings first (a value equal
// to a mapping's Value is shown as its Text), then FormatValue with the
// widget's unit and decimals.
func FormatWidget(w *layouts.Widget, v float64) string {
	var buf [48]byte
	b, _, _ := appendWidget(buf[:0], w, v)
	return string(b)
}

// mapped returns the text of w's value mapping for v, if any.
func mapped(w *layouts.Widget, v float64) (string, bool) {
	if w == nil {
		return "", false
	}
	for _, m := range w.Mappings {
		if m.Value == v {
			return m.Text, true
		}
	}
	return "", false
}

// appendWidget is FormatWidget appending to dst; the number (or mapped
// text) is dst[n0:n1], before it the prefix, after it the suffix.
func appendWidget(dst []byte, w *layouts.Widget, v float64) (out []byte, n0, n1 int) {
	if t, ok := mapped(w, v); ok {
		n0 = len(dst)
		dst = append(dst, t...)
		return dst, n0, len(dst)
	}
	if w == nil {
		return appendValue(dst, v, "", nil)
	}
	return appendValue(dst, v, w.Unit, w.Decimals)
}

type scaleStep struct {
	div    float64
	suffix string
}

var (
	shortScale = []scaleStep{{1, ""}, {1e3, "K"}, {1e6, "M"}, {1e9, "B"}, {1e12, "T"}}
	byteScale  = []scaleStep{{1, " B"}, {1 << 10, " KiB"}, {1 << 20, " MiB"}, {1 << 30, " GiB"}, {1 << 40, " TiB"}, {1 << 50, " PiB"}}
	// Network rates are decimal, as links are sold.
	bytesPerSecScale = []scaleStep{{1, " B/s"}, {1e3, " kB/s"}, {1e6, " MB/s"}, {1e9, " GB/s"}, {1e12, " TB/s"}}
	bitsPerSecScale  = []scaleStep{{1, " b/s"}, {1e3, " kb/s"}, {1e6, " Mb/s"}, {1e9, " Gb/s"}, {1e12, " Tb/s"}}
	timeScale        = []scaleStep{{1e-9, " ns"}, {1e-6, " µs"}, {1e-3, " ms"}, {1, " s"}, {60, " min"}, {3600, " h"}, {86400, " d"}}
)

// appendValue appends v formatted in unit to dst: a prefix (sign,
// currency), the number dst[n0:n1], and a suffix (scale and unit). It
// allocates only when dst must grow.
func appendValue(dst []byte, v float64, unit string, decimals *int) (out []byte, n0, n1 int) {
	if math.IsNaN(v) {
		n0 = len(dst)
		dst = append(dst, NoValue...)
		return dst, n0, len(dst)
	}
	if v < 0 {
		dst = append(dst, '-')
		v = -v
	}
	if math.IsInf(v, 0) {
		n0 = len(dst)
		dst = append(dst, "∞"...)
		return dst, n0, len(dst)
	}
	switch unit {
	case "percent", "percentunit":
		if unit == "percentunit" {
			v *= 100
		}
		n0 = len(dst)
		dst = appendNumber(dst, v, decimals)
		n1 = len(dst)
		return append(dst, '%'), n0, n1
	case "s", "ms":
		if unit == "ms" {
			v /= 1000
		}
		return appendScaled(dst, v, timeScale, decimals, true, "")
	case "bytes":
		return appendScaled(dst, v, byteScale, decimals, false, "")
	case "Bps":
		return appendScaled(dst, v, bytesPerSecScale, decimals, false, "")
	case "bps":
		return appendScaled(dst, v, bitsPerSecScale, decimals, false, "")
	case "reqps":
		return appendScaled(dst, v, shortScale, decimals, false, " req/s")
	case "ops":
		return appendScaled(dst, v, shortScale, decimals, false, "/s")
	case "currencyUSD":
		dst = append(dst, '$')
		n0 = len(dst)
		if decimals == nil && v < 1000 {
			if v > 0 && v < 1 {
				// three significant digits, at least cents: $0.50, $0.0123
				d := autoDecimals(v)
				if d < 0 {
					dst = strconv.AppendFloat(dst, v, 'g', 3, 64)
					return dst, n0, len(dst)
				}
				dst = trimZeros(strconv.AppendFloat(dst, v, 'f', max(2, d), 64), n0)
				dot := bytes.IndexByte(dst[n0:], '.')
				if dot < 0 {
					dot = len(dst) - n0
					dst = append(dst, '.')
				}
				for len(dst)-n0-dot < 3 {
					dst = append(dst, '0')
				}
				return dst, n0, len(dst)
			}
			dst = strconv.AppendFloat(dst, v, 'f', 2, 64)
			return dst, n0, len(dst)
		}
		dst, n0, n1 = appendScaled(dst, v, shortScale, decimals, false, "")
		return dst, n0, len(dst) // the scale letter is part of the number: $1.2K
	case "short":
		return appendScaled(dst, v, shortScale, decimals, false, "")
	case "", "none":
		if v < 1e4 {
			n0 = len(dst)
			dst = appendNumber(dst, v, decimals)
			return dst, n0, len(dst)
		}
		return appendScaled(dst, v, shortScale, decimals, false, "")
	}
	dst, n0, n1 = appendScaled(dst, v, shortScale, decimals, false, " ")
	return append(dst, unit...), n0, n1
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

// appendNumber appends v >= 0 with fixed or automatic decimals.
func appendNumber(dst []byte, v float64, decimals *int) []byte {
	if decimals != nil {
		d := min(max(*decimals, 0), 12)
		return strconv.AppendFloat(dst, v, 'f', d, 64)
	}
	d := autoDecimals(v)
	if d < 0 {
		return strconv.AppendFloat(dst, v, 'g', 3, 64)
	}
	start := len(dst)
	return trimZeros(strconv.AppendFloat(dst, v, 'f', d, 64), start)
}

// trimZeros drops the trailing zeros of the decimal number b[start:], and
// its point if nothing follows it.
func trimZeros(b []byte, start int) []byte {
	if bytes.IndexByte(b[start:], '.') < 0 {
		return b
	}
	for b[len(b)-1] == '0' {
		b = b[:len(b)-1]
	}
	if b[len(b)-1] == '.' {
		b = b[:len(b)-1]
	}
	return b
}

// appendScaled appends v >= 0 in the largest step of scale not above it,
// moving to the next step when rounding reaches it, then the step's suffix
// and unit. Time steps are not powers of 1000 after seconds, so the factor
// to the next step is taken from the table.
func appendScaled(dst []byte, v float64, scale []scaleStep, decimals *int, isTime bool, unit string) (out []byte, n0, n1 int) {
	i := 0
	if v > 0 {
		for i+1 < len(scale) && v >= scale[i+1].div {
			i++
		}
	} else if isTime {
		i = 3 // zero seconds: "0 s"
	}
	n0 = len(dst)
	for {
		dst = appendNumber(dst[:n0], v/scale[i].div, decimals)
		if i+1 < len(scale) {
			next := scale[i+1].div / scale[i].div
			num := unsafe.String(&dst[n0], len(dst)-n0)
			if f, err := strconv.ParseFloat(num, 64); err == nil && f >= next {
				i++
				continue
			}
		}
		n1 = len(dst)
		dst = append(dst, scale[i].suffix...)
		return append(dst, unit...), n0, n1
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
