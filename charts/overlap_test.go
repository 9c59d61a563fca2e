package charts

import (
	"fmt"
	"image"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/wallboard/wallboard/datasources"
	"github.com/wallboard/wallboard/layouts"
)

// overlaps returns the pairs of texts whose ink overlaps, and the texts
// drawn outside the body.
func overlaps(texts []textBox, body image.Rectangle) []string {
	// A label drawn with a halo is the same text a few times, a pixel or
	// two apart: one text.
	var merged []textBox
	for _, tb := range texts {
		if n := len(merged); n > 0 && merged[n-1].s == tb.s && merged[n-1].box.Inset(-3).Overlaps(tb.box) {
			merged[n-1].box = merged[n-1].box.Union(tb.box)
			continue
		}
		merged = append(merged, tb)
	}
	// An opaque box (a tooltip, s "") hides the text drawn before under it.
	var shown []textBox
	for _, tb := range merged {
		if tb.s == "" {
			kept := shown[:0]
			for _, o := range shown {
				if !o.box.Overlaps(tb.box) {
					kept = append(kept, o)
				}
			}
			shown = kept
			continue
		}
		shown = append(shown, tb)
	}
	texts = shown
	var bad []string
	for i, a := range texts {
		if !a.box.In(body) {
			bad = append(bad, fmt.Sprintf("%q %v outside the body", a.s, a.box))
		}
		for _, b := range texts[i+1:] {
			if a.box.Overlaps(b.box) {
				bad = append(bad, fmt.Sprintf("%q %v over %q %v", a.s, a.box, b.s, b.box))
			}
		}
	}
	return bad
}

// TestNoTextOverText draws every golden case at small sizes and checks
// that no text is drawn over another or cut by the body's edge: when room
// runs out, the least useful text goes first.
func TestNoTextOverText(t *testing.T) {
	sizes := []image.Point{{80, 40}, {120, 60}, {160, 90}, {200, 120}, {240, 150}, {300, 100}, {100, 300}, wallSize, phoneSize}
	for _, gc := range goldenCases() {
		for _, size := range sizes {
			for _, scale := range []float64{1, 2} {
				name := fmt.Sprintf("%s/%dx%d@%g", gc.name, size.X, size.Y, scale)
				t.Run(name, func(t *testing.T) {
					f := gc.frameFor(variant{size: size, theme: Dark(), scale: scale})
					w := gc.w
					_, texts := drawTexts(&w, gc.series, f, size.Mul(int(scale)))
					if bad := overlaps(texts, image.Rectangle{Max: size.Mul(int(scale))}); len(bad) > 0 {
						t.Errorf("%s", strings.Join(bad, "\n"))
					}
				})
			}
		}
	}
}

func TestStatChange(t *testing.T) {
	at := func(min int) int64 { return t0.Add(time.Duration(min) * time.Minute).UnixMilli() }
	nan := math.NaN()
	tests := []struct {
		name string
		pts  []datasources.Point
		want string // the change drawn, "" for none
	}{
		{"one value", []datasources.Point{{T: at(-1), V: 0.42}}, ""},
		{"one value among gaps", []datasources.Point{{T: at(-3), V: nan}, {T: at(-2), V: 0.42}, {T: at(-1), V: nan}}, ""},
		{"two at one time", []datasources.Point{{T: at(-1), V: 1}, {T: at(-1), V: 2}}, ""},
		{"unchanged", []datasources.Point{{T: at(-2), V: 0.42}, {T: at(-1), V: 0.42}}, "= 0%"},
		{"up", []datasources.Point{{T: at(-2), V: 2}, {T: at(-1), V: 3}}, "▲ 50%"},
		{"down after a gap", []datasources.Point{{T: at(-3), V: 4}, {T: at(-2), V: nan}, {T: at(-1), V: 3}}, "▼ 25%"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := &layouts.Widget{Type: layouts.WidgetStat}
			f := Frame{From: t0.Add(-time.Hour), To: t0}
			_, texts := drawTexts(w, []datasources.Series{{Name: "x", Points: tt.pts}}, f, wallSize)
			got := ""
			for _, tb := range texts {
				if strings.HasPrefix(tb.s, "▲") || strings.HasPrefix(tb.s, "▼") || strings.HasPrefix(tb.s, "=") {
					got = tb.s
				}
			}
			if got != tt.want {
				t.Errorf("change %q, want %q (drawn: %q)", got, tt.want, textsOf(texts))
			}
		})
	}
}

// TestGaugeDropsLabelsFirst checks what a gauge keeps as it shrinks: the
// value always, the min and max labels only where they fit.
func TestGaugeDropsLabelsFirst(t *testing.T) {
	series := []datasources.Series{wave("cpu", 7, 60, time.Hour, 78, 12, 6)}
	w := &layouts.Widget{Type: layouts.WidgetGauge, Unit: "percent"}
	tests := []struct {
		size   image.Point
		labels bool
	}{
		{image.Pt(80, 40), false},
		{image.Pt(120, 60), false},
		{image.Pt(160, 90), true},
		{image.Pt(100, 300), false},
		{image.Pt(240, 150), true},
		{phoneSize, true},
		{wallSize, true},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprintf("%dx%d", tt.size.X, tt.size.Y), func(t *testing.T) {
			_, texts := drawTexts(w, series, Frame{From: t0.Add(-time.Hour), To: t0}, tt.size)
			got := textsOf(texts)
			value, labels := false, 0
			for _, s := range got {
				switch s {
				case "0%", "100%":
					labels++
				case FormatWidget(w, series[0].Points[len(series[0].Points)-1].V), strings.TrimSuffix(FormatWidget(w, series[0].Points[len(series[0].Points)-1].V), "%"):
					value = true
				}
			}
			if !value {
				t.Errorf("value not drawn: %q", got)
			}
			if (labels == 2) != tt.labels || labels == 1 {
				t.Errorf("%d of the min/max labels drawn, want both: %v (%q)", labels, tt.labels, got)
			}
			if bad := overlaps(texts, image.Rectangle{Max: tt.size}); len(bad) > 0 {
				t.Error(strings.Join(bad, "\n"))
			}
		})
	}
}
