package wall

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/wallboard/wallboard/datasources"
	"github.com/wallboard/wallboard/layouts"
)

func TestStep(t *testing.T) {
	for _, tc := range []struct {
		r, want time.Duration
	}{
		{5 * time.Minute, 15 * time.Second},
		{time.Hour, 15 * time.Second},
		{6 * time.Hour, time.Minute},
		{24 * time.Hour, 3*time.Minute + 30*time.Second},
		{30 * 24 * time.Hour, 108 * time.Minute},
	} {
		if got := Step(tc.r); got != tc.want {
			t.Errorf("Step(%v) = %v, want %v", tc.r, got, tc.want)
		}
	}
}

// TestRequestBoundsInterpolatedExpr: a variable's value can make a valid
// layout's query huge; the request refuses it as a bad query instead of
// handing it to a parser that cannot be interrupted.
func TestRequestBoundsInterpolatedExpr(t *testing.T) {
	d := &layouts.Dashboard{ID: "d", Variables: []layouts.Variable{{Name: "x"}}}
	w := &layouts.Widget{ID: "w"}
	rt := &Runtime{Sources: OpenSources(&layouts.Layout{})}
	sp := Span{Step: MinStep, Window: time.Hour}
	if _, err := rt.Request(d, w, layouts.Query{Expr: `sum(up{job=~"$x"})`}, sp, Settings{Vars: map[string][]string{"x": {"api"}}}); err != nil {
		t.Fatalf("a small query: %v", err)
	}
	huge := strings.Repeat("a", layouts.MaxExprLen)
	_, err := rt.Request(d, w, layouts.Query{Expr: `sum(up{job=~"$x"})`}, sp, Settings{Vars: map[string][]string{"x": {huge}}})
	if !errors.Is(err, datasources.ErrBadQuery) || !errors.Is(err, layouts.ErrExprTooLong) {
		t.Errorf("huge interpolated query: %v, want a bad query, too long", err)
	}
}
