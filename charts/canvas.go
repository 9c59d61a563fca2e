package charts

import (
	"encoding/binary"
	"image"
	"image/color"
	"math"
	"sync"

	"golang.org/x/image/vector"

	"github.com/wallboard/wallboard/datasources"
)

type colorT = color.NRGBA

// scratch is the reusable per-call state of a render: coverage mask,
// point buffers and the polygon rasterizer. It comes from scratchPool, so
// concurrent renders of different panels never share one.
type scratch struct {
	// mask is the stroke coverage (0..255) of the whole canvas; dirty
	// bounds its non-zero part (empty when x0 >= x1).
	mask  []uint8
	dirty irect

	pts   []datasources.Point
	xy    []float32
	tops  []float32
	bots  []float32
	vals  []float64
	cum   []float64
	cells []float64
	les   []heatLe

	markers []geoMarker
	boxes   []rect
	order   []int
	alerts  []AlertRow
	pieces  []tPiece
	tl      textLayout
	tick    []float64
	lbls    []string
	names   []string
	keys    []string
	lkeys   []string
	tt      []timeTick
	items   []legendItem
	// arena holds the draw's formatted text (see arena.go).
	arena []byte

	stroke stroke
	dot    stroke
	cv     canvas
	ras    *vector.Rasterizer
	col    color.NRGBA
	uni    image.Uniform
}

var scratchPool = sync.Pool{New: func() any {
	sc := &scratch{ras: &vector.Rasterizer{}}
	sc.uni.C = &sc.col
	return sc
}}

// canvas draws into an *image.RGBA in coordinates relative to its Min.
type canvas struct {
	pix    []uint8
	stride int
	w, h   int
	s      float64 // device pixels per logical pixel
	th     *Theme
	sc     *scratch
	dst    *image.RGBA
	// texts is Frame.texts: where tests collect the text drawn.
	texts *[]textBox
}

// defaultTheme is the theme of a Frame without one; never modified.
var defaultTheme = Dark()

// newCanvas prepares to draw on dst; release must be called after. The
// canvas lives in pooled scratch, so preparing one allocates nothing.
func newCanvas(dst *image.RGBA, f Frame) *canvas {
	sc := scratchPool.Get().(*scratch)
	c := &sc.cv
	*c = canvas{dst: dst, th: f.Theme, s: f.Scale, sc: sc, texts: f.texts}
	if c.th == nil {
		c.th = defaultTheme
	}
	if !(c.s > 0) || math.IsInf(c.s, 0) {
		c.s = 1
	}
	c.s = min(c.s, 16)
	if dst == nil {
		return c
	}
	b := dst.Rect
	c.w, c.h = b.Dx(), b.Dy()
	if c.w <= 0 || c.h <= 0 {
		c.w, c.h = 0, 0
		return c
	}
	c.pix = dst.Pix[dst.PixOffset(b.Min.X, b.Min.Y):]
	c.stride = dst.Stride
	n := c.w * c.h
	if cap(sc.mask) < n {
		sc.mask = make([]uint8, n)
	}
	sc.mask = sc.mask[:n]
	sc.dirty = irect{}
	sc.arena = sc.arena[:0]
	return c
}

// newLayoutCanvas prepares to lay out (measure, not draw) a body of size;
// release must be called after.
func newLayoutCanvas(size image.Point, f Frame) *canvas {
	c := newCanvas(nil, f)
	c.w, c.h = max(size.X, 0), max(size.Y, 0)
	if c.w == 0 || c.h == 0 {
		c.w, c.h = 0, 0
	}
	return c
}

func (c *canvas) release() {
	sc := c.sc
	if sc == nil {
		return
	}
	// A stroke left pending (a panic mid-draw) must not leak into the
	// next user: clear what it marked.
	if sc.dirty.x0 < sc.dirty.x1 {
		clear(sc.mask)
		sc.dirty = irect{}
	}
	c.sc, c.dst, c.pix = nil, nil, nil
	scratchPool.Put(sc)
}

// ok reports whether there is anything to draw on.
func (c *canvas) ok() bool { return c.w > 0 && c.h > 0 }

// px converts logical pixels to device pixels.
func (c *canvas) px(v float64) float64 { return v * c.s }

// logicalH and logicalW are the body's size in logical pixels.
func (c *canvas) logicalH() float64 { return float64(c.h) / c.s }
func (c *canvas) logicalW() float64 { return float64(c.w) / c.s }

// smallText is the size of axis, legend and secondary text in device
// pixels: 14 logical px, growing with tall panels up to 20.
func (c *canvas) smallText() float64 {
	return c.s * math.Round(clampF(0.052*c.logicalH(), 14, 20))
}

func clampF(v, lo, hi float64) float64 {
	if v < lo || v != v {
		return lo
	}
	if v > hi {
		return hi
	}
	return v
}

func div255(x uint32) uint32 { x += 128; return (x + x>>8) >> 8 }

// clear fills the whole canvas with col (opaque or not, it replaces).
func (c *canvas) clear(col colorT) {
	if !c.ok() {
		return
	}
	r, g, b, a := premul(col)
	row := c.pix[:c.w*4]
	for i := 0; i < len(row); i += 4 {
		row[i], row[i+1], row[i+2], row[i+3] = r, g, b, a
	}
	for y := 1; y < c.h; y++ {
		copy(c.pix[y*c.stride:y*c.stride+c.w*4], row)
	}
}

func premul(col colorT) (r, g, b, a uint8) {
	a32 := uint32(col.A)
	return uint8(div255(uint32(col.R) * a32)), uint8(div255(uint32(col.G) * a32)), uint8(div255(uint32(col.B) * a32)), col.A
}

// blend composites col at coverage cov (0..255) over the pixel at offset i.
func blend(p []uint8, i int, col colorT, cov uint32) {
	pt := newPaint(col, cov)
	if pt.a == 0 {
		return
	}
	if pt.a == 255 {
		q := p[i : i+4 : i+4]
		q[0], q[1], q[2], q[3] = col.R, col.G, col.B, 255
		return
	}
	pt.over(p[i:])
}

// paint is a colour at a fixed alpha (its own times a coverage), ready to
// be composited over many pixels. The colour is kept in two 16-bit lanes
// per word, red and blue, green and "alpha" (255), so that a pixel is
// blended with two multiplications a word.
type paint struct{ rb, ag, a uint32 }

func newPaint(col colorT, cov uint32) paint {
	return paint{
		rb: uint32(col.R) | uint32(col.B)<<16,
		ag: uint32(col.G) | 255<<16,
		a:  div255(uint32(col.A) * cov),
	}
}

// over composites p over the premultiplied pixel px[0:4]:
// out = (src*a + dst*(255-a)) / 255, rounded, per channel, as one word.
func (p paint) over(px []uint8) {
	x := binary.LittleEndian.Uint32(px)
	inv := 255 - p.a
	rb := p.rb*p.a + (x&0x00ff00ff)*inv + 0x00800080
	ag := p.ag*p.a + ((x>>8)&0x00ff00ff)*inv + 0x00800080
	rb = ((rb + ((rb >> 8) & 0x00ff00ff)) >> 8) & 0x00ff00ff
	ag = ((ag + ((ag >> 8) & 0x00ff00ff)) >> 8) & 0x00ff00ff
	binary.LittleEndian.PutUint32(px, rb|ag<<8)
}

// overAt composites p at coverage m (0..255) over px.
func (p paint) overAt(px []uint8, m uint32) {
	q := p
	q.a = div255(p.a * m)
	q.over(px)
}

// fillRect fills [x0,x1)x[y0,y1), clipped, blending when col is not opaque.
func (c *canvas) fillRect(x0, y0, x1, y1 int, col colorT) {
	x0, y0 = max(x0, 0), max(y0, 0)
	x1, y1 = min(x1, c.w), min(y1, c.h)
	if x0 >= x1 || y0 >= y1 || col.A == 0 {
		return
	}
	if col.A == 255 {
		first := c.pix[y0*c.stride+x0*4 : y0*c.stride+x1*4]
		for i := 0; i < len(first); i += 4 {
			first[i], first[i+1], first[i+2], first[i+3] = col.R, col.G, col.B, 255
		}
		for y := y0 + 1; y < y1; y++ {
			copy(c.pix[y*c.stride+x0*4:y*c.stride+x1*4], first)
		}
		return
	}
	p := newPaint(col, 255)
	for y := y0; y < y1; y++ {
		row := c.pix[y*c.stride+x0*4 : y*c.stride+x1*4]
		for i := 0; i+4 <= len(row); i += 4 {
			p.over(row[i:])
		}
	}
}

// fillRectF fills a rectangle given in float coordinates, snapped to
// whole pixels (rounded), at least one pixel in each direction.
func (c *canvas) fillRectF(x0, y0, x1, y1 float64, col colorT) {
	ix0, iy0 := int(math.Round(x0)), int(math.Round(y0))
	ix1, iy1 := int(math.Round(x1)), int(math.Round(y1))
	if ix1 <= ix0 {
		ix1 = ix0 + 1
	}
	if iy1 <= iy0 {
		iy1 = iy0 + 1
	}
	c.fillRect(ix0, iy0, ix1, iy1, col)
}

// hline draws a crisp horizontal line of thickness t centred on y.
func (c *canvas) hline(x0, x1, y, t float64, col colorT) {
	it := max(1, int(math.Round(t)))
	iy := int(math.Round(y - float64(it)/2))
	c.fillRect(int(math.Round(x0)), iy, int(math.Round(x1)), iy+it, col)
}

// vline draws a crisp vertical line of thickness t centred on x.
func (c *canvas) vline(x, y0, y1, t float64, col colorT) {
	it := max(1, int(math.Round(t)))
	ix := int(math.Round(x - float64(it)/2))
	c.fillRect(ix, int(math.Round(y0)), ix+it, int(math.Round(y1)), col)
}

// dashH draws a dashed horizontal line.
func (c *canvas) dashH(x0, x1, y, t, dash, gap float64, col colorT) {
	dash, gap = max(dash, 1), max(gap, 1)
	for x := x0; x < x1; x += dash + gap {
		c.hline(x, min(x+dash, x1), y, t, col)
	}
}

// dashV draws a dashed vertical line.
func (c *canvas) dashV(x, y0, y1, t, dash, gap float64, col colorT) {
	dash, gap = max(dash, 1), max(gap, 1)
	for y := y0; y < y1; y += dash + gap {
		c.vline(x, y, min(y+dash, y1), t, col)
	}
}

// blitMask blends col through an alpha mask placed at (x, y).
func (c *canvas) blitMask(mask []uint8, mw, mh, x, y int, col colorT) {
	sx0, sy0 := max(0, -x), max(0, -y)
	sx1, sy1 := min(mw, c.w-x), min(mh, c.h-y)
	if sx0 >= sx1 || sy0 >= sy1 {
		return
	}
	opaque := col.A == 255
	pt := newPaint(col, 255)
	for sy := sy0; sy < sy1; sy++ {
		row := mask[sy*mw+sx0 : sy*mw+sx1]
		px := c.pix[(y+sy)*c.stride+(x+sx0)*4:]
		for i, m := range row {
			if m == 0 {
				continue
			}
			p := px[i*4 : i*4+4 : i*4+4]
			if opaque && m == 255 {
				p[0], p[1], p[2], p[3] = col.R, col.G, col.B, 255
				continue
			}
			pt.overAt(p, uint32(m))
		}
	}
}

// rect is a float rectangle.
type rect struct{ x0, y0, x1, y1 float64 }

func (r rect) w() float64 { return r.x1 - r.x0 }
func (r rect) h() float64 { return r.y1 - r.y0 }

// irect is a clip rectangle in whole pixels.
type irect struct{ x0, y0, x1, y1 int }

// clipOf is the pixel rectangle of r, clipped to the canvas.
func (c *canvas) clipOf(r rect) irect {
	return irect{
		max(0, int(math.Floor(r.x0))), max(0, int(math.Floor(r.y0))),
		min(c.w, int(math.Ceil(r.x1))), min(c.h, int(math.Ceil(r.y1))),
	}
}

// capLUT maps a squared distance from a segment's end, scaled to
// 0..capLUTSize-1 over [0, R²), to coverage; it spares a square root per
// pixel in round caps.
const capLUTSize = 256

// stroke is the per-polyline state of the stroker.
type stroke struct {
	hw, R, peak float32
	lutScale    float32
	lut         [capLUTSize]uint8
	// band maps the distance to the line, in 1/bandSteps px, to coverage
	// (the first bandN entries).
	band  [bandMax]uint8
	bandN int
}

// bandSteps is the resolution of stroke.band per pixel of distance, and
// bandMax its size: enough for lines 38 px wide (2 px at Scale 16 is 32).
const (
	bandSteps = 32
	bandMax   = 20 * bandSteps
)

// init prepares st for lines 2*hw wide.
func (st *stroke) init(hw float32) {
	*st = stroke{hw: hw, R: hw + 0.5, peak: 1}
	if hw < 0.5 {
		st.peak = 2 * hw
	}
	outer := st.R * st.R
	st.lutScale = (capLUTSize - 1) / outer
	for i := range st.lut {
		d := sqrt32(float32(i) / st.lutScale)
		cov := min(st.R-d, st.peak)
		if cov > 0 {
			st.lut[i] = uint8(cov*255 + 0.5)
		}
	}
	st.bandN = min(int(st.R*bandSteps)+1, bandMax-1) // the last entry stays 0
	for k := range st.bandN {
		d := float32(k) / bandSteps
		if cov := min(st.R-d, st.peak); cov > 0 {
			st.band[k] = uint8(cov*255 + 0.5)
		}
	}
}

// capsule adds a segment with round caps to the stroke mask, within clip.
// Coverage is from the distance of each pixel's centre to the segment:
// along the segment the signed distance to its line (linear along a
// scanline, so no square root), in the caps the distance to the end
// (through a table). Overlapping segments keep the maximum, so joins are
// round and never doubled. Steep segments are scanned by columns, flat
// ones by rows, so that scanlines are long and few.
func (c *canvas) capsule(st *stroke, ax, ay, bx, by float32, capA, capB bool, clip irect) {
	R := st.R
	// Clip the segment to the clip rectangle grown by R, so that far-off
	// coordinates cost nothing and keep their slope.
	gx0, gy0, gx1, gy1 := float32(clip.x0)-R, float32(clip.y0)-R, float32(clip.x1)+R, float32(clip.y1)+R
	if !(ax >= gx0 && ax <= gx1 && bx >= gx0 && bx <= gx1 && ay >= gy0 && ay <= gy1 && by >= gy0 && by <= gy1) {
		var ok bool
		ax, ay, bx, by, ok = clipSegment(ax, ay, bx, by, gx0, gy0, gx1, gy1)
		if !ok {
			return
		}
	}
	// Dirty bounds.
	d := &c.sc.dirty
	px0, py0 := max(clip.x0, int(floor32(fmin(ax, bx)-R))), max(clip.y0, int(floor32(fmin(ay, by)-R)))
	px1, py1 := min(clip.x1, int(ceil32(fmax(ax, bx)+R))), min(clip.y1, int(ceil32(fmax(ay, by)+R)))
	if px0 >= px1 || py0 >= py1 {
		return
	}
	if d.x0 >= d.x1 {
		*d = irect{px0, py0, px1, py1}
	} else {
		d.x0, d.y0, d.x1, d.y1 = min(d.x0, px0), min(d.y0, py0), max(d.x1, px1), max(d.y1, py1)
	}
	// Scan along the major axis: u runs along scanlines, v across them.
	lineStride, pixStride := c.w, 1
	cu0, cv0, cu1, cv1 := clip.x0, clip.y0, clip.x1, clip.y1
	if abs32(by-ay) > abs32(bx-ax) {
		ax, ay, bx, by = ay, ax, by, bx
		lineStride, pixStride = 1, c.w
		cu0, cv0, cu1, cv1 = clip.y0, clip.x0, clip.y1, clip.x1
	}
	du, dv := bx-ax, by-ay
	l2 := du*du + dv*dv
	var inv, invLen float32
	if l2 > 1e-6 {
		inv = 1 / l2
		invLen = sqrt32(inv)
	}
	mask := c.sc.mask
	v0 := max(cv0, int(floor32(fmin(ay, by)-R)))
	v1 := min(cv1, int(ceil32(fmax(ay, by)+R)))
	ulo0, uhi0 := fmin(ax, bx)-R, fmax(ax, bx)+R
	var slope, half float32
	slanted := dv > 1e-6 || dv < -1e-6
	if slanted {
		slope = du / dv
		half = R * sqrt32(l2) / abs32(dv)
	}
	ds, dt := dv*invLen, du*inv
	var invDt, invDs float32
	if dt != 0 {
		invDt = 1 / dt
	}
	if ds != 0 {
		invDs = 1 / ds
	}
	for v := v0; v < v1; v++ {
		pv := float32(v) + 0.5
		ulo, uhi := ulo0, uhi0
		if slanted {
			uc := ax + (pv-ay)*slope
			ulo, uhi = fmax(ulo, uc-half), fmin(uhi, uc+half)
		}
		u0 := max(cu0, int(floor32(ulo)))
		u1 := min(cu1, int(ceil32(uhi)))
		if u0 >= u1 {
			continue
		}
		base := v * lineStride
		rv := pv - ay
		ru := float32(u0) + 0.5 - ax
		t := (ru*du + rv*dv) * inv // position along the segment at u0
		// Split the scanline into cap, band (0 <= t <= 1) and cap: t is
		// linear along it.
		n := u1 - u0
		var kLo, kHi int
		switch {
		case inv == 0:
			kLo, kHi = 0, 0
		case dt > 0:
			kLo, kHi = ceilIn(-t*invDt, n), floorIn((1-t)*invDt, n)+1
		case dt < 0:
			kLo, kHi = ceilIn((1-t)*invDt, n), floorIn(-t*invDt, n)+1
		case t >= 0 && t <= 1:
			kLo, kHi = 0, n
		default:
			kLo, kHi = n, n
		}
		kHi = min(max(kHi, kLo), n)
		bLo, bHi := u0+kLo, u0+kHi
		// Near cap: the end the segment comes from on this side.
		nearA := !(dt < 0 || (dt == 0 && t > 1))
		if (nearA && capA) || (!nearA && capB) {
			eu, ev := ru, rv
			if !nearA {
				eu, ev = ru-du, rv-dv
			}
			capSpan(st, mask, base, pixStride, u0, bLo, eu, ev*ev)
		}
		// Band: distance to the line, linear along the scanline; only
		// where it is below R.
		if bLo < bHi {
			sd := ((float32(bLo)+0.5-ax)*dv - rv*du) * invLen
			lo, hi := bLo, bHi
			if ds != 0 {
				ka, kb := (-R-sd)*invDs, (R-sd)*invDs
				if ka > kb {
					ka, kb = kb, ka
				}
				n := bHi - bLo
				lo, hi = bLo+ceilIn(ka, n), bLo+floorIn(kb, n)+1
				hi = min(hi, bHi)
				sd += float32(lo-bLo) * ds
			} else if abs32(sd) >= R {
				hi = lo
			}
			// Entries past bandN are zero, so the index is only clamped
			// to the table, and max is branch-free.
			band := &st.band
			i := base + lo*pixStride
			for u := lo; u < hi; u++ {
				k := min(int(abs32(sd)*bandSteps), bandMax-1)
				mask[i] = max(mask[i], band[k])
				sd += ds
				i += pixStride
			}
		}
		// Far cap.
		if (nearA && capB) || (!nearA && capA) {
			eu, ev := float32(bHi)+0.5-bx, pv-by
			if !nearA {
				eu, ev = float32(bHi)+0.5-ax, rv
			}
			capSpan(st, mask, base, pixStride, bHi, u1, eu, ev*ev)
		}
	}
}

// capSpan adds a round cap's coverage to mask along a scanline from u0
// to u1 (exclusive), where eu is the distance along the scanline from the
// cap's centre at u0 and ev2 the squared distance across: only the pixels
// within R of the centre are visited.
func capSpan(st *stroke, mask []uint8, base, pixStride, u0, u1 int, eu, ev2 float32) {
	outer := st.R * st.R
	if u0 >= u1 || ev2 >= outer {
		return
	}
	r := sqrt32(outer - ev2)
	n := u1 - u0
	lo, hi := u0+ceilIn(-r-eu, n), u0+floorIn(r-eu, n)+1
	hi = min(hi, u1)
	eu += float32(lo - u0)
	lut := &st.lut
	for u := lo; u < hi; u++ {
		if d2 := eu*eu + ev2; d2 < outer {
			i := base + u*pixStride
			if m := lut[int(d2*st.lutScale)]; m > mask[i] {
				mask[i] = m
			}
		}
		eu++
	}
}

// ceilIn is ceil(v) clamped to [0, n].
func ceilIn(v float32, n int) int {
	if !(v > 0) {
		return 0
	}
	if v >= float32(n) {
		return n
	}
	i := int(v)
	if float32(i) < v {
		i++
	}
	return i
}

// floorIn is floor(v) clamped to [-1, n].
func floorIn(v float32, n int) int {
	if v < 0 {
		return -1
	}
	if !(v < float32(n)) {
		return n
	}
	return int(v)
}

// flushStroke composites the stroke mask in col and clears it.
func (c *canvas) flushStroke(col colorT) {
	sc := c.sc
	d := sc.dirty
	if d.x0 >= d.x1 {
		return
	}
	pt := newPaint(col, 255)
	opaque := col.A == 255
	word := uint32(col.R) | uint32(col.G)<<8 | uint32(col.B)<<16 | 255<<24
	for y := d.y0; y < d.y1; y++ {
		row := sc.mask[y*c.w+d.x0 : y*c.w+d.x1]
		px := c.pix[y*c.stride+d.x0*4 : y*c.stride+d.x1*4]
		x := 0
		// Eight pixels at a time: skip empty coverage, fill full.
		for ; x+8 <= len(row); x += 8 {
			m8 := binary.LittleEndian.Uint64(row[x:])
			if m8 == 0 {
				continue
			}
			binary.LittleEndian.PutUint64(row[x:], 0)
			if opaque && m8 == ^uint64(0) {
				q := px[x*4 : x*4+32 : x*4+32]
				w2 := uint64(word) | uint64(word)<<32
				binary.LittleEndian.PutUint64(q[0:], w2)
				binary.LittleEndian.PutUint64(q[8:], w2)
				binary.LittleEndian.PutUint64(q[16:], w2)
				binary.LittleEndian.PutUint64(q[24:], w2)
				continue
			}
			for k := 0; k < 8; k, m8 = k+1, m8>>8 {
				m := uint32(m8 & 0xff)
				if m == 0 {
					continue
				}
				p := px[(x+k)*4 : (x+k)*4+4 : (x+k)*4+4]
				switch {
				case !opaque:
					pt.overAt(p, m)
				case m == 255:
					binary.LittleEndian.PutUint32(p, word)
				default:
					q := pt
					q.a = m
					q.over(p)
				}
			}
		}
		for ; x < len(row); x++ {
			m := uint32(row[x])
			if m == 0 {
				continue
			}
			row[x] = 0
			p := px[x*4 : x*4+4 : x*4+4]
			switch {
			case !opaque:
				pt.overAt(p, m)
			case m == 255:
				binary.LittleEndian.PutUint32(p, word)
			default:
				q := pt
				q.a = m
				q.over(p)
			}
		}
	}
	sc.dirty = irect{}
}

// polyline strokes xy (x, y pairs; a NaN x breaks the line) with width in
// device pixels, clipped to clip. A point alone between breaks is drawn as
// a dot a little wider than the line, so that single samples stay visible.
func (c *canvas) polyline(xy []float32, width float64, col colorT, clip irect) {
	st := &c.sc.stroke
	if st.hw != float32(width/2) || st.R == 0 {
		st.init(float32(width / 2))
	}
	var dot *stroke
	n := len(xy) / 2
	for i := 0; i < n; i++ {
		x, y := xy[2*i], xy[2*i+1]
		if x != x || y != y {
			continue
		}
		prevOK := i > 0 && xy[2*i-2] == xy[2*i-2] && xy[2*i-1] == xy[2*i-1]
		nextOK := i+1 < n && xy[2*i+2] == xy[2*i+2] && xy[2*i+3] == xy[2*i+3]
		if nextOK {
			lastSeg := !(i+2 < n && xy[2*i+4] == xy[2*i+4] && xy[2*i+5] == xy[2*i+5])
			c.capsule(st, x, y, xy[2*i+2], xy[2*i+3], true, lastSeg, clip)
		} else if !prevOK {
			if dot == nil {
				dot = &c.sc.dot
				if dot.hw != st.hw*1.6 || dot.R == 0 {
					dot.init(st.hw * 1.6)
				}
			}
			c.capsule(dot, x, y, x, y, true, true, clip)
		}
	}
	c.flushStroke(col)
}

// clipSegment clips a segment to a rectangle (Liang-Barsky).
func clipSegment(ax, ay, bx, by, x0, y0, x1, y1 float32) (float32, float32, float32, float32, bool) {
	t0, t1 := float32(0), float32(1)
	dx, dy := bx-ax, by-ay
	edges := [4][2]float32{{-dx, ax - x0}, {dx, x1 - ax}, {-dy, ay - y0}, {dy, y1 - ay}}
	for _, e := range edges {
		p, q := e[0], e[1]
		if p == 0 {
			if q < 0 {
				return 0, 0, 0, 0, false
			}
			continue
		}
		r := q / p
		if p < 0 {
			if r > t1 {
				return 0, 0, 0, 0, false
			}
			if r > t0 {
				t0 = r
			}
		} else {
			if r < t0 {
				return 0, 0, 0, 0, false
			}
			if r < t1 {
				t1 = r
			}
		}
	}
	return ax + t0*dx, ay + t0*dy, ax + t1*dx, ay + t1*dy, true
}

// fmin and fmax are min and max for values known not to be NaN: plain
// comparisons, cheaper than the built-ins' NaN and signed-zero rules.
func fmin(a, b float32) float32 {
	if a < b {
		return a
	}
	return b
}

func fmax(a, b float32) float32 {
	if a > b {
		return a
	}
	return b
}

// floor32 and ceil32 round toward -Inf and +Inf; values beyond ±2^31 are
// clamped (they only ever bound loops over clipped pixel ranges).
func floor32(v float32) float32 {
	if v > 1<<30 || v < -(1<<30) {
		return fmax(fmin(v, 1<<30), -(1 << 30))
	}
	i := float32(int32(v))
	if i > v {
		i--
	}
	return i
}

func ceil32(v float32) float32 {
	if v > 1<<30 || v < -(1<<30) {
		return fmax(fmin(v, 1<<30), -(1 << 30))
	}
	i := float32(int32(v))
	if i < v {
		i++
	}
	return i
}
func sqrt32(v float32) float32 { return float32(math.Sqrt(float64(v))) }
func abs32(v float32) float32  { return math.Float32frombits(math.Float32bits(v) &^ (1 << 31)) }

// path is a polygon being built for x/image/vector, which fills general
// polygons (map shapes, icons) with exact anti-aliasing. Lines and arcs
// do not go through it: their analytic coverage above is an order of
// magnitude faster for those shapes. Coordinates given to moveTo and
// lineTo are absolute device pixels; only the bounding box is rasterised.
type path struct {
	c      *canvas
	b      image.Rectangle
	ox, oy float32
}

func (c *canvas) path(b rect) path {
	r := image.Rect(int(math.Floor(b.x0)), int(math.Floor(b.y0)), int(math.Ceil(b.x1)), int(math.Ceil(b.y1)))
	r = r.Intersect(image.Rect(0, 0, c.w, c.h))
	p := path{c: c, b: r, ox: float32(r.Min.X), oy: float32(r.Min.Y)}
	if !r.Empty() {
		c.sc.ras.Reset(r.Dx(), r.Dy())
	}
	return p
}

func (p *path) moveTo(x, y float64) {
	if !p.b.Empty() {
		p.c.sc.ras.MoveTo(float32(x)-p.ox, float32(y)-p.oy)
	}
}

func (p *path) lineTo(x, y float64) {
	if !p.b.Empty() {
		p.c.sc.ras.LineTo(float32(x)-p.ox, float32(y)-p.oy)
	}
}

// close closes the current subpath (a ring); moveTo does not.
func (p *path) close() {
	if !p.b.Empty() {
		p.c.sc.ras.ClosePath()
	}
}

// fill closes and fills the path in col.
func (p *path) fill(col colorT) {
	if p.b.Empty() {
		return
	}
	c := p.c
	c.sc.ras.ClosePath()
	c.sc.col = col
	min := c.dst.Rect.Min
	c.sc.ras.Draw(c.dst, p.b.Add(min), &c.sc.uni, image.Point{})
}

// arc fills an annular sector centred on (cx, cy) between radii r0 < r1,
// from angle a0 to a1 (radians, clockwise on screen from the +x axis, as y
// points down). Coverage is analytic: radial from the distance to the
// centre, angular from the distance to the two edge rays; only pixels of
// the ring within the sector's bounding box are visited.
func (c *canvas) arc(cx, cy, r0, r1, a0, a1 float64, col colorT) {
	if a1 < a0 {
		a0, a1 = a1, a0
	}
	sweep := a1 - a0
	if !(r1 > 0) || !(sweep > 1e-9) || r0 >= r1 {
		return
	}
	full := sweep >= 2*math.Pi-1e-9
	r0 = max(r0, 0)
	// Bounding box: the ends at both radii and the axis extremes inside.
	bx0, by0, bx1, by1 := math.Inf(1), math.Inf(1), math.Inf(-1), math.Inf(-1)
	add := func(a, r float64) {
		x, y := cx+r*math.Cos(a), cy+r*math.Sin(a)
		bx0, by0, bx1, by1 = min(bx0, x), min(by0, y), max(bx1, x), max(by1, y)
	}
	add(a0, r0)
	add(a0, r1)
	add(a1, r0)
	add(a1, r1)
	for k := math.Ceil(a0 / (math.Pi / 2)); k*math.Pi/2 <= a1; k++ {
		add(k*math.Pi/2, r1)
	}
	if full {
		bx0, by0, bx1, by1 = cx-r1, cy-r1, cx+r1, cy+r1
	}
	ix0, iy0 := max(0, int(math.Floor(bx0-1))), max(0, int(math.Floor(by0-1)))
	ix1, iy1 := min(c.w, int(math.Ceil(bx1+1))), min(c.h, int(math.Ceil(by1+1)))
	u0x, u0y := math.Cos(a0), math.Sin(a0)
	u1x, u1y := math.Cos(a1), math.Sin(a1)
	wide := sweep > math.Pi
	ro, ri := r1+0.5, r0-0.5
	for y := iy0; y < iy1; y++ {
		py := float64(y) + 0.5 - cy
		if math.Abs(py) >= ro {
			continue
		}
		xo := math.Sqrt(ro*ro - py*py)
		xi := -1.0
		if ri > 0 && math.Abs(py) < ri {
			xi = math.Sqrt(ri*ri - py*py)
		}
		// one or two spans of the ring on this row
		for side := 0; side < 2; side++ {
			lo, hi := -xo, xo
			if xi >= 0 {
				if side == 0 {
					hi = -xi
				} else {
					lo = xi
				}
			} else if side == 1 {
				break
			}
			x0 := max(ix0, int(math.Floor(cx+lo-0.5)))
			x1 := min(ix1, int(math.Ceil(cx+hi+0.5)))
			o := y * c.stride
			for x := x0; x < x1; x++ {
				px := float64(x) + 0.5 - cx
				r := math.Sqrt(px*px + py*py)
				cov := min(r1+0.5-r, r-r0+0.5, 1)
				if cov <= 0 {
					continue
				}
				if !full {
					s0 := clampF(u0x*py-u0y*px+0.5, 0, 1) // past the start edge
					s1 := clampF(px*u1y-py*u1x+0.5, 0, 1) // before the end edge
					if wide {
						cov *= max(s0, s1)
					} else {
						cov *= min(s0, s1)
					}
					if cov <= 0 {
						continue
					}
				}
				blend(c.pix, o+x*4, col, uint32(cov*255+0.5))
			}
		}
	}
}
