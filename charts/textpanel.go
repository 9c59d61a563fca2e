package charts

import (
	"math"
	"strings"
	"unicode/utf8"

	"github.com/wallboard/wallboard/layouts"
)

// A text panel shows Widget.Text. In the markdown style (the default) it
// understands a small, forgiving subset of Markdown, one construct per
// line:
//
//	# Heading, ## Smaller, ### Smallest
//	- bullet, * bullet, + bullet, 1. numbered
//	**bold**, *italic*, `code`, [text](https://url) and bare https:// links
//	a blank line between paragraphs; other line breaks are spaces
//
// Links cannot be clicked on a wall: their text is underlined in the
// theme's Info colour and followed by the address, dimmed, so that it can
// be typed. The plain style shows the text as it is, wrapped. Text that
// does not fit ends with an ellipsis.

// text styles of a run
const (
	tsNormal uint8 = iota
	tsBold
	tsCode
	tsLink
	tsURL
	tsItalic
)

// tRun is a piece of text in one style.
type tRun struct {
	s     string
	style uint8
}

// tPiece is a laid out piece of text.
type tPiece struct {
	s         string
	x, y      float64 // baseline start
	f         *face
	col       colorT
	underline bool
	code      bool
}

// textLayout lays out runs in lines within a width.
type textLayout struct {
	c        *canvas
	x0, x1   float64 // line extent
	indent   float64 // wrapped lines start here
	x        float64
	y        float64 // baseline of the current line
	lineH    float64
	maxY     float64 // the last baseline allowed
	lineOpen bool
	full     bool // out of room: the rest is dropped
	faces    [6]*face
	word     []tPiece // the word being built (no space inside)
	wordW    float64
}

func drawText(c *canvas, w *layouts.Widget, f Frame) {
	th := c.th
	W, H := float64(c.w), float64(c.h)
	src := strings.TrimSpace(w.Text)
	if src == "" {
		c.message("No text")
		return
	}
	markdown := w.Style != layouts.StylePlain
	base := c.s * math.Round(clampF(0.062*c.logicalH(), 14, 22))
	pad := c.px(10)
	sc := c.sc
	sc.pieces = sc.pieces[:0]
	l := &sc.tl
	*l = textLayout{c: c, x0: pad, x1: W - pad, maxY: H - pad, word: l.word[:0]}
	l.y = pad
	first := true
	para := false // inside a paragraph: a line break is a space
	for len(src) > 0 && !l.full {
		line := src
		if i := strings.IndexByte(src, '\n'); i >= 0 {
			line, src = src[:i], src[i+1:]
		} else {
			src = ""
		}
		line = strings.TrimRight(line, " \t\r")
		t := strings.TrimLeft(line, " \t")
		if t == "" {
			para = false
			if !first {
				l.y += 0.5 * base
			}
			continue
		}
		if !markdown {
			// Plain text keeps its lines (and their indentation).
			l.block(base, fontRegular, pad, pad, true, first)
			l.runs(c, line, false)
			first = false
			continue
		}
		switch {
		case strings.HasPrefix(t, "#"):
			level := 0
			for level < len(t) && t[level] == '#' {
				level++
			}
			if level <= 3 && (len(t) == level || t[level] == ' ') {
				size := base * [4]float64{1, 1.45, 1.22, 1.08}[level]
				if !first {
					l.y += 0.35 * base
				}
				l.block(math.Round(size), fontBold, pad, pad, true, first)
				l.runs(c, strings.TrimSpace(t[level:]), true)
				para, first = false, false
				continue
			}
		case len(t) > 2 && (t[0] == '-' || t[0] == '*' || t[0] == '+') && t[1] == ' ':
			l.bullet(base, pad, "•", first)
			l.runs(c, strings.TrimSpace(t[2:]), true)
			para, first = false, false
			continue
		case numbered(t) > 0:
			n := numbered(t)
			l.bullet(base, pad, t[:n-1], first)
			l.runs(c, strings.TrimSpace(t[n:]), true)
			para, first = false, false
			continue
		}
		l.block(base, fontRegular, pad, pad, !para, first)
		l.runs(c, t, true)
		para, first = true, false
	}
	l.flushWord()
	if l.full {
		l.ellipsis()
	}
	// Draw. A link's underline runs on under the spaces between its
	// words.
	for k, p := range sc.pieces {
		if p.code {
			w := p.f.measure(p.s)
			c.fillRectF(p.x-c.px(2), p.y-p.f.ascent+c.px(1), p.x+w+c.px(2), p.y+p.f.descent, mix(th.Panel, th.Text, 0.1))
		}
		end := c.text(p.f, p.s, p.x, p.y, alignLeft, p.col)
		if p.underline {
			if k+1 < len(sc.pieces) {
				if q := sc.pieces[k+1]; q.underline && q.y == p.y && q.x > end {
					end = q.x
				}
			}
			c.hline(p.x, end, p.y+math.Max(2, c.px(2.5)), math.Max(1, math.Round(c.px(1.2))), p.col)
		}
	}
}

// numbered returns the length of a "12. " list marker at the start of t
// (including the space), or 0.
func numbered(t string) int {
	i := 0
	for i < len(t) && i < 3 && t[i] >= '0' && t[i] <= '9' {
		i++
	}
	if i == 0 || i+1 >= len(t) || t[i] != '.' || t[i+1] != ' ' {
		return 0
	}
	return i + 2
}

// block starts a block of text of size px in font id, its lines starting
// at x0 and wrapped lines at indent; newLine starts a new line (else the
// text continues the current one, after a space).
func (l *textLayout) block(px float64, id fontID, x0, indent float64, newLine, first bool) {
	l.flushWord()
	l.faces[tsNormal] = getFace(id, px)
	l.faces[tsBold] = getFace(fontBold, px)
	small := l.c.px(14) // no text under 14 logical px
	l.faces[tsCode] = getFace(fontMono, max(small, math.Round(px*0.92)))
	l.faces[tsLink] = getFace(id, px)
	l.faces[tsURL] = getFace(fontRegular, max(small, math.Round(px*0.85)))
	l.faces[tsItalic] = getFace(fontItalic, px)
	if id == fontBold {
		l.faces[tsItalic] = l.faces[tsNormal] // headings: no bold italic
	}
	lh := math.Ceil(l.faces[tsNormal].height() * 1.22)
	if newLine || !l.lineOpen {
		if first {
			l.y += l.faces[tsNormal].ascent
		} else {
			l.y += lh
		}
		l.lineH = lh
		l.x = x0
		l.indent = indent
		l.lineOpen = true
		if l.y+l.faces[tsNormal].descent > l.maxY {
			l.full = true
		}
		return
	}
	l.x += l.faces[tsNormal].advance(' ')
}

// bullet starts a list item with marker.
func (l *textLayout) bullet(base, pad float64, marker string, first bool) {
	c := l.c
	ind := pad + c.px(8) + getFace(fontRegular, base).measure("00.")
	l.block(base, fontRegular, ind, ind, true, first)
	if l.full {
		return
	}
	f := l.faces[tsNormal]
	c.sc.pieces = append(c.sc.pieces, tPiece{s: marker, x: ind - c.px(6) - f.measure(marker), y: l.y, f: f, col: c.th.TextDim})
}

// newLine moves to the next line of the current block.
func (l *textLayout) newLine() {
	l.y += l.lineH
	l.x = l.indent
	if l.y+l.faces[tsNormal].descent > l.maxY {
		l.full = true
	}
}

// runs lays out one line of source: inline markup when markdown.
func (l *textLayout) runs(c *canvas, s string, markdown bool) {
	defer l.flushWord()
	if !markdown {
		l.words(s, tsNormal)
		return
	}
	bold, italic := false, false
	style := func() uint8 {
		switch {
		case bold:
			return tsBold
		case italic:
			return tsItalic
		}
		return tsNormal
	}
	for len(s) > 0 && !l.full {
		// the next markup
		i := strings.IndexAny(s, "*`[h")
		if i < 0 {
			l.words(s, style())
			return
		}
		rest := s[i:]
		switch {
		case strings.HasPrefix(rest, "**"):
			l.words(s[:i], style())
			bold = !bold
			s = rest[2:]
		case rest[0] == '*' && (italic || len(rest) > 1 && rest[1] != ' '):
			// *italic*: opens before a word, closes after one
			l.words(s[:i], style())
			italic = !italic
			s = rest[1:]
		case rest[0] == '`':
			if j := strings.IndexByte(rest[1:], '`'); j >= 0 {
				l.words(s[:i], style())
				l.words(rest[1:1+j], tsCode)
				s = rest[j+2:]
			} else {
				l.words(s[:i+1], style())
				s = rest[1:]
			}
		case rest[0] == '[':
			close := strings.Index(rest, "](")
			end := -1
			if close > 0 {
				if k := strings.IndexByte(rest[close+2:], ')'); k >= 0 {
					end = close + 2 + k
				}
			}
			if end < 0 {
				l.words(s[:i+1], style())
				s = rest[1:]
				continue
			}
			l.words(s[:i], style())
			l.words(rest[1:close], tsLink)
			url := rest[close+2 : end]
			if url != "" {
				l.space()
				l.glue(url, tsURL, true)
			}
			s = rest[end+1:]
		case strings.HasPrefix(rest, "https://") || strings.HasPrefix(rest, "http://"):
			if i > 0 && s[i-1] != ' ' && s[i-1] != '(' {
				l.words(s[:i+1], style())
				s = rest[1:]
				continue
			}
			l.words(s[:i], style())
			j := strings.IndexAny(rest, " )")
			if j < 0 {
				j = len(rest)
			}
			l.words(rest[:j], tsLink)
			s = rest[j:]
		default:
			l.words(s[:i+1], style())
			s = rest[1:]
		}
	}
}

// space ends the current word.
func (l *textLayout) space() {
	l.flushWord()
	l.x += l.faces[tsNormal].advance(' ')
}

// glue lays out "(url)" as one unbreakable word (broken only if longer
// than a line).
func (l *textLayout) glue(url string, st uint8, paren bool) {
	if paren {
		l.piece("(", st)
	}
	l.piece(url, st)
	if paren {
		l.piece(")", st)
	}
}

// words lays out s in style st, breaking lines at spaces.
func (l *textLayout) words(s string, st uint8) {
	for len(s) > 0 && !l.full {
		i := strings.IndexByte(s, ' ')
		if i < 0 {
			l.piece(s, st)
			return
		}
		if i > 0 {
			l.piece(s[:i], st)
		}
		l.space()
		s = s[i+1:]
	}
}

// piece adds s (no spaces) to the current word.
func (l *textLayout) piece(s string, st uint8) {
	if s == "" || l.full {
		return
	}
	f := l.faces[st]
	col := l.c.th.Text
	switch st {
	case tsLink:
		col = l.c.th.Info
	case tsURL:
		col = l.c.th.TextDim
	}
	l.word = append(l.word, tPiece{s: s, f: f, col: col, underline: st == tsLink, code: st == tsCode})
	l.wordW += f.measure(s)
}

// flushWord places the word being built: on this line if it fits, else
// on the next; a word longer than a line is broken where it overflows.
func (l *textLayout) flushWord() {
	if len(l.word) == 0 {
		return
	}
	c := l.c
	if l.x+l.wordW > l.x1 && l.x > l.indent+0.5 {
		l.newLine()
	}
	for _, p := range l.word {
		for p.s != "" && !l.full {
			w := p.f.measure(p.s)
			if l.x+w <= l.x1 || l.x1-l.indent < p.f.measure("W") {
				p.x, p.y = l.x, l.y
				c.sc.pieces = append(c.sc.pieces, p)
				l.x += w
				break
			}
			// Break inside: as much as fits, the rest on the next line.
			cut := 0
			x := l.x
			for i, r := range p.s {
				a := p.f.advance(r)
				if x+a > l.x1 {
					cut = i
					break
				}
				x += a
			}
			if cut == 0 && l.x <= l.indent+0.5 {
				_, size := firstRune(p.s)
				cut = size
			}
			if cut > 0 {
				q := p
				q.s = p.s[:cut]
				q.x, q.y = l.x, l.y
				c.sc.pieces = append(c.sc.pieces, q)
				p.s = p.s[cut:]
			}
			l.newLine()
		}
	}
	l.word = l.word[:0]
	l.wordW = 0
}

func firstRune(s string) (rune, int) {
	return utf8.DecodeRuneInString(s)
}

// ellipsis ends the last laid out line with "…", dropping what it needs.
func (l *textLayout) ellipsis() {
	c := l.c
	ps := c.sc.pieces
	if len(ps) == 0 {
		return
	}
	last := ps[len(ps)-1]
	f := last.f
	ell := f.advance('…')
	for len(ps) > 0 {
		p := ps[len(ps)-1]
		if p.y != last.y {
			break
		}
		end := p.x + p.f.measure(p.s)
		if end+ell <= l.x1 {
			break
		}
		s := c.truncate(p.f, p.s, l.x1-p.x)
		if s != "" && strings.HasSuffix(s, "…") {
			ps[len(ps)-1].s = s
			c.sc.pieces = ps
			return
		}
		ps = ps[:len(ps)-1]
	}
	c.sc.pieces = ps
	x := l.x0
	if len(ps) > 0 {
		p := ps[len(ps)-1]
		x = p.x + p.f.measure(p.s)
	}
	c.sc.pieces = append(c.sc.pieces, tPiece{s: "…", x: x, y: last.y, f: f, col: c.th.TextDim})
}
