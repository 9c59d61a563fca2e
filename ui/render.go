package ui

import (
	"context"
	"fmt"
	"image"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"github.com/wallboard/wallboard/layouts"
)

// Render draws dashboard id of l exactly as the window shows it (bar and
// grid), with Fyne's software painter and no display, once every panel has
// its first data or error. It installs Fyne's headless test driver as the
// current app, so call it from a program that has no window of its own.
func Render(ctx context.Context, rt *Runtime, l *layouts.Layout, id string, size fyne.Size, st *Settings) (image.Image, error) {
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

func render(ctx context.Context, rt *Runtime, l *layouts.Layout, id string, size fyne.Size, st *Settings) (image.Image, error) {
	a := test.NewApp()
	defer a.Quit()
	a.Settings().SetTheme(NewTheme(rt.Palette))
	shell := NewShell(rt, l)
	defer shell.Close()
	w := test.NewWindow(shell.Content())
	defer w.Close()
	w.SetPadded(false)
	w.Resize(size)
	if err := shell.Show(id); err != nil {
		return nil, err
	}
	if st != nil {
		if err := shell.SetSettings(*st); err != nil {
			return nil, err
		}
	}
	if err := shell.Current().WaitReady(ctx); err != nil {
		return nil, fmt.Errorf("render %s: %w", id, err)
	}
	return w.Canvas().Capture(), nil
}
