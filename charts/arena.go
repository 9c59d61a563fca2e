package charts

import (
	"strconv"
	"unsafe"

	"github.com/wallboard/wallboard/layouts"
)

// The arena is a draw's scratch text: labels and values are formatted
// into it and used as strings that view its bytes, so a warm redraw
// allocates nothing. The views are valid until the scratch is reused by
// another draw: nothing may keep one beyond the Draw that made it (copy
// with strings.Clone). When the arena grows, views of its old array stay
// valid: that array is never written again.

// view returns the arena's bytes from start to its end as a string.
func (c *canvas) view(start int) string { return viewFrom(c.sc.arena, start) }

// viewFrom returns a[start:] as a string sharing a's memory.
func viewFrom(a []byte, start int) string {
	if start >= len(a) {
		return ""
	}
	return unsafe.String(&a[start], len(a)-start)
}

// fmtWidget is FormatWidget into the arena.
func (c *canvas) fmtWidget(w *layouts.Widget, v float64) string {
	start := len(c.sc.arena)
	c.sc.arena, _, _ = appendWidget(c.sc.arena, w, v)
	return c.view(start)
}

// fmtValue is FormatValue into the arena.
func (c *canvas) fmtValue(v float64, unit string, decimals *int) string {
	start := len(c.sc.arena)
	c.sc.arena, _, _ = appendValue(c.sc.arena, v, unit, decimals)
	return c.view(start)
}

// widgetParts is FormatWidget split into the number with its prefix
// (sign, currency) and the suffix (scale, unit); a mapped value is all
// number.
func (c *canvas) widgetParts(w *layouts.Widget, v float64) (num, suffix string) {
	start := len(c.sc.arena)
	var n1 int
	c.sc.arena, _, n1 = appendWidget(c.sc.arena, w, v)
	all := c.view(start)
	n1 -= start
	return all[:n1], all[n1:]
}

// join concatenates strings into the arena.
func (c *canvas) join(parts ...string) string {
	start := len(c.sc.arena)
	for _, p := range parts {
		c.sc.arena = append(c.sc.arena, p...)
	}
	return c.view(start)
}

// itoa writes prefix, n and suffix into the arena ("+3 more").
func (c *canvas) itoa(prefix string, n int, suffix string) string {
	start := len(c.sc.arena)
	c.sc.arena = append(c.sc.arena, prefix...)
	c.sc.arena = strconv.AppendInt(c.sc.arena, int64(n), 10)
	c.sc.arena = append(c.sc.arena, suffix...)
	return c.view(start)
}
