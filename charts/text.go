package charts

import (
	"image"
	"math"
	"strings"
	"sync"
	"sync/atomic"
	"unicode/utf8"

	"golang.org/x/image/font"
	"golang.org/x/image/font/gofont/gobold"
	"golang.org/x/image/font/gofont/goitalic"
	"golang.org/x/image/font/gofont/gomedium"
	"golang.org/x/image/font/gofont/gomono"
	"golang.org/x/image/font/gofont/goregular"
	"golang.org/x/image/font/opentype"
	"golang.org/x/image/math/fixed"
)

// fontID names one of the embedded Go fonts.
type fontID uint8

const (
	fontRegular fontID = iota
	fontMedium
	fontBold
	fontMono
	fontItalic
	numFonts
)

var fontData = [numFonts][]byte{goregular.TTF, gomedium.TTF, gobold.TTF, gomono.TTF, goitalic.TTF}

var parsedFonts struct {
	once sync.Once
	f    [numFonts]*opentype.Font
}

func loadFont(id fontID) *opentype.Font {
	parsedFonts.once.Do(func() {
		for i, b := range fontData {
			f, err := opentype.Parse(b)
			if err != nil {
				panic("charts: embedded font: " + err.Error()) // cannot happen: the fonts are compiled in
			}
			parsedFonts.f[i] = f
		}
	})
	return parsedFonts.f[id]
}

// Text sizes are whole device pixels within these bounds.
const (
	minFontPx = 6
	maxFontPx = 512
	// subpixel positions per pixel at which glyphs are cached.
	subpixels = 4
)

type faceKey struct {
	id fontID
	px int
}

type glyphKey struct {
	r   rune
	sub uint8
}

// glyph is a rendered glyph: an alpha mask placed at (x0, y0) from the
// pen position (baseline), and the pen advance.
type glyph struct {
	x0, y0, w, h int
	mask         []uint8
	adv          float64
}

// face is a font at one pixel size with its glyph cache. The opentype face
// is not safe for concurrent use: mu guards it and the cache map. ASCII
// glyphs, most of what panels draw, are also kept in ascii, read without
// a lock.
type face struct {
	px                      int
	ascent, descent, capTop float64
	ascii                   [128 * subpixels]atomic.Pointer[glyph]
	mu                      sync.RWMutex
	of                      font.Face
	glyphs                  map[glyphKey]*glyph
}

// faces caches faces per (font, size) behind a mutex.
var faces struct {
	mu sync.RWMutex
	m  map[faceKey]*face
}

// maxGlyphsPerFace bounds a face's cache (a face is only ever asked for
// digits, units and labels, so this is rarely reached).
const maxGlyphsPerFace = 4096

// getFace returns the cached face of font id at px device pixels (rounded).
func getFace(id fontID, px float64) *face {
	n := int(math.Round(px))
	if !(n >= minFontPx) { // also NaN
		n = minFontPx
	}
	if n > maxFontPx {
		n = maxFontPx
	}
	k := faceKey{id, n}
	faces.mu.RLock()
	f := faces.m[k]
	faces.mu.RUnlock()
	if f != nil {
		return f
	}
	faces.mu.Lock()
	defer faces.mu.Unlock()
	if f = faces.m[k]; f != nil {
		return f
	}
	of, err := opentype.NewFace(loadFont(id), &opentype.FaceOptions{Size: float64(n), DPI: 72, Hinting: font.HintingNone})
	if err != nil {
		panic("charts: font face: " + err.Error()) // cannot happen for valid sizes
	}
	m := of.Metrics()
	f = &face{
		px:      n,
		ascent:  fix(m.Ascent),
		descent: fix(m.Descent),
		capTop:  fix(m.CapHeight),
		of:      of,
		glyphs:  make(map[glyphKey]*glyph, 64),
	}
	if f.capTop <= 0 {
		f.capTop = 0.7 * float64(n)
	}
	if faces.m == nil {
		faces.m = make(map[faceKey]*face)
	}
	faces.m[k] = f
	return f
}

func fix(v fixed.Int26_6) float64 { return float64(v) / 64 }

// glyph returns r rendered at the subpixel offset sub/subpixels.
func (f *face) glyph(r rune, sub uint8) *glyph {
	if r >= 0 && r < 128 {
		if g := f.ascii[int(r)*subpixels+int(sub)].Load(); g != nil {
			return g
		}
	}
	k := glyphKey{r, sub}
	f.mu.RLock()
	g := f.glyphs[k]
	f.mu.RUnlock()
	if g != nil {
		return g
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	if g = f.glyphs[k]; g != nil {
		return g
	}
	dot := fixed.Point26_6{X: fixed.Int26_6(int(sub) * 64 / subpixels)}
	dr, mask, mp, adv, ok := f.of.Glyph(dot, r)
	if !ok {
		dr, mask, mp, adv, ok = f.of.Glyph(dot, '?')
	}
	g = &glyph{adv: fix(adv)}
	if ok && !dr.Empty() {
		g.x0, g.y0, g.w, g.h = dr.Min.X, dr.Min.Y, dr.Dx(), dr.Dy()
		g.mask = make([]uint8, g.w*g.h)
		if a, isAlpha := mask.(*image.Alpha); isAlpha {
			for y := 0; y < g.h; y++ {
				o := a.PixOffset(mp.X, mp.Y+y)
				copy(g.mask[y*g.w:(y+1)*g.w], a.Pix[o:o+g.w])
			}
		} else {
			for y := 0; y < g.h; y++ {
				for x := 0; x < g.w; x++ {
					_, _, _, al := mask.At(mp.X+x, mp.Y+y).RGBA()
					g.mask[y*g.w+x] = uint8(al >> 8)
				}
			}
		}
	}
	if len(f.glyphs) >= maxGlyphsPerFace {
		clear(f.glyphs)
	}
	f.glyphs[k] = g
	if r >= 0 && r < 128 {
		f.ascii[int(r)*subpixels+int(sub)].Store(g)
	}
	return g
}

// advance is the width of r.
func (f *face) advance(r rune) float64 { return f.glyph(r, 0).adv }

// measure is the advance width of s.
func (f *face) measure(s string) float64 {
	w := 0.0
	for _, r := range s {
		w += f.advance(r)
	}
	return w
}

// height is the line height used for layout: ascent plus descent.
func (f *face) height() float64 { return f.ascent + f.descent }

// truncate shortens s with an ellipsis so that it fits in maxW; it returns
// "" when not even the ellipsis fits. A shortened string is in the arena.
func (c *canvas) truncate(f *face, s string, maxW float64) string {
	if f.measure(s) <= maxW {
		return s
	}
	ell := f.advance('…')
	w := 0.0
	last := 0
	for i, r := range s {
		a := f.advance(r)
		if w+a+ell > maxW {
			break
		}
		w += a
		last = i + utf8.RuneLen(r)
	}
	if w+ell > maxW {
		return ""
	}
	for last > 0 && s[last-1] == ' ' {
		last--
	}
	return c.join(s[:last], "…")
}

// Horizontal text alignment.
type align uint8

const (
	alignLeft align = iota
	alignCenter
	alignRight
)

// textBox is a string drawn and the box of its ink, in device pixels.
type textBox struct {
	s   string
	box image.Rectangle
}

// occlude tells the tests' text collector that an opaque box (a
// tooltip) now covers r: text drawn under it before is hidden.
func (c *canvas) occlude(r rect) {
	if c.texts != nil {
		*c.texts = append(*c.texts, textBox{box: image.Rect(int(math.Floor(r.x0)), int(math.Floor(r.y0)), int(math.Ceil(r.x1)), int(math.Ceil(r.y1)))})
	}
}

// text draws s with its baseline at y, aligned at x, and returns the x
// after its end.
func (c *canvas) text(f *face, s string, x, y float64, a align, col colorT) float64 {
	switch a {
	case alignCenter:
		x -= f.measure(s) / 2
	case alignRight:
		x -= f.measure(s)
	}
	by := int(math.Round(y))
	var ink image.Rectangle
	for _, r := range s {
		ix := math.Floor(x)
		sub := uint8((x - ix) * subpixels)
		if sub >= subpixels {
			sub = subpixels - 1
		}
		g := f.glyph(r, sub)
		if g.mask != nil {
			c.blitMask(g.mask, g.w, g.h, int(ix)+g.x0, by+g.y0, col)
			if c.texts != nil {
				ink = ink.Union(image.Rect(int(ix)+g.x0, by+g.y0, int(ix)+g.x0+g.w, by+g.y0+g.h))
			}
		}
		x += g.adv
	}
	if c.texts != nil && !ink.Empty() {
		*c.texts = append(*c.texts, textBox{strings.Clone(s), ink})
	}
	return x
}

// textMid draws s vertically centred on the cap height around y.
func (c *canvas) textMid(f *face, s string, x, y float64, a align, col colorT) float64 {
	return c.text(f, s, x, y+f.capTop/2, a, col)
}
