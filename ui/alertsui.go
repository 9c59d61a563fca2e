package ui

import (
	"fmt"
	"image/color"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/wallboard/wallboard/alerts"
	"github.com/wallboard/wallboard/charts"
	"github.com/wallboard/wallboard/layouts"
	"github.com/wallboard/wallboard/wall"
)

// watchAlerts connects the shell to the runtime's alerts: the bar's count,
// the panels' frames, the kiosk banner and the playlist's jumps. It ends
// with Close.
func (s *Shell) watchAlerts() {
	a := s.rt.Alerts
	if a == nil {
		return
	}
	stop := a.Evaluator.OnChange(func() {
		fyne.Do(func() {
			if s.ctx.Err() == nil { // never after Close: the app may be gone
				s.alertsChanged()
			}
		})
	})
	stopT := a.Evaluator.OnTransition(func(t alerts.Transition) {
		fyne.Do(func() {
			if s.ctx.Err() != nil {
				return
			}
			for _, v := range []*DashboardView{s.current, s.drillView()} {
				if v != nil {
					v.alertsTransitioned()
				}
			}
		})
		if t.To == alerts.Firing && t.Dashboard != "" {
			select {
			case s.jumps <- t.Dashboard:
			default:
			}
		}
	})
	s.wg.Add(1)
	go func() {
		defer s.wg.Done()
		<-s.ctx.Done()
		stop()
		stopT()
	}()
}

// drillView is the drill-down's one-panel view, or nil.
func (s *Shell) drillView() *DashboardView {
	if s.drill == nil {
		return nil
	}
	return s.drill.view
}

// alertsChanged brings every alert display up to date; on Fyne's goroutine.
func (s *Shell) alertsChanged() {
	a := s.rt.Alerts
	if a == nil {
		return
	}
	s.bar.setAlertCount(a)
	if s.current != nil {
		s.current.alertsChanged()
	}
	if s.drill != nil {
		s.drill.view.alertsChanged()
	}
	s.banner.update(a, s.kiosk, s.rt.Clock())
}

// setAlertCount shows how many alerts are active, coloured by the worst.
func (b *bar) setAlertCount(a *wall.Alerting) {
	f := alerts.DisplayFilter(&a.Display)
	n := len(a.Active(f))
	b.alertBtn.SetText(fmt.Sprint(n))
	f.States = []alerts.State{alerts.Firing}
	switch a.Evaluator.Worst(f) {
	case layouts.SeverityCritical:
		b.alertBtn.Importance = widget.DangerImportance
	case layouts.SeverityWarning:
		b.alertBtn.Importance = widget.WarningImportance
	default:
		b.alertBtn.Importance = widget.MediumImportance
	}
	b.alertBtn.Refresh()
}

// ShowAlerts opens the alert list: active alerts (filtered by severity,
// each with an acknowledge button) and the history of transitions.
func (s *Shell) ShowAlerts() {
	a := s.rt.Alerts
	if a == nil || s.window == nil {
		return
	}
	severities := a.Display.Severities
	var active []alerts.Alert
	list := widget.NewList(
		func() int { return len(active) },
		func() fyne.CanvasObject {
			sev := canvas.NewText("CRITICAL", s.rt.Palette.Critical)
			sev.TextStyle.Bold = true
			return container.NewBorder(nil, nil, sev, widget.NewButton("Acknowledge", nil), widget.NewLabel(""))
		},
		func(i widget.ListItemID, o fyne.CanvasObject) {
			al := active[i]
			c := o.(*fyne.Container)
			label := c.Objects[0].(*widget.Label)
			sev := c.Objects[1].(*canvas.Text)
			ack := c.Objects[2].(*widget.Button)
			sev.Text = strings.ToUpper(al.Severity)
			sev.Color = s.rt.Palette.LevelColor(layouts.SeverityLevel(al.Severity))
			sev.Refresh()
			row := alertRow(a, al)
			label.SetText(fmt.Sprintf("%s  %s  %s  since %s  (%s)", row.Name, row.Labels, row.Value, Age(s.rt.Clock().Sub(row.Since)), row.Origin))
			ack.SetText("Acknowledge")
			if al.Acknowledged {
				ack.SetText("Acknowledged")
			}
			ack.OnTapped = func() {
				if al.Acknowledged {
					a.Evaluator.Unack(al.ID)
				} else {
					a.Evaluator.Ack(al.ID)
				}
			}
		},
	)
	reload := func() {
		f := alerts.DisplayFilter(&a.Display)
		f.Severities = severities
		active = a.Active(f)
		list.Refresh()
	}
	filter := widget.NewSelect([]string{"All severities", "Warning and critical", "Critical"}, func(v string) {
		switch v {
		case "Critical":
			severities = []string{layouts.SeverityCritical}
		case "Warning and critical":
			severities = []string{layouts.SeverityWarning, layouts.SeverityCritical}
		default:
			severities = nil
		}
		reload()
	})
	filter.SetSelected("All severities")

	retention := alerts.RetentionOf(&a.Display)
	hist := a.Evaluator.History(alerts.Filter{}, s.rt.Clock().Add(-retention), s.rt.Clock())
	histList := widget.NewList(
		func() int { return len(hist) },
		func() fyne.CanvasObject { return widget.NewLabel("") },
		func(i widget.ListItemID, o fyne.CanvasObject) {
			t := hist[len(hist)-1-i] // newest first
			o.(*widget.Label).SetText(fmt.Sprintf("%s  %-8s %s → %s  %s", t.At.Local().Format("Jan 2 15:04:05"), t.Severity, t.From, t.To, t.Rule))
		},
	)
	stop := a.Evaluator.OnChange(func() {
		fyne.Do(func() {
			if s.ctx.Err() == nil {
				reload()
			}
		})
	})
	tabs := container.NewAppTabs(
		container.NewTabItem("Active", container.NewBorder(container.NewHBox(widget.NewLabel("Show"), filter), nil, nil, nil, list)),
		container.NewTabItem(fmt.Sprintf("History (%s)", shortDuration(retention)), histList),
	)
	d := dialog.NewCustom("Alerts", "Close", tabs, s.window)
	d.SetOnClosed(stop)
	d.Resize(fyne.NewSize(min(s.window.Canvas().Size().Width-40, 1100), 600))
	d.Show()
}

// banner is the kiosk wall's strip for critical alerts: the oldest
// unacknowledged one, how many there are, and an acknowledge button.
type banner struct {
	// OnAck acknowledges the alert shown (its ID).
	OnAck func(id string)
	// OnResize is called when the banner appears or goes, so the owner
	// lays out the room it takes or gives back.
	OnResize func()

	root  *fyne.Container
	bg    *canvas.Rectangle
	text  *canvas.Text
	ack   *widget.Button
	alert alerts.Alert
}

func newBanner(pal *charts.Theme) *banner {
	b := &banner{}
	b.bg = canvas.NewRectangle(pal.Critical)
	b.text = canvas.NewText("", color.White)
	b.text.TextSize = 26
	b.text.TextStyle.Bold = true
	b.ack = widget.NewButtonWithIcon("Acknowledge", theme.ConfirmIcon(), func() {
		if b.OnAck != nil {
			b.OnAck(b.alert.ID)
		}
	})
	b.root = container.NewStack(b.bg, container.NewPadded(container.NewHBox(b.text, layout.NewSpacer(), b.ack)))
	b.root.Hide()
	return b
}

func (b *banner) resized() {
	if b.OnResize != nil {
		b.OnResize()
	}
}

// update shows the banner in kiosk mode while a critical alert fires
// unacknowledged; on Fyne's goroutine.
func (b *banner) update(a *wall.Alerting, kiosk bool, now time.Time) {
	al, n := a.Banner()
	if !kiosk || n == 0 {
		if b.root.Visible() {
			b.root.Hide()
			b.resized() // give the dashboard the room back
		}
		return
	}
	b.alert = al
	b.text.Text = Describe(al, now)
	if n > 1 {
		b.text.Text += fmt.Sprintf("   (+%d more)", n-1)
	}
	b.text.Refresh()
	if !b.root.Visible() {
		b.root.Show()
		b.resized() // lay the banner out above the dashboard
	}
}
