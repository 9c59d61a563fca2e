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
	// Info colours information that is neither good nor bad: info alerts,
	// annotations without a level, links.
	Info color.NRGBA
	// Series is the palette for series, used in order and repeated.
	Series []color.NRGBA
	// Scale is a sequential colour scale, low to high, for heat map cells
	// and geo-map markers: even steps of lightness, so that order reads
	// without a legend, and colour-blind safe.
	Scale []color.NRGBA
	// Land fills the countries of geo-maps (their borders are Panel).
	Land color.NRGBA
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
		Info:       rgb(0x5cb8ff),
		Land:       rgb(0x2c3440),
		// viridis from 10% (its darkest purple vanishes on the panel)
		Scale: []color.NRGBA{
			rgb(0x482878), rgb(0x3e4989), rgb(0x31688e), rgb(0x26828e), rgb(0x1f9e89),
			rgb(0x35b779), rgb(0x6ece58), rgb(0xb5de2b), rgb(0xfde725),
		},
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
		Info:       rgb(0x0068a8),
		Land:       rgb(0xdde2e8),
		// ColorBrewer YlGnBu: light for few, dark for many
		Scale: []color.NRGBA{
			rgb(0xedf8b1), rgb(0xc7e9b4), rgb(0x7fcdbb), rgb(0x41b6c4), rgb(0x1d91c0),
			rgb(0x225ea8), rgb(0x253494), rgb(0x081d58),
		},
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

// HighContrast returns a theme for walls seen from afar, bright rooms
// and low vision: black panels, white text and borders, fully saturated
// level colours and a palette of bright, distinct hues; dimmed text is
// still near white, grid lines are plainly visible.
func HighContrast() *Theme {
	return &Theme{
		Name:       "highcontrast",
		Background: rgb(0x000000),
		Panel:      rgb(0x000000),
		Border:     rgb(0xffffff),
		Text:       rgb(0xffffff),
		TextDim:    rgb(0xe6e6e6),
		Grid:       rgb(0x4d4d4d),
		Axis:       rgb(0xbfbfbf),
		OK:         rgb(0x00e676),
		Warning:    rgb(0xffd600),
		Critical:   rgb(0xff3b30),
		Stale:      rgb(0xbdbdbd),
		Info:       rgb(0x40c4ff),
		Land:       rgb(0x3d3d3d),
		Scale: []color.NRGBA{
			rgb(0x3a4cff), rgb(0x0091ff), rgb(0x00d4ff), rgb(0x00ffb0), rgb(0x9dff00),
			rgb(0xffff00), rgb(0xffffff),
		},
		Series: []color.NRGBA{
			rgb(0x40c4ff), // cyan blue
			rgb(0xff9100), // orange
			rgb(0x00ffb0), // aqua green
			rgb(0xff66e0), // pink
			rgb(0xffff00), // yellow
			rgb(0xb388ff), // lavender
			rgb(0xff5a36), // red-orange
			rgb(0xffffff), // white
		},
	}
}

// ThemeNames lists the names ThemeNamed accepts, the default first.
var ThemeNames = []string{"dark", "light", "highcontrast"}

// ThemeNamed returns the theme called name ("dark", "light" or
// "highcontrast", any case; "high-contrast" and "" for dark too).
// For an unknown name it returns Dark and false.
func ThemeNamed(name string) (*Theme, bool) {
	switch strings.ToLower(strings.TrimSpace(name)) {
	case "dark", "":
		return Dark(), true
	case "light":
		return Light(), true
	case "highcontrast", "high-contrast", "high contrast", "hc":
		return HighContrast(), true
	}
	return Dark(), false
}

// scaleColor is the colour of f (0..1) on the theme's Scale.
func (t *Theme) scaleColor(f float64) color.NRGBA {
	n := len(t.Scale)
	switch {
	case n == 0:
		return mix(t.Panel, t.Text, 0.25+0.75*clampF(f, 0, 1))
	case n == 1 || !(f > 0):
		return t.Scale[0]
	case f >= 1:
		return t.Scale[n-1]
	}
	x := f * float64(n-1)
	i := int(x)
	return mix(t.Scale[i], t.Scale[i+1], x-float64(i))
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
