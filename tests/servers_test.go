package tests

// Helpers that start real servers for the end-to-end tests: the wallboard
// simulator (`wallboard simulate`), Prometheus and InfluxDB 1.x (the Debian
// packages `prometheus` and `influxdb`, installed by `scripts/deps.sh test`).
// Every server listens on a free loopback port, keeps its files under the
// test's temporary directory and is stopped by t.Cleanup. The Debian
// services themselves are never used: their ports and data are not ours.

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"
)

// freePort returns a loopback port that was free a moment ago.
func freePort(t *testing.T) int {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port
}

// needBinary fails the test when a server binary is missing.
func needBinary(t *testing.T, name, pkg string) string {
	t.Helper()
	path, err := exec.LookPath(name)
	if err != nil {
		t.Fatalf("%s not found: install the Debian package %s (scripts/deps.sh test)", name, pkg)
	}
	return path
}

// waitHTTP polls url until it answers with status want or the deadline
// passes.
func waitHTTP(t *testing.T, url string, want int, within time.Duration, exited <-chan struct{}) {
	t.Helper()
	deadline := time.Now().Add(within)
	client := &http.Client{Timeout: time.Second}
	for {
		resp, err := client.Get(url)
		if err == nil {
			_, _ = io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
			if resp.StatusCode == want {
				return
			}
		}
		select {
		case <-exited:
			t.Fatalf("%s: the server exited while starting", url)
		default:
		}
		if time.Now().After(deadline) {
			t.Fatalf("%s did not answer %d within %v (last error %v)", url, want, within, err)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// process is a server the test started.
type process struct {
	name string
	cmd  *exec.Cmd
	log  *os.File
	done chan struct{}
}

// startProcess starts bin with args, its output in logPath.
func startProcess(t *testing.T, name, logPath, bin string, args ...string) *process {
	t.Helper()
	lf, err := os.OpenFile(logPath, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o644)
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(bin, args...)
	cmd.Stdout, cmd.Stderr = lf, lf
	if err := cmd.Start(); err != nil {
		lf.Close()
		t.Fatalf("start %s: %v", name, err)
	}
	p := &process{name: name, cmd: cmd, log: lf, done: make(chan struct{})}
	go func() {
		_ = cmd.Wait()
		close(p.done)
	}()
	return p
}

// kill ends the process at once (SIGKILL) and waits for it.
func (p *process) kill() {
	if p == nil {
		return
	}
	select {
	case <-p.done:
	default:
		_ = p.cmd.Process.Kill()
		<-p.done
	}
	p.log.Close()
}

// logTail returns the end of a server's log, for failure messages.
func logTail(path string) string {
	b, err := os.ReadFile(path)
	if err != nil {
		return err.Error()
	}
	if len(b) > 3000 {
		b = b[len(b)-3000:]
	}
	return string(b)
}

// startSimulate runs `wallboard simulate` on a free loopback port and
// returns its host:port.
func startSimulate(t *testing.T) string {
	t.Helper()
	cmd := exec.Command(wallboard, "simulate", "--listen", "127.0.0.1:0")
	cmd.Env = append(os.Environ(), "LANG=C.UTF-8")
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	t.Cleanup(func() {
		_ = cmd.Process.Kill()
		wg.Wait()
		_ = cmd.Wait()
	})
	re := regexp.MustCompile(`url=http://(127\.0\.0\.1:\d+)/metrics`)
	sc := bufio.NewScanner(stderr)
	addr := ""
	for addr == "" && sc.Scan() {
		if m := re.FindStringSubmatch(sc.Text()); m != nil {
			addr = m[1]
		}
	}
	if addr == "" {
		t.Fatal("wallboard simulate did not log its address")
	}
	wg.Add(1)
	go func() {
		defer wg.Done()
		_, _ = io.Copy(io.Discard, stderr)
	}()
	return addr
}

// promServer is a real Prometheus scraping the given targets every
// interval, with honor_labels (the simulator's own instance labels, the
// GPU nodes', must survive the scrape for the built-in dashboards to work
// unchanged).
type promServer struct {
	t       *testing.T
	bin     string
	dir     string
	port    int
	logPath string
	proc    *process
}

func startPrometheus(t *testing.T, interval time.Duration, targets ...string) *promServer {
	t.Helper()
	p := &promServer{t: t, bin: needBinary(t, "prometheus", "prometheus"), dir: t.TempDir(), port: freePort(t)}
	p.logPath = filepath.Join(p.dir, "prometheus.log")
	quoted := make([]string, len(targets))
	for i, tg := range targets {
		quoted[i] = fmt.Sprintf("%q", tg)
	}
	cfg := fmt.Sprintf(`global:
  scrape_interval: %[1]s
  scrape_timeout: %[1]s
  evaluation_interval: 1m
scrape_configs:
  - job_name: wallboard
    honor_labels: true
    static_configs:
      - targets: [%[2]s]
`, interval, strings.Join(quoted, ", "))
	if err := os.WriteFile(filepath.Join(p.dir, "prometheus.yml"), []byte(cfg), 0o644); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		p.proc.kill()
		if t.Failed() {
			t.Logf("prometheus log (end):\n%s", logTail(p.logPath))
		}
	})
	p.start()
	return p
}

// start (re)starts Prometheus on the same port and data directory and
// waits until it is ready.
func (p *promServer) start() {
	p.t.Helper()
	p.proc = startProcess(p.t, "prometheus", p.logPath, p.bin,
		"--config.file="+filepath.Join(p.dir, "prometheus.yml"),
		"--storage.tsdb.path="+filepath.Join(p.dir, "data"),
		"--storage.tsdb.retention.time=1d",
		fmt.Sprintf("--web.listen-address=127.0.0.1:%d", p.port),
		"--log.level=warn",
	)
	waitHTTP(p.t, p.URL()+"/-/ready", http.StatusOK, 60*time.Second, p.proc.done)
}

// kill stops Prometheus at once, as a crash would.
func (p *promServer) kill() { p.proc.kill() }

// URL is Prometheus' base URL.
func (p *promServer) URL() string { return fmt.Sprintf("http://127.0.0.1:%d", p.port) }

// startInflux runs InfluxDB 1.x (influxd) with every directory under a
// temporary directory and both its ports (HTTP, and the RPC bind-address
// that defaults to 8088) on free loopback ports, and returns its URL.
func startInflux(t *testing.T) string {
	t.Helper()
	bin := needBinary(t, "influxd", "influxdb")
	dir := t.TempDir()
	httpPort, rpcPort := freePort(t), freePort(t)
	cfg := fmt.Sprintf(`reporting-disabled = true
bind-address = "127.0.0.1:%[2]d"

[meta]
  dir = %[3]q

[data]
  dir = %[4]q
  wal-dir = %[5]q
  query-log-enabled = false

[monitor]
  store-enabled = false

[http]
  enabled = true
  bind-address = "127.0.0.1:%[1]d"
  log-enabled = false

[continuous_queries]
  enabled = false

[logging]
  level = "warn"
`, httpPort, rpcPort, filepath.Join(dir, "meta"), filepath.Join(dir, "data"), filepath.Join(dir, "wal"))
	conf := filepath.Join(dir, "influxdb.conf")
	if err := os.WriteFile(conf, []byte(cfg), 0o644); err != nil {
		t.Fatal(err)
	}
	logPath := filepath.Join(dir, "influxd.log")
	proc := startProcess(t, "influxd", logPath, bin, "-config", conf)
	t.Cleanup(func() {
		proc.kill()
		if t.Failed() {
			t.Logf("influxd log (end):\n%s", logTail(logPath))
		}
	})
	base := fmt.Sprintf("http://127.0.0.1:%d", httpPort)
	waitHTTP(t, base+"/ping", http.StatusNoContent, 60*time.Second, proc.done)
	return base
}

// influxExec runs an InfluxQL statement that changes things (POST /query).
func influxExec(t *testing.T, base, stmt string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, base+"/query", strings.NewReader(url.Values{"q": {stmt}}.Encode()))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusOK || bytes.Contains(body, []byte(`"error"`)) {
		t.Fatalf("%s: HTTP %d %s", stmt, resp.StatusCode, body)
	}
}
