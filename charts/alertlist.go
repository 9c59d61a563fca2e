package charts

import (
	"math"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/wallboard/wallboard/layouts"
)

// severityColor is a severity's colour.
func (t *Theme) severityColor(s string) colorT {
	switch layouts.SeverityRank(s) {
	case 0:
		return t.Critical
	case 1:
		return t.Warning
	}
	return t.Info
}

// severityTag is the upper-case label of a severity.
func severityTag(s string) string {
	switch layouts.SeverityRank(s) {
	case 0:
		return "CRITICAL"
	case 1:
		return "WARNING"
	}
	return "INFO"
}

// SortAlerts orders alert rows as the alert list shows them: by severity
// (critical, warning, info, then unknown ones, as alerts.SeverityRank),
// then the most recent first, then by name.
func SortAlerts(rows []AlertRow) {
	slices.SortStableFunc(rows, compareAlerts)
}

func compareAlerts(a, b AlertRow) int {
	if ra, rb := layouts.SeverityRank(a.Severity), layouts.SeverityRank(b.Severity); ra != rb {
		return ra - rb
	}
	if !a.Since.Equal(b.Since) {
		if a.Since.After(b.Since) {
			return -1
		}
		return 1
	}
	return strings.Compare(a.Name, b.Name)
}

// appendAge appends a compact duration: 45s, 12m, 3h 5m, 2d 4h.
func appendAge(dst []byte, d time.Duration) []byte {
	if d < 0 {
		d = 0
	}
	s := int64(d / time.Second)
	switch {
	case s < 60:
		return append(strconv.AppendInt(dst, s, 10), 's')
	case s < 3600:
		return append(strconv.AppendInt(dst, s/60, 10), 'm')
	case s < 86400:
		dst = append(strconv.AppendInt(dst, s/3600, 10), "h "...)
		return append(strconv.AppendInt(dst, s%3600/60, 10), 'm')
	}
	dst = append(strconv.AppendInt(dst, s/86400, 10), "d "...)
	return append(strconv.AppendInt(dst, s%86400/3600, 10), 'h')
}

func drawAlertList(c *canvas, w *layouts.Widget, f Frame) {
	th := c.th
	sc := c.sc
	W, H := float64(c.w), float64(c.h)
	if len(f.Alerts) == 0 {
		c.allClear()
		return
	}
	rows := append(sc.alerts[:0], f.Alerts...)
	SortAlerts(rows)
	sc.alerts = rows
	now := f.Now
	if now.IsZero() {
		now = f.To
	}
	if now.IsZero() {
		now = time.Now()
	}

	ns := c.s * math.Round(clampF(0.062*c.logicalH(), 15, 22))
	nf := getFace(fontBold, ns)
	sf := getFace(fontRegular, c.smallText())
	tagF := getFace(fontBold, max(c.smallText()*0.85, c.px(14)))
	pad := c.px(8)
	gap := c.px(6)
	rowH := math.Ceil(nf.height() + sf.height() + 2*gap)
	fit := max(1, int(H/rowH))
	shown := min(len(rows), fit)
	if len(rows) > fit {
		shown = max(0, fit-1)
	}
	stripe := math.Round(c.px(6))
	for r := 0; r < shown; r++ {
		a := rows[r]
		y0 := float64(r) * rowH
		col := th.severityColor(a.Severity)
		c.fillRectF(0, y0+c.px(2), W, y0+rowH-c.px(2), mix(th.Panel, col, 0.10))
		c.fillRectF(0, y0+c.px(2), stripe, y0+rowH-c.px(2), col)
		x := stripe + pad
		b1 := y0 + gap + nf.ascent
		b2 := b1 + nf.descent + sf.ascent + c.px(2)

		// Line 1: name, value at the right; the value gives way when the
		// name would be cut to a few letters.
		valW := 0.0
		if a.Value != "" {
			valW = nf.measure(a.Value)
			if name := c.truncate(nf, a.Name, W-pad-x-valW-c.px(12)); name != a.Name && utf8.RuneCountInString(name) < 5 {
				valW = 0
			} else {
				c.text(nf, a.Value, W-pad, b1, alignRight, col)
			}
		}
		if valW == 0 {
			valW = -c.px(12)
		}
		c.text(nf, c.truncate(nf, a.Name, W-pad-x-valW-c.px(12)), x, b1, alignLeft, th.Text)

		// Line 2: severity, labels; age and origin at the right. When
		// room runs out the labels are cut, then the origin, then the
		// age goes (never cut: "12…" could be minutes or hours); the
		// severity stays.
		tag := severityTag(a.Severity)
		tagEnd := x + tagF.measure(tag)
		start := len(sc.arena)
		sc.arena = appendAge(sc.arena, now.Sub(a.Since))
		age := c.view(start)
		if a.Origin != "" {
			sc.arena = append(sc.arena, " · "...)
			sc.arena = append(sc.arena, a.Origin...)
		}
		right := c.view(start)
		if a.Since.IsZero() {
			age, right = "", a.Origin
		}
		room := min(0.45*(W-x-pad), W-pad-tagEnd-c.px(12))
		switch {
		case sf.measure(right) <= room:
		case age != "" && sf.measure(age)+sf.measure(" · a…") <= room:
			right = c.truncate(sf, right, room)
		case age != "" && sf.measure(age) <= room:
			right = age
		case age == "":
			right = c.truncate(sf, right, room)
		default:
			right = ""
		}
		rw := 0.0
		if right != "" {
			rw = sf.measure(right)
			c.text(sf, right, W-pad, b2, alignRight, th.TextDim)
		}
		tx := c.text(tagF, tag, x, b2, alignLeft, col)
		if a.Labels != "" {
			if l := c.truncate(sf, a.Labels, W-pad-rw-c.px(12)-tx-c.px(8)); l != "…" {
				c.text(sf, l, tx+c.px(8), b2, alignLeft, th.TextDim)
			}
		}
	}
	if hidden := len(rows) - shown; hidden > 0 {
		// Count the hidden ones by severity: what matters is whether a
		// critical is among them.
		var crit, warn, info int
		for _, a := range rows[shown:] {
			switch layouts.SeverityRank(a.Severity) {
			case 0:
				crit++
			case 1:
				warn++
			default:
				info++
			}
		}
		y := float64(shown)*rowH + rowH/2
		if y+sf.height()/2 > H {
			y = H - sf.height()/2 - c.px(2)
		}
		x := c.textMid(sf, c.itoa("+", hidden, " more"), pad, y, alignLeft, th.TextDim)
		// The counts, the worst first, as many as fit.
		for _, k := range [3]struct {
			n   int
			tag string
			col colorT
		}{{crit, " critical", th.Critical}, {warn, " warning", th.Warning}, {info, " info", th.Info}} {
			if k.n > 0 {
				s := c.itoa("  ", k.n, k.tag)
				if x+sf.measure(s) > W-c.px(2) {
					break
				}
				x = c.textMid(sf, s, x, y, alignLeft, k.col)
			}
		}
	}
}

// allClear draws the "No alerts" state: a check mark in a disc of the OK
// colour over the words.
func (c *canvas) allClear() {
	th := c.th
	W, H := float64(c.w), float64(c.h)
	size := c.s * clampF(0.11*c.logicalH(), 16, 40)
	const words = "No alerts"
	if w := getFace(fontMedium, size).measure(words); w > W-c.px(8) {
		size = math.Floor(size * (W - c.px(8)) / w)
	}
	tf := getFace(fontMedium, size)
	r := math.Min(0.16*H, 0.3*W)
	if r < c.px(8) || size < c.px(14) {
		c.message("No alerts")
		return
	}
	block := 2*r + c.px(10) + tf.capTop
	cx, cy := W/2, (H-block)/2+r
	c.arc(cx, cy, 0, r, 0, 2*math.Pi, th.OK)
	k := r / 10
	c.polyline([]float32{
		float32(cx - 4.2*k), float32(cy + 0.2*k),
		float32(cx - 1.2*k), float32(cy + 3.2*k),
		float32(cx + 4.6*k), float32(cy - 3.4*k),
	}[:], max(c.px(2), 1.6*k), th.Panel, irect{0, 0, c.w, c.h})
	c.text(tf, "No alerts", cx, cy+r+c.px(10)+tf.capTop, alignCenter, th.Text)
}
