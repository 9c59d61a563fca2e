package charts

import (
	"image"
	"math"
	"slices"
	"strconv"
	"strings"
	"sync"

	"github.com/wallboard/wallboard/assets"
	"github.com/wallboard/wallboard/datasources"
	"github.com/wallboard/wallboard/layouts"
)

// A geo-map draws the countries of assets.World in the Natural Earth
// projection (Antarctica and the far north cropped: latitudes -56° to
// 84°), and one marker per series at its region's coordinates, its area
// proportional to the value and its colour the value's place on the
// theme's scale (or its threshold level when the widget has thresholds).
//
// Coordinates come, for each series, from the first of:
//
//  1. the simulator's region_latitude and region_longitude series, when the
//     widget's queries return them too (matched on the "region" label);
//  2. the series' own "lat" and "lon" (or "latitude", "longitude") labels.
//
// Series without coordinates are counted in a note under the map: this
// package keeps no table of anyone's regions.

// Map crop, in degrees of latitude.
const (
	mapLatMin = -56
	mapLatMax = 84
)

// naturalEarth projects longitude and latitude (radians) with the Natural
// Earth I projection (Šavrič, Jenny, Patterson, Petrovič and Hurni, 2011);
// y points north.
func naturalEarth(lambda, phi float64) (x, y float64) {
	p2 := phi * phi
	p4 := p2 * p2
	x = lambda * (0.8707 - 0.131979*p2 + p4*(-0.013791+p4*(0.003971*p2-0.001529*p4)))
	y = phi * (1.007226 + p2*(0.015085+p4*(-0.044475+0.028874*p2-0.005916*p4)))
	return x, y
}

const deg = math.Pi / 180

// mapProj maps degrees to device pixels inside a map rectangle.
type mapProj struct {
	r          rect
	k          float64 // pixels per projected unit
	ox, oy     float64 // projected x0 and top y
	x0, y0, y1 float64
}

func newMapProj(avail rect) mapProj {
	xMax, _ := naturalEarth(math.Pi, 0)
	_, yTop := naturalEarth(0, mapLatMax*deg)
	_, yBot := naturalEarth(0, mapLatMin*deg)
	k := min(avail.w()/(2*xMax), avail.h()/(yTop-yBot))
	w, h := 2*xMax*k, (yTop-yBot)*k
	x0 := math.Round(avail.x0 + (avail.w()-w)/2)
	y0 := math.Round(avail.y0 + (avail.h()-h)/2)
	return mapProj{r: rect{x0, y0, x0 + w, y0 + h}, k: k, ox: -xMax, oy: yTop}
}

func (m mapProj) xy(lon, lat float64) (float64, float64) {
	lat = clampF(lat, -89.9, 89.9)
	x, y := naturalEarth(lon*deg, lat*deg)
	return m.r.x0 + (x-m.ox)*m.k, m.r.y0 + (m.oy-y)*m.k
}

// baseMap is a cached drawing of the countries for one geometry and theme.
type baseMapKey struct {
	w, h        int
	x0, y0, k   float64
	panel, land colorT
	scale       float64
}

var baseMaps struct {
	mu    sync.Mutex
	m     map[baseMapKey]*image.RGBA
	order []baseMapKey
}

// maxBaseMaps bounds the cache: a wall shows a few map sizes, in a few themes.
const maxBaseMaps = 12

// baseMap returns the countries drawn over the panel colour, at the
// canvas' size; drawn once per size and theme, then copied.
func (c *canvas) baseMap(m mapProj) *image.RGBA {
	key := baseMapKey{c.w, c.h, m.r.x0, m.r.y0, m.k, c.th.Panel, c.th.Land, c.s}
	baseMaps.mu.Lock()
	img := baseMaps.m[key]
	baseMaps.mu.Unlock()
	if img != nil {
		return img
	}
	img = image.NewRGBA(image.Rect(0, 0, c.w, c.h))
	bc := newCanvas(img, Frame{Theme: c.th, Scale: c.s})
	bc.clear(c.th.Panel)
	world := assets.World()
	p := bc.path(m.r)
	for _, country := range world {
		for _, poly := range country.Polygons {
			for _, ring := range poly {
				for i, q := range ring {
					x, y := m.xy(float64(q.Lon), float64(q.Lat))
					if i == 0 {
						p.moveTo(x, y)
					} else {
						p.lineTo(x, y)
					}
				}
				p.close()
			}
		}
	}
	p.fill(c.th.Land)
	// Borders: thin lines of the panel colour between countries.
	clip := bc.clipOf(m.r)
	for _, country := range world {
		for _, poly := range country.Polygons {
			for _, ring := range poly {
				xy := bc.sc.xy[:0]
				for _, q := range ring {
					x, y := m.xy(float64(q.Lon), float64(q.Lat))
					xy = append(xy, float32(x), float32(y))
				}
				xy = append(xy, xy[0], xy[1])
				bc.sc.xy = xy
				bc.polyline(xy, max(0.8, bc.px(0.7)), c.th.Panel, clip)
			}
		}
	}
	bc.release()
	baseMaps.mu.Lock()
	defer baseMaps.mu.Unlock()
	if baseMaps.m == nil {
		baseMaps.m = make(map[baseMapKey]*image.RGBA)
	}
	if old := baseMaps.m[key]; old != nil {
		return old
	}
	if len(baseMaps.order) >= maxBaseMaps {
		delete(baseMaps.m, baseMaps.order[0])
		baseMaps.order = slices.Delete(baseMaps.order, 0, 1)
	}
	baseMaps.m[key] = img
	baseMaps.order = append(baseMaps.order, key)
	return img
}

// copyRect copies the pixels of r from src (same size as the canvas).
func (c *canvas) copyRect(src *image.RGBA, r irect) {
	for y := r.y0; y < r.y1; y++ {
		copy(c.pix[y*c.stride+r.x0*4:y*c.stride+r.x1*4], src.Pix[y*src.Stride+r.x0*4:y*src.Stride+r.x1*4])
	}
}

// geoMarker is one series placed on the map.
type geoMarker struct {
	series   int
	name     string
	v        float64
	lat, lon float64
	x, y, r  float64
	col      colorT
}

// isCoordSeries reports whether s holds a region's latitude (1) or
// longitude (2) rather than a value to show.
func isCoordSeries(s *datasources.Series) int {
	n := s.Labels["__name__"]
	switch {
	case n == "region_latitude" || strings.HasPrefix(s.Name, "region_latitude"):
		return 1
	case n == "region_longitude" || strings.HasPrefix(s.Name, "region_longitude"):
		return 2
	}
	return 0
}

// regionKey is what a series' coordinates are looked up by.
func regionKey(s *datasources.Series, name string) string {
	if r := s.Labels["region"]; r != "" {
		return r
	}
	return name
}

// coordinates finds a series' latitude and longitude (see the top of the
// file).
func coordinates(series []datasources.Series, i int, name string) (lat, lon float64, ok bool) {
	s := &series[i]
	key := regionKey(s, name)
	lat, lon = math.NaN(), math.NaN()
	for j := range series {
		kind := isCoordSeries(&series[j])
		if kind == 0 || series[j].Labels["region"] != key {
			continue
		}
		if p, found := series[j].Last(); found {
			if kind == 1 {
				lat = p.V
			} else {
				lon = p.V
			}
		}
	}
	if finite(lat) && finite(lon) {
		return lat, lon, true
	}
	for _, k := range [2][2]string{{"lat", "lon"}, {"latitude", "longitude"}} {
		la, okA := s.Labels[k[0]]
		lo, okB := s.Labels[k[1]]
		if !okA || !okB { // (a parse error would allocate)
			continue
		}
		a, errA := strconv.ParseFloat(la, 64)
		b, errB := strconv.ParseFloat(lo, 64)
		if errA == nil && errB == nil && finite(a) && finite(b) {
			return a, b, true
		}
	}
	return 0, 0, false
}

// geoLayout places the map, markers and legend.
type geoLayout struct {
	m        mapProj
	markers  []geoMarker
	missing  int
	legendY  float64
	legendH  float64
	tf, vf   *face
	vmin     float64
	vmax     float64
	anyValue bool
}

func (c *canvas) layoutGeoMap(w *layouts.Widget, series []datasources.Series) geoLayout {
	W, H := float64(c.w), float64(c.h)
	th := c.th
	sc := c.sc
	var l geoLayout
	fs := c.smallText()
	l.tf, l.vf = getFace(fontRegular, fs), getFace(fontBold, fs)
	names := c.seriesNames(series)
	markers := sc.markers[:0]
	l.vmin, l.vmax = math.Inf(1), math.Inf(-1)
	for i := range series {
		if isCoordSeries(&series[i]) != 0 {
			continue
		}
		v, ok := widgetReduce(w, series[i])
		if !ok {
			v = math.NaN()
		}
		lat, lon, found := coordinates(series, i, names[i])
		if !found {
			l.missing++
			continue
		}
		markers = append(markers, geoMarker{series: i, name: names[i], v: v, lat: lat, lon: lon})
		if finite(v) {
			l.vmin, l.vmax = min(l.vmin, v), max(l.vmax, v)
			l.anyValue = true
		}
	}
	sc.markers = markers
	// Largest first: the list below reads top down, and small markers
	// are drawn over big ones.
	slices.SortStableFunc(markers, func(a, b geoMarker) int {
		switch {
		case a.v > b.v || (finite(a.v) && !finite(b.v)):
			return -1
		case a.v < b.v || (!finite(a.v) && finite(b.v)):
			return 1
		}
		return 0
	})
	l.markers = markers

	// The map takes what the legend leaves: up to three rows of values
	// under it when the body is taller than the map needs.
	pad := c.px(6)
	rowH := math.Ceil(l.tf.height() + c.px(4))
	full := newMapProj(rect{pad, pad, W - pad, H - pad})
	spare := H - 2*pad - full.r.h()
	rows := 0
	if len(markers) > 0 || l.missing > 0 {
		rows = min(3, int(spare/rowH))
		if rows == 0 && c.logicalH() >= 150 {
			rows = 1 // shrink the map for one row of values
		}
		// One more row if it shows every value, while the map keeps at
		// least 55% of the height.
		if rows >= 2 {
			itemW := 0.0
			for _, mk := range markers {
				itemW = max(itemW, c.px(16)+l.tf.measure(mk.name)+c.px(8)+l.vf.measure(c.fmtWidget(w, mk.v)))
			}
			cols := max(1, int((W-c.px(16)+c.px(20))/(itemW+c.px(20))))
			items := len(markers)
			if l.missing > 0 {
				items++
			}
			if need := (items + cols - 1) / cols; need > rows && need <= 4 && H-2*pad-float64(need)*rowH >= 0.55*H {
				rows = need
			}
		}
	}
	if rows > 0 {
		l.legendH = float64(rows)*rowH + c.px(4)
	}
	l.m = newMapProj(rect{pad, pad, W - pad, H - pad - l.legendH})
	l.legendY = l.m.r.y1 + c.px(4)
	if rows > 0 {
		// Legend right under the map, the whole block centred.
		block := l.m.r.h() + l.legendH
		top := math.Round(max(pad, (H-block)/2))
		l.m = newMapProj(rect{pad, top, W - pad, top + l.m.r.h()})
		l.legendY = l.m.r.y1 + c.px(4)
	}

	// Markers: area proportional to the value over the largest.
	rMin := max(c.px(4), 0.018*l.m.r.h())
	rMax := max(rMin+c.px(4), 0.075*l.m.r.h())
	hasTh := hasThresholds(w)
	for i := range markers {
		mk := &markers[i]
		mk.x, mk.y = l.m.xy(mk.lon, mk.lat)
		mk.r = rMin
		switch {
		case !finite(mk.v):
			mk.col = th.Stale
		case hasTh:
			mk.col = th.LevelColor(w.Thresholds.Level(mk.v))
		default:
			f := 1.0
			if l.vmax > l.vmin {
				f = (mk.v - l.vmin) / (l.vmax - l.vmin)
			}
			mk.col = th.scaleColor(0.3 + 0.7*f)
		}
		if finite(mk.v) && l.vmax > 0 && mk.v > 0 {
			mk.r = rMin + (rMax-rMin)*math.Sqrt(mk.v/l.vmax)
		}
	}
	return l
}

func drawGeoMap(c *canvas, w *layouts.Widget, series []datasources.Series, f Frame) {
	th := c.th
	W := float64(c.w)
	l := c.layoutGeoMap(w, series)
	if len(l.markers) == 0 && l.missing == 0 {
		c.noData(f)
		return
	}
	if l.m.r.w() >= 20 && l.m.r.h() >= 10 {
		base := c.baseMap(l.m)
		c.copyRect(base, c.clipOf(rect{l.m.r.x0 - 2, l.m.r.y0 - 2, l.m.r.x1 + 2, l.m.r.y1 + 2}))
	}
	// Markers, smallest on top.
	for i := len(l.markers) - 1; i >= 0; i-- {
		mk := l.markers[i]
		c.arc(mk.x, mk.y, 0, mk.r+c.px(1.5), 0, 2*math.Pi, th.Panel)
		c.arc(mk.x, mk.y, 0, mk.r, 0, 2*math.Pi, withAlpha(mk.col, 235))
	}
	// Names of the biggest markers on the map, where they do not collide.
	c.mapLabels(l)

	// Values under the map: dot, name, value, in columns of rows items,
	// each column as wide as its widest item, as many as fit.
	if l.legendH <= 0 {
		return
	}
	tf, vf := l.tf, l.vf
	rowH := math.Ceil(tf.height() + c.px(4))
	rows := max(1, int((l.legendH-c.px(4))/rowH))
	pad := c.px(8)
	dot := c.px(5)
	colGap := c.px(22)
	itemW := func(k int) float64 {
		mk := l.markers[k]
		return 2*dot + c.px(6) + tf.measure(mk.name) + c.px(10) + vf.measure(c.fmtWidget(w, mk.v))
	}
	note := func(more int) string {
		if l.missing > 0 && more == l.missing {
			return c.itoa("", l.missing, " without location")
		}
		return c.itoa("+", more, " more")
	}
	// Columns that fit, leaving room for the note when some are left out.
	widths := c.sc.tick[:0]
	shown, used := 0, 0.0
	for shown < len(l.markers) {
		cw := 0.0
		n := min(rows, len(l.markers)-shown)
		for k := shown; k < shown+n; k++ {
			cw = max(cw, itemW(k))
		}
		add := cw
		if len(widths) > 0 {
			add += colGap
		}
		if used+add > W-2*pad {
			break
		}
		widths = append(widths, cw)
		used += add
		shown += n
	}
	more := len(l.markers) - shown + l.missing
	if more > 0 && shown > 0 {
		// The note takes the last slot when no column of its own fits.
		if used+colGap+tf.measure(note(more)) > W-2*pad {
			shown--
			more++
		}
	}
	c.sc.tick = widths
	x := math.Round(max(pad, (W-used)/2))
	if more > 0 {
		x = pad
	}
	for col, k := 0, 0; k < shown; col++ {
		for row := 0; row < rows && k < shown; row, k = row+1, k+1 {
			mk := l.markers[k]
			mid := l.legendY + float64(row)*rowH + rowH/2
			c.arc(x+dot, mid, 0, dot, 0, 2*math.Pi, mk.col)
			val := c.fmtWidget(w, mk.v)
			c.textMid(vf, val, x+widths[col], mid, alignRight, th.Text)
			c.textMid(tf, mk.name, x+2*dot+c.px(6), mid, alignLeft, th.TextDim)
		}
		x += widths[col] + colGap
	}
	if more > 0 {
		row := shown % rows
		if shown%rows == 0 {
			row = 0
		} else {
			x -= widths[len(widths)-1] + colGap
		}
		mid := l.legendY + float64(row)*rowH + rowH/2
		c.textMid(tf, note(more), x, mid, alignLeft, th.TextDim)
	}
}

// mapLabels writes region names next to the biggest markers, each to the
// right, left, above or below its marker, skipping any that would cover
// another label or marker.
func (c *canvas) mapLabels(l geoLayout) {
	if c.logicalH() < 150 {
		return
	}
	tf := l.tf
	placed := c.sc.boxes[:0]
	for _, mk := range l.markers {
		placed = append(placed, rect{mk.x - mk.r, mk.y - mk.r, mk.x + mk.r, mk.y + mk.r})
	}
	nMarkers := len(placed)
	for i, mk := range l.markers {
		lw := tf.measure(mk.name)
		h := tf.capTop + c.px(4)
		gap := c.px(4)
		cands := [4]rect{
			{mk.x + mk.r + gap, mk.y - h/2, mk.x + mk.r + gap + lw, mk.y + h/2},
			{mk.x - mk.r - gap - lw, mk.y - h/2, mk.x - mk.r - gap, mk.y + h/2},
			{mk.x - lw/2, mk.y - mk.r - gap - h, mk.x + lw/2, mk.y - mk.r - gap},
			{mk.x - lw/2, mk.y + mk.r + gap, mk.x + lw/2, mk.y + mk.r + gap + h},
		}
		for _, b := range cands {
			if b.x0 < l.m.r.x0 || b.x1 > l.m.r.x1 || b.y0 < l.m.r.y0 || b.y1 > l.m.r.y1 {
				continue
			}
			clash := false
			for j, o := range placed {
				if j == i && j < nMarkers {
					continue
				}
				if b.x0 < o.x1 && o.x0 < b.x1 && b.y0 < o.y1 && o.y0 < b.y1 {
					clash = true
					break
				}
			}
			if clash {
				continue
			}
			placed = append(placed, b)
			// A halo of the land colour keeps the name readable over borders.
			y := (b.y0+b.y1)/2 + tf.capTop/2
			for _, d := range [4][2]float64{{-1, 0}, {1, 0}, {0, -1}, {0, 1}} {
				c.text(tf, mk.name, b.x0+d[0]*c.s, y+d[1]*c.s, alignLeft, c.th.Panel)
			}
			c.text(tf, mk.name, b.x0, y, alignLeft, c.th.Text)
			break
		}
	}
	c.sc.boxes = placed
}

// MapPoint is a geo-map marker under the pointer.
type MapPoint struct {
	// Name is the series' display name, Region the region it was placed by.
	Name, Region string
	Value        float64
	// Text is the value as the panel formats it.
	Text     string
	Lat, Lon float64
}

// MapHover returns the marker of a geo-map panel of size under pt (body
// pixels), the smallest one when markers overlap, and false when pt is on
// no marker (a marker's hit area is at least 12 logical pixels across).
func MapHover(w *layouts.Widget, series []datasources.Series, f Frame, size, pt image.Point) (MapPoint, bool) {
	if w == nil || w.Type != layouts.WidgetGeoMap || !hasData(series) {
		return MapPoint{}, false
	}
	c := newLayoutCanvas(size, f)
	defer c.release()
	if !c.ok() {
		return MapPoint{}, false
	}
	l := c.layoutGeoMap(w, series)
	px, py := float64(pt.X)+0.5, float64(pt.Y)+0.5
	best := -1
	for i, mk := range l.markers {
		r := max(mk.r, c.px(6))
		if (px-mk.x)*(px-mk.x)+(py-mk.y)*(py-mk.y) <= r*r {
			if best < 0 || mk.r <= l.markers[best].r {
				best = i
			}
		}
	}
	if best < 0 {
		return MapPoint{}, false
	}
	mk := l.markers[best]
	s := &series[mk.series]
	return MapPoint{
		Name:   strings.Clone(mk.name),
		Region: strings.Clone(regionKey(s, mk.name)),
		Value:  mk.v,
		Text:   FormatWidget(w, mk.v),
		Lat:    mk.lat,
		Lon:    mk.lon,
	}, true
}
