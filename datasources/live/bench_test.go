package live

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/wallboard/wallboard/datasources"
	"github.com/wallboard/wallboard/datasources/history"
)

// downSource is a source that is down: every query fails at once.
type downSource struct{}

func (downSource) Query(_ context.Context, q datasources.Query) (*datasources.Result, error) {
	return nil, &datasources.QueryError{Kind: datasources.ErrUnreachable, Expr: q.Expr, Err: errors.New("connection refused")}
}

// BenchmarkColdLoad50 is a wall starting on a 50-panel dashboard with its
// history warm and every source down: per op it opens the history file,
// starts a scheduler, subscribes 50 distinct queries (1 h at 15 s, 3
// series each) and waits until every subscriber has its data; then it
// closes both. The figure is from nothing open to every panel fed.
func BenchmarkColdLoad50(b *testing.B) {
	ctx := context.Background()
	path := filepath.Join(b.TempDir(), "history.db")
	now := time.Now()
	reqs := make([]Request, 50)
	h, err := history.Open(ctx, path, history.Options{})
	if err != nil {
		b.Fatal(err)
	}
	regions := []string{"eu-west", "us-east", "ap-south"}
	for i := range reqs {
		q := datasources.Query{Expr: fmt.Sprintf(`sum by (region) (rate(metric_%d_total[1m]))`, i), Step: step}
		reqs[i] = Request{SourceName: "prom", Source: downSource{}, Query: q, Window: time.Hour, Interval: 5 * time.Second}
		var series []datasources.Series
		for k, reg := range regions {
			s := datasources.Series{Name: reg, Labels: datasources.Labels{"region": reg}}
			for t := now.Add(-time.Hour); !t.After(now); t = t.Add(step) {
				s.Points = append(s.Points, datasources.Point{T: t.UnixMilli(), V: float64(k) + float64(t.UnixMilli()%7919)/7919})
			}
			series = append(series, s)
		}
		if err := h.Write(ctx, history.Batch{Source: "prom", Query: history.QueryKey(q), From: now.Add(-time.Hour), To: now, Step: step, Fetched: now, Series: series}); err != nil {
			b.Fatal(err)
		}
	}
	if err := h.Close(); err != nil {
		b.Fatal(err)
	}

	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		h, err := history.Open(ctx, path, history.Options{Logger: quiet})
		if err != nil {
			b.Fatal(err)
		}
		s := New(ctx, Options{History: h, Logger: quiet})
		var wg sync.WaitGroup
		wg.Add(len(reqs))
		unsub := make([]func(), len(reqs))
		for i, r := range reqs {
			var once sync.Once
			unsub[i] = s.Subscribe(r, func(res *datasources.Result) {
				if len(res.Series) == len(regions) && len(res.Series[0].Points) > 200 {
					once.Do(wg.Done)
				}
			})
		}
		wg.Wait()
		b.StopTimer()
		for _, u := range unsub {
			u()
		}
		s.Close()
		if err := h.Close(); err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
	}
}
