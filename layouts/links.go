package layouts

// builtinLinks are the drill-down paths an on-call engineer follows between
// the built-in dashboards: from a symptom to the dashboard that explains it,
// keeping the region filter.
var builtinLinks = map[[2]string][]DataLink{
	{TypeSystemHealth, "request_rate"}:         {{Title: "Performance", Dashboard: TypePerformance, Vars: []string{"region"}}},
	{TypeSystemHealth, "p95_latency"}:          {{Title: "Latency details", Dashboard: TypePerformance, Vars: []string{"region"}}},
	{TypeSystemHealth, "quality_distribution"}: {{Title: "Quality", Dashboard: TypeQuality, Vars: []string{"region"}}},
	{TypePerformance, "requests_by_region"}:    {{Title: "System health", Dashboard: TypeSystemHealth, Vars: []string{"region"}}},
	{TypeQuality, "quality_by_region"}:         {{Title: "Performance", Dashboard: TypePerformance, Vars: []string{"region"}}},
	{TypeBusinessKPI, "cost_per_audio"}:        {{Title: "Cost", Dashboard: TypeCost, Vars: []string{"region"}}},
	{TypeCost, "gpu_utilisation"}:              {{Title: "System health", Dashboard: TypeSystemHealth}},
}

// addLinks attaches builtinLinks to the dashboards of l that exist.
func addLinks(l *Layout) {
	ids := map[string]bool{}
	for _, d := range l.Dashboards {
		ids[d.ID] = true
	}
	for i := range l.Dashboards {
		d := &l.Dashboards[i]
		for j := range d.Widgets {
			for _, link := range builtinLinks[[2]string{d.ID, d.Widgets[j].ID}] {
				if ids[link.Dashboard] {
					d.Widgets[j].Links = append(d.Widgets[j].Links, link)
				}
			}
		}
	}
}
