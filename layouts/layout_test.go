package layouts

import "testing"

func TestLookups(t *testing.T) {
	l := Builtin()
	tests := []struct {
		name      string
		dashboard string
		widget    string
		wantD     bool
		wantW     bool
	}{
		{"both", TypeSystemHealth, "request_rate", true, true},
		{"no widget", TypeSystemHealth, "nope", true, false},
		{"no dashboard", "nope", "request_rate", false, false},
		{"empty ids", "", "", false, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := l.Dashboard(tt.dashboard)
			if (d != nil) != tt.wantD || d != nil && d.ID != tt.dashboard {
				t.Fatalf("Dashboard(%q) = %v", tt.dashboard, d)
			}
			w := d.Widget(tt.widget)
			if (w != nil) != tt.wantW || w != nil && w.ID != tt.widget {
				t.Fatalf("Widget(%q) = %v", tt.widget, w)
			}
			if w != nil {
				w.Title = "changed"
				if l.Dashboard(tt.dashboard).Widget(tt.widget).Title != "changed" {
					t.Error("Widget returned a copy, not the widget of the layout")
				}
			}
		})
	}
	var none *Layout
	if none.Dashboard("x") != nil {
		t.Error("a nil layout has a dashboard")
	}
}
