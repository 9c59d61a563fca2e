package history

import (
	"bytes"
	"context"
	"errors"
	"math"
	"os"
	"path/filepath"
	"testing"

	"github.com/wallboard/wallboard/datasources"
)

// FuzzChunkDecode feeds arbitrary bytes to the chunk decoder as a stored
// chunk value: it must return points or an ErrCorrupt error, never panic,
// and what it accepts must be well formed.
func FuzzChunkDecode(f *testing.F) {
	seeds := [][]datasources.Point{
		grid(t0, 1, func(int) float64 { return 1 }),
		grid(t0, 120, func(i int) float64 { return math.Sin(float64(i)) }),
		grid(t0, 50, func(i int) float64 { return float64(i * 100) }),
		{{T: -3, V: math.NaN()}, {T: 7, V: math.Inf(1)}, {T: 1 << 50, V: 0}},
	}
	for _, pts := range seeds {
		v := encodeChunk(nil, pts)
		f.Add(pts[0].T, v)
		f.Add(pts[0].T+1, v)
		f.Add(pts[0].T, v[:len(v)-1])
	}
	f.Add(int64(0), []byte{})
	f.Add(int64(0), []byte{chunkVersion})
	f.Add(int64(0), []byte{chunkVersion, 0, 0xff, 0xff})
	f.Fuzz(func(t *testing.T, mint int64, b []byte) {
		var d decoder
		pts, err := d.decode(nil, mint, b, math.MinInt64, math.MaxInt64)
		if err != nil {
			if !errors.Is(err, ErrCorrupt) {
				t.Fatalf("error %v does not wrap ErrCorrupt", err)
			}
			return
		}
		if len(pts) == 0 || pts[0].T != mint {
			t.Fatalf("accepted chunk starts at %v, want %d", pts, mint)
		}
		for i := 1; i < len(pts); i++ {
			if pts[i].T <= pts[i-1].T {
				t.Fatalf("accepted chunk out of order at %d", i)
			}
		}
		// What decodes must encode to something that decodes the same.
		again, err := d.decode(nil, mint, encodeChunk(nil, pts), math.MinInt64, math.MaxInt64)
		if err != nil || len(again) != len(pts) {
			t.Fatalf("re-encoded chunk: %v, %d points of %d", err, len(again), len(pts))
		}
		for i := range pts {
			if again[i].T != pts[i].T || math.Float64bits(again[i].V) != math.Float64bits(pts[i].V) {
				t.Fatalf("re-encoded point %d = %v, want %v", i, again[i], pts[i])
			}
		}
	})
}

// FuzzRecordDecode feeds arbitrary bytes to the query record decoder: it
// must return a record or an ErrCorrupt error, never panic; what it accepts
// encodes back to the same bytes.
func FuzzRecordDecode(f *testing.F) {
	f.Add(encodeRecord(nil, &record{source: "sim", query: "q", from: 1, to: 2, fetched: 3}))
	f.Add(encodeRecord(nil, &record{source: "prom", query: QueryKey(datasources.Query{Expr: "up", Step: step}), from: -5, to: 1 << 40, fetched: 1 << 41,
		series: []seriesRec{
			{id: 1, name: "a", labels: datasources.Labels{"region": "eu-west", "__name__": "up"}},
			{id: 300, name: "", labels: nil},
		}}))
	f.Add([]byte{recordVersion})
	f.Add([]byte{})
	f.Fuzz(func(t *testing.T, b []byte) {
		rec, err := decodeRecord(b)
		if err != nil {
			if !errors.Is(err, ErrCorrupt) {
				t.Fatalf("error %v does not wrap ErrCorrupt", err)
			}
			return
		}
		// Labels are encoded sorted, so only canonical input round-trips;
		// what decodes must survive encode-decode unchanged.
		again, err := decodeRecord(encodeRecord(nil, rec))
		if err != nil {
			t.Fatalf("re-encoded record: %v", err)
		}
		if again.source != rec.source || again.query != rec.query || again.from != rec.from || again.to != rec.to ||
			again.fetched != rec.fetched || len(again.series) != len(rec.series) {
			t.Fatalf("record changed: %+v -> %+v", rec, again)
		}
		for i := range rec.series {
			a, b := rec.series[i], again.series[i]
			if a.id != b.id || a.name != b.name || identity(a.name, a.labels) != identity(b.name, b.labels) {
				t.Fatalf("series %d changed: %+v -> %+v", i, a, b)
			}
		}
	})
}

// FuzzWalkFile feeds arbitrary bytes to the page walk that checks a bbolt
// file at Open before anything maps it: it must return nil, an ErrCorrupt
// error or errCheckIncomplete, never panic, and never read more pages than
// the file holds.
func FuzzWalkFile(f *testing.F) {
	path := filepath.Join(f.TempDir(), "history.db")
	s, err := Open(context.Background(), path, Options{NoSync: true})
	if err != nil {
		f.Fatal(err)
	}
	if err := s.Append(context.Background(), "sim", "q", datasources.Series{Name: "a", Labels: datasources.Labels{"region": "eu"}, Points: grid(t0, 300, func(i int) float64 { return float64(i) })}); err != nil {
		f.Fatal(err)
	}
	if err := s.Close(); err != nil {
		f.Fatal(err)
	}
	valid, err := os.ReadFile(path)
	if err != nil {
		f.Fatal(err)
	}
	f.Add(valid)
	f.Add(valid[:len(valid)/2])
	f.Add(valid[:8192])
	f.Add([]byte{})
	f.Fuzz(func(t *testing.T, b []byte) {
		w := walker{f: bytes.NewReader(b), size: int64(len(b))}
		if len(b) == 0 {
			return
		}
		err := w.walk()
		if err != nil && !errors.Is(err, ErrCorrupt) && !errors.Is(err, errCheckIncomplete) {
			t.Fatalf("error %v does not wrap ErrCorrupt", err)
		}
		if ps := int64(w.meta.pageSize); err == nil && ps > 0 && int64(len(w.seen))*ps > int64(len(b)) {
			t.Fatalf("walked %d pages of %d bytes in a file of %d bytes", len(w.seen), ps, len(b))
		}
	})
}
