package charts

import (
	"image/color"
	"strings"

	"github.com/wallboard/wallboard/layouts"
)

// Theme is a set of colours for panels. Level colours (OK, Warning,
// Critical) are reserved for meaning; Series is the palette for data.
type Theme struct {
	// Name is the theme's name, as ThemeNamed accepts it.
	Name string
	// Background is behind the panels (the dashboard); Panel is a panel's
	// body; Border its frame.
	Background, Panel, Border color.NRGBA
	// Text is for values and labels; TextDim for secondary text (axis
	// labels, legends' values, "No data").
	Text, TextDim color.NRGBA
	// Grid is for grid lines, Axis for axis lines and empty tracks.
	Grid, Axis color.NRGBA
	// OK, Warning and Critical colour threshold levels; Stale marks old data.
	OK, Warning, Critical, Stale color.NRGBA
	// Series is the palette for series, used in order and repeated.
	Series []color.NRGBA
}

func rgb(v uint32) color.NRGBA {
	return color.NRGBA{R: uint8(v >> 16), G: uint8(v >> 8), B: uint8(v), A: 0xff}
}

// Dark returns the default theme for NOC walls: near-black panels, bright
// text and a palette after Okabe & Ito, brightened for a dark background,
// that stays distinguishable with the common colour-vision deficiencies.
// Warning is amber and Critical vermilion, which differ in lightness too,
// and OK is a bluish green. Each call returns a new Theme.
func Dark() *Theme {
	return &Theme{
		Name:       "dark",
		Background: rgb(0x0a0c10),
		Panel:      rgb(0x12151b),
		Border:     rgb(0x262b34),
		Text:       rgb(0xeef1f5),
		TextDim:    rgb(0xa3adba),
		Grid:       rgb(0x242a33),
		Axis:       rgb(0x3b4350),
		OK:         rgb(0x2bc48a),
		Warning:    rgb(0xffb000),
		Critical:   rgb(0xff4f3f),
		Stale:      rgb(0x8b939e),
		Series: []color.NRGBA{
			rgb(0x5cb8ff), // sky blue
			rgb(0xf28e2b), // orange
			rgb(0x3fd1b0), // bluish green
			rgb(0xe38fcf), // reddish purple
			rgb(0xf0e442), // yellow
			rgb(0x9d8cff), // violet
			rgb(0xff7a5c), // vermilion
			rgb(0xc7cdd6), // light grey
		},
	}
}

// Light returns a theme for bright rooms and printing: white panels, dark
// text and the same palette darkened for contrast on white.
func Light() *Theme {
	return &Theme{
		Name:       "light",
		Background: rgb(0xe9ecf0),
		Panel:      rgb(0xffffff),
		Border:     rgb(0xd0d6de),
		Text:       rgb(0x15191f),
		TextDim:    rgb(0x525c69),
		Grid:       rgb(0xe4e8ed),
		Axis:       rgb(0xb3bcc7),
		OK:         rgb(0x108a5c),
		Warning:    rgb(0xc77c00),
		Critical:   rgb(0xd42a1c),
		Stale:      rgb(0x7d8590),
		Series: []color.NRGBA{
			rgb(0x0072b2), // blue
			rgb(0xd55e00), // vermilion-orange
			rgb(0x009e73), // bluish green
			rgb(0xb8509a), // reddish purple
			rgb(0x9a8700), // dark yellow
			rgb(0x6a4fd8), // violet
			rgb(0xe0301e), // red
			rgb(0x5f6b7a), // grey
		},
	}
}

// ThemeNamed returns the theme called name ("dark" or "light", any case;
// "" is dark).
// For an unknown name it returns Dark and false.
func ThemeNamed(name string) (*Theme, bool) {
	switch strings.ToLower(strings.TrimSpace(name)) {
	case "dark", "":
		return Dark(), true
	case "light":
		return Light(), true
	}
	return Dark(), false
}

// LevelColor is the colour of a threshold level.
func (t *Theme) LevelColor(l layouts.Level) color.NRGBA {
	switch l {
	case layouts.LevelWarning:
		return t.Warning
	case layouts.LevelCritical:
		return t.Critical
	}
	return t.OK
}

// seriesColor is the palette colour of the i-th series.
func (t *Theme) seriesColor(i int) color.NRGBA {
	if len(t.Series) == 0 {
		return t.Text
	}
	if i < 0 {
		i = -i
	}
	return t.Series[i%len(t.Series)]
}

// valueColor is the colour of a value shown alone (stat, gauge, bar): the
// level colour when the widget has thresholds, else neutral.
func (t *Theme) valueColor(th *layouts.Thresholds, v float64, neutral color.NRGBA) color.NRGBA {
	if th == nil || (th.Warning == nil && th.Critical == nil) {
		return neutral
	}
	return t.LevelColor(th.Level(v))
}

// mix blends a toward b by f (0..1), opaque result.
func mix(a, b color.NRGBA, f float64) color.NRGBA {
	if f <= 0 {
		return a
	}
	if f >= 1 {
		return b
	}
	l := func(x, y uint8) uint8 { return uint8(float64(x) + (float64(y)-float64(x))*f + 0.5) }
	return color.NRGBA{R: l(a.R, b.R), G: l(a.G, b.G), B: l(a.B, b.B), A: 0xff}
}

// withAlpha returns c with alpha a.
func withAlpha(c color.NRGBA, a uint8) color.NRGBA {
	c.A = a
	return c
}
