package ui

import (
	"fmt"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/widget"

	"github.com/wallboard/wallboard/charts"
	"github.com/wallboard/wallboard/layouts"
)

// Menu is the shell's menu: time range, views, export and import, theme,
// kiosk and the shortcuts. The phone menu also lists refresh intervals.
func (s *Shell) Menu(phone bool) *fyne.Menu {
	var items []*fyne.MenuItem
	if phone {
		for _, d := range RefreshChoices {
			item := fyne.NewMenuItem("Refresh: "+RefreshLabel(d), func() {
				if err := s.SetRefresh(d); err != nil {
					s.ShowError(err)
				}
			})
			item.Checked = d == s.settings.Refresh
			items = append(items, item)
		}
		items = append(items, fyne.NewMenuItem("Search…", s.searchDialog), fyne.NewMenuItemSeparator())
	}
	items = append(items, fyne.NewMenuItem("Custom time range…", s.customTimeDialog))
	if s.rt.Views != nil {
		items = append(items, fyne.NewMenuItem("Save view…", s.saveViewDialog))
		var views []*fyne.MenuItem
		for _, v := range s.rt.Views.List() {
			views = append(views, fyne.NewMenuItem(v.Name, func() {
				if err := s.OpenView(v.Name); err != nil {
					s.ShowError(err)
				}
			}))
		}
		open := fyne.NewMenuItem("Views", nil)
		if len(views) == 0 {
			none := fyne.NewMenuItem("No saved views", nil)
			none.Disabled = true
			views = append(views, none)
		}
		open.ChildMenu = fyne.NewMenu("", views...)
		items = append(items, open)
	}
	items = append(items, fyne.NewMenuItemSeparator(),
		fyne.NewMenuItem("Export layout…", s.ExportLayout),
		fyne.NewMenuItem("Export dashboard as PNG…", s.ExportDashboardPNG),
		fyne.NewMenuItem("Import layout…", func() { s.OpenFile(s.ImportLayout) }),
		fyne.NewMenuItemSeparator())
	var themeItems []*fyne.MenuItem
	for _, name := range themes {
		item := fyne.NewMenuItem(themeLabel(name), func() { s.setThemeNamed(name) })
		item.Checked = s.rt.Palette.Name == name
		themeItems = append(themeItems, item)
	}
	th := fyne.NewMenuItem("Theme", nil)
	th.ChildMenu = fyne.NewMenu("", themeItems...)
	items = append(items, th,
		fyne.NewMenuItem("Kiosk mode (d k)", func() { s.SetKiosk(true) }),
		fyne.NewMenuItem("Keyboard shortcuts (?)", s.ShowShortcuts))
	return fyne.NewMenu("Wallboard", items...)
}

// customTimeDialog asks for a relative or absolute range.
func (s *Shell) customTimeDialog() {
	if s.window == nil {
		return
	}
	from, to := widget.NewEntry(), widget.NewEntry()
	from.SetText(s.settings.Time.From)
	to.SetText(s.settings.Time.To)
	if to.Text == "" {
		to.SetText("now")
	}
	from.SetPlaceHolder("now-6h or 2026-11-27T10:00:00Z")
	to.SetPlaceHolder("now")
	form := []*widget.FormItem{widget.NewFormItem("From", from), widget.NewFormItem("To", to)}
	dialog.ShowForm("Time range", "Apply", "Cancel", form, func(ok bool) {
		if !ok {
			return
		}
		if err := s.SetTime(layouts.TimeRange{From: from.Text, To: to.Text}); err != nil {
			s.ShowError(fmt.Errorf("time range: %w", err))
		}
	}, s.window)
}

func (s *Shell) saveViewDialog() {
	if s.window == nil {
		return
	}
	name := widget.NewEntry()
	name.SetPlaceHolder("e.g. EU latency, last 6 hours")
	dialog.ShowForm("Save view", "Save", "Cancel", []*widget.FormItem{widget.NewFormItem("Name", name)}, func(ok bool) {
		if ok {
			if err := s.SaveView(name.Text); err != nil {
				s.ShowError(err)
			}
		}
	}, s.window)
}

func (s *Shell) searchDialog() {
	if s.window == nil {
		return
	}
	entry := widget.NewEntry()
	entry.SetPlaceHolder("Dashboard or panel")
	dialog.ShowForm("Search", "Go", "Cancel", []*widget.FormItem{widget.NewFormItem("Find", entry)}, func(ok bool) {
		if r := Search(s.Layout, entry.Text); ok && len(r) > 0 {
			s.bar.jump(r[0])
		}
	}, s.window)
}

// Shortcuts lists the keyboard shortcuts, as ? shows them.
var Shortcuts = [][2]string{
	{"?", "Show these shortcuts"},
	{"/", "Search dashboards and panels"},
	{"Esc", "Back from a panel; leave kiosk mode"},
	{"d k", "Toggle kiosk mode"},
	{"d r", "Refresh now"},
	{"d n / d p", "Next / previous dashboard"},
	{"t z", "Zoom out the time range"},
	{"t ← / t →", "Move the time range back / forward"},
}

// ShowShortcuts shows the keyboard shortcuts.
func (s *Shell) ShowShortcuts() {
	if s.window == nil {
		return
	}
	grid := container.NewGridWithColumns(2)
	for _, sc := range Shortcuts {
		grid.Add(widget.NewLabelWithStyle(sc[0], fyne.TextAlignLeading, fyne.TextStyle{Monospace: true, Bold: true}))
		grid.Add(widget.NewLabel(sc[1]))
	}
	dialog.ShowCustom("Keyboard shortcuts", "Close", grid, s.window)
}

func (s *Shell) errorDialog(err error) {
	if s.window == nil {
		fyne.LogError("wallboard", err)
		return
	}
	dialog.ShowError(err, s.window)
}

func (s *Shell) saveDialog(name string, write func(path string) error) {
	if s.window == nil {
		s.ShowError(fmt.Errorf("save %s: no window to ask where", name))
		return
	}
	d := dialog.NewFileSave(func(w fyne.URIWriteCloser, err error) {
		if err != nil || w == nil {
			return
		}
		path := w.URI().Path()
		_ = w.Close()
		if err := write(path); err != nil {
			s.ShowError(err)
		}
	}, s.window)
	d.SetFileName(name)
	d.Show()
}

func (s *Shell) openDialog(open func(path string)) {
	if s.window == nil {
		return
	}
	dialog.ShowFileOpen(func(r fyne.URIReadCloser, err error) {
		if err != nil || r == nil {
			return
		}
		path := r.URI().Path()
		_ = r.Close()
		open(path)
	}, s.window)
}

// stamp is a file-name-safe time for exported files.
func stamp(t time.Time) string { return t.Format("20060102-150405") }

// themes offered in the menu, in order.
var themes = []string{"dark", "light", "highcontrast"}

func (s *Shell) setThemeNamed(name string) {
	if p, ok := charts.ThemeNamed(name); ok && p.Name != s.rt.Palette.Name {
		s.SetPalette(p)
	}
}

func themeLabel(name string) string {
	switch name {
	case "light":
		return "Light theme"
	case "highcontrast":
		return "High contrast theme"
	}
	return "Dark theme"
}
