package tests

import (
	"context"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/wallboard/wallboard/alerts"
	"github.com/wallboard/wallboard/datasources/prometheus"
)

// alertRules is the rule file of TestPrometheusAlerts: one rule that is
// true as long as the simulator is scraped, one that never is.
const alertRules = `groups:
  - name: wallboard-e2e
    interval: 1s
    rules:
      - alert: WallboardTrafficFlowing
        expr: sum(rate(audio_requests_total[1m])) > 0
        for: 0s
        labels:
          severity: info
          team: audio
        annotations:
          summary: Requests are flowing ({{ $value | humanize }}/s)
          runbook_url: https://wiki.example.com/runbooks/traffic
      - alert: WallboardNoTraffic
        expr: sum(rate(audio_requests_total[1m])) < 0
        for: 1m
        labels:
          severity: critical
`

// startAlertingPrometheus runs a real Prometheus scraping target every
// second and evaluating rules every second, on a free loopback port with
// its files under a temporary directory, and returns its URL.
func startAlertingPrometheus(t *testing.T, target, rules string) string {
	t.Helper()
	bin := needBinary(t, "prometheus", "prometheus")
	dir := t.TempDir()
	port := freePort(t)
	if err := os.WriteFile(filepath.Join(dir, "rules.yml"), []byte(rules), 0o644); err != nil {
		t.Fatal(err)
	}
	cfg := fmt.Sprintf(`global:
  scrape_interval: 1s
  scrape_timeout: 1s
  evaluation_interval: 1s
rule_files:
  - %q
scrape_configs:
  - job_name: wallboard
    honor_labels: true
    static_configs:
      - targets: [%q]
`, filepath.Join(dir, "rules.yml"), target)
	if err := os.WriteFile(filepath.Join(dir, "prometheus.yml"), []byte(cfg), 0o644); err != nil {
		t.Fatal(err)
	}
	logPath := filepath.Join(dir, "prometheus.log")
	proc := startProcess(t, "prometheus", logPath, bin,
		"--config.file="+filepath.Join(dir, "prometheus.yml"),
		"--storage.tsdb.path="+filepath.Join(dir, "data"),
		"--storage.tsdb.retention.time=1d",
		fmt.Sprintf("--web.listen-address=127.0.0.1:%d", port),
		"--log.level=warn",
	)
	t.Cleanup(func() {
		proc.kill()
		if t.Failed() {
			t.Logf("prometheus log (end):\n%s", logTail(logPath))
		}
	})
	url := fmt.Sprintf("http://127.0.0.1:%d", port)
	waitHTTP(t, url+"/-/ready", http.StatusOK, 60*time.Second, proc.done)
	return url
}

// TestPrometheusAlerts runs a real Prometheus with a rule file over the
// simulator's exported metrics (`wallboard simulate`): its firing alert
// appears through Wallboard's Prometheus alerts client, in an Evaluator,
// beside the local alerts, with origin "prometheus", and its rules with it.
func TestPrometheusAlerts(t *testing.T) {
	target := startSimulate(t)
	url := startAlertingPrometheus(t, target, alertRules)

	p, err := prometheus.New(prometheus.Config{URL: url, Timeout: 5 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	ev := alerts.NewEvaluator(alerts.Options{})
	polled := make(chan struct{}, 1)
	ev.OnChange(func() {
		select {
		case polled <- struct{}{}:
		default:
		}
	})
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		alerts.PollPrometheus(ctx, p, "prom", time.Second, ev.SetRemote)
	}()
	defer wg.Wait()
	defer cancel()

	firing := alerts.Filter{Origin: alerts.OriginPrometheus, Rule: "WallboardTrafficFlowing", States: []alerts.State{alerts.Firing}}
	start := time.Now()
	var got []alerts.Alert
	for len(got) == 0 {
		select {
		case <-ctx.Done():
			snap, _ := ev.Remote(alerts.OriginPrometheus, "prom")
			t.Fatalf("no firing alert from Prometheus within 60s (last poll error: %v, rules: %+v)", snap.Err, snap.Rules)
		case <-polled:
		}
		got = ev.Active(firing)
	}
	t.Logf("the Prometheus alert was firing in Wallboard %s after Prometheus was ready", time.Since(start).Round(100*time.Millisecond))

	a := got[0]
	if len(got) != 1 || a.Origin != alerts.OriginPrometheus || a.Source != "prom" || a.Severity != "info" {
		t.Errorf("alert = %+v", a)
	}
	if a.Labels["team"] != "audio" || a.Labels["alertname"] != "" || a.Labels["severity"] != "" {
		t.Errorf("labels = %v, want team and no alertname or severity", a.Labels)
	}
	if a.Annotations["runbook_url"] != "https://wiki.example.com/runbooks/traffic" || a.Summary() == a.Rule {
		t.Errorf("annotations = %v", a.Annotations)
	}
	if !(a.Value > 0 && a.Value < 500) { // rate() of the first samples underestimates
		t.Errorf("value = %g, want the simulator's requests/s (about 150)", a.Value)
	}
	if a.ActiveAt.IsZero() || a.FiredAt.Before(a.ActiveAt) || a.Expr != "sum(rate(audio_requests_total[1m])) > 0" {
		t.Errorf("times or expression: %+v", a)
	}
	if all := ev.Active(alerts.Filter{}); len(all) != 1 {
		t.Errorf("all active alerts = %+v, want only the firing one", all)
	}

	snap, ok := ev.Remote(alerts.OriginPrometheus, "prom")
	if !ok || snap.Err != nil || len(snap.Rules) != 2 {
		t.Fatalf("remote snapshot = %+v, %v", snap, ok)
	}
	for _, r := range snap.Rules {
		if r.Health != "ok" || r.Origin != alerts.OriginPrometheus || r.Group != "wallboard-e2e" {
			t.Errorf("rule %+v", r)
		}
		switch r.Name {
		case "WallboardTrafficFlowing":
			if r.State != alerts.Firing || r.Severity != "info" {
				t.Errorf("firing rule = %+v", r)
			}
		case "WallboardNoTraffic":
			if r.State != alerts.Inactive || r.For != time.Minute || r.Severity != "critical" {
				t.Errorf("inactive rule = %+v", r)
			}
		default:
			t.Errorf("unknown rule %q", r.Name)
		}
	}
	hist := ev.History(alerts.Filter{Origin: alerts.OriginPrometheus}, a.ActiveAt.Add(-time.Minute), time.Now().Add(time.Minute))
	if len(hist) == 0 || hist[len(hist)-1].To != alerts.Firing {
		t.Errorf("history = %+v, want the alert's transition to firing", hist)
	}
	periods := ev.FiringPeriods(alerts.Filter{Origin: alerts.OriginPrometheus}, a.FiredAt.Add(-time.Minute), time.Now())
	if len(periods) != 1 || !periods[0].Open {
		t.Errorf("firing periods = %+v, want one still open", periods)
	}
}
