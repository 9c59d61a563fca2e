// Package golden compares rendered images with golden PNG files under a
// test's testdata directory. A mismatch writes the actual image to
// testdata/failed/ (git-ignored) so it can be looked at; running the test
// with -update rewrites the golden files. Look at every golden image before
// committing it: a golden file only proves nothing changed, not that it was right.
package golden

import (
	"flag"
	"fmt"
	"image"
	"image/png"
	"os"
	"path/filepath"
	"testing"
)

var update = flag.Bool("update", false, "rewrite golden images under testdata/")

// Tolerance is how far a channel may differ (0..255) and what fraction of
// pixels may differ beyond it; anti-aliasing varies slightly across CPUs.
const (
	channelTolerance = 16
	pixelFraction    = 0.002
)

// Assert compares img with testdata/name.
func Assert(t testing.TB, name string, img image.Image) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := write(path, img); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := read(path)
	if err != nil {
		failed := filepath.Join("testdata", "failed", name)
		_ = write(failed, img)
		t.Fatalf("golden %s: %v (actual image in %s; run with -update to create it)", path, err, failed)
	}
	if diff := Diff(want, img); diff != "" {
		failed := filepath.Join("testdata", "failed", name)
		if err := write(failed, img); err != nil {
			t.Fatal(err)
		}
		t.Errorf("golden %s: %s; actual image in %s", path, diff, failed)
	}
}

// Diff describes how a differs from b beyond the tolerance, or returns "".
func Diff(a, b image.Image) string {
	ab, bb := a.Bounds(), b.Bounds()
	if ab.Size() != bb.Size() {
		return fmt.Sprintf("size %v, want %v", bb.Size(), ab.Size())
	}
	bad := 0
	for y := 0; y < ab.Dy(); y++ {
		for x := 0; x < ab.Dx(); x++ {
			r1, g1, b1, a1 := a.At(ab.Min.X+x, ab.Min.Y+y).RGBA()
			r2, g2, b2, a2 := b.At(bb.Min.X+x, bb.Min.Y+y).RGBA()
			if far(r1, r2) || far(g1, g2) || far(b1, b2) || far(a1, a2) {
				bad++
			}
		}
	}
	total := ab.Dx() * ab.Dy()
	if float64(bad) > pixelFraction*float64(total) {
		return fmt.Sprintf("%d of %d pixels differ", bad, total)
	}
	return ""
}

func far(a, b uint32) bool {
	d := int(a>>8) - int(b>>8)
	return d > channelTolerance || d < -channelTolerance
}

func read(path string) (image.Image, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	img, err := png.Decode(f)
	if err != nil {
		return nil, fmt.Errorf("decode %s: %w", path, err)
	}
	return img, nil
}

func write(path string, img image.Image) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	if err := png.Encode(f, img); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}
