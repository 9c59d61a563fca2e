package layouts

// Dashboard returns the dashboard with id, or nil.
func (l *Layout) Dashboard(id string) *Dashboard {
	for i := range l.Dashboards {
		if l.Dashboards[i].ID == id {
			return &l.Dashboards[i]
		}
	}
	return nil
}

// Widget returns the widget with id, or nil.
func (d *Dashboard) Widget(id string) *Widget {
	for i := range d.Widgets {
		if d.Widgets[i].ID == id {
			return &d.Widgets[i]
		}
	}
	return nil
}
