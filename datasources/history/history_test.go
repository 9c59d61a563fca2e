package history

import (
	"context"
	"errors"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"go.etcd.io/bbolt"

	"github.com/wallboard/wallboard/datasources"
)

var t0 = time.Date(2026, 11, 27, 12, 0, 0, 0, time.UTC)

const step = 15 * time.Second

// grid returns n points every step from start, valued f(i).
func grid(start time.Time, n int, f func(i int) float64) []datasources.Point {
	pts := make([]datasources.Point, n)
	for i := range pts {
		pts[i] = datasources.Point{T: start.Add(time.Duration(i) * step).UnixMilli(), V: f(i)}
	}
	return pts
}

func openTest(t testing.TB, opts Options) (*Store, string) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "history.db")
	s, err := Open(context.Background(), path, opts)
	if err != nil {
		t.Fatal(err)
	}
	if n := s.Notice(); n != nil {
		t.Fatalf("unexpected notice on a new file: %s", n)
	}
	t.Cleanup(func() { _ = s.Close() })
	return s, path
}

// samePoints compares points bit for bit (so NaN equals NaN).
func samePoints(t *testing.T, what string, got, want []datasources.Point) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("%s: %d points, want %d", what, len(got), len(want))
	}
	for i := range got {
		if got[i].T != want[i].T || math.Float64bits(got[i].V) != math.Float64bits(want[i].V) {
			t.Fatalf("%s: point %d = %v, want %v", what, i, got[i], want[i])
		}
	}
}

func TestRoundTrip(t *testing.T) {
	ctx := context.Background()
	for _, tc := range []struct {
		name   string
		series []datasources.Series
	}{
		{"one point", []datasources.Series{{Name: "up", Labels: datasources.Labels{"__name__": "up"}, Points: grid(t0, 1, func(int) float64 { return 1 })}}},
		{"smooth gauge", []datasources.Series{{Name: "cpu", Labels: datasources.Labels{"instance": "gpu-node-1"}, Points: grid(t0, 1000, func(i int) float64 { return 50 + 20*math.Sin(float64(i)/40) })}}},
		{"counter and constant", []datasources.Series{
			{Name: "a", Labels: datasources.Labels{"region": "eu-west"}, Points: grid(t0, 500, func(i int) float64 { return 1e10 + float64(i*137) })},
			{Name: "b", Labels: datasources.Labels{"region": "us-east"}, Points: grid(t0, 500, func(int) float64 { return 42 })},
		}},
		{"specials", []datasources.Series{{Name: "x", Points: grid(t0, 8, func(i int) float64 {
			return []float64{0, math.Inf(1), math.Inf(-1), -0.0, math.MaxFloat64, math.SmallestNonzeroFloat64, math.NaN(), -1e-300}[i]
		})}}},
		{"irregular times", []datasources.Series{{Name: "y", Points: []datasources.Point{{T: -5000, V: 1}, {T: 1, V: 2}, {T: 2, V: 3}, {T: 1 << 40, V: 4}, {T: 1<<40 + 999_999_999, V: 5}}}}},
		{"no labels, empty name", []datasources.Series{{Points: grid(t0, 3, func(i int) float64 { return float64(i) })}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s, path := openTest(t, Options{})
			if err := s.Append(ctx, "sim", "q", tc.series...); err != nil {
				t.Fatal(err)
			}
			check := func(s *Store, when string) {
				got, newest, err := s.Range(ctx, "sim", "q", time.UnixMilli(math.MinInt64/2), time.UnixMilli(math.MaxInt64/2))
				if err != nil {
					t.Fatal(err)
				}
				if len(got) != len(tc.series) {
					t.Fatalf("%s: %d series, want %d", when, len(got), len(tc.series))
				}
				var wantNewest int64
				for i, w := range tc.series {
					if got[i].Name != w.Name || got[i].Labels.String() != w.Labels.String() {
						t.Fatalf("%s: series %d = %q %v, want %q %v", when, i, got[i].Name, got[i].Labels, w.Name, w.Labels)
					}
					samePoints(t, when, got[i].Points, w.Points)
					wantNewest = max(wantNewest, w.Points[len(w.Points)-1].T)
				}
				if newest.UnixMilli() != wantNewest {
					t.Fatalf("%s: newest = %d, want %d", when, newest.UnixMilli(), wantNewest)
				}
			}
			check(s, "open")
			if err := s.Close(); err != nil {
				t.Fatal(err)
			}
			s2, err := Open(ctx, path, Options{})
			if err != nil {
				t.Fatal(err)
			}
			defer s2.Close()
			check(s2, "reopened")
		})
	}
}

func TestRangeWindow(t *testing.T) {
	ctx := context.Background()
	s, _ := openTest(t, Options{})
	pts := grid(t0, 1000, func(i int) float64 { return float64(i) })
	if err := s.Append(ctx, "sim", "q", datasources.Series{Name: "a", Points: pts}); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name     string
		from, to int
		want     []datasources.Point
	}{
		{"inside one chunk", 3, 7, pts[3:8]},
		{"across chunks", 100, 400, pts[100:401]},
		{"chunk boundary", 120, 240, pts[120:241]},
		{"before all", -50, -1, nil},
		{"after all", 1000, 2000, nil},
		{"overlapping the start", -10, 5, pts[:6]},
		{"overlapping the end", 990, 1010, pts[990:]},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, _, err := s.Range(ctx, "sim", "q", t0.Add(time.Duration(tc.from)*step), t0.Add(time.Duration(tc.to)*step))
			if err != nil {
				t.Fatal(err)
			}
			if len(tc.want) == 0 {
				if len(got) != 0 {
					t.Fatalf("got %d series, want none", len(got))
				}
				return
			}
			samePoints(t, tc.name, got[0].Points, tc.want)
		})
	}
}

func TestGapsKeptAsGaps(t *testing.T) {
	ctx := context.Background()
	s, _ := openTest(t, Options{})
	// NaN values are gaps; a missing stretch of time is a gap too.
	pts := grid(t0, 300, func(i int) float64 {
		if i >= 100 && i < 110 {
			return math.NaN()
		}
		return float64(i)
	})
	pts = append(pts[:200], pts[250:]...)
	if err := s.Append(ctx, "sim", "q", datasources.Series{Name: "a", Points: pts}); err != nil {
		t.Fatal(err)
	}
	got, _, err := s.Range(ctx, "sim", "q", t0, t0.Add(300*step))
	if err != nil {
		t.Fatal(err)
	}
	samePoints(t, "gaps", got[0].Points, pts)
	for _, p := range got[0].Points {
		if p.T >= t0.Add(200*step).UnixMilli() && p.T < t0.Add(250*step).UnixMilli() {
			t.Fatalf("a point appeared in the missing stretch: %v", p)
		}
	}
}

func TestOverlappingTailDedups(t *testing.T) {
	ctx := context.Background()
	for _, tc := range []struct {
		name      string
		stored    []datasources.Point
		tail      []datasources.Point
		step      time.Duration
		want      []datasources.Point
		minSpaced time.Duration
	}{
		{
			name:   "same grid: overlap replaced",
			stored: grid(t0, 200, func(i int) float64 { return float64(i) }),
			tail:   grid(t0.Add(190*step), 20, func(i int) float64 { return 1000 + float64(i) }),
			want: append(grid(t0, 190, func(i int) float64 { return float64(i) }),
				grid(t0.Add(190*step), 20, func(i int) float64 { return 1000 + float64(i) })...),
		},
		{
			name:   "tail entirely inside",
			stored: grid(t0, 10, func(i int) float64 { return float64(i) }),
			tail:   grid(t0.Add(3*step), 2, func(int) float64 { return -1 }),
			want: []datasources.Point{
				{T: t0.UnixMilli(), V: 0}, {T: t0.Add(step).UnixMilli(), V: 1}, {T: t0.Add(2 * step).UnixMilli(), V: 2},
				{T: t0.Add(3 * step).UnixMilli(), V: -1}, {T: t0.Add(4 * step).UnixMilli(), V: -1},
				{T: t0.Add(5 * step).UnixMilli(), V: 5}, {T: t0.Add(6 * step).UnixMilli(), V: 6}, {T: t0.Add(7 * step).UnixMilli(), V: 7},
				{T: t0.Add(8 * step).UnixMilli(), V: 8}, {T: t0.Add(9 * step).UnixMilli(), V: 9},
			},
		},
		{
			// A tail anchored 5 s off the stored grid: its first point, too
			// close to the last older one, is dropped.
			name:      "tail off the grid keeps the spacing",
			stored:    grid(t0, 10, func(i int) float64 { return float64(i) }),
			tail:      grid(t0.Add(7*step+5*time.Second), 4, func(i int) float64 { return 100 + float64(i) }),
			step:      step,
			minSpaced: MinGap(step),
			want: append(grid(t0, 8, func(i int) float64 { return float64(i) }),
				grid(t0.Add(8*step+5*time.Second), 3, func(i int) float64 { return 101 + float64(i) })...),
		},
		{
			name:   "unsorted input with duplicates",
			stored: grid(t0, 3, func(i int) float64 { return float64(i) }),
			tail:   []datasources.Point{{T: t0.Add(4 * step).UnixMilli(), V: 4}, {T: t0.Add(3 * step).UnixMilli(), V: 30}, {T: t0.Add(3 * step).UnixMilli(), V: 3}},
			want:   grid(t0, 5, func(i int) float64 { return float64(i) }),
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s, _ := openTest(t, Options{ChunkSamples: 16})
			if err := s.Append(ctx, "sim", "q", datasources.Series{Name: "a", Points: tc.stored}); err != nil {
				t.Fatal(err)
			}
			b := Batch{Source: "sim", Query: "q", Step: tc.step, Series: []datasources.Series{{Name: "a", Points: tc.tail}}}
			if err := s.Write(ctx, b); err != nil {
				t.Fatal(err)
			}
			got, _, err := s.Range(ctx, "sim", "q", t0.Add(-time.Hour), t0.Add(24*time.Hour))
			if err != nil {
				t.Fatal(err)
			}
			samePoints(t, tc.name, got[0].Points, tc.want)
			for i := 1; i < len(got[0].Points); i++ {
				if d := got[0].Points[i].T - got[0].Points[i-1].T; d <= 0 || d < tc.minSpaced.Milliseconds() {
					t.Fatalf("points %d and %d are %d ms apart", i-1, i, d)
				}
			}
			// The in-memory merge the scheduler does gives the same points.
			mem := MergePoints(tc.stored, sortedPoints(tc.tail), sortedPoints(tc.tail)[0].T, sortedPoints(tc.tail)[len(sortedPoints(tc.tail))-1].T, MinGap(tc.step).Milliseconds())
			samePoints(t, "MergePoints", mem, tc.want)
		})
	}
}

func TestBatchRangeReplacesAndTracksSpan(t *testing.T) {
	ctx := context.Background()
	s, _ := openTest(t, Options{})
	all := grid(t0, 240, func(i int) float64 { return float64(i) })
	if err := s.Write(ctx, Batch{Source: "sim", Query: "q", From: t0, To: t0.Add(239 * step), Step: step, Fetched: t0.Add(239 * step),
		Series: []datasources.Series{{Name: "a", Points: all}, {Name: "b", Points: all}}}); err != nil {
		t.Fatal(err)
	}
	// The source now says series a has no data in the last 10 steps: they go.
	from := t0.Add(230 * step)
	if err := s.Write(ctx, Batch{Source: "sim", Query: "q", From: from, To: t0.Add(260 * step), Step: step, Fetched: t0.Add(260 * step),
		Series: []datasources.Series{{Name: "a"}, {Name: "b", Points: grid(from, 31, func(int) float64 { return -1 })}}}); err != nil {
		t.Fatal(err)
	}
	c, ok, err := s.Load(ctx, "sim", "q", t0, t0.Add(time.Hour*2))
	if err != nil || !ok {
		t.Fatalf("load: %v %v", ok, err)
	}
	if n := len(c.Series[0].Points); n != 230 {
		t.Fatalf("series a has %d points, want 230", n)
	}
	if n := len(c.Series[1].Points); n != 261 {
		t.Fatalf("series b has %d points, want 261", n)
	}
	if !c.From.Equal(t0) || !c.To.Equal(t0.Add(260*step)) || !c.Fetched.Equal(t0.Add(260*step)) || !c.Newest.Equal(t0.Add(260*step)) {
		t.Fatalf("span %v..%v fetched %v newest %v", c.From, c.To, c.Fetched, c.Newest)
	}
	// An answer after a hole restarts the span.
	later := t0.Add(10 * time.Hour)
	if err := s.Write(ctx, Batch{Source: "sim", Query: "q", From: later, To: later.Add(time.Hour), Step: step, Series: []datasources.Series{{Name: "b", Points: grid(later, 241, func(int) float64 { return 1 })}}}); err != nil {
		t.Fatal(err)
	}
	c, _, _ = s.Load(ctx, "sim", "q", t0, later.Add(time.Hour))
	if !c.From.Equal(later) || !c.To.Equal(later.Add(time.Hour)) {
		t.Fatalf("span after a hole = %v..%v, want %v..%v", c.From, c.To, later, later.Add(time.Hour))
	}
	if _, ok, _ := s.Load(ctx, "sim", "other", t0, later); ok {
		t.Fatal("an unknown query was found")
	}
}

func TestRetentionByAge(t *testing.T) {
	ctx := context.Background()
	now := t0
	s, _ := openTest(t, Options{Now: func() time.Time { return now }, MaxAge: 24 * time.Hour, ChunkSamples: 60})
	// Query old: two days, entirely before the cutoff after we move on.
	old := grid(t0.Add(-48*time.Hour), 480, func(i int) float64 { return float64(i) })
	if err := s.Write(ctx, Batch{Source: "sim", Query: "old", Step: step, Series: []datasources.Series{{Name: "a", Points: old}}}); err != nil {
		t.Fatal(err)
	}
	// Query live: the last 36 h.
	live := grid(t0.Add(-36*time.Hour), 36*240, func(i int) float64 { return float64(i) })
	if err := s.Write(ctx, Batch{Source: "sim", Query: "live", Step: step, Series: []datasources.Series{{Name: "a", Points: live}}}); err != nil {
		t.Fatal(err)
	}
	if err := s.Retain(ctx); err != nil {
		t.Fatal(err)
	}
	if _, ok, _ := s.Load(ctx, "sim", "old", t0.Add(-72*time.Hour), t0); ok {
		t.Fatal("a query older than MaxAge is still stored")
	}
	c, ok, err := s.Load(ctx, "sim", "live", t0.Add(-72*time.Hour), t0)
	if err != nil || !ok {
		t.Fatal(ok, err)
	}
	cutoff := t0.Add(-24 * time.Hour)
	pts := c.Series[0].Points
	first := time.UnixMilli(pts[0].T)
	// Chunks whose samples are all older go; the one straddling the cutoff stays.
	if first.Before(cutoff.Add(-60*step)) || first.After(cutoff) {
		t.Fatalf("oldest kept sample %v, want within a chunk before %v", first, cutoff)
	}
	if pts[len(pts)-1].T != live[len(live)-1].T {
		t.Fatal("the newest samples were dropped")
	}
	if c.From.Before(cutoff) {
		t.Fatalf("span starts %v, before the cutoff %v", c.From, cutoff)
	}
	st, _ := s.Stats(ctx)
	if st.Queries != 1 || st.Series != 1 {
		t.Fatalf("stats %+v, want 1 query, 1 series", st)
	}
}

func TestRetentionBySize(t *testing.T) {
	ctx := context.Background()
	const maxBytes = 1 << 20
	now := t0
	s, _ := openTest(t, Options{Now: func() time.Time { return now }, MaxBytes: maxBytes, MaxAge: -1})
	// 40 queries of 4 series, each 24 h of noisy values (~8 B/sample):
	// several MB, written oldest day first.
	for q := range 40 {
		start := t0.Add(-time.Duration(40-q) * 24 * time.Hour)
		var series []datasources.Series
		for k := range 4 {
			series = append(series, datasources.Series{Name: fmt.Sprint(k), Points: grid(start, 5760, func(i int) float64 { return math.Sin(float64(i*(k+1))) * 1e3 })})
		}
		if err := s.Write(ctx, Batch{Source: "sim", Query: fmt.Sprint("q", q), Series: series}); err != nil {
			t.Fatal(err)
		}
	}
	if err := s.Retain(ctx); err != nil {
		t.Fatal(err)
	}
	st, err := s.Stats(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if st.UsedBytes > maxBytes {
		t.Fatalf("%d bytes in use after retention, want <= %d", st.UsedBytes, maxBytes)
	}
	if st.Queries == 0 || st.Queries >= 40 {
		t.Fatalf("%d queries left, want some dropped and some kept", st.Queries)
	}
	// The newest day survives whole; the oldest is gone.
	got, _, _ := s.Range(ctx, "sim", "q39", t0.Add(-25*time.Hour), t0)
	if len(got) != 4 || len(got[0].Points) != 5760 {
		t.Fatalf("newest query lost data: %d series", len(got))
	}
	if _, ok, _ := s.Load(ctx, "sim", "q0", t0.Add(-50*24*time.Hour), t0); ok {
		t.Fatal("the oldest query survived retention by size")
	}
}

func TestRetentionRunsOnWrite(t *testing.T) {
	ctx := context.Background()
	s, _ := openTest(t, Options{MaxBytes: 256 << 10, MaxAge: -1, Now: func() time.Time { return t0.Add(30 * 24 * time.Hour) }})
	for q := range 20 {
		pts := grid(t0.Add(time.Duration(q)*24*time.Hour), 5760, func(i int) float64 { return math.Sin(float64(i)) })
		if err := s.Append(ctx, "sim", fmt.Sprint("q", q), datasources.Series{Name: "a", Points: pts}); err != nil {
			t.Fatal(err)
		}
	}
	deadline := time.Now().Add(10 * time.Second)
	for {
		st, err := s.Stats(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if st.UsedBytes <= 256<<10 {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("retention did not run after writes: %d bytes in use", st.UsedBytes)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func TestOpenLocked(t *testing.T) {
	ctx := context.Background()
	a, path := openTest(t, Options{})
	if err := a.Append(ctx, "sim", "q", datasources.Series{Name: "a", Points: grid(t0, 10, func(i int) float64 { return 1 })}); err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	b, err := Open(ctx, path, Options{}) // the default lock timeout
	if err != nil {
		t.Fatal(err)
	}
	if d := time.Since(start); d > 2*time.Second {
		t.Fatalf("open of a locked file took %v, want <= 2s", d)
	}
	n := b.Notice()
	if n == nil || n.Kind != Locked || !b.Temporary() || b.Path() == path || n.Using != b.Path() {
		t.Fatalf("notice %+v, temporary %v, path %s: want a temporary cache and a Locked notice", n, b.Temporary(), b.Path())
	}
	if n.String() == "" {
		t.Fatal("empty notice text")
	}
	if got, _, err := b.Range(ctx, "sim", "q", t0, t0.Add(time.Hour)); err != nil || len(got) != 0 {
		t.Fatalf("fresh cache: %v %v", got, err)
	}
	if err := b.Append(ctx, "sim", "q", datasources.Series{Name: "b", Points: grid(t0, 3, func(i int) float64 { return 2 })}); err != nil {
		t.Fatal(err)
	}
	if err := b.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(b.Path()); !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("temporary cache not removed: %v", err)
	}
	if got, _, err := a.Range(ctx, "sim", "q", t0, t0.Add(time.Hour)); err != nil || len(got) != 1 || got[0].Name != "a" {
		t.Fatalf("first store after the second closed: %v %v", got, err)
	}
	// A short ctx deadline shortens the wait.
	cctx, cancel := context.WithTimeout(ctx, 200*time.Millisecond)
	defer cancel()
	start = time.Now()
	c, err := Open(cctx, path, Options{LockTimeout: 10 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if d := time.Since(start); d > time.Second {
		t.Fatalf("open with a 200ms deadline took %v", d)
	}
}

func TestOpenBadFile(t *testing.T) {
	ctx := context.Background()
	newer := func(t *testing.T, path string) {
		s, err := Open(ctx, path, Options{})
		if err != nil {
			t.Fatal(err)
		}
		_ = s.Close()
		db, err := bbolt.Open(path, 0o600, nil)
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		if err := db.Update(func(tx *bbolt.Tx) error {
			return tx.Bucket(bucketMeta).Put(keyFormat, []byte{FormatVersion + 1})
		}); err != nil {
			t.Fatal(err)
		}
	}
	garbage := func(n int) func(*testing.T, string) {
		return func(t *testing.T, path string) {
			b := make([]byte, n)
			for i := range b {
				b[i] = byte(i*7919 + i/13)
			}
			if err := os.WriteFile(path, b, 0o600); err != nil {
				t.Fatal(err)
			}
		}
	}
	foreign := func(t *testing.T, path string) {
		db, err := bbolt.Open(path, 0o600, nil)
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		if err := db.Update(func(tx *bbolt.Tx) error {
			_, err := tx.CreateBucket([]byte("something else"))
			return err
		}); err != nil {
			t.Fatal(err)
		}
	}
	for _, tc := range []struct {
		name   string
		make   func(*testing.T, string)
		kind   NoticeKind
		suffix string
	}{
		{"garbage", garbage(64 << 10), Corrupt, ".corrupt-"},
		{"short garbage", garbage(100), Corrupt, ".corrupt-"},
		{"another bbolt file", foreign, Corrupt, ".corrupt-"},
		{"newer version", newer, Newer, ".newer-"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "history.db")
			tc.make(t, path)
			before, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			start := time.Now()
			s, err := Open(ctx, path, Options{})
			if err != nil {
				t.Fatal(err)
			}
			defer s.Close()
			if d := time.Since(start); d > 2*time.Second {
				t.Fatalf("open took %v", d)
			}
			n := s.Notice()
			if n == nil || n.Kind != tc.kind || n.Path != path || s.Path() != path || s.Temporary() {
				t.Fatalf("notice %+v: want kind %d for %s", n, tc.kind, path)
			}
			if filepath.Dir(n.MovedTo) != filepath.Dir(path) || !hasPrefix(filepath.Base(n.MovedTo), "history.db"+tc.suffix) {
				t.Fatalf("moved to %q, want %s%s<unix>", n.MovedTo, path, tc.suffix)
			}
			moved, err := os.ReadFile(n.MovedTo)
			if err != nil || string(moved) != string(before) {
				t.Fatalf("the bad file was not kept as it was: %v", err)
			}
			if err := s.Append(ctx, "sim", "q", datasources.Series{Name: "a", Points: grid(t0, 3, func(i int) float64 { return 1 })}); err != nil {
				t.Fatal(err)
			}
			if got, _, err := s.Range(ctx, "sim", "q", t0, t0.Add(time.Hour)); err != nil || len(got) != 1 {
				t.Fatalf("fresh cache does not work: %v %v", got, err)
			}
			_ = s.Close()
			s2, err := Open(ctx, path, Options{})
			if err != nil {
				t.Fatal(err)
			}
			defer s2.Close()
			if s2.Notice() != nil {
				t.Fatalf("second open still reports %s", s2.Notice())
			}
		})
	}
}

func hasPrefix(s, p string) bool { return len(s) >= len(p) && s[:len(p)] == p }

func TestCorruptValueIsAnErrorAndMovedAsideOnClose(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "history.db")
	s, err := Open(ctx, path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Append(ctx, "sim", "q", datasources.Series{Name: "a", Points: grid(t0, 300, func(i int) float64 { return float64(i) })}); err != nil {
		t.Fatal(err)
	}
	_ = s.Close()
	db, err := bbolt.Open(path, 0o600, nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := db.Update(func(tx *bbolt.Tx) error {
		c := tx.Bucket(bucketChunks).Cursor()
		k, v := c.First()
		bad := append([]byte(nil), v[:len(v)/2]...)
		return tx.Bucket(bucketChunks).Put(append([]byte(nil), k...), bad)
	}); err != nil {
		t.Fatal(err)
	}
	_ = db.Close()

	s, err = Open(ctx, path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := s.Range(ctx, "sim", "q", t0, t0.Add(time.Hour*2)); !errors.Is(err, ErrCorrupt) {
		t.Fatalf("range over a damaged chunk: %v, want ErrCorrupt", err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	matches, _ := filepath.Glob(path + ".corrupt-*")
	if len(matches) != 1 {
		t.Fatalf("damaged file not moved aside on close: %v", matches)
	}
}

func TestClosed(t *testing.T) {
	ctx := context.Background()
	s, _ := openTest(t, Options{})
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Fatalf("second close: %v", err)
	}
	if err := s.Append(ctx, "sim", "q", datasources.Series{Name: "a", Points: grid(t0, 1, func(int) float64 { return 1 })}); !errors.Is(err, ErrClosed) {
		t.Fatalf("append after close: %v", err)
	}
	if _, _, err := s.Range(ctx, "sim", "q", t0, t0); !errors.Is(err, ErrClosed) {
		t.Fatalf("range after close: %v", err)
	}
}

func TestConcurrentAppendsAndReads(t *testing.T) {
	ctx := context.Background()
	s, _ := openTest(t, Options{NoSync: true})
	const writers, rounds = 4, 30
	var wg sync.WaitGroup
	errs := make(chan error, writers*2)
	for w := range writers {
		wg.Add(2)
		go func() {
			defer wg.Done()
			for r := range rounds {
				// Every writer appends tails to its own query and to a shared one.
				from := t0.Add(time.Duration(r*10) * step)
				b := Batch{Source: "sim", Step: step, From: from, To: from.Add(19 * step),
					Series: []datasources.Series{{Name: fmt.Sprint(w), Points: grid(from, 20, func(i int) float64 { return float64(r*10 + i) })}}}
				for _, q := range []string{fmt.Sprint("own", w), "shared"} {
					b.Query = q
					if err := s.Write(ctx, b); err != nil {
						errs <- err
						return
					}
				}
			}
		}()
		go func() {
			defer wg.Done()
			for range rounds {
				got, _, err := s.Range(ctx, "sim", "shared", t0, t0.Add(24*time.Hour))
				if err != nil {
					errs <- err
					return
				}
				for _, ser := range got {
					for i := 1; i < len(ser.Points); i++ {
						if ser.Points[i].T <= ser.Points[i-1].T {
							errs <- fmt.Errorf("series %s out of order at %d", ser.Name, i)
							return
						}
					}
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	want := grid(t0, (rounds-1)*10+20, func(i int) float64 { return float64(i) })
	for w := range writers {
		for _, q := range []string{fmt.Sprint("own", w), "shared"} {
			got, _, err := s.Range(ctx, "sim", q, t0, t0.Add(24*time.Hour))
			if err != nil {
				t.Fatal(err)
			}
			for _, ser := range got {
				if ser.Name == fmt.Sprint(w) {
					samePoints(t, q, ser.Points, want)
				}
			}
		}
	}
}

func TestDefaultPath(t *testing.T) {
	p, err := DefaultPath()
	if err != nil {
		t.Skip("no user cache dir:", err)
	}
	if filepath.Base(p) != "history.db" || filepath.Base(filepath.Dir(p)) != "wallboard" {
		t.Fatalf("DefaultPath = %s", p)
	}
}

func TestQueryKey(t *testing.T) {
	a := QueryKey(datasources.Query{Expr: "up", Step: step})
	for _, q := range []datasources.Query{
		{Expr: "up", Step: 2 * step},
		{Expr: "up", Step: step, Legend: "{{x}}"},
		{Expr: "up", Step: step, Instant: true},
		{Expr: "up ", Step: step},
	} {
		if QueryKey(q) == a {
			t.Fatalf("QueryKey(%+v) equals QueryKey of a different query", q)
		}
	}
	if QueryKey(datasources.Query{Expr: "up", Step: step, Start: t0}) != a {
		t.Fatal("the time range changed the key")
	}
}

func TestOpenUnavailableDirectory(t *testing.T) {
	// The cache directory cannot be created (its parent is a file): the
	// session still gets a cache, in the system's temp directory.
	parent := filepath.Join(t.TempDir(), "not-a-dir")
	if err := os.WriteFile(parent, []byte("x"), 0o600); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(parent, "wallboard", "history.db")
	s, err := Open(context.Background(), path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	n := s.Notice()
	if n == nil || n.Kind != Unavailable || !s.Temporary() || n.String() == "" {
		t.Fatalf("notice %+v, temporary %v", n, s.Temporary())
	}
	if err := s.Append(context.Background(), "sim", "q", datasources.Series{Name: "a", Points: grid(t0, 3, func(int) float64 { return 1 })}); err != nil {
		t.Fatal(err)
	}
	tmp := s.Path()
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(tmp); !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("temporary cache %s left behind: %v", tmp, err)
	}
}
