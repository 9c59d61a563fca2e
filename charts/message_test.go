package charts

import (
	"image"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/wallboard/wallboard/datasources"
	"github.com/wallboard/wallboard/layouts"
)

// drawTexts draws a body of size and returns it with the text drawn on
// it, in drawing order.
func drawTexts(w *layouts.Widget, series []datasources.Series, f Frame, size image.Point) (*image.RGBA, []textBox) {
	var texts []textBox
	f.texts = &texts
	img := image.NewRGBA(image.Rectangle{Max: size})
	Draw(img, w, series, f)
	return img, texts
}

func textsOf(bs []textBox) []string {
	out := make([]string, len(bs))
	for i, b := range bs {
		out[i] = b.s
	}
	return out
}

// dataKinds are the widget kinds that show query data.
func dataKinds() []string {
	var out []string
	for _, k := range layouts.WidgetKinds {
		if layouts.IsDataKind(k) {
			out = append(out, k)
		}
	}
	return out
}

// hasColour reports whether any pixel of img in r is col.
func hasColour(img *image.RGBA, r image.Rectangle, col colorT) bool {
	for y := r.Min.Y; y < r.Max.Y; y++ {
		for x := r.Min.X; x < r.Max.X; x++ {
			if c := img.RGBAAt(x, y); c.R == col.R && c.G == col.G && c.B == col.B {
				return true
			}
		}
	}
	return false
}

func TestOneMessage(t *testing.T) {
	th := Dark()
	f := Frame{From: t0.Add(-time.Hour), To: t0, Theme: th}
	const unreachable = "Source unreachable"
	nan := datasources.Series{Name: "x", Points: []datasources.Point{{T: t0.UnixMilli(), V: math.NaN()}}}
	// Data a day before the range: there are values, none to show.
	old := wave("old", 1, 60, time.Hour, 1, 0.2, 0.1)
	for i := range old.Points {
		old.Points[i].T -= (24 * time.Hour).Milliseconds()
	}
	tests := []struct {
		name   string
		kinds  []string
		series []datasources.Series
		err    string
		want   []string // exactly the text drawn; nil: anything but an error or "No data"
	}{
		{"no data", dataKinds(), nil, "", []string{"No data"}},
		{"unreachable", dataKinds(), nil, unreachable, []string{unreachable}},
		{"reported an error", dataKinds(), nil, "Source reported an error", []string{"Source reported an error"}},
		{"only NaN", dataKinds(), []datasources.Series{nan}, unreachable, []string{unreachable}},
		{"nothing in the range", []string{layouts.WidgetHeatmap, layouts.WidgetHistogram}, []datasources.Series{old}, unreachable, []string{unreachable}},
		{"stale data is drawn", dataKinds(), latencySeries(), unreachable, nil},
	}
	for _, tt := range tests {
		for _, kind := range tt.kinds {
			t.Run(tt.name+"/"+kind, func(t *testing.T) {
				f := f
				f.Error = tt.err
				w := &layouts.Widget{Type: kind, Unit: "s"}
				img, texts := drawTexts(w, tt.series, f, wallSize)
				got := textsOf(texts)
				if tt.want == nil {
					for _, s := range got {
						if s == "No data" || s == tt.err {
							t.Errorf("%q drawn over the data: %q", s, got)
						}
					}
					if len(got) == 0 {
						t.Error("no text at all")
					}
					return
				}
				if strings.Join(got, "|") != strings.Join(tt.want, "|") {
					t.Fatalf("drew %q, want %q", got, tt.want)
				}
				col := th.TextDim
				if tt.err != "" {
					col = th.Critical
				}
				if !hasColour(img, texts[0].box, col) {
					t.Errorf("%q not in its colour %v", got[0], col)
				}
			})
		}
	}
}

func TestMessageWraps(t *testing.T) {
	long := "Error: query range: Post \"https://prometheus.example.com/api/v1/query_range\": dial tcp 10.0.0.7:9090: connect: connection refused"
	tests := []struct {
		name     string
		msg      string
		size     image.Point
		minLines int
		maxLines int
	}{
		{"short on a wall", "Source unreachable", wallSize, 1, 1},
		{"short in a narrow body", "Source did not answer in time", image.Pt(160, 120), 2, 3},
		{"long on a wall", long, wallSize, 2, 3},
		{"long on a phone", long, phoneSize, 2, 3},
		{"long in a tiny body", long, image.Pt(120, 40), 1, 2},
		{"long in a one-line body", long, image.Pt(120, 24), 1, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := &layouts.Widget{Type: layouts.WidgetTimeSeries}
			_, texts := drawTexts(w, nil, Frame{Error: tt.msg}, tt.size)
			if len(texts) < tt.minLines || len(texts) > tt.maxLines {
				t.Errorf("%d lines %q, want %d..%d", len(texts), textsOf(texts), tt.minLines, tt.maxLines)
			}
			body := image.Rectangle{Max: tt.size}
			for i, b := range texts {
				if !b.box.In(body) {
					t.Errorf("line %q at %v outside the body %v", b.s, b.box, body)
				}
				if i > 0 && b.box.Overlaps(texts[i-1].box) {
					t.Errorf("lines %q and %q overlap", texts[i-1].s, b.s)
				}
			}
			// Nothing of the message is lost but what the ellipsis stands for.
			joined := strings.Join(textsOf(texts), " ")
			if !strings.HasSuffix(joined, "…") && joined != tt.msg {
				t.Errorf("drew %q of %q", joined, tt.msg)
			}
		})
	}
}
