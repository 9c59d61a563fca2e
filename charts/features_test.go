package charts

import (
	"bytes"
	"errors"
	"image"
	"image/png"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/wallboard/wallboard/datasources"
	"github.com/wallboard/wallboard/layouts"
)

func TestPlotAreaAndTimeAt(t *testing.T) {
	w := &layouts.Widget{Type: layouts.WidgetTimeSeries, Unit: "s"}
	s := latencySeries()
	f := Frame{From: t0.Add(-time.Hour), To: t0}
	for _, size := range []image.Point{wallSize, phoneSize, image.Pt(1200, 500)} {
		r := PlotArea(w, s, f, size)
		if r.Empty() || !r.In(image.Rectangle{Max: size}) {
			t.Fatalf("%v: plot area %v", size, r)
		}
		// The ends of the plot are the ends of the range.
		if got, in := TimeAt(w, s, f, size, float64(r.Min.X)); !in || !got.Equal(f.From) {
			t.Errorf("%v: TimeAt(left) = %v, %t", size, got, in)
		}
		if got, in := TimeAt(w, s, f, size, float64(r.Max.X)); !in || !got.Equal(f.To) {
			t.Errorf("%v: TimeAt(right) = %v, %t", size, got, in)
		}
		mid, _ := TimeAt(w, s, f, size, float64(r.Min.X+r.Max.X)/2)
		if d := mid.Sub(t0.Add(-30 * time.Minute)); d < -time.Second || d > time.Second {
			t.Errorf("%v: TimeAt(middle) = %v", size, mid)
		}
		if _, in := TimeAt(w, s, f, size, float64(r.Min.X-5)); in {
			t.Errorf("%v: left of the plot is in", size)
		}
		// The drawn data lies inside the plot area: nothing in the
		// series' colour outside it (bar the legend).
		img := image.NewRGBA(image.Rectangle{Max: size})
		Draw(img, w, s, f)
		col := Dark().Series[2]
		for y := 0; y < r.Min.Y-3; y++ {
			for x := 0; x < size.X; x++ {
				if c := img.RGBAAt(x, y); c.R == col.R && c.G == col.G && c.B == col.B {
					t.Fatalf("%v: series drawn at %d,%d above the plot %v", size, x, y, r)
				}
			}
		}
	}
	if r := PlotArea(&layouts.Widget{Type: layouts.WidgetGauge}, s, f, wallSize); !r.Empty() {
		t.Errorf("gauge plot area %v", r)
	}
	if r := PlotArea(w, nil, f, wallSize); !r.Empty() {
		t.Errorf("no data: plot area %v", r)
	}
}

func TestHover(t *testing.T) {
	w := &layouts.Widget{Type: layouts.WidgetTimeSeries, Unit: "s"}
	s := latencySeries()
	f := Frame{From: t0.Add(-time.Hour), To: t0}
	r := PlotArea(w, s, f, wallSize)
	// Over the p99 spike at point 200 of 240.
	spike := s[2].Points[200]
	x := r.Min.X + int(float64(spike.T-f.From.UnixMilli())/float64(time.Hour.Milliseconds())*float64(r.Dx()))
	at, vals, ok := Hover(w, s, f, wallSize, x)
	if !ok || len(vals) != 3 {
		t.Fatalf("Hover = %v, %d values, %t", at, len(vals), ok)
	}
	if d := at.Sub(spike.Time()); d < -20*time.Second || d > 20*time.Second {
		t.Errorf("time %v, want about %v", at, spike.Time())
	}
	if vals[2].Name != "p99" || vals[2].Value != 1.42 || vals[2].Text != "1.42 s" || !vals[2].T.Equal(spike.Time()) {
		t.Errorf("p99 = %+v", vals[2])
	}
	if vals[0].Color != Dark().Series[0] || vals[1].Name != "p95" {
		t.Errorf("values %+v", vals)
	}
	// In the scrape gap (points 150..159) there is no value.
	gap := s[0].Points[155]
	x = r.Min.X + int(float64(gap.T-f.From.UnixMilli())/float64(time.Hour.Milliseconds())*float64(r.Dx()))
	_, vals, ok = Hover(w, s, f, wallSize, x)
	if !ok || !math.IsNaN(vals[0].Value) || vals[0].Text != NoValue || !vals[0].T.IsZero() {
		t.Errorf("in a gap: %+v, %t", vals, ok)
	}
	if _, _, ok := Hover(w, s, f, wallSize, r.Max.X+3); ok {
		t.Error("right of the plot: ok")
	}
	if _, _, ok := Hover(&layouts.Widget{Type: layouts.WidgetStat}, s, f, wallSize, 100); ok {
		t.Error("a stat: ok")
	}
	// The values must not share the draw's scratch: a later draw leaves them.
	_, vals, _ = Hover(w, s, f, wallSize, r.Min.X+10)
	name := vals[1].Name
	Draw(image.NewRGBA(image.Rectangle{Max: wallSize}), &layouts.Widget{Type: layouts.WidgetTable}, regionLatency(), f)
	if vals[1].Name != name || name != "p95" {
		t.Errorf("hover name changed to %q", vals[1].Name)
	}
}

func TestTableSortAndColumns(t *testing.T) {
	if got := (TableSort{}).Click(ColumnLast); got != (TableSort{Column: ColumnLast, Desc: true}) {
		t.Errorf("first click on Last = %+v", got)
	}
	if got := (TableSort{Column: ColumnLast, Desc: true}).Click(ColumnLast); got != (TableSort{Column: ColumnLast}) {
		t.Errorf("second click = %+v", got)
	}
	if got := (TableSort{Column: ColumnMax}).Click(ColumnName); got != (TableSort{Column: ColumnName}) {
		t.Errorf("click on Name = %+v", got)
	}
	w := &layouts.Widget{Type: layouts.WidgetTable, Unit: "s"}
	s := regionLatency()
	s = append(s, datasources.Series{Name: "empty", Points: []datasources.Point{{T: t0.UnixMilli(), V: math.NaN()}}})
	f := Frame{From: t0.Add(-time.Hour), To: t0}
	order := func(sort TableSort) []string {
		c := newLayoutCanvas(wallSize, f)
		defer c.release()
		c.tableValues(s, sort)
		names := c.seriesNames(s)
		var out []string
		for _, i := range c.sc.order {
			out = append(out, strings.Clone(names[i]))
		}
		return out
	}
	if got := order(TableSort{}); got[0] != "ap-northeast" || got[len(got)-1] != "us-west" {
		t.Errorf("by name: %v", got)
	}
	if got := order(TableSort{Column: ColumnName, Desc: true}); got[0] != "us-west" {
		t.Errorf("by name, descending: %v", got)
	}
	got := order(TableSort{Column: ColumnLast, Desc: true})
	if got[0] != "ap-south" || got[1] != "eu-west" || got[len(got)-1] != "empty" {
		t.Errorf("by last, descending: %v (no value last)", got)
	}
	got = order(TableSort{Column: ColumnLast})
	if got[0] != "ap-northeast" || got[len(got)-1] != "empty" {
		t.Errorf("by last, ascending: %v (no value last)", got)
	}
	// Header hit test: every visible column's header maps to it.
	for _, size := range []image.Point{wallSize, phoneSize} {
		seen := map[int]bool{}
		for x := 0; x < size.X; x++ {
			if k, ok := TableColumnAt(w, s, f, size, image.Pt(x, 5)); ok {
				seen[k] = true
			}
		}
		if !seen[ColumnName] || !seen[ColumnLast] {
			t.Errorf("%v: columns hit %v", size, seen)
		}
		if _, ok := TableColumnAt(w, s, f, size, image.Pt(10, size.Y-5)); ok {
			t.Errorf("%v: a row is a header", size)
		}
	}
	if k, ok := TableColumnAt(w, s, f, wallSize, image.Pt(wallSize.X-4, 4)); !ok || k != ColumnMean {
		t.Errorf("right edge of the header = %d, %t; want Mean", k, ok)
	}
}

func TestSortAlerts(t *testing.T) {
	rows := sampleAlerts()
	SortAlerts(rows)
	var got []string
	for _, r := range rows {
		got = append(got, r.Name)
	}
	want := "SourceDown ErrorBurst HighP99Latency GPUHot QueueBuilding LowQuality DeployFinished"
	if strings.Join(got, " ") != want {
		t.Errorf("order %v, want %s", got, want)
	}
	for _, tc := range []struct {
		d    time.Duration
		want string
	}{{-time.Second, "0s"}, {45 * time.Second, "45s"}, {12 * time.Minute, "12m"}, {3*time.Hour + 5*time.Minute, "3h 5m"}, {50 * time.Hour, "2d 2h"}} {
		if got := string(appendAge(nil, tc.d)); got != tc.want {
			t.Errorf("age %v = %q, want %q", tc.d, got, tc.want)
		}
	}
}

func TestAlertListStates(t *testing.T) {
	w := &layouts.Widget{Type: layouts.WidgetAlertList}
	empty := image.NewRGBA(image.Rectangle{Max: wallSize})
	Draw(empty, w, nil, Frame{})
	full := image.NewRGBA(image.Rectangle{Max: wallSize})
	Draw(full, w, nil, Frame{Alerts: sampleAlerts(), Now: t0})
	if bytes.Equal(empty.Pix, full.Pix) {
		t.Error("alerts drawn as the empty state")
	}
	// The empty state shows the OK colour (the check mark's disc).
	ok := Dark().OK
	found := false
	for y := 0; y < wallSize.Y && !found; y++ {
		for x := 0; x < wallSize.X; x++ {
			if c := empty.RGBAAt(x, y); c.R == ok.R && c.G == ok.G && c.B == ok.B {
				found = true
				break
			}
		}
	}
	if !found {
		t.Error("No alerts state without the OK colour")
	}
	// The caller's rows are not reordered.
	rows := sampleAlerts()
	Draw(full, w, nil, Frame{Alerts: rows, Now: t0})
	if rows[0].Name != "QueueBuilding" {
		t.Error("Draw sorted the caller's alerts")
	}
}

func TestHeatmapBuckets(t *testing.T) {
	// Two steps; cumulative buckets 10, 30, 35 (le 0.1, 1, +Inf), then
	// 20, 20, 26: per bucket 10, 20, 5 then 20, 0, 6.
	mk := func(le string, a, b float64) datasources.Series {
		return datasources.Series{Labels: datasources.Labels{"le": le}, Points: []datasources.Point{{T: 0, V: a}, {T: 15000, V: b}}}
	}
	s := []datasources.Series{mk("+Inf", 35, 26), mk("0.1", 10, 20), mk("1", 30, 20)}
	sc := scratchPool.Get().(*scratch)
	defer scratchPool.Put(sc)
	g := bucketGrid(sc, s, 0, 15001, 2)
	if g.rows != 3 || g.cols != 2 || !g.categorical {
		t.Fatalf("grid %dx%d", g.rows, g.cols)
	}
	want := [3][2]float64{{10, 20}, {20, 0}, {5, 6}}
	for r := range want {
		for k := range want[r] {
			if got := g.at(r, k); got != want[r][k] {
				t.Errorf("cell %d,%d = %v, want %v", r, k, got, want[r][k])
			}
		}
	}
	if g.max != 20 || g.edges[0] != 0 || g.edges[1] != 0.1 || !math.IsInf(g.edges[3], 1) {
		t.Errorf("max %v, edges %v", g.max, g.edges[:4])
	}
	// Raw samples: every sample lands in one cell.
	q := []datasources.Series{wave("q", 5, 100, time.Hour, 0.8, 0.1, 0.05)}
	g = sampleGrid(sc, &layouts.Widget{}, q, t0.Add(-time.Hour).UnixMilli(), t0.UnixMilli(), 10, 8)
	total := 0.0
	for _, v := range g.cells {
		total += v
	}
	if total != 100 || g.rows < 2 || g.rows > 9 {
		t.Errorf("samples: %v counted in %d rows", total, g.rows)
	}
}

func TestGeoCoordinates(t *testing.T) {
	s := regionRates()
	names := func() []string {
		c := newLayoutCanvas(wallSize, Frame{})
		defer c.release()
		var out []string
		for _, n := range c.seriesNames(s) {
			out = append(out, strings.Clone(n))
		}
		return out
	}()
	for i, reg := range []string{"us-east", "us-west", "ap-south", "sa-east"} {
		_ = i
		idx := -1
		for j := range s {
			if s[j].Labels["region"] == reg && isCoordSeries(&s[j]) == 0 {
				idx = j
			}
		}
		lat, lon, ok := coordinates(s, idx, names[idx])
		want := simRegions[reg]
		if !ok || lat != want[0] || lon != want[1] {
			t.Errorf("%s: %v,%v %t; want %v", reg, lat, lon, ok, want)
		}
	}
	// Coordinates from the region_latitude/longitude series win over labels.
	moved := []datasources.Series{
		{Name: "x", Labels: datasources.Labels{"region": "us-east", "lat": "1", "lon": "2"}, Points: []datasources.Point{{T: 1, V: 5}}},
		{Labels: datasources.Labels{"__name__": "region_latitude", "region": "us-east"}, Points: []datasources.Point{{T: 1, V: 10}}},
		{Labels: datasources.Labels{"__name__": "region_longitude", "region": "us-east"}, Points: []datasources.Point{{T: 1, V: 20}}},
	}
	if lat, lon, ok := coordinates(moved, 0, "x"); !ok || lat != 10 || lon != 20 {
		t.Errorf("from series: %v,%v,%t", lat, lon, ok)
	}
	// No coordinates in the data: none, whatever the region (the package
	// keeps no table of the simulator's regions).
	for _, reg := range []string{"mars-1", "us-east"} {
		if _, _, ok := coordinates([]datasources.Series{{Name: reg, Labels: datasources.Labels{"region": reg}}}, 0, reg); ok {
			t.Errorf("%s without coordinates in the data has some", reg)
		}
	}
	// The projection keeps the map's corners in its rectangle.
	m := newMapProj(rect{0, 0, 400, 200})
	for _, ll := range [][2]float64{{-180, 0}, {180, 0}, {0, mapLatMax}, {0, mapLatMin}} {
		x, y := m.xy(ll[0], ll[1])
		if x < m.r.x0-0.5 || x > m.r.x1+0.5 || y < m.r.y0-0.5 || y > m.r.y1+0.5 {
			t.Errorf("%v projects to %v,%v outside %v", ll, x, y, m.r)
		}
	}
}

func TestMapHover(t *testing.T) {
	w := &layouts.Widget{Type: layouts.WidgetGeoMap, Unit: "reqps"}
	s := regionRates()
	f := Frame{From: t0.Add(-time.Hour), To: t0}
	c := newLayoutCanvas(wallSize, f)
	l := c.layoutGeoMap(w, s)
	var east geoMarker
	for _, mk := range l.markers {
		if mk.name == "us-east" {
			east = mk
		}
	}
	c.release()
	p, ok := MapHover(w, s, f, wallSize, image.Pt(int(east.x), int(east.y)))
	if !ok || p.Region != "us-east" || p.Lat != 38.9 || !strings.HasSuffix(p.Text, "req/s") {
		t.Errorf("MapHover = %+v, %t", p, ok)
	}
	if _, ok := MapHover(w, s, f, wallSize, image.Pt(2, 2)); ok {
		t.Error("a corner hits a marker")
	}
}

func TestTextLayout(t *testing.T) {
	w := &layouts.Widget{Type: layouts.WidgetText, Text: runbookText}
	for _, size := range []image.Point{wallSize, phoneSize, image.Pt(200, 90), image.Pt(120, 400)} {
		c := newCanvas(image.NewRGBA(image.Rectangle{Max: size}), Frame{})
		drawText(c, w, Frame{})
		W, H := float64(size.X), float64(size.Y)
		for _, p := range c.sc.pieces {
			end := p.x + p.f.measure(p.s)
			if p.x < 0 || end > W+0.5 || p.y-p.f.ascent < 0 || p.y+p.f.descent > H+0.5 {
				t.Errorf("%v: %q at %.0f..%.0f, %.0f out of the body", size, p.s, p.x, end, p.y)
			}
		}
		c.release()
	}
	// In a small body the text ends with an ellipsis.
	c := newCanvas(image.NewRGBA(image.Rect(0, 0, 200, 90)), Frame{})
	drawText(c, w, Frame{})
	last := c.sc.pieces[len(c.sc.pieces)-1]
	if !strings.HasSuffix(last.s, "…") {
		t.Errorf("cut text ends with %q", last.s)
	}
	c.release()
	// Markup is parsed: bold, code and links become styled pieces.
	c = newCanvas(image.NewRGBA(image.Rect(0, 0, 900, 600)), Frame{})
	drawText(c, w, Frame{})
	styles := map[string]tPiece{}
	for _, p := range c.sc.pieces {
		styles[p.s] = p
	}
	if p := styles["queue"]; p.f == nil || p.f != getFace(fontBold, float64(p.f.px)) {
		t.Errorf("bold piece %+v", p)
	}
	if p := styles["region"]; p.f != getFace(fontItalic, float64(p.f.px)) {
		t.Errorf("italic piece %+v", p)
	}
	if p := styles["latency_spike"]; !p.code {
		t.Errorf("code piece %+v", p)
	}
	if p := styles["scaling"]; !p.underline || p.col != Dark().Info {
		t.Errorf("link piece %+v", p)
	}
	if _, ok := styles["https://wiki.example.com/audio/scale"]; !ok {
		t.Errorf("link address not shown: %v", styles)
	}
	for s := range styles {
		if strings.Contains(s, "**") || strings.Contains(s, "](") || strings.HasPrefix(s, "#") && s != "#audio-platform" {
			t.Errorf("markup left in %q", s)
		}
	}
	c.release()
}

func TestExport(t *testing.T) {
	w := &layouts.Widget{Type: layouts.WidgetTimeSeries, Title: "Latency", Unit: "s",
		Thresholds: &layouts.Thresholds{Warning: ptr(0.8), Critical: ptr(1.2)}}
	f := Frame{From: t0.Add(-time.Hour), To: t0, Theme: Light(), Annotations: sampleAnnotations()}
	var svg bytes.Buffer
	if err := ExportSVG(&svg, w, latencySeries(), f, 800, 400); err != nil {
		t.Fatal(err)
	}
	out := svg.String()
	for _, want := range []string{"<svg", "Latency", "p50", "p99", "13:30", "500 ms", "warning 800 ms"} {
		if !strings.Contains(out, want) {
			t.Errorf("SVG lacks %q", want)
		}
	}
	if strings.Contains(out, "NaN") {
		t.Error("SVG has NaN coordinates (gaps must split the lines)")
	}
	for _, style := range []string{"area", "stacked", "bars"} {
		w2 := *w
		w2.Style = style
		svg.Reset()
		if err := ExportSVG(&svg, &w2, latencySeries(), f, 640, 320); err != nil || !strings.Contains(svg.String(), "<svg") {
			t.Errorf("%s: %v", style, err)
		}
	}
	var pngBuf bytes.Buffer
	if err := ExportPNG(&pngBuf, w, latencySeries(), f, 800, 400); err != nil {
		t.Fatal(err)
	}
	img, err := png.Decode(&pngBuf)
	if err != nil || img.Bounds().Size() != image.Pt(800, 400) {
		t.Fatalf("PNG: %v, %v", err, img)
	}
	// Other kinds: PNG through the native renderer, SVG embedding it.
	pngBuf.Reset()
	g := &layouts.Widget{Type: layouts.WidgetGauge, Unit: "percent"}
	if err := ExportPNG(&pngBuf, g, latencySeries()[:1], f, 300, 200); err != nil {
		t.Fatal(err)
	}
	if img, err := png.Decode(&pngBuf); err != nil || img.Bounds().Dx() != 300 {
		t.Errorf("gauge PNG: %v", err)
	}
	svg.Reset()
	if err := ExportSVG(&svg, g, latencySeries()[:1], f, 300, 200); err != nil {
		t.Fatal(err)
	}
	if doc := svg.String(); !strings.HasPrefix(doc, "<svg ") || !strings.Contains(doc, `href="data:image/png;base64,`) {
		t.Errorf("gauge SVG: %.120s", doc)
	}
	if err := ExportSVG(&svg, nil, latencySeries(), f, 300, 200); !errors.Is(err, ErrExportKind) {
		t.Errorf("SVG of no widget: %v", err)
	}
	if err := ExportSVG(&svg, w, nil, f, 800, 400); err == nil {
		t.Error("no data exported")
	}
	if err := ExportPNG(&pngBuf, w, latencySeries(), f, 10, 100000); err == nil {
		t.Error("absurd size exported")
	}
}

// TestNoAllocations checks that a warm redraw of every kind allocates
// nothing.
func TestNoAllocations(t *testing.T) {
	if raceEnabled {
		t.Skip("allocation counts are meaningless under the race detector (it empties sync.Pools)")
	}
	if testing.Short() {
		t.Skip("allocation counts")
	}
	for _, gc := range goldenCases() {
		for _, v := range []variant{{size: wallSize, theme: Dark(), scale: 1}, {size: phoneSize, theme: Light(), scale: 1}} {
			img := image.NewRGBA(image.Rectangle{Max: v.size})
			w := gc.w
			f := gc.frameFor(v)
			Draw(img, &w, gc.series, f)
			if n := testing.AllocsPerRun(5, func() { Draw(img, &w, gc.series, f) }); n != 0 {
				t.Errorf("%s at %v: %v allocations per redraw", gc.name, v.size, n)
			}
		}
	}
}

// TestNoAllocationsValues covers values with a sign, currency and mapped
// text in the big-number kinds.
func TestNoAllocationsValues(t *testing.T) {
	if raceEnabled {
		t.Skip("allocation counts are meaningless under the race detector (it empties sync.Pools)")
	}
	for _, w := range []layouts.Widget{
		{Type: layouts.WidgetStat, Unit: "currencyUSD"},
		{Type: layouts.WidgetGauge, Unit: "currencyUSD", Min: ptr(-10.0)},
		{Type: layouts.WidgetTable, Unit: "currencyUSD"},
		{Type: layouts.WidgetGeoMap, Unit: "ops", Thresholds: &layouts.Thresholds{Warning: ptr(-1.0)}},
		{Type: layouts.WidgetStat, Mappings: []layouts.ValueMapping{{Value: -3, Text: "bad"}}},
	} {
		s := series(-1.5, -2.25, -3)
		s[0].Labels = datasources.Labels{"region": "us-east"}
		img := image.NewRGBA(image.Rectangle{Max: wallSize})
		f := Frame{From: t0.Add(-time.Hour), To: t0}
		Draw(img, &w, s, f)
		if n := testing.AllocsPerRun(5, func() { Draw(img, &w, s, f) }); n != 0 {
			t.Errorf("%s %s: %v allocations per redraw", w.Type, w.Unit, n)
		}
	}
}
