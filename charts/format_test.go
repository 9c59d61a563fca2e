package charts

import (
	"math"
	"testing"

	"github.com/wallboard/wallboard/datasources"
	"github.com/wallboard/wallboard/layouts"
)

func TestFormatValue(t *testing.T) {
	nan, inf := math.NaN(), math.Inf(1)
	tests := []struct {
		v        float64
		unit     string
		decimals *int
		want     string
	}{
		// network rates, decimal
		{512, "Bps", nil, "512 B/s"},
		{1500, "Bps", nil, "1.5 kB/s"},
		{3.2e9, "Bps", nil, "3.2 GB/s"},
		{12.5e6, "bps", nil, "12.5 Mb/s"},
		{1e10, "bps", nil, "10 Gb/s"},
		// percent, 0..100
		{73.2, "percent", nil, "73.2%"},
		{100, "percent", nil, "100%"},
		{0, "percent", nil, "0%"},
		{5.271, "percent", nil, "5.27%"},
		{0.05, "percent", nil, "0.05%"},
		{-3.5, "percent", nil, "-3.5%"},
		{73.26, "percent", ptr(1), "73.3%"},
		{99.95, "percent", nil, "100%"},
		// percentunit, 0..1
		{0.987, "percentunit", nil, "98.7%"},
		{1, "percentunit", nil, "100%"},
		{0.9549, "percentunit", ptr(2), "95.49%"},
		{-0.02, "percentunit", nil, "-2%"},
		// seconds
		{0.234, "s", nil, "234 ms"},
		{0.000012, "s", nil, "12 µs"},
		{5e-10, "s", nil, "0.5 ns"},
		{1.5, "s", nil, "1.5 s"},
		{0.9999, "s", nil, "1 s"},
		{59.99, "s", nil, "1 min"},
		{90, "s", nil, "1.5 min"},
		{7200, "s", nil, "2 h"},
		{172800, "s", nil, "2 d"},
		{0, "s", nil, "0 s"},
		{-0.5, "s", nil, "-500 ms"},
		{0.25, "s", ptr(1), "250.0 ms"},
		// milliseconds
		{234, "ms", nil, "234 ms"},
		{1500, "ms", nil, "1.5 s"},
		{0.5, "ms", nil, "500 µs"},
		// bytes, binary
		{512, "bytes", nil, "512 B"},
		{1536, "bytes", nil, "1.5 KiB"},
		{3.2 * (1 << 30), "bytes", nil, "3.2 GiB"},
		{1023.9, "bytes", nil, "1 KiB"},
		{0, "bytes", nil, "0 B"},
		{5 * (1 << 50), "bytes", nil, "5 PiB"},
		{-2048, "bytes", nil, "-2 KiB"},
		// rates
		{1234, "reqps", nil, "1.23K req/s"},
		{12.34, "reqps", nil, "12.3 req/s"},
		{0, "reqps", nil, "0 req/s"},
		{12.34, "ops", nil, "12.3/s"},
		{1500, "ops", nil, "1.5K/s"},
		// money
		{0.0123, "currencyUSD", nil, "$0.0123"},
		{0.5, "currencyUSD", nil, "$0.50"},
		{0.999, "currencyUSD", nil, "$0.999"},
		{12.5, "currencyUSD", nil, "$12.50"},
		{0, "currencyUSD", nil, "$0.00"},
		{-5, "currencyUSD", nil, "-$5.00"},
		{1200, "currencyUSD", nil, "$1.2K"},
		{1234567, "currencyUSD", nil, "$1.23M"},
		{1e-9, "currencyUSD", nil, "$1e-09"},
		// short
		{1234, "short", nil, "1.23K"},
		{1.5e6, "short", nil, "1.5M"},
		{2e9, "short", nil, "2B"},
		{3e12, "short", nil, "3T"},
		{999.95, "short", nil, "1K"},
		{0.00123, "short", nil, "0.00123"},
		{1e-9, "short", nil, "1e-09"},
		{-4.5e6, "short", nil, "-4.5M"},
		{1234, "short", ptr(0), "1K"},
		// none and empty: plain below 10,000
		{1234, "", nil, "1234"},
		{12345, "none", nil, "12.3K"},
		{0.5, "", nil, "0.5"},
		{12.34, "none", nil, "12.3"},
		{-7, "", nil, "-7"},
		// unknown unit: short and the unit
		{1234, "rpm", nil, "1.23K rpm"},
		// not numbers
		{nan, "percent", nil, "–"},
		{nan, "", nil, "–"},
		{inf, "s", nil, "∞"},
		{-inf, "bytes", nil, "-∞"},
	}
	for _, tt := range tests {
		name := tt.unit + "/" + FormatValue(tt.v, "", nil)
		t.Run(name, func(t *testing.T) {
			if got := FormatValue(tt.v, tt.unit, tt.decimals); got != tt.want {
				t.Errorf("FormatValue(%v, %q) = %q, want %q", tt.v, tt.unit, got, tt.want)
			}
		})
	}
}

func TestFormatWidgetMappings(t *testing.T) {
	w := &layouts.Widget{Unit: "percent", Mappings: []layouts.ValueMapping{{Value: 0, Text: "down"}, {Value: 1, Text: "up"}}}
	tests := []struct {
		v    float64
		want string
	}{{0, "down"}, {1, "up"}, {0.5, "0.5%"}, {math.NaN(), "–"}}
	for _, tt := range tests {
		if got := FormatWidget(w, tt.v); got != tt.want {
			t.Errorf("FormatWidget(%v) = %q, want %q", tt.v, got, tt.want)
		}
	}
	if got := FormatWidget(nil, 3); got != "3" {
		t.Errorf("FormatWidget(nil, 3) = %q", got)
	}
}

func TestReduce(t *testing.T) {
	nan := math.NaN()
	s := func(vs ...float64) datasources.Series {
		var out datasources.Series
		for i, v := range vs {
			out.Points = append(out.Points, datasources.Point{T: int64(i) * 1000, V: v})
		}
		return out
	}
	tests := []struct {
		name   string
		s      datasources.Series
		how    string
		want   float64
		wantOK bool
	}{
		{"last default", s(1, 2, 3), "", 3, true},
		{"last skips trailing NaN", s(1, 2, nan), "last", 2, true},
		{"unknown is last", s(1, 5), "median", 5, true},
		{"lastNotNull", s(4, nan), "lastNotNull", 4, true},
		{"mean", s(1, 2, nan, 6), "mean", 3, true},
		{"avg", s(2, 4), "avg", 3, true},
		{"max", s(1, nan, 7, 3), "max", 7, true},
		{"min", s(nan, 4, -2, 3), "min", -2, true},
		{"sum", s(1, 2, nan, 3), "sum", 6, true},
		{"first", s(nan, 8, 9), "first", 8, true},
		{"count", s(nan, 8, 9), "count", 2, true},
		{"range", s(3, 9, 1), "range", 8, true},
		{"empty", s(), "last", 0, false},
		{"all NaN", s(nan, nan), "mean", 0, false},
		{"all NaN max", s(nan), "max", 0, false},
		{"one point", s(42), "mean", 42, true},
		{"inf kept", s(1, math.Inf(1)), "max", math.Inf(1), true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := Reduce(tt.s, tt.how)
			if ok != tt.wantOK || (ok && got != tt.want) {
				t.Errorf("Reduce(%s) = %v, %v; want %v, %v", tt.how, got, ok, tt.want, tt.wantOK)
			}
			if !ok && !math.IsNaN(got) {
				t.Errorf("Reduce without data = %v, want NaN", got)
			}
		})
	}
}

func TestThemes(t *testing.T) {
	for _, name := range []string{"dark", "Light", " DARK ", "highcontrast", "High-Contrast"} {
		if _, ok := ThemeNamed(name); !ok {
			t.Errorf("ThemeNamed(%q) not found", name)
		}
	}
	if th, ok := ThemeNamed("neon"); ok || th.Name != "dark" {
		t.Errorf("ThemeNamed(neon) = %v, %v; want dark, false", th.Name, ok)
	}
	for _, th := range []*Theme{Dark(), Light(), HighContrast()} {
		if got, ok := ThemeNamed(th.Name); !ok || got.Name != th.Name {
			t.Errorf("ThemeNamed(%q) = %q", th.Name, got.Name)
		}
		if len(th.Scale) < 5 {
			t.Errorf("%s: colour scale too short", th.Name)
		}
		// The scale runs one way in lightness, so that order reads.
		for i := 1; i < len(th.Scale); i++ {
			a, b := contrastLum(th.Scale[i-1]), contrastLum(th.Scale[i])
			if th.Name == "light" && b >= a || th.Name != "light" && b <= a {
				t.Errorf("%s: scale step %d not monotonic in lightness", th.Name, i)
			}
		}
		if th.LevelColor(layouts.LevelOK) != th.OK || th.LevelColor(layouts.LevelWarning) != th.Warning || th.LevelColor(layouts.LevelCritical) != th.Critical {
			t.Errorf("%s: LevelColor mismatch", th.Name)
		}
		if len(th.Series) < 6 {
			t.Errorf("%s: palette too short", th.Name)
		}
		// Text must stand out from the panel (WCAG contrast >= 7 for
		// text, >= 4.5 for dimmed text).
		if r := contrast(th.Text, th.Panel); r < 7 {
			t.Errorf("%s: text contrast %.1f", th.Name, r)
		}
		if r := contrast(th.TextDim, th.Panel); r < 4.5 {
			t.Errorf("%s: dim text contrast %.1f", th.Name, r)
		}
		for _, c := range []colorT{th.OK, th.Warning, th.Critical} {
			if r := contrast(c, th.Panel); r < 3 {
				t.Errorf("%s: level colour %v contrast %.1f", th.Name, c, r)
			}
		}
	}
	// Each call is a fresh copy: callers may modify it.
	a := Dark()
	a.Series[0] = colorT{}
	if Dark().Series[0] == (colorT{}) {
		t.Error("Dark() shares its palette")
	}
}

// contrastLum is a colour's relative luminance (WCAG).
func contrastLum(c colorT) float64 {
	ch := func(v uint8) float64 {
		x := float64(v) / 255
		if x <= 0.03928 {
			return x / 12.92
		}
		return math.Pow((x+0.055)/1.055, 2.4)
	}
	return 0.2126*ch(c.R) + 0.7152*ch(c.G) + 0.0722*ch(c.B)
}

func contrast(a, b colorT) float64 {
	la, lb := contrastLum(a), contrastLum(b)
	if la < lb {
		la, lb = lb, la
	}
	return (la + 0.05) / (lb + 0.05)
}
