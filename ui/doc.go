// Package ui is Wallboard's Fyne widgets, on the Fyne-free runtime of
// package wall: the main window's content (Shell, made of its bar, its
// playlist, its kiosk banner and overlay, each with OnX callbacks), the
// grid of panels of one dashboard (DashboardView, embeddable in any Fyne
// app), the frame of one panel (Panel: state on the widget, canvas objects
// in its renderer), the drill-down, the Fyne theme built from a charts
// palette, and the headless Renderer of wall.Wall's RenderView.
//
// Threading: results arrive on the scheduler's goroutines and are stored
// under a panel's mutex; each panel has a render loop, owned by its
// DashboardView and ended by Stop, that draws the chart body off Fyne's
// goroutine into a back buffer (only while the panel is on screen), hands
// it to the view's presenter, which runs every panel's hand-over in one
// fyne.Do at most every DefaultFrameGap (each change repaints the whole
// window), and waits for the hand-over (or for Stop) before drawing into
// another buffer. Nothing waits on Fyne's goroutine with fyne.DoAndWait:
// Stop and Close run there and wait for these goroutines, so that would
// deadlock. A queued hand-over whose owner stopped does nothing, so no
// widget is touched after a view stops or the app ends.
//
// Sizes: panel titles are 20 px bold, badges 14 px, the theme's body text
// 16 px (logical pixels; 1:1 on a 1080p wall, scaled by Fyne on denser screens).
package ui
