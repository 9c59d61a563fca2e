package tests

import (
	"context"
	"errors"
	"math"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/wallboard/wallboard/datasources"
	"github.com/wallboard/wallboard/datasources/influx"
	"github.com/wallboard/wallboard/datasources/sim"
	"github.com/wallboard/wallboard/internal/simload"
)

// TestInfluxQLEndToEnd writes ten minutes of the simulator's metrics to a
// real InfluxDB 1.x as line protocol (simload.WriteSim through the InfluxQL
// source's /write) and reads them back through the InfluxQL source: raw
// gauges and counters equal the simulator's samples exactly, a GROUP BY
// time() mean equals PromQL's avg_over_time of the same samples, and the
// tag values serve dashboard variables.
func TestInfluxQLEndToEnd(t *testing.T) {
	t.Parallel()
	base := startInflux(t)
	influxExec(t, base, "CREATE DATABASE wallboard")
	src, err := influx.NewInfluxQL(influx.Config{URL: base, Database: "wallboard", Timeout: 20 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	defer src.Close()
	s := sim.New(sim.DefaultSeed)
	defer s.Close()
	ctx := context.Background()

	to := time.Now().Truncate(time.Minute)
	from := to.Add(-10 * time.Minute)
	start := time.Now()
	n, err := simload.WriteSim(ctx, src, s, from, to)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("wrote %d lines of line protocol in %v", n, time.Since(start).Round(time.Millisecond))

	// Raw values: every sample, exactly.
	for _, tc := range []struct {
		name, influxQL, promQL string
		series                 int
	}{
		{"gauge", `SELECT "value" FROM "cpu_usage_percent" WHERE $timeFilter GROUP BY "instance"`, `cpu_usage_percent`, 6},
		{"counter", `SELECT "value" FROM "audio_requests_total" WHERE $timeFilter GROUP BY "region", "model"`, `audio_requests_total`, 21},
		{"histogram bucket", `SELECT "value" FROM "audio_request_duration_seconds_bucket" WHERE "region" = 'eu-west' AND $timeFilter GROUP BY "le", "region"`,
			`audio_request_duration_seconds_bucket{region="eu-west"}`, 10},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := src.Query(ctx, datasources.Query{Expr: tc.influxQL, Start: from, End: to})
			if err != nil {
				t.Fatal(err)
			}
			want, err := s.Query(ctx, datasources.Query{Expr: tc.promQL, Start: from, End: to, Step: sim.Step})
			if err != nil {
				t.Fatal(err)
			}
			if len(got.Series) != tc.series || len(want.Series) != tc.series {
				t.Fatalf("influxdb %d series, simulator %d, want %d", len(got.Series), len(want.Series), tc.series)
			}
			compareByTags(t, want, got, func(a, b float64) bool { return a == b })
		})
	}

	// An aggregate: InfluxDB's 1-minute means [t, t+1m) are PromQL's
	// avg_over_time(x[1m]) at t+45s (its window (t-15s, t+45s] holds the
	// same four samples). Float sums may round differently: 1e-12 relative.
	got, err := src.Query(ctx, datasources.Query{Expr: `SELECT mean("value") FROM "queue_depth" WHERE $timeFilter GROUP BY time(1m), "region"`, Start: from, End: to.Add(-time.Second)})
	if err != nil {
		t.Fatal(err)
	}
	want, err := s.Query(ctx, datasources.Query{Expr: `avg_over_time(queue_depth[1m])`, Start: from.Add(45 * time.Second), End: to, Step: time.Minute})
	if err != nil {
		t.Fatal(err)
	}
	for i := range want.Series {
		for j := range want.Series[i].Points {
			want.Series[i].Points[j].T -= 45_000
		}
	}
	compareByTags(t, want, got, func(a, b float64) bool { return math.Abs(a-b) <= 1e-12*math.Max(math.Abs(a), math.Abs(b)) })

	// Instant: the last value of each series.
	inst, err := src.Query(ctx, datasources.Query{Expr: `SELECT last("value") FROM "gpu_usage_percent" WHERE $timeFilter GROUP BY "instance"`, End: to, Instant: true})
	if err != nil {
		t.Fatal(err)
	}
	wantInst, err := s.Query(ctx, datasources.Query{Expr: `gpu_usage_percent`, End: to, Instant: true})
	if err != nil {
		t.Fatal(err)
	}
	compareByTags(t, wantInst, inst, func(a, b float64) bool { return a == b })

	vals, err := src.LabelValues(ctx, "region")
	if err != nil {
		t.Fatal(err)
	}
	var regions []string
	for _, r := range sim.Regions() {
		regions = append(regions, r.Name)
	}
	slices.Sort(regions)
	if !slices.Equal(vals, regions) {
		t.Errorf("tag values of region: %v, want %v", vals, regions)
	}

	// A query error from the real server is classified and keeps its words.
	_, err = src.Query(ctx, datasources.Query{Expr: `SELECT "value" FORM "cpu_usage_percent"`, Start: from, End: to})
	if !errors.Is(err, datasources.ErrBadQuery) || !strings.Contains(err.Error(), "error parsing query") {
		t.Errorf("bad InfluxQL: %v, want ErrBadQuery with InfluxDB's message", err)
	}
}

// compareByTags matches the InfluxQL series (labels: tags, _measurement,
// _field) with the simulator's (labels: __name__ and the same tags) and
// compares their points with eq.
func compareByTags(t *testing.T, want, got *datasources.Result, eq func(a, b float64) bool) {
	t.Helper()
	key := func(l datasources.Labels) string {
		c := datasources.Labels{}
		for k, v := range l {
			if k != "__name__" && k != "_measurement" && k != "_field" {
				c[k] = v
			}
		}
		return c.String()
	}
	byKey := map[string]datasources.Series{}
	for _, s := range got.Series {
		byKey[key(s.Labels)] = s
	}
	for _, ws := range want.Series {
		k := key(ws.Labels)
		gs, ok := byKey[k]
		if !ok {
			t.Errorf("series %s: not read back from InfluxDB (have %d series)", k, len(got.Series))
			continue
		}
		if len(gs.Points) != len(ws.Points) {
			t.Errorf("series %s: InfluxDB %d points, simulator %d", k, len(gs.Points), len(ws.Points))
			continue
		}
		for i, wp := range ws.Points {
			if gp := gs.Points[i]; gp.T != wp.T || !eq(gp.V, wp.V) {
				t.Errorf("series %s point %d: InfluxDB %v, simulator %v", k, i, gp, wp)
				break
			}
		}
	}
}

// TestFluxRecorded runs the Flux source against InfluxDB 2.x answers
// recorded in tests/testdata/flux (see its README.md for where each comes
// from: the official Go client's own test answers), served by an httptest
// server in place of /api/v2/query: no InfluxDB 2 server can be installed
// here (Debian's InfluxDB 1.6.7 answers 404 on /api/v2).
func TestFluxRecorded(t *testing.T) {
	t.Parallel()
	var (
		mu     sync.Mutex
		answer struct {
			file, ctype string
			status      int
		}
		sent []string
	)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/api/v2/query" || r.Method != http.MethodPost {
			http.NotFound(w, r)
			return
		}
		mu.Lock()
		a := answer
		sent = append(sent, r.Header.Get("Authorization")+" org="+r.URL.Query().Get("org"))
		mu.Unlock()
		body, err := os.ReadFile(filepath.Join("testdata", "flux", a.file))
		if err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		w.Header().Set("Content-Type", a.ctype)
		w.WriteHeader(a.status)
		_, _ = w.Write(body)
	}))
	defer srv.Close()
	src, err := influx.NewFlux(influx.Config{URL: srv.URL, Token: "wallboard-token", Org: "noc", Bucket: "wall"})
	if err != nil {
		t.Fatal(err)
	}
	defer src.Close()

	ts := func(s string) int64 {
		tm, err := time.Parse(time.RFC3339Nano, s)
		if err != nil {
			t.Fatal(err)
		}
		return tm.UnixMilli()
	}
	end := time.Date(2020, 2, 18, 22, 19, 49, 0, time.UTC)
	q := datasources.Query{Expr: `from(bucket: v.bucket) |> range(start: v.timeRangeStart, stop: v.timeRangeStop)`, Start: end.Add(-24 * time.Hour), End: end}
	for _, tc := range []struct {
		name, file, ctype string
		status            int
		legend            string
		names             []string
		points            [][]datasources.Point
		kind              error // an error of this kind instead
		msg               string
	}{
		{name: "one table", file: "single_table.csv", ctype: "text/csv; charset=utf-8", status: 200,
			names:  []string{`test.f{a="1", b="adsfasdf"}`},
			points: [][]datasources.Point{{{T: ts("2020-02-18T10:34:08.135814545Z"), V: 1.4}, {T: ts("2020-02-18T22:08:44.850214724Z"), V: 6.6}}}},
		{name: "four results of four types", file: "multi_tables.csv", ctype: "text/csv; charset=utf-8", status: 200, legend: "{{_field}} {{a}}",
			names: []string{"f 1", "i 1", "f 0", "i 0"},
			points: [][]datasources.Point{
				{{T: ts("2020-02-18T10:34:08.135814545Z"), V: 1.4}, {T: ts("2020-02-18T22:08:44.850214724Z"), V: 6.6}},
				{{T: ts("2020-02-18T10:34:08.135814545Z"), V: 4}, {T: ts("2020-02-18T22:08:44.850214724Z"), V: -1}},
				{{T: ts("2020-02-18T22:08:44.62797864Z"), V: 0}, {T: ts("2020-02-18T22:08:44.969100374Z"), V: 1}},
				{{T: ts("2020-02-18T22:08:44.62797864Z"), V: 0}, {T: ts("2020-02-18T22:08:44.969100374Z"), V: 2}},
			}},
		{name: "tables without numbers", file: "no_value_column.csv", ctype: "text/csv; charset=utf-8", status: 200, names: []string{}},
		{name: "error table", file: "error_table.csv", ctype: "text/csv; charset=utf-8", status: 200,
			kind: datasources.ErrBadQuery, msg: "invalid time bounds from procedure from: bounds contain zero time"},
		{name: "compile error", file: "compile_error.json", ctype: "application/json; charset=utf-8", status: 400,
			kind: datasources.ErrBadQuery, msg: "compilation failed: loc 4:17-4:86: expected an operator between two expressions"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			mu.Lock()
			answer.file, answer.ctype, answer.status = tc.file, tc.ctype, tc.status
			mu.Unlock()
			q := q
			q.Legend = tc.legend
			res, err := src.Query(context.Background(), q)
			if tc.kind != nil {
				if !errors.Is(err, tc.kind) || !strings.Contains(err.Error(), tc.msg) {
					t.Fatalf("error %v, want %v with %q", err, tc.kind, tc.msg)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if len(res.Series) != len(tc.names) {
				t.Fatalf("%d series, want %d: %+v", len(res.Series), len(tc.names), res.Series)
			}
			for i, s := range res.Series {
				if s.Name != tc.names[i] || !slices.Equal(s.Points, tc.points[i]) {
					t.Errorf("series %d: %q %v\nwant %q %v", i, s.Name, s.Points, tc.names[i], tc.points[i])
				}
			}
		})
	}
	mu.Lock()
	defer mu.Unlock()
	if len(sent) == 0 || sent[0] != "Token wallboard-token org=noc" {
		t.Errorf("requests carried %q, want the token and org", sent)
	}
}
