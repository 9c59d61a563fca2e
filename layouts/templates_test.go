package layouts

import (
	"slices"
	"strings"
	"testing"
	"time"
)

func TestBuiltinValid(t *testing.T) {
	if err := Validate(Builtin()); err != nil {
		t.Fatalf("Builtin() does not validate:\n%v", err)
	}
}

func TestBuiltinShape(t *testing.T) {
	l := Builtin()
	var ids []string
	for _, d := range l.Dashboards {
		ids = append(ids, d.ID)
	}
	if want := []string{"system_health", "performance", "quality", "business_kpi", "cost", ShowcaseID}; !slices.Equal(ids, want) {
		t.Errorf("dashboards %v, want %v", ids, want)
	}
	if len(l.Sources) != 1 || l.Sources[0] != (Source{Name: "sim", Kind: KindSim}) {
		t.Errorf("sources = %+v, want only the simulator", l.Sources)
	}
	if len(l.Playlists) != 1 || l.Playlists[0].Name != "wall" || len(l.Playlists[0].Items) != 5 {
		t.Fatalf("playlists = %+v, want one \"wall\" of five", l.Playlists)
	}
	for i, item := range l.Playlists[0].Items {
		if item.Dashboard != ids[i] || item.Duration.D() != 30*time.Second {
			t.Errorf("wall item %d = %+v", i, item)
		}
	}
	if a := l.Alerts; a == nil || !a.ShowActive || a.History.D() != 24*time.Hour {
		t.Errorf("alerts = %+v", a)
	}

	metrics := simMetrics(t)
	kinds := []string{WidgetTimeSeries, WidgetStat, WidgetGauge, WidgetBarGauge, WidgetHistogram}
	for _, d := range l.Dashboards {
		showcase := d.ID == ShowcaseID
		t.Run(d.ID, func(t *testing.T) {
			if n := len(d.Widgets); n < 6 || n > 12 {
				t.Errorf("%d widgets, want 6 to 12", n)
			}
			if d.Title == "" || d.Description == "" || len(d.Tags) == 0 || (d.Type != d.ID && !showcase) || (showcase && d.Type != TypeCustom) {
				t.Errorf("title %q, description %q, tags %v, type %q", d.Title, d.Description, d.Tags, d.Type)
			}
			if d.Columns != 4 || rowsOf(&d) != 3 {
				t.Errorf("grid %d columns x %d rows, want 4 x 3", d.Columns, rowsOf(&d))
			}
			if r := d.Refresh.D(); r != 5*time.Second && r != 30*time.Second {
				t.Errorf("refresh %v", r)
			}
			wantFrom := "now-1h"
			if d.ID == TypeBusinessKPI {
				wantFrom = "now-24h"
			}
			if d.Time != (TimeRange{From: wantFrom, To: "now"}) {
				t.Errorf("time %+v, want %s..now", d.Time, wantFrom)
			}
			for _, w := range d.Widgets {
				if !slices.Contains(kinds, w.Type) && !showcase {
					t.Errorf("%s: kind %s is not for templates yet", w.ID, w.Type)
				}
				if w.Title == "" || w.Description == "" || (w.Unit == "" && IsDataKind(w.Type)) {
					t.Errorf("%s: title %q, description %q, unit %q", w.ID, w.Title, w.Description, w.Unit)
				}
				if th := w.Thresholds; th != nil && th.Direction == "" {
					t.Errorf("%s: thresholds without a direction", w.ID)
				}
				if strings.Contains(w.ID, "success") && w.Thresholds != nil && w.Thresholds.Direction != DirectionBelow {
					t.Errorf("%s: a success rate is bad when low", w.ID)
				}
				for _, q := range w.Queries {
					if err := checkPromQL(q.Expr, metrics); err != nil {
						t.Errorf("%s: %s: %v", w.ID, q.Expr, err)
					}
					if x := Interpolate(q.Expr, &d, nil); strings.Contains(x, "$") {
						t.Errorf("%s: %s: a variable is left after interpolation", w.ID, x)
					}
				}
			}
		})
	}
}

// TestSystemHealthSpec checks the widgets the spec's example names.
func TestSystemHealthSpec(t *testing.T) {
	d, ok := Template(TypeSystemHealth)
	if !ok {
		t.Fatal("no system_health template")
	}
	if d.Title != "System health" {
		t.Errorf("title %q", d.Title)
	}
	byID := map[string]Widget{}
	for _, w := range d.Widgets {
		byID[w.ID] = w
	}
	cpu := byID["cpu_usage"]
	if cpu.Type != WidgetGauge || cpu.Unit != UnitPercent || *cpu.Thresholds.Warning != 70 || *cpu.Thresholds.Critical != 90 ||
		cpu.Position != (Position{Row: 1, Col: 1}) {
		t.Errorf("cpu_usage = %+v", cpu)
	}
	rr := byID["request_rate"]
	if rr.Type != WidgetTimeSeries || len(rr.Queries) != 2 || rr.Position != (Position{Row: 1, Col: 2, Width: 2}) ||
		!strings.Contains(rr.Queries[0].Expr, "audio_requests_total") || !strings.Contains(rr.Queries[1].Expr, "audio_request_errors_total") {
		t.Errorf("request_rate = %+v", rr)
	}
	qd := byID["quality_distribution"]
	if qd.Type != WidgetHistogram || qd.Bins != 20 || qd.Position != (Position{Row: 2, Col: 1, Width: 3}) ||
		!strings.Contains(qd.Queries[0].Expr, "enhancement_quality_score") {
		t.Errorf("quality_distribution = %+v", qd)
	}
}

func TestTemplate(t *testing.T) {
	for _, id := range DashboardTypes {
		d, ok := Template(id)
		if id == TypeCustom {
			if ok {
				t.Errorf("Template(%q) found", id)
			}
			continue
		}
		if !ok || d.ID != id {
			t.Errorf("Template(%q) = %q, %t", id, d.ID, ok)
		}
	}
	// Templates are fresh copies.
	d, _ := Template(TypeCost)
	d.Widgets[0].Queries[0].Expr = "changed"
	if again, _ := Template(TypeCost); again.Widgets[0].Queries[0].Expr == "changed" {
		t.Error("Template shares memory between calls")
	}
}

// TestShowcase checks the showcase: every widget kind once at least, on
// the simulator, outside the wall playlist.
func TestShowcase(t *testing.T) {
	d, ok := Template(ShowcaseID)
	if !ok {
		t.Fatal("no showcase")
	}
	have := map[string]bool{}
	for _, w := range d.Widgets {
		have[w.Type] = true
	}
	for _, k := range WidgetKinds {
		if !have[k] {
			t.Errorf("the showcase has no %s panel", k)
		}
	}
	for _, item := range Builtin().Playlists[0].Items {
		if item.Dashboard == ShowcaseID {
			t.Error("the showcase is in the wall playlist")
		}
	}
}
