package tests

import (
	"context"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"github.com/wallboard/wallboard/charts"
	"github.com/wallboard/wallboard/datasources/history"
	"github.com/wallboard/wallboard/layouts"
	"github.com/wallboard/wallboard/ui"
	"github.com/wallboard/wallboard/wall"
)

// trustLayout is two dashboards on one Prometheus: a live one and one over
// an absolute range that ended before now.
func trustLayout(url string, abs layouts.TimeRange) *layouts.Layout {
	widgets := func(prefix string) []layouts.Widget {
		var ws []layouts.Widget
		for i, e := range []string{`avg(cpu_usage_percent)`, `sum(rate(audio_requests_total[1m]))`, `sum(queue_depth)`} {
			ws = append(ws, layouts.Widget{ID: prefix + string(rune('a'+i)), Type: layouts.WidgetStat, Title: e,
				Queries: []layouts.Query{{Expr: e}}, Position: layouts.Position{Row: 1, Col: i + 1}})
		}
		return ws
	}
	return &layouts.Layout{Version: layouts.Version,
		Sources: []layouts.Source{{Name: "prom", Kind: layouts.KindPrometheus, URL: url, Timeout: layouts.Duration(time.Second)}},
		Dashboards: []layouts.Dashboard{
			{ID: "one", Title: "One", Time: layouts.TimeRange{From: "now-5m", To: "now"}, Refresh: layouts.Duration(time.Second), Columns: 3, Widgets: widgets("o")},
			{ID: "two", Title: "Two", Time: layouts.TimeRange{From: "now-5m", To: "now"}, Refresh: layouts.Duration(time.Second), Columns: 3, Widgets: widgets("t")},
			{ID: "past", Title: "Past", Time: abs, Refresh: layouts.Duration(time.Second), Columns: 3, Widgets: widgets("p")},
		}}
}

// statuses are the badges of the shown dashboard's panels.
func statuses(s *ui.Shell) []string {
	var out []string
	fyne.DoAndWait(func() {
		for _, p := range s.Current().Panels() {
			out = append(out, p.Status())
		}
	})
	return out
}

func waitStatuses(t *testing.T, s *ui.Shell, within time.Duration, what string, ok func(string) bool) []string {
	t.Helper()
	deadline := time.Now().Add(within)
	for {
		st := statuses(s)
		all := len(st) > 0
		for _, x := range st {
			all = all && ok(x)
		}
		if all {
			return st
		}
		if time.Now().After(deadline) {
			t.Fatalf("%s: badges %q after %v", what, st, within)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// TestPanelsTellTheTruthAboutPrometheus runs the GUI's shell on a real
// Prometheus: (7) a past absolute range's age is its fetch's, not its end's;
// (8) a hung Prometheus shows why on every panel ("stale 3s · timeout");
// (6) switching dashboards during the hang keeps every panel stale, as its
// data says, instead of a grey "updated 33s ago" until its own first failure.
func TestPanelsTellTheTruthAboutPrometheus(t *testing.T) {
	t.Parallel()
	target := startSimulate(t)
	prom := startPrometheus(t, time.Second, target)
	start := time.Now()
	time.Sleep(25 * time.Second)
	past := ui.Absolute(start, start.Add(10*time.Second))
	l := trustLayout(prom.URL(), past)
	if err := layouts.Validate(l); err != nil {
		t.Fatal(err)
	}
	test.NewTempApp(t)
	h, err := history.Open(context.Background(), filepath.Join(t.TempDir(), "history.db"), history.Options{Logger: quietLogger()})
	if err != nil {
		t.Fatal(err)
	}
	defer h.Close()
	w := wall.New(l, wall.Options{History: h, MaxBackoff: time.Second, Logger: quietLogger()})
	defer w.Close()
	shell := ui.NewShell(&ui.Runtime{Runtime: w.Runtime, Palette: charts.Dark()}, l)
	shell.ShowError = func(err error) { t.Log(err) }
	win := test.NewTempWindow(t, shell.Content())
	win.Resize(fyne.NewSize(1280, 720))
	defer fyne.DoAndWait(shell.Close)

	show := func(id string) {
		var err error
		fyne.DoAndWait(func() { err = shell.Show(id) })
		if err != nil {
			t.Fatal(err)
		}
	}
	// (7) The past range was fetched just now: "updated 0s ago", fresh,
	// although its newest sample is 15 s old.
	show("past")
	waitStatuses(t, shell, 10*time.Second, "a past range just fetched", func(s string) bool {
		return s == "updated 0s ago" || s == "updated 1s ago" || s == "updated 2s ago"
	})

	show("one")
	waitStatuses(t, shell, 10*time.Second, "live data", func(s string) bool { return strings.HasPrefix(s, "updated") })

	// (8) Hung: each panel says it is stale and why.
	_ = prom.proc.cmd.Process.Signal(syscall.SIGSTOP)
	defer func() { _ = prom.proc.cmd.Process.Signal(syscall.SIGCONT) }()
	waitStatuses(t, shell, 15*time.Second, "the hang on every panel", func(s string) bool {
		return strings.HasPrefix(s, "stale") && strings.HasSuffix(s, "· timeout")
	})

	// (6) Another dashboard (the same queries, answered from the history)
	// and back: stale at once, from the data.
	show("two")
	st := waitStatuses(t, shell, 1500*time.Millisecond, "stale on a dashboard opened during the hang", func(s string) bool {
		return strings.HasPrefix(s, "stale")
	})
	t.Logf("dashboard two during the hang: %q", st)
	show("one")
	st = waitStatuses(t, shell, 1500*time.Millisecond, "stale on switching back", func(s string) bool { return strings.HasPrefix(s, "stale") })
	t.Logf("dashboard one, back during the hang: %q", st)
}
