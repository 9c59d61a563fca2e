// Command frames watches an Xvfb screen from the start of a Wallboard and
// reports when the first complete frame was on screen.
//
//	frames -fb /tmp/fbdir/Xvfb_screen0 -t0 $(date +%s%N) -for 6s -every 100ms -out DIR
//
// Xvfb started with -fbdir DIR keeps its framebuffer in DIR/Xvfb_screen0 as
// an XWD image mapped into memory, so a frame is a read of that file: a few
// milliseconds, where `import -window root` takes 0.3-1 s per grab on a
// loaded 2-core machine and cannot keep a 100 ms pace. `run` checks the
// last frame against one `import` screenshot.
//
// Detection: the screen is cut into tiles (48x54 px on 1920x1080); a tile's
// ink is the number of its pixels that differ clearly from the tile's most
// common colour (its background). The last frame captured is taken as the
// complete wall; tiles with ink there (at least 3% of their pixels) are the
// ones the wall draws. A frame is complete when all such tiles but 1% (at
// least 2) have at least 35% of their final ink: a spinner, a title alone
// or an empty panel has far less; a line that moved has about as much; a
// big digit that changed from 8 to 1 may have a third, hence the slack.
// first_complete is the time of the first frame from which every later
// frame is complete too; ">T" when that holds for less than the last half
// second watched (watch longer: --shots). If the wall had more inked tiles
// before its last frame (panels that went blank again), the reference is
// the last frame with (nearly) the most inked tiles, and lost is when the
// wall stopped being complete after that (else "none"). first_visible is the first frame with any ink at
// all (the window mapped). last_change is the time of the last frame whose
// tiles changed "a lot" (more than 10% of the drawn tiles changed ink by
// more than half) — a coarse second opinion.
//
// Output: one line of key=value pairs on stdout; DIR/last.png (full size)
// and DIR/first_complete_quarter.png, DIR/before_first_complete_quarter.png
// (quarter size) for a look with the eyes; DIR/frames.tsv, per frame: time,
// tiles with ink, drawn tiles still missing, tiles that changed.
package main

import (
	"encoding/binary"
	"errors"
	"flag"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"os"
	"path/filepath"
	"strconv"
	"time"
)

const (
	tileW, tileH = 48, 54
	stride       = 2  // sample every 2nd pixel of every 2nd row
	inkTol       = 40 // |dr|+|dg|+|db| beyond which a pixel is ink
	minInkShare  = 0.03
	completeAt   = 0.35 // of a tile's final ink
	slack        = 0.01 // of the drawn tiles may be short (digits: a 1 has less ink than an 8)
)

type xwd struct {
	w, h, bpl, off int
	bpp            int
	msbFirst       bool
	rshift, gshift uint
	bshift         uint
}

func be(b []byte, i int) int { return int(binary.BigEndian.Uint32(b[i*4:])) }

func shiftOf(mask int) uint {
	for s := uint(0); s < 32; s++ {
		if mask&(1<<s) != 0 {
			return s
		}
	}
	return 0
}

func parseHeader(b []byte) (*xwd, error) {
	if len(b) < 100 {
		return nil, errors.New("short XWD header")
	}
	x := &xwd{
		w: be(b, 4), h: be(b, 5), bpp: be(b, 11), bpl: be(b, 12),
		msbFirst: be(b, 7) == 1,
		rshift:   shiftOf(be(b, 14)), gshift: shiftOf(be(b, 15)), bshift: shiftOf(be(b, 16)),
	}
	if v := be(b, 1); v != 7 {
		return nil, fmt.Errorf("XWD version %d, want 7", v)
	}
	if x.bpp != 32 {
		return nil, fmt.Errorf("XWD %d bits per pixel, want 32 (start Xvfb with -screen 0 WxHx24)", x.bpp)
	}
	x.off = be(b, 0) + be(b, 19)*12
	return x, nil
}

func (x *xwd) rgb(buf []byte, px, py int) (r, g, b int) {
	i := x.off + py*x.bpl + px*4
	var v uint32
	if x.msbFirst {
		v = binary.BigEndian.Uint32(buf[i:])
	} else {
		v = binary.LittleEndian.Uint32(buf[i:])
	}
	return int(v>>x.rshift) & 0xff, int(v>>x.gshift) & 0xff, int(v>>x.bshift) & 0xff
}

type frame struct {
	at    time.Duration
	ink   []int
	buf   []byte      // the last frame's pixels
	thumb *image.RGBA // quarter size
}

func main() {
	fb := flag.String("fb", "", "Xvfb framebuffer file (Xvfb -fbdir DIR: DIR/Xvfb_screen0)")
	t0 := flag.Int64("t0", 0, "start time, Unix nanoseconds (default: now)")
	dur := flag.Duration("for", 6*time.Second, "how long to watch, from t0")
	every := flag.Duration("every", 100*time.Millisecond, "frame interval")
	out := flag.String("out", "", "directory for first_complete.png, last.png and frames.tsv")
	flag.Parse()
	if *fb == "" {
		fmt.Fprintln(os.Stderr, "frames: -fb FILE is required")
		os.Exit(2)
	}
	start := time.Now()
	if *t0 != 0 {
		start = time.Unix(0, *t0)
	}
	var (
		hdr    *xwd
		frames []frame
		err    error
	)
	for next := time.Since(start); next <= *dur; next += *every {
		if d := next - time.Since(start); d > 0 {
			time.Sleep(d)
		}
		buf, rerr := os.ReadFile(*fb)
		at := time.Since(start)
		if rerr != nil {
			err = rerr
			continue
		}
		if hdr == nil {
			if hdr, err = parseHeader(buf); err != nil {
				fmt.Fprintln(os.Stderr, "frames:", err)
				os.Exit(1)
			}
		}
		if len(buf) < hdr.off+hdr.h*hdr.bpl {
			continue // torn read while Xvfb starts
		}
		frames = append(frames, frame{at: at, ink: inkOf(hdr, buf), buf: buf, thumb: thumbOf(hdr, buf)})
		// Full pixels for the last frame only (8 MB each); a quarter-size
		// thumbnail of every frame.
		if n := len(frames); n > 1 {
			frames[n-2].buf = nil
		}
	}
	if len(frames) == 0 {
		fmt.Fprintln(os.Stderr, "frames: no frame captured:", err)
		os.Exit(1)
	}
	last := frames[len(frames)-1]
	tilePx := (tileW / stride) * (tileH / stride)
	// The reference: the last frame, unless the wall had more inked tiles
	// before (panels that went blank again, e.g. redrawn at a new size):
	// then the last frame with (nearly) the most inked tiles.
	inkedOf := func(f *frame) (n int) {
		for _, v := range f.ink {
			if float64(v) >= minInkShare*float64(tilePx) {
				n++
			}
		}
		return n
	}
	most := 0
	for k := range frames {
		most = max(most, inkedOf(&frames[k]))
	}
	refIdx := len(frames) - 1
	for refIdx > 0 && float64(inkedOf(&frames[refIdx])) < 0.98*float64(most) {
		refIdx--
	}
	ref := frames[refIdx]
	var drawn []int
	for i, v := range ref.ink {
		if float64(v) >= minInkShare*float64(tilePx) {
			drawn = append(drawn, i)
		}
	}
	cols := (hdr.w + tileW - 1) / tileW
	var which []byte // the missing tiles of the frame, as x,y:ink/final
	complete := func(f *frame) (missing int) {
		which = which[:0]
		for _, i := range drawn {
			if float64(f.ink[i]) < completeAt*float64(ref.ink[i]) {
				missing++
				if missing <= 8 {
					which = fmt.Appendf(which, " %d,%d:%d/%d", i%cols*tileW, i/cols*tileH, f.ink[i], ref.ink[i])
				}
			}
		}
		return missing
	}
	allowed := max(2, int(slack*float64(len(drawn))))
	firstVisible, firstComplete, lastChange, lost := -1, -1, 0, -1
	var tsv []byte
	tsv = append(tsv, "ms\tink_tiles\tmissing\tchanged\tsome_missing(x,y:ink/final)\n"...)
	for k := range frames {
		f := &frames[k]
		inked, changed := 0, 0
		for i, v := range f.ink {
			if v > 0 {
				inked++
			}
			if k > 0 {
				p := frames[k-1].ink[i]
				if abs(v-p)*2 > max(v, p) && max(v, p) >= int(minInkShare*float64(tilePx)) {
					changed++
				}
			}
		}
		if firstVisible < 0 && inked > 0 {
			firstVisible = k
		}
		m := complete(f)
		switch {
		case m <= allowed && firstComplete < 0:
			firstComplete = k
		case m > allowed && k <= refIdx:
			firstComplete = -1
		case m > allowed && lost < 0:
			lost = k
		}
		if len(drawn) > 0 && changed*10 > len(drawn) {
			lastChange = k
		}
		tsv = append(tsv, fmt.Sprintf("%d\t%d\t%d\t%d\t%s\n", f.at.Milliseconds(), inked, m, changed, which)...)
	}
	secs := func(k int) string {
		if k < 0 {
			return "none"
		}
		return strconv.FormatFloat(frames[k].at.Seconds(), 'f', 2, 64)
	}
	fc := secs(firstComplete)
	if firstComplete >= 0 && ref.at-frames[firstComplete].at < 500*time.Millisecond && lost < 0 {
		// Complete for less than half a second before the end: maybe only
		// because the last frame is complete by definition. Watch longer.
		fc = ">" + secs(firstComplete)
	}
	gap := time.Duration(0)
	for k := 1; k < len(frames); k++ {
		gap = max(gap, frames[k].at-frames[k-1].at)
	}
	fmt.Printf("frames=%d max_gap_ms=%d drawn_tiles=%d first_visible=%s first_complete=%s lost=%s last_change=%s\n",
		len(frames), gap.Milliseconds(), len(drawn), secs(firstVisible), fc, secs(lost), secs(lastChange))
	if *out != "" {
		os.WriteFile(filepath.Join(*out, "frames.tsv"), tsv, 0o644)
		writePNG(filepath.Join(*out, "last.png"), hdr, last.buf)
		if firstComplete >= 0 {
			savePNG(filepath.Join(*out, "first_complete_quarter.png"), frames[firstComplete].thumb)
			if firstComplete > 0 {
				savePNG(filepath.Join(*out, "before_first_complete_quarter.png"), frames[firstComplete-1].thumb)
			}
		}
	}
}

// thumbOf is a quarter-size copy of a frame (every 4th pixel).
func thumbOf(x *xwd, buf []byte) *image.RGBA {
	img := image.NewRGBA(image.Rect(0, 0, x.w/4, x.h/4))
	for y := 0; y < x.h/4; y++ {
		for px := 0; px < x.w/4; px++ {
			r, g, b := x.rgb(buf, px*4, y*4)
			img.SetRGBA(px, y, color.RGBA{uint8(r), uint8(g), uint8(b), 255})
		}
	}
	return img
}

func abs(v int) int {
	if v < 0 {
		return -v
	}
	return v
}

// inkOf returns the ink of every tile of one frame.
func inkOf(x *xwd, buf []byte) []int {
	cols, rows := (x.w+tileW-1)/tileW, (x.h+tileH-1)/tileH
	ink := make([]int, cols*rows)
	var hist [4096]uint16
	pr := make([][3]int, 0, (tileW/stride)*(tileH/stride))
	for ty := 0; ty < rows; ty++ {
		for tx := 0; tx < cols; tx++ {
			clear(hist[:])
			pr = pr[:0]
			best, bestN := 0, uint16(0)
			for py := ty * tileH; py < min((ty+1)*tileH, x.h); py += stride {
				for px := tx * tileW; px < min((tx+1)*tileW, x.w); px += stride {
					r, g, b := x.rgb(buf, px, py)
					pr = append(pr, [3]int{r, g, b})
					q := (r>>4)<<8 | (g>>4)<<4 | b>>4
					hist[q]++
					if hist[q] > bestN {
						best, bestN = q, hist[q]
					}
				}
			}
			// The background: the mean of the pixels in the modal bin.
			var sr, sg, sb, n int
			for _, p := range pr {
				if (p[0]>>4)<<8|(p[1]>>4)<<4|p[2]>>4 == best {
					sr, sg, sb, n = sr+p[0], sg+p[1], sb+p[2], n+1
				}
			}
			br, bg, bb := sr/n, sg/n, sb/n
			c := 0
			for _, p := range pr {
				if abs(p[0]-br)+abs(p[1]-bg)+abs(p[2]-bb) > inkTol {
					c++
				}
			}
			ink[ty*cols+tx] = c
		}
	}
	return ink
}

func writePNG(path string, x *xwd, buf []byte) {
	if buf == nil {
		return
	}
	img := image.NewRGBA(image.Rect(0, 0, x.w, x.h))
	for y := 0; y < x.h; y++ {
		for px := 0; px < x.w; px++ {
			r, g, b := x.rgb(buf, px, y)
			img.SetRGBA(px, y, color.RGBA{uint8(r), uint8(g), uint8(b), 255})
		}
	}
	savePNG(path, img)
}

func savePNG(path string, img image.Image) {
	f, err := os.Create(path)
	if err != nil {
		return
	}
	defer f.Close()
	png.Encode(f, img)
}
