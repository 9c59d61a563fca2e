package simload

import (
	"bytes"
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/wallboard/wallboard/datasources/sim"
)

type captureWriter struct {
	batches [][]byte
	failAt  int
}

func (c *captureWriter) WriteLines(_ context.Context, lines []byte) error {
	if c.failAt > 0 && len(c.batches)+1 == c.failAt {
		return errors.New("disk full")
	}
	c.batches = append(c.batches, bytes.Clone(lines))
	return nil
}

func TestWriteSim(t *testing.T) {
	s := sim.New(0)
	defer s.Close()
	from := time.Date(2026, 11, 27, 0, 0, 0, 0, time.UTC)
	to := from.Add(10 * time.Minute) // 41 samples a series
	w := &captureWriter{}
	n, err := WriteSim(context.Background(), w, s, from, to)
	if err != nil {
		t.Fatal(err)
	}
	var all []string
	for _, b := range w.batches {
		all = append(all, strings.Split(strings.TrimSuffix(string(b), "\n"), "\n")...)
	}
	if len(all) != n || n == 0 || n%41 != 0 {
		t.Fatalf("wrote %d lines, reported %d (want a multiple of 41)", len(all), n)
	}
	if len(w.batches) < 2 || strings.Count(string(w.batches[0]), "\n") != simBatch {
		t.Errorf("%d batches, the first of %d lines", len(w.batches), strings.Count(string(w.batches[0]), "\n"))
	}
	want := map[string]bool{
		"cpu_usage_percent,instance=gpu-node-1 value=":                        false,
		"audio_requests_total,model=denoise-v3,region=us-east value=":         false,
		"audio_request_duration_seconds_bucket,le=+Inf,region=eu-west value=": false,
	}
	for _, l := range all {
		for p := range want {
			if strings.HasPrefix(l, p) {
				want[p] = true
			}
		}
	}
	for p, ok := range want {
		if !ok {
			t.Errorf("no line starts with %q", p)
		}
	}
	if !strings.HasSuffix(all[0], " 1795737600000") {
		t.Errorf("first line %q: want the range's first step, in ms", all[0])
	}

	w = &captureWriter{failAt: 2}
	n, err = WriteSim(context.Background(), w, s, from, to)
	if err == nil || !strings.Contains(err.Error(), "disk full") || n != simBatch {
		t.Fatalf("failing writer: %d lines, %v", n, err)
	}
}
