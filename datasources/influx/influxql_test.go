package influx

import (
	"context"
	"errors"
	"io"
	"math"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/wallboard/wallboard/datasources"
	"github.com/wallboard/wallboard/internal/testnet"
)

// fakeV1 answers /query and /write like InfluxDB 1.x; answer maps a query
// (after macro expansion) to its status and JSON.
type fakeV1 struct {
	mu      sync.Mutex
	queries []url.Values
	auth    []string
	writes  []string
	answer  func(q string) (int, string)
}

func (f *fakeV1) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	f.mu.Lock()
	f.queries = append(f.queries, r.URL.Query())
	f.auth = append(f.auth, r.Header.Get("Authorization"))
	f.mu.Unlock()
	switch r.URL.Path {
	case "/query":
		code, body := f.answer(r.URL.Query().Get("q"))
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(code)
		_, _ = io.WriteString(w, body)
	case "/write":
		b, _ := io.ReadAll(r.Body)
		f.mu.Lock()
		f.writes = append(f.writes, string(b))
		f.mu.Unlock()
		w.WriteHeader(http.StatusNoContent)
	default:
		http.NotFound(w, r)
	}
}

func (f *fakeV1) last() (url.Values, string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.queries[len(f.queries)-1], f.auth[len(f.auth)-1]
}

const v1Answer = `{"results":[{"statement_id":0,"series":[
 {"name":"cpu_usage_percent","tags":{"instance":"gpu-node-1"},"columns":["time","value","note"],"values":[[1795737600000,41.5,"a"],[1795737615000,null,"b"],[1795737630000,43,"c"]]},
 {"name":"cpu_usage_percent","tags":{"instance":"gpu-node-2"},"columns":["time","value","note"],"values":[[1795737600000,12,"a"],[1795737615000,true,"b"],[1795737630000,14.25,"c"]]}
]}]}`

func newV1(t *testing.T, cfg Config, answer func(string) (int, string)) (*fakeV1, *InfluxQL) {
	t.Helper()
	f := &fakeV1{answer: answer}
	srv := httptest.NewServer(f)
	t.Cleanup(srv.Close)
	cfg.URL = srv.URL
	if cfg.Database == "" {
		cfg.Database = "wallboard"
	}
	s, err := NewInfluxQL(cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = s.Close() })
	return f, s
}

func TestInfluxQLQuery(t *testing.T) {
	end := time.UnixMilli(1795737630000).UTC()
	start := end.Add(-time.Hour)
	f, s := newV1(t, Config{Username: "ops", Password: "pw"}, func(string) (int, string) { return 200, v1Answer })
	for _, tc := range []struct {
		name   string
		q      datasources.Query
		names  []string
		points []int
		sent   string
	}{
		{"range, default names", datasources.Query{Expr: `SELECT mean("value") FROM "cpu_usage_percent" WHERE $timeFilter GROUP BY time($__interval), "instance"`, Start: start, End: end, Step: time.Minute},
			[]string{`cpu_usage_percent.value{instance="gpu-node-1"}`, `cpu_usage_percent.value{instance="gpu-node-2"}`}, []int{3, 3},
			`SELECT mean("value") FROM "cpu_usage_percent" WHERE time >= 1795734030000ms and time <= 1795737630000ms GROUP BY time(1m), "instance"`},
		{"legend", datasources.Query{Expr: `SELECT "value" FROM "cpu_usage_percent"`, Legend: "{{instance}} {{_field}}", Start: start, End: end},
			[]string{"gpu-node-1 value", "gpu-node-2 value"}, []int{3, 3}, `SELECT "value" FROM "cpu_usage_percent"`},
		{"instant keeps the last value", datasources.Query{Expr: `SELECT last("value") FROM "cpu_usage_percent" WHERE $timeFilter`, End: end, Instant: true},
			[]string{`cpu_usage_percent.value{instance="gpu-node-1"}`, `cpu_usage_percent.value{instance="gpu-node-2"}`}, []int{1, 1},
			`SELECT last("value") FROM "cpu_usage_percent" WHERE time >= 1795737330000ms and time <= 1795737630000ms`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			res, err := s.Query(context.Background(), tc.q)
			if err != nil {
				t.Fatal(err)
			}
			if len(res.Series) != len(tc.names) {
				t.Fatalf("%d series, want %d: %+v", len(res.Series), len(tc.names), res.Series)
			}
			for i, ser := range res.Series {
				if ser.Name != tc.names[i] || len(ser.Points) != tc.points[i] {
					t.Errorf("series %d: %q with %d points, want %q with %d", i, ser.Name, len(ser.Points), tc.names[i], tc.points[i])
				}
				if ser.Labels["_measurement"] != "cpu_usage_percent" || ser.Labels["_field"] != "value" {
					t.Errorf("labels %v", ser.Labels)
				}
			}
			q, auth := f.last()
			if got := q.Get("q"); got != tc.sent {
				t.Errorf("sent %q\nwant %q", got, tc.sent)
			}
			if q.Get("db") != "wallboard" || q.Get("epoch") != "ms" {
				t.Errorf("params %v", q)
			}
			if auth != "Basic b3BzOnB3" {
				t.Errorf("Authorization %q", auth)
			}
			if !res.Fetched.Equal(end) {
				t.Errorf("Fetched %v", res.Fetched)
			}
		})
	}
	res, err := s.Query(context.Background(), datasources.Query{Expr: "SELECT", Start: start, End: end})
	if err != nil {
		t.Fatal(err)
	}
	p1, p2 := res.Series[0].Points, res.Series[1].Points
	if p1[0] != (datasources.Point{T: 1795737600000, V: 41.5}) || !math.IsNaN(p1[1].V) || p1[2].V != 43 || p2[1].V != 1 {
		t.Fatalf("points %v %v: want nulls as NaN, booleans as 1/0", p1, p2)
	}
}

func TestInfluxQLErrors(t *testing.T) {
	answers := map[string]struct {
		code int
		body string
	}{
		"parse":     {400, `{"error":"error parsing query: found FORM, expected FROM at line 1, char 15"}`},
		"nodb":      {200, `{"results":[{"statement_id":0,"error":"database not found: nope"}]}`},
		"timeout":   {200, `{"results":[{"statement_id":0,"error":"query-timeout limit exceeded"}]}`},
		"auth":      {401, `{"error":"authorization failed"}`},
		"internal":  {500, `{"error":"engine is closed"}`},
		"proxy":     {502, `<html>bad gateway</html>`},
		"html":      {200, `<html>login</html>`},
		"show":      {200, `{"results":[{"statement_id":0,"series":[{"name":"measurements","columns":["name"],"values":[["cpu"]]}]}]}`},
		"shortrows": {200, `{"results":[{"statement_id":0,"series":[{"name":"m","columns":["time","value"],"values":[[1]]}]}]}`},
	}
	_, s := newV1(t, Config{Timeout: 300 * time.Millisecond}, func(q string) (int, string) {
		a := answers[q]
		return a.code, a.body
	})
	refusedSrc, err := NewInfluxQL(Config{URL: "http://" + testnet.Refused(t), Database: "d"})
	if err != nil {
		t.Fatal(err)
	}
	hangSrc, err := NewInfluxQL(Config{URL: "http://" + testnet.Hanging(t), Database: "d", Timeout: 300 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name, q string
		src     *InfluxQL
		kind    error
		msg     string
	}{
		{"parse error", "parse", s, datasources.ErrBadQuery, "found FORM, expected FROM"},
		{"statement error", "nodb", s, datasources.ErrBadQuery, "database not found: nope"},
		{"server query timeout", "timeout", s, datasources.ErrTimeout, "query-timeout limit exceeded"},
		{"unauthorized", "auth", s, datasources.ErrAuth, "HTTP 401: authorization failed"},
		{"server error", "internal", s, datasources.ErrServer, "engine is closed"},
		{"proxy", "proxy", s, datasources.ErrServer, "HTTP 502: <html>bad gateway</html>"},
		{"not JSON", "html", s, datasources.ErrServer, "not InfluxQL JSON"},
		{"no time column", "show", s, datasources.ErrBadQuery, "no time column"},
		{"short rows", "shortrows", s, datasources.ErrServer, "row 0 has 1 values for 2 columns"},
		{"refused", "x", refusedSrc, datasources.ErrUnreachable, "connection refused"},
		{"hanging", "x", hangSrc, datasources.ErrTimeout, "no answer within 300ms"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := tc.src.Query(context.Background(), datasources.Query{Expr: tc.q, Start: time.Unix(0, 0), End: time.Unix(60, 0)})
			var qe *datasources.QueryError
			if !errors.As(err, &qe) || !errors.Is(err, tc.kind) {
				t.Fatalf("error %v, want a QueryError of kind %v", err, tc.kind)
			}
			if !strings.Contains(err.Error(), tc.msg) {
				t.Errorf("error %q lacks %q", err, tc.msg)
			}
		})
	}
}

func TestInfluxQLLabelValuesAndWrite(t *testing.T) {
	f, s := newV1(t, Config{Token: "tok", RetentionPolicy: "autogen"}, func(q string) (int, string) {
		if q != `SHOW TAG VALUES WITH KEY = "region"` {
			return 400, `{"error":"unexpected"}`
		}
		return 200, `{"results":[{"statement_id":0,"series":[{"name":"queue_depth","columns":["key","value"],"values":[["region","us-west"],["region","eu-west"]]},{"name":"total_count","columns":["key","value"],"values":[["region","eu-west"]]}]}]}`
	})
	vals, err := s.LabelValues(context.Background(), "region")
	if err != nil {
		t.Fatal(err)
	}
	if strings.Join(vals, ",") != "eu-west,us-west" {
		t.Fatalf("values %v", vals)
	}
	if err := s.WriteLines(context.Background(), []byte("m,a=b value=1 1000\n")); err != nil {
		t.Fatal(err)
	}
	q, auth := f.last()
	if q.Get("db") != "wallboard" || q.Get("rp") != "autogen" || q.Get("precision") != "ms" || auth != "Token tok" {
		t.Errorf("write params %v, auth %q", q, auth)
	}
	if f.writes[0] != "m,a=b value=1 1000\n" {
		t.Errorf("wrote %q", f.writes[0])
	}
}
