package tests

import (
	"bufio"
	"context"
	"io"
	"net/http"
	"os/exec"
	"regexp"
	"strings"
	"testing"
	"time"
)

// TestSimulateServesMetrics starts `wallboard simulate` on a free loopback
// port, scrapes it like Prometheus would, and stops it.
func TestSimulateServesMetrics(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, wallboard, "simulate", "--listen", "127.0.0.1:0")
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() {
		cancel()
		_ = cmd.Wait()
	}()
	url := ""
	sc := bufio.NewScanner(stderr)
	re := regexp.MustCompile(`url=(http://127\.0\.0\.1:\d+/metrics)`)
	for sc.Scan() {
		if m := re.FindStringSubmatch(sc.Text()); m != nil {
			url = m[1]
			break
		}
	}
	if url == "" {
		t.Fatal("simulate did not log its address")
	}
	go func() { _, _ = io.Copy(io.Discard, stderr) }()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{
		"audio_requests_total", "audio_request_errors_total", "audio_request_duration_seconds_bucket",
		"enhancement_quality_score", "processed_audio_total", "success_count", "total_count",
		"total_cost", "audio_count", "cpu_usage_percent", "gpu_usage_percent", "queue_depth",
	} {
		if !strings.Contains(string(body), "\n"+name) {
			t.Errorf("/metrics lacks %s", name)
		}
	}
}
