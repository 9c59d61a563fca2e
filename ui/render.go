package ui

import (
	"context"
	"fmt"
	"image"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"github.com/wallboard/wallboard/charts"
	"github.com/wallboard/wallboard/layouts"
	"github.com/wallboard/wallboard/wall"
)

// Render draws dashboard id of l exactly as the window shows it (bar and
// grid), with Fyne's software painter and no display, once every panel has
// its first data or error. A dashboard with more rows than fit size is
// drawn whole: the image is then taller than size. It installs Fyne's headless test driver as the
// current app, so call it from a program that has no window of its own.
func Render(ctx context.Context, rt *Runtime, l *layouts.Layout, id string, size fyne.Size, st *wall.Settings) (image.Image, error) {
	// Fyne's headless driver runs fyne.Do calls inline and refuses them on
	// the process's main goroutine, which is where a command calls us.
	type result struct {
		img image.Image
		err error
	}
	done := make(chan result, 1)
	go func() {
		img, err := render(ctx, rt, l, id, size, st)
		done <- result{img, err}
	}()
	r := <-done
	return r.img, r.err
}

// RenderScale is the device pixels per logical pixel for an image of size:
// 1 up to a little over 1080p, 2 for a 4K wall (3840x2160), in steps of 0.5.
func RenderScale(size fyne.Size) float32 {
	f := min(size.Width/1920, size.Height/1080)
	if f < 1.5 {
		return 1
	}
	return float32(int(f*2)) / 2
}

func render(ctx context.Context, rt *Runtime, l *layouts.Layout, id string, size fyne.Size, st *wall.Settings) (image.Image, error) {
	a := test.NewApp()
	defer a.Quit()
	a.Settings().SetTheme(NewTheme(rt.Palette))
	shell := NewShell(rt, l)
	defer shell.Close()
	w := test.NewWindow(shell.Content())
	defer w.Close()
	w.SetPadded(false)
	// A 4K wall is a 1080p wall drawn twice as fine: text and lines scale
	// rather than shrink.
	scale := RenderScale(size)
	if c, ok := w.Canvas().(interface{ SetScale(float32) }); ok {
		c.SetScale(scale)
	}
	w.Resize(fyne.NewSize(size.Width/scale, size.Height/scale))
	if err := shell.Show(id); err != nil {
		return nil, err
	}
	if st != nil {
		if err := shell.SetSettings(*st); err != nil {
			return nil, err
		}
	}
	// A dashboard taller than the image (more rows than fit) is drawn
	// whole: the image grows to the grid's height at the asked width.
	v := shell.Current()
	if vs := v.Size(); vs.Height > 0 {
		if extra := v.ContentHeight(vs) - vs.Height; extra > 1 {
			w.Resize(fyne.NewSize(size.Width/scale, size.Height/scale+extra))
		}
	}
	if err := v.WaitReady(ctx); err != nil {
		return nil, fmt.Errorf("render %s: %w", id, err)
	}
	// Stop drawing before the capture reads the panels' bodies: a refresh
	// arriving meanwhile would swap a body and draw into the one being read.
	fyne.DoAndWait(v.Stop)
	return w.Canvas().Capture(), nil
}

// Renderer is the wall.Renderer of the GUI package: it draws a wall's
// views with Fyne's software painter, exactly as Render does.
type Renderer struct{}

// Render draws dashboard id of l on rt with settings st at v's size, in
// v's theme (default dark).
func (Renderer) Render(ctx context.Context, rt *wall.Runtime, l *layouts.Layout, id string, st wall.Settings, v wall.View) (image.Image, error) {
	p := charts.Dark()
	if v.Theme != "" {
		var ok bool
		if p, ok = charts.ThemeNamed(v.Theme); !ok {
			return nil, fmt.Errorf("render: unknown theme %q (known: dark, light, highcontrast)", v.Theme)
		}
	}
	var set *wall.Settings
	if !v.Overrides.IsZero() {
		set = &st
	}
	return Render(ctx, &Runtime{Runtime: rt, Palette: p}, l, id, fyne.NewSize(float32(v.Width), float32(v.Height)), set)
}
