package ui

import (
	"strings"

	"github.com/wallboard/wallboard/layouts"
)

// SearchResult is a dashboard, or a panel of one, matching a search.
type SearchResult struct {
	Dashboard string // id
	Widget    string // id; "" for the dashboard itself
	Title     string // what matched, for the list
	dashTitle string
}

// String is how the result reads in the search list.
func (r SearchResult) String() string {
	if r.Widget == "" {
		return r.Title
	}
	return r.dashTitle + " › " + r.Title
}

// Search finds dashboards and panels whose title, id or tags contain every
// word of q (case-insensitive); dashboards first, then panels, in layout order.
func Search(l *layouts.Layout, q string) []SearchResult {
	words := strings.Fields(strings.ToLower(q))
	if len(words) == 0 {
		return nil
	}
	match := func(fields ...string) bool {
		hay := strings.ToLower(strings.Join(fields, " "))
		for _, w := range words {
			if !strings.Contains(hay, w) {
				return false
			}
		}
		return true
	}
	var dashes, panels []SearchResult
	for _, d := range l.Dashboards {
		if match(append([]string{d.Title, d.ID, d.Type}, d.Tags...)...) {
			dashes = append(dashes, SearchResult{Dashboard: d.ID, Title: d.Title, dashTitle: d.Title})
		}
		for _, w := range d.Widgets {
			title := w.Title
			if title == "" {
				title = w.ID
			}
			if match(append([]string{title, w.ID, w.Type}, d.Tags...)...) {
				panels = append(panels, SearchResult{Dashboard: d.ID, Widget: w.ID, Title: title, dashTitle: d.Title})
			}
		}
	}
	return append(dashes, panels...)
}
