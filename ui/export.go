package ui

import (
	"encoding/csv"
	"fmt"
	"image"
	"image/png"
	"io"
	"math"
	"slices"
	"strconv"
	"time"

	"fyne.io/fyne/v2"

	"github.com/wallboard/wallboard/charts"
	"github.com/wallboard/wallboard/datasources"
	"github.com/wallboard/wallboard/layouts"
	"github.com/wallboard/wallboard/wall"
)

// WriteCSV writes series as CSV: a "time" column (RFC 3339) and one column
// per series, one row per timestamp of any series; a missing or NaN value is
// an empty cell.
func WriteCSV(out io.Writer, series []datasources.Series) error {
	w := csv.NewWriter(out)
	header := []string{"time"}
	var times []int64
	for _, s := range series {
		header = append(header, s.Name)
		for _, p := range s.Points {
			times = append(times, p.T)
		}
	}
	slices.Sort(times)
	times = slices.Compact(times)
	if err := w.Write(header); err != nil {
		return fmt.Errorf("write csv: %w", err)
	}
	idx := make([]int, len(series))
	row := make([]string, len(series)+1)
	for _, t := range times {
		row[0] = time.UnixMilli(t).UTC().Format(time.RFC3339)
		for i, s := range series {
			row[i+1] = ""
			for idx[i] < len(s.Points) && s.Points[idx[i]].T < t {
				idx[i]++
			}
			if idx[i] < len(s.Points) && s.Points[idx[i]].T == t && !math.IsNaN(s.Points[idx[i]].V) {
				row[i+1] = strconv.FormatFloat(s.Points[idx[i]].V, 'g', -1, 64)
			}
		}
		if err := w.Write(row); err != nil {
			return fmt.Errorf("write csv: %w", err)
		}
	}
	w.Flush()
	if err := w.Error(); err != nil {
		return fmt.Errorf("write csv: %w", err)
	}
	return nil
}

// ExportLayout saves the layout being shown as a layout file.
func (s *Shell) ExportLayout() {
	s.SaveFile("layout.json", func(path string) error { return layouts.Save(path, s.Layout) })
}

// ExportDashboardPNG saves the window as it is now.
func (s *Shell) ExportDashboardPNG() {
	if s.window == nil || s.current == nil {
		return
	}
	img := s.window.Canvas().Capture()
	s.SaveFile(s.current.Dashboard.ID+"-"+stamp(s.rt.Clock())+".png", func(path string) error {
		return layouts.WriteFileAtomic(path, func(w io.Writer) error { return png.Encode(w, img) })
	})
}

// exportSize is the size of a panel exported as an image, for reports.
var exportSize = image.Pt(1600, 900)

func (s *Shell) exportPanelCSV(dd *DrillDown) {
	snap := dd.panel.snapshot()
	s.SaveFile(dd.Widget.ID+"-"+stamp(s.rt.Clock())+".csv", func(path string) error {
		return layouts.WriteFileAtomic(path, func(w io.Writer) error { return WriteCSV(w, snap.series) })
	})
}

func (s *Shell) exportPanelPNG(dd *DrillDown) {
	snap := dd.panel.snapshot()
	img := image.NewRGBA(image.Rectangle{Max: exportSize})
	charts.Draw(img, dd.Widget, snap.series, charts.Frame{From: snap.from, To: snap.to, Scale: 1.5, Theme: s.rt.Palette})
	s.SaveFile(dd.Widget.ID+"-"+stamp(s.rt.Clock())+".png", func(path string) error {
		return layouts.WriteFileAtomic(path, func(w io.Writer) error { return png.Encode(w, img) })
	})
}

func (s *Shell) exportPanelSVG(dd *DrillDown) {
	snap := dd.panel.snapshot()
	s.SaveFile(dd.Widget.ID+"-"+stamp(s.rt.Clock())+".svg", func(path string) error {
		return layouts.WriteFileAtomic(path, func(w io.Writer) error {
			return charts.ExportSVG(w, dd.Widget, snap.series, charts.Frame{From: snap.from, To: snap.to, Scale: 1, Theme: charts.Light()}, exportSize.X, exportSize.Y)
		})
	})
}

// ImportLayout opens a layout file in place of the current one. An invalid
// file shows the validator's message and changes nothing.
func (s *Shell) ImportLayout(path string) {
	l, err := layouts.Load(path)
	if err != nil {
		s.ShowError(err)
		return
	}
	s.closeDrill()
	if s.current != nil {
		s.current.Stop()
		s.current = nil
	}
	if old, ok := s.rt.Sources.(*wall.LayoutSources); ok {
		defer old.Close()
	}
	s.rt.Sources = wall.OpenSources(l)
	s.Layout = l
	s.views = nil
	if s.rt.Alerts != nil {
		s.rt.Alerts = s.rt.Alerts.Reload(s.rt.Runtime, l)
		s.watchAlerts()
	}
	s.userTime = false
	s.settings = wall.Settings{}
	s.bar = s.newBar()
	s.top.Objects = []fyne.CanvasObject{s.bar.root}
	s.top.Refresh()
	s.showLogged(l.Dashboards[0].ID)
}
