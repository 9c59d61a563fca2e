package prometheus

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"github.com/wallboard/wallboard/datasources"
)

// BenchmarkQueryRangeOverhead measures what the Source adds to a
// query_range over a bare HTTP call: both fetch the same recorded answer of
// a real Prometheus 2.42 (testdata/query_range_1h.json: 10 series, 1 h at
// 15 s, 241 points each) from the same loopback httptest server over
// keep-alive connections.
//
//   - bare: net/http GET, encoding/json decode of the answer into a struct,
//     values parsed to float64: the least a client can do.
//   - source: Source.Query through client_golang's api/prometheus/v1, its
//     errors classified, the answer converted to []datasources.Series.
//
// The goal is source/bare <= 1.2 (ns/op). Run:
//
//	go test -run '^$' -bench QueryRangeOverhead -count 6 ./datasources/prometheus/
func BenchmarkQueryRangeOverhead(b *testing.B) {
	body, err := os.ReadFile(filepath.Join("testdata", "query_range_1h.json"))
	if err != nil {
		b.Fatal(err)
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/api/v1/query_range" {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("Content-Length", strconv.Itoa(len(body)))
		_, _ = w.Write(body)
	}))
	defer srv.Close()

	const expr = `rate(audio_requests_total{model!="dereverb-v2",region!~"ap-.*"}[5m])`
	end := time.Date(2026, 11, 27, 0, 0, 0, 0, time.UTC)
	start := end.Add(-time.Hour)
	step := 15 * time.Second

	b.Run("bare", func(b *testing.B) {
		client := &http.Client{Transport: http.DefaultTransport.(*http.Transport).Clone()}
		defer client.CloseIdleConnections()
		u := srv.URL + "/api/v1/query_range?" + url.Values{
			"query": {expr},
			"start": {strconv.FormatInt(start.Unix(), 10)},
			"end":   {strconv.FormatInt(end.Unix(), 10)},
			"step":  {strconv.FormatFloat(step.Seconds(), 'f', -1, 64)},
		}.Encode()
		b.ReportAllocs()
		for b.Loop() {
			series, err := bareQueryRange(context.Background(), client, u)
			if err != nil {
				b.Fatal(err)
			}
			if len(series) != 10 {
				b.Fatalf("%d series", len(series))
			}
		}
	})
	b.Run("source", func(b *testing.B) {
		src, err := New(Config{URL: srv.URL})
		if err != nil {
			b.Fatal(err)
		}
		defer src.Close()
		q := datasources.Query{Expr: expr, Start: start, End: end, Step: step}
		b.ReportAllocs()
		for b.Loop() {
			res, err := src.Query(context.Background(), q)
			if err != nil {
				b.Fatal(err)
			}
			if len(res.Series) != 10 {
				b.Fatalf("%d series", len(res.Series))
			}
		}
	})
}

// bareQueryRange is the baseline: one GET, one json decode, floats parsed.
func bareQueryRange(ctx context.Context, client *http.Client, u string) ([]datasources.Series, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return nil, err
	}
	resp, err := client.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	var r struct {
		Status string `json:"status"`
		Data   struct {
			Result []struct {
				Metric map[string]string `json:"metric"`
				Values [][2]any          `json:"values"`
			} `json:"result"`
		} `json:"data"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&r); err != nil {
		return nil, err
	}
	if r.Status != "success" {
		return nil, fmt.Errorf("status %q", r.Status)
	}
	out := make([]datasources.Series, len(r.Data.Result))
	for i, s := range r.Data.Result {
		pts := make([]datasources.Point, len(s.Values))
		for j, v := range s.Values {
			ts, _ := v[0].(float64)
			str, _ := v[1].(string)
			f, err := strconv.ParseFloat(str, 64)
			if err != nil {
				return nil, err
			}
			pts[j] = datasources.Point{T: int64(ts * 1000), V: f}
		}
		out[i] = datasources.Series{Labels: s.Metric, Points: pts}
	}
	return out, nil
}
