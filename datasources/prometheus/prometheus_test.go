package prometheus

import (
	"context"
	"encoding/pem"
	"errors"
	"fmt"
	"io"
	"log"
	"math"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/prometheus/common/model"

	"github.com/wallboard/wallboard/datasources"
	"github.com/wallboard/wallboard/internal/httpsrc"
	"github.com/wallboard/wallboard/internal/testnet"
	"github.com/wallboard/wallboard/layouts"
)

// recorded serves the responses under testdata (see testdata/README.md)
// the way Prometheus would: by path and query, with the recorded status.
type recorded struct {
	t *testing.T

	mu   sync.Mutex
	last http.Request // the last request, for checks
	form map[string][]string
}

func (rec *recorded) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	// Prometheus 2.42 refuses what model.ParseDuration cannot read.
	if to := r.Form.Get("timeout"); to != "" {
		if _, err := model.ParseDuration(to); err != nil {
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(http.StatusBadRequest)
			fmt.Fprintf(w, `{"status":"error","errorType":"bad_data","error":"invalid parameter \"timeout\": %v"}`, err)
			return
		}
	}
	rec.mu.Lock()
	rec.last = *r.Clone(context.Background())
	rec.form = r.Form
	rec.mu.Unlock()
	file, status := "", http.StatusOK
	switch r.URL.Path {
	case "/api/v1/query_range":
		file = "query_range_1h.json"
		switch q := r.Form.Get("query"); {
		case strings.HasSuffix(q, "("):
			file, status = "error_bad_data.json", http.StatusBadRequest
		case q == "too_fine":
			file, status = "error_resolution.json", http.StatusBadRequest
		}
	case "/api/v1/query":
		switch q := r.Form.Get("query"); {
		case strings.HasPrefix(q, "scalar("):
			file = "query_scalar.json"
		case strings.Contains(q, "group_left"):
			file, status = "error_execution.json", http.StatusUnprocessableEntity
		case strings.HasSuffix(q, "[5m]"):
			file, status = "error_bad_data.json", http.StatusBadRequest
		default:
			file = "query_vector.json"
		}
	case "/api/v1/label/region/values":
		file = "label_values.json"
	default:
		http.NotFound(w, r)
		return
	}
	body, err := os.ReadFile(filepath.Join("testdata", file))
	if err != nil {
		rec.t.Error(err)
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_, _ = w.Write(body)
}

func (rec *recorded) request() (http.Request, map[string][]string) {
	rec.mu.Lock()
	defer rec.mu.Unlock()
	return rec.last, rec.form
}

func newRecorded(t *testing.T) (*recorded, *Source) {
	t.Helper()
	rec := &recorded{t: t}
	srv := httptest.NewServer(rec)
	t.Cleanup(srv.Close)
	src, err := New(Config{URL: srv.URL, Timeout: 5 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = src.Close() })
	return rec, src
}

var recordedEnd = time.Date(2026, 11, 27, 0, 0, 0, 0, time.UTC)

func TestQueryRecorded(t *testing.T) {
	rec, src := newRecorded(t)
	ctx := context.Background()
	for _, tc := range []struct {
		name      string
		q         datasources.Query
		series    int
		points    int
		firstName string
		firstV    float64
	}{
		{"range", datasources.Query{Expr: `rate(audio_requests_total{model!="dereverb-v2",region!~"ap-.*"}[5m])`, Legend: "{{region}} {{model}}",
			Start: recordedEnd.Add(-time.Hour), End: recordedEnd, Step: 15 * time.Second}, 10, 241, "eu-central denoise-v3", 5.193333333333333},
		{"range without legend", datasources.Query{Expr: `rate(audio_requests_total{model!="dereverb-v2",region!~"ap-.*"}[5m])`,
			Start: recordedEnd.Add(-time.Hour), End: recordedEnd, Step: 15 * time.Second}, 10, 241,
			`{instance="127.0.0.1:9464", job="wallboard", model="denoise-v3", region="eu-central"}`, 5.193333333333333},
		{"instant vector", datasources.Query{Expr: `sum by (region) (rate(audio_requests_total[5m]))`, Legend: "{{region}}", End: recordedEnd, Instant: true},
			7, 1, "ap-northeast", 30.683333333333337},
		{"instant scalar", datasources.Query{Expr: `scalar(sum(rate(audio_requests_total[5m])))`, End: recordedEnd, Instant: true},
			1, 1, "value", 138.73666666666668},
	} {
		t.Run(tc.name, func(t *testing.T) {
			res, err := src.Query(ctx, tc.q)
			if err != nil {
				t.Fatal(err)
			}
			if len(res.Series) != tc.series {
				t.Fatalf("%d series, want %d", len(res.Series), tc.series)
			}
			for _, s := range res.Series {
				if len(s.Points) != tc.points {
					t.Fatalf("series %s: %d points, want %d", s.Name, len(s.Points), tc.points)
				}
			}
			first := res.Series[0]
			if first.Name != tc.firstName || first.Points[0].V != tc.firstV {
				t.Errorf("first series %q = %v, want %q = %v", first.Name, first.Points[0].V, tc.firstName, tc.firstV)
			}
			if !res.Fetched.Equal(tc.q.End) {
				t.Errorf("Fetched %v, want the query's end %v", res.Fetched, tc.q.End)
			}
			if !tc.q.Instant {
				if got, want := first.Points[0].T, tc.q.Start.UnixMilli(); got != want {
					t.Errorf("first point at %d, want %d", got, want)
				}
				if first.Labels["job"] != "wallboard" {
					t.Errorf("labels %v lack job", first.Labels)
				}
			}
			req, form := rec.request()
			if req.Header.Get("Authorization") != "" {
				t.Errorf("unexpected Authorization header")
			}
			if form["timeout"] == nil {
				t.Errorf("no server-side timeout sent: %v", form)
			}
			if !tc.q.Instant && form["step"][0] != "15" {
				t.Errorf("step %v, want 15", form["step"])
			}
		})
	}
}

func TestLabelValues(t *testing.T) {
	_, src := newRecorded(t)
	vals, err := src.LabelValues(context.Background(), "region")
	if err != nil {
		t.Fatal(err)
	}
	if strings.Join(vals, ",") != "ap-northeast,ap-south,eu-central,eu-west,sa-east,us-east,us-west" {
		t.Fatalf("values %v", vals)
	}
}

func TestStep(t *testing.T) {
	src, err := New(Config{URL: "http://127.0.0.1:1", MinStep: 15 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	start := recordedEnd
	for _, tc := range []struct {
		name string
		span time.Duration
		want time.Duration
		step time.Duration
	}{
		{"as asked", time.Hour, time.Minute, time.Minute},
		{"not below the minimum", time.Hour, time.Second, 15 * time.Second},
		{"auto: about 400 points, whole minimum steps", 6 * time.Hour, 0, 60 * time.Second},
		{"auto on a short range", 10 * time.Minute, 0, 15 * time.Second},
		{"widened to 11,000 points", 7 * 24 * time.Hour, 15 * time.Second, 54987 * time.Millisecond},
		{"whole milliseconds", time.Hour, 15*time.Second + 1, 15*time.Second + time.Millisecond},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := src.Step(start, start.Add(tc.span), tc.want)
			if got != tc.step {
				t.Fatalf("Step(%v, %v) = %v, want %v", tc.span, tc.want, got, tc.step)
			}
			if pts := int64(tc.span/got) + 1; pts > MaxPoints {
				t.Fatalf("%d points", pts)
			}
		})
	}
}

func TestErrors(t *testing.T) {
	_, rec := newRecorded(t)
	status := func(code int, ctype, body string) string {
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", ctype)
			w.WriteHeader(code)
			_, _ = w.Write([]byte(body))
		}))
		t.Cleanup(srv.Close)
		return srv.URL
	}
	for _, tc := range []struct {
		name    string
		src     *Source // nil: one for url
		url     string
		timeout time.Duration
		q       datasources.Query
		kind    error
		msg     string // in the error text
	}{
		{"bad_data (recorded)", rec, "", 0, datasources.Query{Expr: "rate(audio_requests_total[5m]", Instant: true}, datasources.ErrBadQuery, "unclosed left parenthesis"},
		{"bad_data range (recorded)", rec, "", 0, datasources.Query{Expr: "sum(", Start: recordedEnd.Add(-time.Hour), End: recordedEnd}, datasources.ErrBadQuery, "HTTP 400"},
		{"resolution (recorded)", rec, "", 0, datasources.Query{Expr: "too_fine", Start: recordedEnd.Add(-time.Hour), End: recordedEnd}, datasources.ErrBadQuery, "exceeded maximum resolution of 11,000 points"},
		{"execution 422 (recorded)", rec, "", 0, datasources.Query{Expr: "audio_requests_total + on(region) group_left audio_requests_total", Instant: true}, datasources.ErrBadQuery, "found duplicate series"},
		{"500 text", nil, status(500, "text/plain", "storage on fire"), 0, datasources.Query{Expr: "up", Instant: true}, datasources.ErrServer, "storage on fire"},
		{"502 proxy", nil, status(502, "text/html", "<html>Bad Gateway</html>"), 0, datasources.Query{Expr: "up", Instant: true}, datasources.ErrServer, "HTTP 502"},
		{"503 query timeout", nil, status(503, "application/json", `{"status":"error","errorType":"timeout","error":"query timed out in expression evaluation"}`), 0,
			datasources.Query{Expr: "up", Instant: true}, datasources.ErrTimeout, "query timed out in expression evaluation"},
		{"401", nil, status(401, "text/plain", "Unauthorized"), 0, datasources.Query{Expr: "up", Instant: true}, datasources.ErrAuth, "HTTP 401"},
		{"not JSON", nil, status(200, "text/html", "<html>login</html>"), 0, datasources.Query{Expr: "up", Instant: true}, datasources.ErrServer, "bad_response"},
		{"refused", nil, "http://" + testnet.Refused(t), 0, datasources.Query{Expr: "up", Instant: true}, datasources.ErrUnreachable, "connection refused"},
		{"hanging", nil, "http://" + testnet.Hanging(t), 300 * time.Millisecond, datasources.Query{Expr: "up", Instant: true}, datasources.ErrTimeout, "no answer within 300ms"},
		{"range start after end", rec, "", 0, datasources.Query{Expr: "up", Start: recordedEnd, End: recordedEnd.Add(-time.Hour)}, datasources.ErrBadQuery, "not before"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			src := tc.src
			if src == nil {
				var err error
				src, err = New(Config{URL: tc.url, Timeout: tc.timeout, Token: "s3cret-token"})
				if err != nil {
					t.Fatal(err)
				}
				defer src.Close()
			}
			start := time.Now()
			_, err := src.Query(context.Background(), tc.q)
			var qe *datasources.QueryError
			if !errors.As(err, &qe) {
				t.Fatalf("error %v (%T) is not a QueryError", err, err)
			}
			if !errors.Is(err, tc.kind) {
				t.Fatalf("error %q: kind %v, want %v", err, qe.Kind, tc.kind)
			}
			if !strings.Contains(err.Error(), tc.msg) {
				t.Errorf("error %q lacks %q", err, tc.msg)
			}
			if strings.Contains(err.Error(), "s3cret") {
				t.Errorf("error %q shows the token", err)
			}
			if tc.timeout > 0 {
				if el := time.Since(start); el < tc.timeout || el > tc.timeout+2*time.Second {
					t.Errorf("gave up after %v, want about %v", el, tc.timeout)
				}
				if !errors.Is(err, context.DeadlineExceeded) {
					t.Errorf("timeout %v does not match context.DeadlineExceeded", err)
				}
			}
		})
	}
}

func TestCallerCancel(t *testing.T) {
	src, err := New(Config{URL: "http://" + testnet.Hanging(t)})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	time.AfterFunc(50*time.Millisecond, cancel)
	_, err = src.Query(ctx, datasources.Query{Expr: "up", Instant: true})
	if !errors.Is(err, datasources.ErrTimeout) || !errors.Is(err, context.Canceled) {
		t.Fatalf("error %v, want ErrTimeout matching context.Canceled", err)
	}
}

func TestNetKind(t *testing.T) {
	for _, tc := range []struct {
		name string
		err  error
		kind error
	}{
		{"dns", &net.DNSError{Err: "no such host", Name: "prometheus.invalid", IsNotFound: true}, datasources.ErrUnreachable},
		{"no route", &net.OpError{Op: "dial", Net: "tcp", Err: os.NewSyscallError("connect", syscall.EHOSTUNREACH)}, datasources.ErrUnreachable},
		{"network unreachable", &net.OpError{Op: "dial", Net: "tcp", Err: os.NewSyscallError("connect", syscall.ENETUNREACH)}, datasources.ErrUnreachable},
		{"refused", &net.OpError{Op: "dial", Net: "tcp", Err: os.NewSyscallError("connect", syscall.ECONNREFUSED)}, datasources.ErrUnreachable},
		{"reset", &net.OpError{Op: "read", Net: "tcp", Err: os.NewSyscallError("read", syscall.ECONNRESET)}, datasources.ErrUnreachable},
		{"deadline", context.DeadlineExceeded, datasources.ErrTimeout},
		{"other", errors.New("odd"), datasources.ErrServer},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := httpsrc.NetKind(tc.err); got != tc.kind {
				t.Fatalf("NetKind(%v) = %v, want %v", tc.err, got, tc.kind)
			}
		})
	}
}

func TestAuth(t *testing.T) {
	var (
		mu  sync.Mutex
		got []string
	)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		got = append(got, r.Header.Get("Authorization"))
		mu.Unlock()
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(`{"status":"success","data":{"resultType":"scalar","result":[1795737600,"1"]}}`))
	}))
	defer srv.Close()
	env := map[string]string{"PROM_TOKEN": "tok", "PROM_USER": "ops", "PROM_PASS": "pw", "EMPTY": ""}
	getenv := func(k string) string { return env[k] }
	for _, tc := range []struct {
		name string
		src  layouts.Source
		auth string // the Authorization header, or the error text
		err  bool
	}{
		{"none", layouts.Source{Name: "p", Kind: layouts.KindPrometheus, URL: srv.URL}, "", false},
		{"bearer", layouts.Source{Name: "p", Kind: layouts.KindPrometheus, URL: srv.URL, TokenEnv: "PROM_TOKEN"}, "Bearer tok", false},
		{"basic", layouts.Source{Name: "p", Kind: layouts.KindPrometheus, URL: srv.URL, UsernameEnv: "PROM_USER", PasswordEnv: "PROM_PASS"}, "Basic b3BzOnB3", false},
		{"unset variable", layouts.Source{Name: "p", Kind: layouts.KindPrometheus, URL: srv.URL, TokenEnv: "NOPE"}, `tokenEnv names the environment variable NOPE, which is unset or empty`, true},
		{"empty variable", layouts.Source{Name: "p", Kind: layouts.KindPrometheus, URL: srv.URL, PasswordEnv: "EMPTY", UsernameEnv: "PROM_USER"}, `passwordEnv names the environment variable EMPTY`, true},
		{"token and basic", layouts.Source{Name: "p", Kind: layouts.KindPrometheus, URL: srv.URL, TokenEnv: "PROM_TOKEN", UsernameEnv: "PROM_USER"}, "choose one", true},
		{"wrong kind", layouts.Source{Name: "p", Kind: layouts.KindInflux, URL: srv.URL}, `kind "influx"`, true},
		{"no url", layouts.Source{Name: "p", Kind: layouts.KindPrometheus}, "no url", true},
		{"bad url", layouts.Source{Name: "p", Kind: layouts.KindPrometheus, URL: "127.0.0.1:9090"}, "want http://host:port", true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			src, err := FromLayout(tc.src, getenv)
			if tc.err {
				if err == nil || !strings.Contains(err.Error(), tc.auth) {
					t.Fatalf("error %v, want one containing %q", err, tc.auth)
				}
				for _, secret := range []string{"tok", "pw"} {
					if strings.Contains(err.Error(), `"`+secret) {
						t.Errorf("error %q shows a secret", err)
					}
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			defer src.Close()
			if _, err := src.Query(context.Background(), datasources.Query{Expr: "1", Instant: true}); err != nil {
				t.Fatal(err)
			}
			mu.Lock()
			last := got[len(got)-1]
			mu.Unlock()
			if last != tc.auth {
				t.Fatalf("Authorization %q, want %q", last, tc.auth)
			}
		})
	}
}

func TestTLS(t *testing.T) {
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(`{"status":"success","data":{"resultType":"vector","result":[{"metric":{"__name__":"up"},"value":[1795737600,"1"]}]}}`))
	}))
	srv.Config.ErrorLog = log.New(io.Discard, "", 0) // the unknown-CA case makes handshakes fail
	srv.StartTLS()
	defer srv.Close()
	ca := filepath.Join(t.TempDir(), "ca.pem")
	if err := os.WriteFile(ca, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: srv.Certificate().Raw}), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name string
		cfg  Config
		kind error // nil: success
	}{
		{"CA file", Config{URL: srv.URL, CAFile: ca}, nil},
		{"insecure", Config{URL: srv.URL, InsecureSkipVerify: true}, nil},
		{"unknown CA", Config{URL: srv.URL}, datasources.ErrUnreachable},
	} {
		t.Run(tc.name, func(t *testing.T) {
			src, err := New(tc.cfg)
			if err != nil {
				t.Fatal(err)
			}
			defer src.Close()
			res, err := src.Query(context.Background(), datasources.Query{Expr: "up", Instant: true})
			if tc.kind != nil {
				if !errors.Is(err, tc.kind) {
					t.Fatalf("error %v, want %v", err, tc.kind)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if len(res.Series) != 1 || res.Series[0].Name != "up" || res.Series[0].Points[0].V != 1 {
				t.Fatalf("result %+v", res.Series)
			}
		})
	}
	if _, err := New(Config{URL: srv.URL, CAFile: filepath.Join(t.TempDir(), "missing.pem")}); err == nil {
		t.Error("a missing CA file is accepted")
	}
}

func TestNativeHistogramIsNaN(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(`{"status":"success","data":{"resultType":"vector","result":[{"metric":{"__name__":"h"},"histogram":[1795737600,{"count":"2","sum":"3","buckets":[[0,"0","1","2"]]}]}]}}`))
	}))
	defer srv.Close()
	src, err := New(Config{URL: srv.URL})
	if err != nil {
		t.Fatal(err)
	}
	defer src.Close()
	res, err := src.Query(context.Background(), datasources.Query{Expr: "h", Instant: true})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Series) != 1 || !math.IsNaN(res.Series[0].Points[0].V) {
		t.Fatalf("result %+v", res.Series)
	}
}

func TestNoGoroutineLeak(t *testing.T) {
	before := runtime.NumGoroutine()
	func() {
		rec := &recorded{t: t}
		srv := httptest.NewServer(rec)
		defer srv.Close()
		for _, url := range []string{srv.URL, "http://" + testnet.Refused(t)} {
			src, err := New(Config{URL: url, Timeout: 200 * time.Millisecond})
			if err != nil {
				t.Fatal(err)
			}
			for range 3 {
				_, _ = src.Query(context.Background(), datasources.Query{Expr: "sum by (region) (x)", Instant: true})
			}
			src.Close()
		}
	}()
	deadline := time.Now().Add(3 * time.Second)
	for runtime.NumGoroutine() > before {
		if time.Now().After(deadline) {
			buf := make([]byte, 1<<16)
			t.Fatalf("%d goroutines before, %d after:\n%s", before, runtime.NumGoroutine(), buf[:runtime.Stack(buf, true)])
		}
		time.Sleep(20 * time.Millisecond)
	}
}
