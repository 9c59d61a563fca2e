// Package ui is Wallboard's Fyne shell: the main window, the dashboard
// switcher and pickers (Shell), the grid of panels of one dashboard
// (DashboardView, embeddable in any Fyne app), the frame of one panel
// (Panel), the Fyne theme built from a charts palette, and headless
// rendering of a dashboard to an image (Render).
//
// Threading: results arrive on the scheduler's goroutines and are stored
// under a panel's mutex; each panel has a render loop, owned by its
// DashboardView and ended by Stop, that draws the chart body off Fyne's
// goroutine into a back buffer, swaps it in with fyne.Do and waits for the
// swap (or for Stop) before drawing into the other buffer again. Nothing
// waits on Fyne's goroutine with fyne.DoAndWait: Stop and Close run there
// and wait for these goroutines, so that would deadlock. Every other change
// to a Fyne object from a goroutine goes through fyne.Do.
//
// Sizes: panel titles are 20 px bold, badges 14 px, the theme's body text
// 16 px (logical pixels; 1:1 on a 1080p wall, scaled by Fyne on denser screens).
package ui
