// Package wall runs a layout without a screen: it opens the layout's
// sources, owns the scheduler that polls their queries (with the history
// cache under it), turns widgets into scheduler requests with one step
// policy, applies the operator's overrides (time range, variables,
// refresh), evaluates the layout's alert rules on the very data its panels
// show, and offers the programmatic Wall (UpdateMetrics, RenderView).
//
// The GUI (package ui), the headless `wallboard render`, and the coming
// HTTP server all run the same Runtime, so they show the same numbers from
// one poller per query. Wall imports no Fyne and builds with
// CGO_ENABLED=0; drawing a view is left to a Renderer that the GUI package
// provides (ui.Renderer).
package wall
