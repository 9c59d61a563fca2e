package layouts

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"
)

func TestBuilderSpecExample(t *testing.T) {
	sys := NewSet()
	health := sys.CreateDashboard("system_health", DashboardConfig{Refresh: 5 * time.Second, TimeRange: "1h", Layout: "grid"})
	health.AddWidget("cpu_usage", WidgetGauge, WidgetConfig{
		Thresholds: &Thresholds{Warning: Float(70), Critical: Float(90)},
		Position:   Position{Row: 1, Col: 1},
	}).AddWidget("request_rate", WidgetTimeSeries, WidgetConfig{
		Metrics:  []string{"requests_per_second", "errors_per_second"},
		Position: Position{Row: 1, Col: 2, Width: 2},
	}).AddWidget("quality_distribution", WidgetHistogram, WidgetConfig{
		Metric: "enhancement_quality_score", Bins: 20,
		Position: Position{Row: 2, Col: 1, Width: 3},
	})
	if err := sys.Err(); err != nil {
		t.Fatal(err)
	}
	d := health.Dashboard()
	if d.Type != TypeSystemHealth || d.Title != "System health" || d.Refresh.D() != 5*time.Second ||
		d.Time != (TimeRange{From: "now-1h", To: "now"}) || d.Layout != LayoutGrid {
		t.Errorf("dashboard = %+v", d)
	}
	cpuDef, _ := Metric("cpu_usage")
	want := Widget{
		ID: "cpu_usage", Type: WidgetGauge, Title: "CPU usage",
		Queries:    []Query{{Ref: "A", Expr: cpuDef.Expr, Legend: cpuDef.Legend}},
		Unit:       UnitPercent,
		Min:        Float(0),
		Max:        Float(100),
		Thresholds: &Thresholds{Warning: Float(70), Critical: Float(90)},
		Position:   Position{Row: 1, Col: 1},
	}
	if got := d.Widgets[0]; !reflect.DeepEqual(got, want) {
		t.Errorf("cpu_usage =\n%+v\nwant\n%+v", got, want)
	}
	rr := d.Widgets[1]
	if rr.Unit != UnitReqPerSec || rr.Title != "Request rate" || len(rr.Queries) != 2 || rr.Queries[1].Ref != "B" {
		t.Errorf("request_rate = %+v", rr)
	}
	qd := d.Widgets[2]
	if qd.Bins != 20 || *qd.Min != 0 || *qd.Max != 1 || qd.Title != "Enhancement quality score" && qd.Title != "Quality distribution" {
		t.Errorf("quality_distribution = %+v", qd)
	}
	if err := Validate(sys.Layout()); err != nil {
		t.Error(err)
	}
}

func TestBuilderAutoPlacement(t *testing.T) {
	sys := NewSet()
	b := sys.CreateDashboard("custom", DashboardConfig{})
	b.AddWidget("wide", WidgetTimeSeries, WidgetConfig{Metric: "throughput", Position: Position{Row: 1, Col: 2, Width: 2}})
	b.AddWidget("a", WidgetStat, WidgetConfig{Metric: "error_rate"})                               // 1,1
	b.AddWidget("b", WidgetStat, WidgetConfig{Metric: "error_rate"})                               // 1,4
	b.AddWidget("c", WidgetStat, WidgetConfig{Metric: "error_rate", Position: Position{Width: 3}}) // 2,1
	b.AddWidget("d", WidgetStat, WidgetConfig{Metric: "error_rate", Position: Position{Width: 2}}) // 3,1
	var got []Position
	for _, w := range b.Dashboard().Widgets[1:] {
		got = append(got, w.Position)
	}
	want := []Position{{Row: 1, Col: 1}, {Row: 1, Col: 4}, {Row: 2, Col: 1, Width: 3}, {Row: 3, Col: 1, Width: 2}}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("positions %v, want %v", got, want)
	}
	if err := sys.Err(); err != nil {
		t.Error(err)
	}
	if d := b.Dashboard(); d.Type != TypeCustom || d.Title != "Custom" {
		t.Errorf("type %q title %q", d.Type, d.Title)
	}
}

func TestBuilderErrors(t *testing.T) {
	tests := []struct {
		name  string
		build func(s *Set)
		want  string
	}{
		{"unknown metric", func(s *Set) {
			s.CreateDashboard("a", DashboardConfig{}).AddWidget("x", WidgetStat, WidgetConfig{Metric: "p95_latncy"})
		}, `dashboard "a": widget "x": unknown metric "p95_latncy" (known: `},
		{"no queries", func(s *Set) {
			s.CreateDashboard("a", DashboardConfig{}).AddWidget("x", WidgetStat, WidgetConfig{})
		}, `dashboard "a": widget "x": no queries: give Queries, or Metric or Metrics from the catalog`},
		{"unknown kind", func(s *Set) {
			s.CreateDashboard("a", DashboardConfig{}).AddWidget("cpu_usage", "guage", WidgetConfig{})
		}, `dashboard "a": widget "cpu_usage": unknown widget type "guage"`},
		{"duplicate widget", func(s *Set) {
			s.CreateDashboard("a", DashboardConfig{}).
				AddWidget("cpu_usage", WidgetGauge, WidgetConfig{}).
				AddWidget("cpu_usage", WidgetGauge, WidgetConfig{})
		}, `dashboard "a": widget "cpu_usage": a widget with this id exists`},
		{"duplicate dashboard", func(s *Set) {
			s.CreateDashboard("a", DashboardConfig{})
			s.CreateDashboard("a", DashboardConfig{})
		}, `create dashboard "a": a dashboard with this id exists`},
		{"bad id", func(s *Set) { s.CreateDashboard("A b", DashboardConfig{}) },
			`create dashboard "A b": id may only hold a-z, 0-9, _ and -`},
		{"bad time range", func(s *Set) { s.CreateDashboard("a", DashboardConfig{TimeRange: "an hour"}) },
			`create dashboard "a": time range: bad time "an hour"`},
		{"bad severity", func(s *Set) {
			s.ConfigureAlerts(AlertDisplay{Severities: []string{"warn"}})
		}, `configure alerts: unknown severity "warn"`},
		{"overlap found on export", func(s *Set) {
			s.CreateDashboard("a", DashboardConfig{}).
				AddWidget("cpu_usage", WidgetGauge, WidgetConfig{Position: Position{Row: 1, Col: 1, Width: 2}}).
				AddWidget("gpu_usage", WidgetGauge, WidgetConfig{Position: Position{Row: 1, Col: 2}})
		}, `$.dashboards[0].widgets[1].position: overlaps widget "cpu_usage"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := NewSet()
			tt.build(s)
			path := filepath.Join(t.TempDir(), "out.json")
			err := s.ExportConfig(path)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("ExportConfig = %v, want an error containing %q", err, tt.want)
			}
			if _, statErr := os.Stat(path); statErr == nil {
				t.Error("ExportConfig wrote a file despite the error")
			}
			if s.Err() != nil && !strings.Contains(s.Err().Error(), tt.want) {
				t.Errorf("Err() = %v", s.Err())
			}
		})
	}
}

func TestBuilderKPIs(t *testing.T) {
	sys := NewSet()
	b := sys.CreateDashboard("business_kpi", DashboardConfig{KPIs: map[string]string{
		"zeta":         "sum(total_cost)",
		"success_rate": "sum(success_count) / sum(total_count)",
	}})
	ws := b.Dashboard().Widgets
	if len(ws) != 2 || ws[0].ID != "success_rate" || ws[1].ID != "zeta" {
		t.Fatalf("widgets %+v", ws)
	}
	if ws[0].Unit != UnitPercentUnit || ws[0].Title != "Success rate" || ws[0].Style != StyleSparkline ||
		ws[0].Queries[0] != (Query{Ref: "A", Expr: "sum(success_count) / sum(total_count)", Legend: "success_rate"}) {
		t.Errorf("success_rate = %+v", ws[0])
	}
	if ws[1].Unit != "" || ws[1].Title != "Zeta" || ws[1].Position != (Position{Row: 1, Col: 2}) {
		t.Errorf("zeta = %+v", ws[1])
	}
}

func TestBuilderSourcesAndPlaylists(t *testing.T) {
	sys := NewSet()
	sys.AddSource(Source{Name: "sim", Kind: KindPrometheus, URL: "http://localhost:9090"})
	sys.AddSource(Source{Name: "influx", Kind: KindInflux, URL: "http://localhost:8086", TokenEnv: "INFLUX_TOKEN"})
	sys.CreateDashboard("system_health", DashboardConfig{Refresh: -1}).AddWidget("cpu_usage", WidgetGauge, WidgetConfig{})
	sys.CreateDashboard("cost", DashboardConfig{Metrics: []string{"cost_per_audio"}})
	sys.AddPlaylist("wall", 20*time.Second)
	l := sys.Layout()
	if len(l.Sources) != 2 || l.Sources[0].Kind != KindPrometheus {
		t.Errorf("sources %+v", l.Sources)
	}
	if l.Dashboards[0].Refresh != 0 {
		t.Errorf("negative Refresh gave %v, want 0 (off)", l.Dashboards[0].Refresh)
	}
	want := []PlaylistItem{{Dashboard: "system_health", Duration: Duration(20 * time.Second)}, {Dashboard: "cost", Duration: Duration(20 * time.Second)}}
	if !reflect.DeepEqual(l.Playlists[0].Items, want) {
		t.Errorf("playlist %+v", l.Playlists[0])
	}
	if err := sys.ExportConfig(filepath.Join(t.TempDir(), "x.json")); err != nil {
		t.Error(err)
	}
}

func TestTitleFromID(t *testing.T) {
	for id, want := range map[string]string{
		"system_health": "System health",
		"business_kpi":  "Business KPI",
		"gpu-usage":     "GPU usage",
		"élan":          "Élan",
		"":              "",
	} {
		if got := titleFromID(id); got != want {
			t.Errorf("titleFromID(%q) = %q, want %q", id, got, want)
		}
	}
}
