package alerts

import (
	"context"
	"errors"
	"net"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/wallboard/wallboard/datasources"
	"github.com/wallboard/wallboard/datasources/prometheus"
	"github.com/wallboard/wallboard/layouts"
)

const rulesJSON = `{"status":"success","data":{"groups":[{"name":"wallboard","file":"/tmp/rules.yml","interval":1,"limit":0,"rules":[
 {"state":"firing","name":"TrafficFlowing","query":"sum(rate(audio_requests_total[1m])) > 0","duration":30,"keepFiringFor":0,
  "labels":{"severity":"info","team":"audio"},"annotations":{"summary":"Traffic is flowing"},
  "alerts":[],"health":"ok","evaluationTime":0.001,"lastEvaluation":"2026-03-02T12:00:00Z","type":"alerting"},
 {"name":"job:audio_requests:rate1m","query":"sum(rate(audio_requests_total[1m]))","health":"ok","evaluationTime":0.0005,"lastEvaluation":"2026-03-02T12:00:00Z","type":"recording"},
 {"state":"pending","name":"Slow","query":"p99 > 2","duration":300,"labels":{"severity":"warning"},"annotations":{},"alerts":[],"health":"err","lastError":"boom","evaluationTime":0,"lastEvaluation":"2026-03-02T12:00:00Z","type":"alerting"}
]}]}}`

const alertsJSON = `{"status":"success","data":{"alerts":[
 {"labels":{"alertname":"TrafficFlowing","severity":"info","team":"audio","job":"wallboard"},"annotations":{"summary":"Traffic is flowing"},"state":"firing","activeAt":"2026-03-02T11:59:00Z","value":"1.5e+02"},
 {"labels":{"alertname":"Slow","severity":"warning","region":"eu-west"},"annotations":{},"state":"pending","activeAt":"2026-03-02T11:59:30Z","value":"2.5"}
]}}`

const noAlertsJSON = `{"status":"success","data":{"alerts":[]}}`

// fakeProm serves canned answers; reply is swapped by the test.
type fakeProm struct {
	mu     sync.Mutex
	alerts string
	status int
	body   string
	auth   string
}

func (f *fakeProm) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.auth = r.Header.Get("Authorization")
	w.Header().Set("Content-Type", "application/json")
	if f.status != 0 {
		w.WriteHeader(f.status)
		_, _ = w.Write([]byte(f.body))
		return
	}
	switch r.URL.Path {
	case "/api/v1/rules":
		_, _ = w.Write([]byte(rulesJSON))
	case "/api/v1/alerts":
		_, _ = w.Write([]byte(f.alerts))
	default:
		http.NotFound(w, r)
	}
}

func (f *fakeProm) set(fn func(*fakeProm)) {
	f.mu.Lock()
	defer f.mu.Unlock()
	fn(f)
}

// fetch is one poll of p, as PollPrometheus makes it.
func fetch(ctx context.Context, p *prometheus.Source) (Snapshot, error) {
	rules, as, err := p.Alerts(ctx)
	return FromPrometheus("prom", rules, as, time.Now()), err
}

func TestPrometheusFetch(t *testing.T) {
	fp := &fakeProm{alerts: alertsJSON}
	srv := httptest.NewServer(fp)
	defer srv.Close()
	p, err := prometheus.New(prometheus.Config{URL: srv.URL})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	snap, err := fetch(ctx, p)
	if err != nil {
		t.Fatal(err)
	}
	if len(snap.Alerts) != 2 || len(snap.Rules) != 2 {
		t.Fatalf("snapshot: %d alerts, %d rules", len(snap.Alerts), len(snap.Rules))
	}
	a := snap.Alerts[0]
	active := time.Date(2026, 3, 2, 11, 59, 0, 0, time.UTC)
	if a.Origin != OriginPrometheus || a.Source != "prom" || a.Rule != "TrafficFlowing" || a.Severity != "info" || a.State != Firing ||
		a.Value != 150 || !a.ActiveAt.Equal(active) || !a.FiredAt.Equal(active.Add(30*time.Second)) ||
		a.Labels.String() != `{job="wallboard", team="audio"}` || a.Summary() != "Traffic is flowing" || a.Expr == "" || a.ID[0] != 'p' {
		t.Errorf("alert = %+v", a)
	}
	if b := snap.Alerts[1]; b.State != Pending || !b.FiredAt.IsZero() || b.Severity != "warning" {
		t.Errorf("pending alert = %+v", b)
	}
	r := snap.Rules[1]
	if r.Name != "Slow" || r.For != 5*time.Minute || r.Health != "err" || r.LastError != "boom" || r.State != Pending || r.Group != "wallboard" || r.Severity != "warning" {
		t.Errorf("rule = %+v", r)
	}

	// Into an evaluator, beside a local alert.
	ev := NewEvaluator(Options{Logger: quiet()})
	local := Rule{Name: "local", Threshold: 1, Severity: "critical"}
	now := snap.Fetched
	ev.Observe(local, one(nil, 2, now), now)
	ev.SetRemote(snap)
	list := ev.Active(Filter{})
	if len(list) != 3 || list[0].Origin != OriginWallboard || list[1].Rule != "Slow" || list[2].Rule != "TrafficFlowing" {
		t.Fatalf("list = %+v", list)
	}
	if n := ev.Count(Filter{Origin: OriginPrometheus, States: []State{Firing}}); n != 1 {
		t.Errorf("firing Prometheus alerts = %d", n)
	}
	hist := ev.History(Filter{Origin: OriginPrometheus}, active.Add(-time.Hour), now.Add(time.Hour))
	var got []string
	for _, tr := range hist {
		got = append(got, tr.Rule+" "+tr.From.String()+">"+tr.To.String()+"@"+tr.At.Format(time.TimeOnly))
	}
	slices.Sort(got)
	want := "Slow inactive>pending@11:59:30|TrafficFlowing inactive>pending@11:59:00|TrafficFlowing pending>firing@11:59:30"
	if strings.Join(got, "|") != want {
		t.Errorf("Prometheus transitions:\n%s\nwant\n%s", strings.Join(got, "|"), want)
	}
	if !ev.Ack(a.ID) || ev.Count(Filter{Origin: OriginPrometheus, States: []State{Firing}, Unacknowledged: true}) != 0 {
		t.Error("Ack of a Prometheus alert did not hide it from the banner")
	}
	if st := ev.Rules(); len(st) != 3 || st[1].Origin != OriginPrometheus {
		t.Errorf("Rules() = %+v", st)
	}

	// A failed poll keeps the alerts, stale; the error is kept.
	ev.SetRemote(Snapshot{Origin: OriginPrometheus, Source: "prom", Fetched: now.Add(time.Second), Err: errors.New("down")})
	if l := ev.Active(Filter{Source: "prom"}); len(l) != 2 || !l[0].Stale {
		t.Errorf("after a failed poll: %+v", l)
	}
	if s, ok := ev.Remote(OriginPrometheus, "prom"); !ok || s.Err == nil || len(s.Rules) != 2 {
		t.Errorf("Remote = %+v, %v", s, ok)
	}

	// Gone from the server: the firing one resolves, the pending one ends.
	fp.set(func(f *fakeProm) { f.alerts = noAlertsJSON })
	snap2, err := fetch(ctx, p)
	if err != nil {
		t.Fatal(err)
	}
	ev.SetRemote(snap2)
	if l := ev.Active(Filter{Source: "prom", States: []State{Pending, Firing, Resolved}}); len(l) != 1 || l[0].State != Resolved || l[0].Stale {
		t.Errorf("after the alerts went: %+v", l)
	}
	periods := ev.FiringPeriods(Filter{Origin: OriginPrometheus}, active, snap2.Fetched.Add(time.Minute))
	if len(periods) != 1 || !periods[0].From.Equal(a.FiredAt) || !periods[0].To.Equal(snap2.Fetched) {
		t.Errorf("Prometheus firing periods = %+v", periods)
	}
}

func TestPrometheusErrors(t *testing.T) {
	fp := &fakeProm{}
	srv := httptest.NewServer(fp)
	defer srv.Close()
	hang := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		<-r.Context().Done()
	}))
	defer hang.Close()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	refused := "http://" + ln.Addr().String()
	ln.Close()

	tests := []struct {
		name   string
		url    string
		status int
		body   string
		want   error
	}{
		{"server error", srv.URL, 500, `{"status":"error","errorType":"internal","error":"oops"}`, datasources.ErrServer},
		{"bad data", srv.URL, 400, `{"status":"error","errorType":"bad_data","error":"bad match[]"}`, datasources.ErrBadQuery},
		{"not found", srv.URL, 404, `404 page not found`, datasources.ErrServer},
		{"refused", refused, 0, "", datasources.ErrUnreachable},
		{"hanging", hang.URL, 0, "", datasources.ErrTimeout},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fp.set(func(f *fakeProm) { f.status, f.body = tt.status, tt.body })
			p, err := prometheus.New(prometheus.Config{URL: tt.url, Timeout: 300 * time.Millisecond})
			if err != nil {
				t.Fatal(err)
			}
			_, err = fetch(context.Background(), p)
			var qe *datasources.QueryError
			if !errors.As(err, &qe) || !errors.Is(err, tt.want) {
				t.Fatalf("err = %v, want a QueryError of kind %v", err, tt.want)
			}
			if !strings.HasPrefix(qe.Expr, "/api/v1/") {
				t.Errorf("Expr = %q, want the endpoint", qe.Expr)
			}
		})
	}
}

func TestPrometheusRunAndLayout(t *testing.T) {
	fp := &fakeProm{alerts: alertsJSON}
	srv := httptest.NewServer(fp)
	defer srv.Close()
	_, err := prometheus.FromLayout(layouts.Source{Name: "prom", Kind: layouts.KindPrometheus, URL: srv.URL, TokenEnv: "PROM_TOKEN"},
		func(string) string { return "" })
	if err == nil || !strings.Contains(err.Error(), "PROM_TOKEN") {
		t.Errorf("unset token variable: %v", err)
	}
	p, err := prometheus.FromLayout(layouts.Source{Name: "prom", Kind: layouts.KindPrometheus, URL: srv.URL, TokenEnv: "PROM_TOKEN"},
		func(string) string { return "s3cret" })
	if err != nil {
		t.Fatal(err)
	}
	ev := NewEvaluator(Options{Logger: quiet()})
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	done := make(chan struct{})
	calls := 0
	go func() {
		defer close(done)
		PollPrometheus(ctx, p, "prom", time.Second, func(s Snapshot) {
			ev.SetRemote(s)
			calls++
			cancel()
		})
	}()
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		t.Fatal("Run did not end with its context")
	}
	if calls != 1 || ev.Count(Filter{Origin: OriginPrometheus}) != 2 {
		t.Errorf("calls = %d, alerts = %+v", calls, ev.Active(Filter{}))
	}
	fp.set(func(f *fakeProm) {
		if f.auth != "Bearer s3cret" {
			t.Errorf("Authorization = %q", f.auth)
		}
	})
}
