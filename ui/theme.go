package ui

import (
	"image/color"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/theme"

	"github.com/wallboard/wallboard/charts"
)

// Theme is a Fyne theme built from a charts palette, so the shell's widgets
// and the charts drawn inside panels share one set of colours.
type Theme struct {
	Palette *charts.Theme
	variant fyne.ThemeVariant
}

// NewTheme returns the Fyne theme for a charts palette ("dark" or "light").
func NewTheme(p *charts.Theme) *Theme {
	v := theme.VariantDark
	if p.Name == "light" {
		v = theme.VariantLight
	}
	return &Theme{Palette: p, variant: v}
}

// Color maps Fyne's colour names to the palette; the variant asked for is
// ignored because a wall's theme is chosen by the layout, not the OS.
func (t *Theme) Color(n fyne.ThemeColorName, _ fyne.ThemeVariant) color.Color {
	p := t.Palette
	switch n {
	case theme.ColorNameBackground:
		return p.Background
	case theme.ColorNameForeground:
		return p.Text
	case theme.ColorNamePlaceHolder, theme.ColorNameDisabled:
		return p.TextDim
	case theme.ColorNameSeparator, theme.ColorNameInputBorder:
		return p.Border
	case theme.ColorNameButton, theme.ColorNameInputBackground, theme.ColorNameMenuBackground,
		theme.ColorNameOverlayBackground, theme.ColorNameHeaderBackground:
		return p.Panel
	case theme.ColorNameError:
		return p.Critical
	case theme.ColorNameWarning:
		return p.Warning
	case theme.ColorNameSuccess:
		return p.OK
	case theme.ColorNamePrimary, theme.ColorNameFocus, theme.ColorNameHyperlink:
		if len(p.Series) > 0 {
			return p.Series[0]
		}
	}
	return theme.DefaultTheme().Color(n, t.variant)
}

// Font is Fyne's default font.
func (t *Theme) Font(s fyne.TextStyle) fyne.Resource { return theme.DefaultTheme().Font(s) }

// Icon is Fyne's default icon.
func (t *Theme) Icon(n fyne.ThemeIconName) fyne.Resource { return theme.DefaultTheme().Icon(n) }

// Size enlarges text for reading across a room; everything else is Fyne's.
func (t *Theme) Size(n fyne.ThemeSizeName) float32 {
	switch n {
	case theme.SizeNameText:
		return 16
	case theme.SizeNameSubHeadingText:
		return 20
	case theme.SizeNameHeadingText:
		return 26
	case theme.SizeNameInnerPadding:
		return 12 // buttons and pickers at least 44 px high: touch targets
	}
	return theme.DefaultTheme().Size(n)
}
