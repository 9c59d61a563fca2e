package influx

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"math"
	"net/http"
	"net/http/httptest"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/wallboard/wallboard/datasources"
	"github.com/wallboard/wallboard/internal/testnet"
)

// fakeV2 answers /api/v2/query and /api/v2/write like InfluxDB 2.x.
type fakeV2 struct {
	mu     sync.Mutex
	flux   []string
	reqs   []*http.Request
	writes []string
	status int
	ctype  string
	body   string
}

func (f *fakeV2) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	b, _ := io.ReadAll(r.Body)
	f.mu.Lock()
	defer f.mu.Unlock()
	f.reqs = append(f.reqs, r.Clone(context.Background()))
	switch r.URL.Path {
	case "/api/v2/query":
		var q struct {
			Query string `json:"query"`
		}
		_ = json.Unmarshal(b, &q)
		f.flux = append(f.flux, q.Query)
		w.Header().Set("Content-Type", f.ctype)
		w.WriteHeader(f.status)
		_, _ = io.WriteString(w, f.body)
	case "/api/v2/write":
		f.writes = append(f.writes, string(b))
		w.WriteHeader(http.StatusNoContent)
	default:
		http.NotFound(w, r)
	}
}

func (f *fakeV2) set(status int, ctype, body string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.status, f.ctype, f.body = status, ctype, body
}

func (f *fakeV2) last() (*http.Request, string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	q := ""
	if len(f.flux) > 0 {
		q = f.flux[len(f.flux)-1]
	}
	return f.reqs[len(f.reqs)-1], q
}

func newV2(t *testing.T, cfg Config) (*fakeV2, *Flux) {
	t.Helper()
	f := &fakeV2{status: 200, ctype: "text/csv; charset=utf-8"}
	srv := httptest.NewServer(f)
	t.Cleanup(srv.Close)
	cfg.URL = srv.URL
	s, err := NewFlux(cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = s.Close() })
	return f, s
}

// csvLines joins annotated-CSV rows the way InfluxDB sends them (CRLF).
func csvLines(rows ...string) string { return strings.Join(rows, "\r\n") + "\r\n" }

var (
	twoTables = csvLines(
		`#group,false,false,true,true,false,false,true,true,true`,
		`#datatype,string,long,dateTime:RFC3339,dateTime:RFC3339,dateTime:RFC3339,double,string,string,string`,
		`#default,_result,,,,,,,,`,
		`,result,table,_start,_stop,_time,_value,_field,_measurement,region`,
		`,,0,2026-11-27T00:00:00Z,2026-11-27T01:00:00Z,2026-11-27T00:00:30Z,3,value,queue_depth,eu-west`,
		`,,0,2026-11-27T00:00:00Z,2026-11-27T01:00:00Z,2026-11-27T00:00:15Z,2,value,queue_depth,eu-west`,
		`,,1,2026-11-27T00:00:00Z,2026-11-27T01:00:00Z,2026-11-27T00:00:15Z,,value,queue_depth,us-west`,
		`,,1,2026-11-27T00:00:00Z,2026-11-27T01:00:00Z,2026-11-27T00:00:30Z,7,value,queue_depth,us-west`,
		``)
	pivoted = csvLines(
		`#group,false,false,true,true,false,true,false,false`,
		`#datatype,string,long,dateTime:RFC3339,dateTime:RFC3339,dateTime:RFC3339,string,double,long`,
		`#default,_result,,,,,,,`,
		`,result,table,_start,_stop,_time,host,used,free`,
		`,,0,2026-11-27T00:00:00Z,2026-11-27T01:00:00Z,2026-11-27T00:00:15Z,a,1.5,10`,
		`,,0,2026-11-27T00:00:00Z,2026-11-27T01:00:00Z,2026-11-27T00:00:30Z,a,2.5,9`,
		``)
	noTime = csvLines(
		`#group,false,false,true,true,false,true,true`,
		`#datatype,string,long,dateTime:RFC3339,dateTime:RFC3339,unsignedLong,string,string`,
		`#default,_result,,,,,,`,
		`,result,table,_start,_stop,_value,_field,_measurement`,
		`,,0,2026-11-27T00:00:00Z,2026-11-27T01:00:00Z,42,value,total_count`,
		``)
	ungrouped = csvLines(
		`#group,false,false,false,false,false,false`,
		`#datatype,string,long,dateTime:RFC3339,boolean,string,string`,
		`#default,_result,,,,,`,
		`,result,table,_time,_value,_field,_measurement`,
		`,,0,2026-11-27T00:00:15Z,true,up,a`,
		`,,0,2026-11-27T00:00:15Z,false,up,b`,
		`,,0,2026-11-27T00:00:30Z,true,up,a`,
		``)
	errorTable = csvLines(
		`#datatype,string,string`,
		`#group,true,true`,
		`#default,,`,
		`,error,reference`,
		`,"runtime error @3:6-3:40: filter: type conflict: string != int",`,
		``)
)

func TestFluxQuery(t *testing.T) {
	end := time.Date(2026, 11, 27, 1, 0, 0, 0, time.UTC)
	start := end.Add(-time.Hour)
	f, s := newV2(t, Config{Token: "tok", Org: "noc", Bucket: "wall"})
	for _, tc := range []struct {
		name    string
		body    string
		q       datasources.Query
		names   []string
		points  [][]datasources.Point
		sentHas string
	}{
		{"tables", twoTables, datasources.Query{
			Expr:  `from(bucket: v.bucket) |> range(start: v.timeRangeStart, stop: v.timeRangeStop) |> aggregateWindow(every: v.windowPeriod, fn: mean)`,
			Start: start, End: end, Step: time.Minute},
			[]string{`queue_depth.value{region="eu-west"}`, `queue_depth.value{region="us-west"}`},
			[][]datasources.Point{{{T: end.Add(-59*time.Minute - 45*time.Second).UnixMilli(), V: 2}, {T: end.Add(-59*time.Minute - 30*time.Second).UnixMilli(), V: 3}},
				{{T: end.Add(-59*time.Minute - 45*time.Second).UnixMilli(), V: math.NaN()}, {T: end.Add(-59*time.Minute - 30*time.Second).UnixMilli(), V: 7}}},
			`from(bucket: "wall") |> range(start: 2026-11-27T00:00:00Z, stop: 2026-11-27T01:00:00Z) |> aggregateWindow(every: 1m, fn: mean)`},
		{"legend", twoTables, datasources.Query{Expr: `q`, Legend: "{{region}}", Start: start, End: end},
			[]string{"eu-west", "us-west"}, nil, ""},
		{"pivoted columns", pivoted, datasources.Query{Expr: `q`, Start: start, End: end},
			[]string{`used{host="a"}`, `free{host="a"}`},
			[][]datasources.Point{{{T: start.Add(15 * time.Second).UnixMilli(), V: 1.5}, {T: start.Add(30 * time.Second).UnixMilli(), V: 2.5}},
				{{T: start.Add(15 * time.Second).UnixMilli(), V: 10}, {T: start.Add(30 * time.Second).UnixMilli(), V: 9}}}, ""},
		{"aggregate without _time", noTime, datasources.Query{Expr: `q`, Start: start, End: end},
			[]string{"total_count.value"}, [][]datasources.Point{{{T: end.UnixMilli(), V: 42}}}, ""},
		{"ungrouped rows split by _measurement", ungrouped, datasources.Query{Expr: `q`, Start: start, End: end},
			[]string{"a.up", "b.up"},
			[][]datasources.Point{{{T: start.Add(15 * time.Second).UnixMilli(), V: 1}, {T: start.Add(30 * time.Second).UnixMilli(), V: 1}},
				{{T: start.Add(15 * time.Second).UnixMilli(), V: 0}}}, ""},
		{"instant", twoTables, datasources.Query{Expr: `q`, End: end, Instant: true},
			[]string{`queue_depth.value{region="eu-west"}`, `queue_depth.value{region="us-west"}`},
			[][]datasources.Point{{{T: start.Add(30 * time.Second).UnixMilli(), V: 3}}, {{T: start.Add(30 * time.Second).UnixMilli(), V: 7}}}, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f.set(200, "text/csv; charset=utf-8", tc.body)
			res, err := s.Query(context.Background(), tc.q)
			if err != nil {
				t.Fatal(err)
			}
			if len(res.Series) != len(tc.names) {
				t.Fatalf("%d series, want %d: %+v", len(res.Series), len(tc.names), res.Series)
			}
			for i, ser := range res.Series {
				if ser.Name != tc.names[i] {
					t.Errorf("series %d named %q, want %q", i, ser.Name, tc.names[i])
				}
				if tc.points != nil && !samePoints(ser.Points, tc.points[i]) {
					t.Errorf("series %s: points %v, want %v", ser.Name, ser.Points, tc.points[i])
				}
			}
			req, sent := f.last()
			if tc.sentHas != "" && sent != tc.sentHas {
				t.Errorf("sent %q\nwant %q", sent, tc.sentHas)
			}
			if req.Header.Get("Authorization") != "Token tok" || req.URL.Query().Get("org") != "noc" {
				t.Errorf("auth %q, org %q", req.Header.Get("Authorization"), req.URL.Query().Get("org"))
			}
		})
	}
}

func samePoints(a, b []datasources.Point) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i].T != b[i].T || a[i].V != b[i].V && !(math.IsNaN(a[i].V) && math.IsNaN(b[i].V)) {
			return false
		}
	}
	return true
}

func TestFluxErrors(t *testing.T) {
	f, s := newV2(t, Config{Token: "s3cret"})
	refusedSrc, err := NewFlux(Config{URL: "http://" + testnet.Refused(t)})
	if err != nil {
		t.Fatal(err)
	}
	defer refusedSrc.Close()
	hangSrc, err := NewFlux(Config{URL: "http://" + testnet.Hanging(t), Timeout: 300 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	defer hangSrc.Close()
	for _, tc := range []struct {
		name   string
		src    *Flux
		status int
		ctype  string
		body   string
		kind   error
		msg    string
	}{
		{"compile error", s, 400, "application/json", `{"code":"invalid","message":"compilation failed: error at @1:1-1:4: undefined identifier fro"}`, datasources.ErrBadQuery, "undefined identifier fro"},
		{"error table", s, 200, "text/csv", errorTable, datasources.ErrBadQuery, "type conflict"},
		{"unauthorized", s, 401, "application/json", `{"code":"unauthorized","message":"unauthorized access"}`, datasources.ErrAuth, "HTTP 401"},
		{"1.x has no /api/v2", s, 404, "text/plain", "404 page not found", datasources.ErrServer, "HTTP 404"},
		{"server error", s, 500, "application/json", `{"code":"internal error","message":"panic: boom"}`, datasources.ErrServer, "panic: boom"},
		{"bad CSV", s, 200, "text/csv", "a,b\r\n,1,2\r\n", datasources.ErrServer, "annotations not found"},
		{"refused", refusedSrc, 0, "", "", datasources.ErrUnreachable, "connection refused"},
		{"hanging", hangSrc, 0, "", "", datasources.ErrTimeout, "no answer within 300ms"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f.set(tc.status, tc.ctype, tc.body)
			_, err := tc.src.Query(context.Background(), datasources.Query{Expr: "q", Start: time.Unix(0, 0), End: time.Unix(60, 0)})
			var qe *datasources.QueryError
			if !errors.As(err, &qe) || !errors.Is(err, tc.kind) {
				t.Fatalf("error %v, want a QueryError of kind %v", err, tc.kind)
			}
			if !strings.Contains(err.Error(), tc.msg) {
				t.Errorf("error %q lacks %q", err, tc.msg)
			}
			if strings.Contains(err.Error(), "s3cret") {
				t.Errorf("error %q shows the token", err)
			}
		})
	}
}

func TestFluxLabelValuesAndWrite(t *testing.T) {
	f, s := newV2(t, Config{Username: "ops", Password: "pw", Org: "noc", Bucket: "wall"})
	f.set(200, "text/csv", csvLines(
		`#group,false,false,false`,
		`#datatype,string,long,string`,
		`#default,_result,,`,
		`,result,table,_value`,
		`,,0,us-west`,
		`,,0,eu-west`,
		``))
	vals, err := s.LabelValues(context.Background(), "region")
	if err != nil {
		t.Fatal(err)
	}
	if strings.Join(vals, ",") != "eu-west,us-west" {
		t.Fatalf("values %v", vals)
	}
	req, sent := f.last()
	if want := "import \"influxdata/influxdb/schema\"\nschema.tagValues(bucket: \"wall\", tag: \"region\")"; sent != want {
		t.Errorf("sent %q", sent)
	}
	if req.Header.Get("Authorization") != "Token ops:pw" {
		t.Errorf("Authorization %q", req.Header.Get("Authorization"))
	}
	if err := s.WriteLines(context.Background(), []byte("m,a=b value=1 1000\n")); err != nil {
		t.Fatal(err)
	}
	req, _ = f.last()
	q := req.URL.Query()
	if q.Get("org") != "noc" || q.Get("bucket") != "wall" || q.Get("precision") != "ms" {
		t.Errorf("write params %v", q)
	}
	if strings.TrimSpace(f.writes[0]) != "m,a=b value=1 1000" {
		t.Errorf("wrote %q", f.writes[0])
	}
}

func TestNoGoroutineLeak(t *testing.T) {
	before := runtime.NumGoroutine()
	func() {
		f := &fakeV2{status: 200, ctype: "text/csv", body: twoTables}
		srv := httptest.NewServer(f)
		defer srv.Close()
		v1 := &fakeV1{answer: func(string) (int, string) { return 200, v1Answer }}
		srv1 := httptest.NewServer(v1)
		defer srv1.Close()
		for _, url := range []string{srv.URL, "http://" + testnet.Refused(t)} {
			fs, err := NewFlux(Config{URL: url, Timeout: 200 * time.Millisecond, Org: "o", Bucket: "b"})
			if err != nil {
				t.Fatal(err)
			}
			for range 3 {
				_, _ = fs.Query(context.Background(), datasources.Query{Expr: "q", Start: time.Unix(0, 0), End: time.Unix(60, 0)})
				_ = fs.WriteLines(context.Background(), []byte("m value=1 1\n"))
			}
			fs.Close()
		}
		qs, err := NewInfluxQL(Config{URL: srv1.URL, Database: "d"})
		if err != nil {
			t.Fatal(err)
		}
		_, _ = qs.Query(context.Background(), datasources.Query{Expr: "q", Start: time.Unix(0, 0), End: time.Unix(60, 0)})
		qs.Close()
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
