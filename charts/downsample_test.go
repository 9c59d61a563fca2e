package charts

import (
	"math"
	"testing"

	"github.com/wallboard/wallboard/datasources"
)

// noisy is n points of deterministic noise around 50, 1 s apart, with a
// spike up to 1000 at up and down to -1000 at down.
func noisy(n, up, down int) []datasources.Point {
	r := rng(7)
	pts := make([]datasources.Point, n)
	for i := range pts {
		pts[i] = datasources.Point{T: int64(i) * 1000, V: 50 + 10*(r.float()-0.5)}
	}
	if up >= 0 {
		pts[up].V = 1000
	}
	if down >= 0 {
		pts[down].V = -1000
	}
	return pts
}

func extremes(pts []datasources.Point) (lo, hi float64) {
	lo, hi = math.Inf(1), math.Inf(-1)
	for _, p := range pts {
		if finite(p.V) {
			lo, hi = min(lo, p.V), max(hi, p.V)
		}
	}
	return lo, hi
}

func TestDownsampleKeepsExtremes(t *testing.T) {
	tests := []struct {
		name     string
		n        int
		up, down int
		columns  int
		lttb     bool // LTTB keeps one point per bucket: not both of two adjacent spikes
	}{
		{"spikes mid", 10000, 4321, 7777, 400, true},
		{"spikes at ends", 10000, 0, 9999, 300, true},
		{"adjacent spikes", 5000, 2500, 2501, 100, false},
		{"fewer points than columns", 100, 10, 90, 800, true},
	}
	for _, tt := range tests {
		src := noisy(tt.n, tt.up, tt.down)
		from, to := src[0].T, src[len(src)-1].T
		t.Run("minmax/"+tt.name, func(t *testing.T) {
			got := MinMax(nil, src, from, to, tt.columns)
			if lo, hi := extremes(got); lo != -1000 || hi != 1000 {
				t.Errorf("extremes %v..%v, want -1000..1000", lo, hi)
			}
			perCol := map[int]int{}
			for i, p := range got {
				if i > 0 && p.T < got[i-1].T {
					t.Fatalf("out of order at %d", i)
				}
				perCol[int(float64(p.T-from)/float64(to-from)*float64(tt.columns))]++
			}
			for c, n := range perCol {
				if n > 2 {
					t.Errorf("column %d has %d points", c, n)
				}
			}
			if len(got) > 2*tt.columns+2 {
				t.Errorf("%d points for %d columns", len(got), tt.columns)
			}
		})
		t.Run("lttb/"+tt.name, func(t *testing.T) {
			got := LTTB(nil, src, tt.columns)
			lo, hi := extremes(got)
			if tt.lttb && (lo != -1000 || hi != 1000) {
				t.Errorf("extremes %v..%v, want -1000..1000", lo, hi)
			}
			if !tt.lttb && lo != -1000 && hi != 1000 { // one bucket keeps one of the two
				t.Errorf("extremes %v..%v, want a spike kept", lo, hi)
			}
			if len(got) > max(tt.columns, 0)+2 && len(got) > tt.n {
				t.Errorf("%d points, threshold %d", len(got), tt.columns)
			}
			if tt.n > tt.columns && len(got) > tt.columns+1 {
				t.Errorf("%d points, threshold %d", len(got), tt.columns)
			}
		})
	}
}

func TestDownsampleGaps(t *testing.T) {
	src := noisy(1000, 100, -1)
	for i := 400; i < 450; i++ {
		src[i].V = math.NaN()
	}
	src[700].V = math.Inf(1)
	from, to := src[0].T, src[len(src)-1].T
	for name, got := range map[string][]datasources.Point{
		"minmax": MinMax(nil, src, from, to, 100),
		"lttb":   LTTB(nil, src, 100),
	} {
		gaps := 0
		for i, p := range got {
			if math.IsNaN(p.V) {
				gaps++
				if i > 0 && math.IsNaN(got[i-1].V) {
					t.Errorf("%s: consecutive gap markers at %d", name, i)
				}
			}
			if math.IsInf(p.V, 0) {
				t.Errorf("%s: Inf kept at %d", name, i)
			}
		}
		if gaps != 2 {
			t.Errorf("%s: %d gaps, want 2", name, gaps)
		}
		if _, hi := extremes(got); hi != 1000 {
			t.Errorf("%s: spike lost", name)
		}
	}
}

func TestMinMaxEdges(t *testing.T) {
	src := noisy(100, -1, -1) // T 0..99000
	got := MinMax(nil, src, 10_000, 20_000, 50)
	if got[0].T != 9000 || got[len(got)-1].T != 21000 {
		t.Errorf("want one point either side of the range, got %d..%d", got[0].T, got[len(got)-1].T)
	}
	if n := len(MinMax(nil, nil, 0, 1, 10)); n != 0 {
		t.Errorf("empty: %d", n)
	}
	one := []datasources.Point{{T: 5, V: 1}}
	if got := MinMax(nil, one, 0, 10, 10); len(got) != 1 {
		t.Errorf("one point: %v", got)
	}
	if got := MinMax(nil, one, 10, 10, 0); len(got) != 1 {
		t.Errorf("degenerate range: %v", got)
	}
	if got := LTTB(nil, one, 10); len(got) != 1 {
		t.Errorf("LTTB one point: %v", got)
	}
	// Reuses dst.
	buf := make([]datasources.Point, 0, 512)
	got = MinMax(buf, src, 0, 99_000, 100)
	if &got[0] != &buf[:1][0] {
		t.Error("MinMax did not reuse dst")
	}
}
