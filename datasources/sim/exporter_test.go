package sim

import (
	"context"
	"io"
	"math"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	dto "github.com/prometheus/client_model/go"
	"github.com/prometheus/prometheus/model/labels"
	"github.com/prometheus/prometheus/tsdb/chunkenc"
)

// valueFromQueryable reads the sample of one series at exactly ts.
func valueFromQueryable(t *testing.T, s *Sim, ts int64, kv ...string) float64 {
	t.Helper()
	q, _ := s.Querier(ts, ts)
	defer q.Close()
	var ms []*labels.Matcher
	for i := 0; i < len(kv); i += 2 {
		ms = append(ms, mustMatcher(t, labels.MatchEqual, kv[i], kv[i+1]))
	}
	set := q.Select(context.Background(), true, nil, ms...)
	if !set.Next() {
		t.Fatalf("no series %v", kv)
	}
	it := set.At().Iterator(nil)
	if it.Next() != chunkenc.ValFloat {
		t.Fatalf("no sample for %v at %d", kv, ts)
	}
	gotT, v := it.At()
	if gotT != ts {
		t.Fatalf("sample at %d, want %d", gotT, ts)
	}
	if set.Next() {
		t.Fatalf("more than one series for %v", kv)
	}
	return v
}

func TestCollectorMatchesQueryable(t *testing.T) {
	s := New(DefaultSeed)
	for _, now := range []time.Time{testNow.Add(7 * time.Second), testNow.Add(-3*24*time.Hour - 14*time.Second)} {
		t.Run(now.Format(time.DateTime), func(t *testing.T) {
			reg := prometheus.NewPedanticRegistry()
			reg.MustRegister(s.Collector(func() time.Time { return now }))
			mfs, err := reg.Gather()
			if err != nil {
				t.Fatal(err)
			}
			ts := now.Truncate(Step).UnixMilli()
			seen, checked := map[string]bool{}, 0
			for _, mf := range mfs {
				name := mf.GetName()
				seen[name] = true
				for _, m := range mf.GetMetric() {
					if m.GetTimestampMs() != ts {
						t.Fatalf("%s stamped %d, want %d", name, m.GetTimestampMs(), ts)
					}
					kv := []string{labels.MetricName, name}
					for _, lp := range m.GetLabel() {
						kv = append(kv, lp.GetName(), lp.GetValue())
					}
					switch mf.GetType() {
					case dto.MetricType_COUNTER:
						checkEqual(t, kv, m.GetCounter().GetValue(), valueFromQueryable(t, s, ts, kv...))
					case dto.MetricType_GAUGE:
						checkEqual(t, kv, m.GetGauge().GetValue(), valueFromQueryable(t, s, ts, kv...))
					case dto.MetricType_HISTOGRAM:
						h := m.GetHistogram()
						region := kv[3]
						checkEqual(t, kv, float64(h.GetSampleCount()), valueFromQueryable(t, s, ts, labels.MetricName, name+"_count", "region", region))
						checkEqual(t, kv, h.GetSampleSum(), valueFromQueryable(t, s, ts, labels.MetricName, name+"_sum", "region", region))
						if len(h.GetBucket()) != nBuckets-1 {
							t.Fatalf("%d buckets", len(h.GetBucket()))
						}
						for _, b := range h.GetBucket() {
							checkEqual(t, kv, float64(b.GetCumulativeCount()), valueFromQueryable(t, s, ts,
								labels.MetricName, name+"_bucket", "region", region, "le", leString(b.GetUpperBound())))
						}
						checkEqual(t, kv, float64(h.GetSampleCount()), valueFromQueryable(t, s, ts,
							labels.MetricName, name+"_bucket", "region", region, "le", "+Inf"))
					default:
						t.Fatalf("%s: type %v", name, mf.GetType())
					}
					checked++
				}
			}
			for _, f := range families {
				if !seen[f.name] {
					t.Errorf("%s not exported", f.name)
				}
			}
			if want := len(s.series) - (nBuckets+2)*nRegions + nRegions; checked != want {
				t.Errorf("checked %d metrics, want %d", checked, want)
			}
		})
	}
}

func checkEqual(t *testing.T, what []string, exported, queried float64) {
	t.Helper()
	if exported != queried && !(math.IsNaN(exported) && math.IsNaN(queried)) {
		t.Fatalf("%v: exporter %v, queryable %v", what, exported, queried)
	}
}

func TestHandler(t *testing.T) {
	s := New(DefaultSeed)
	srv := httptest.NewServer(s.Handler(func() time.Time { return testNow }))
	defer srv.Close()
	tests := []struct {
		path   string
		accept string
		status int
		want   []string
	}{
		{"/metrics", "", 200, []string{
			"# TYPE audio_requests_total counter",
			`audio_requests_total{model="denoise-v3",region="us-east"} `,
			"# TYPE audio_request_duration_seconds histogram",
			`audio_request_duration_seconds_bucket{region="eu-west",le="0.025"} `,
			`sim_incident_active{kind="latency_spike"} 1 1772636400000`,
		}},
		// What Prometheus asks for: le as it stores it, timestamps in seconds.
		{"/metrics", "application/openmetrics-text;version=1.0.0", 200, []string{
			`audio_request_duration_seconds_bucket{region="eu-west",le="1.0"} `,
			`sim_incident_active{kind="latency_spike"} 1.0 1.7726364e+09`,
			"# EOF",
		}},
		{"/", "", 200, []string{"/metrics"}},
		{"/nope", "", 404, nil},
	}
	for _, tc := range tests {
		t.Run(tc.path, func(t *testing.T) {
			req, _ := http.NewRequest(http.MethodGet, srv.URL+tc.path, nil)
			if tc.accept != "" {
				req.Header.Set("Accept", tc.accept)
			}
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			body, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			if resp.StatusCode != tc.status {
				t.Fatalf("status %d", resp.StatusCode)
			}
			for _, w := range tc.want {
				if !strings.Contains(string(body), w) {
					t.Errorf("no %q in:\n%.2000s", w, body)
				}
			}
		})
	}
}
