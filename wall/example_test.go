package wall_test

import (
	"fmt"
	"time"

	"github.com/wallboard/wallboard/datasources"
	"github.com/wallboard/wallboard/datasources/sim"
	"github.com/wallboard/wallboard/layouts"
	"github.com/wallboard/wallboard/wall"
)

// Example runs a layout without a screen: a panel's query becomes a
// scheduler request, pushed metrics reach it at once, and the subscriber
// sees what a panel would show.
func Example() {
	l := &layouts.Layout{Version: layouts.Version, Sources: []layouts.Source{{Name: "sim", Kind: layouts.KindSim}},
		Dashboards: []layouts.Dashboard{{
			ID: "push", Title: "Push", Time: layouts.TimeRange{From: "now-15m", To: "now"}, Refresh: layouts.Duration(time.Hour), Columns: 1,
			Widgets: []layouts.Widget{{ID: "deploys", Type: layouts.WidgetStat, Title: "Deploys",
				Queries: []layouts.Query{{Expr: `sum(deploys_total)`}}, Position: layouts.Position{Row: 1, Col: 1}}},
		}}}
	w := wall.New(l, wall.Options{})
	defer w.Close()

	d := l.Dashboard("push")
	st, _ := wall.Overrides{}.Apply(d, time.Now())
	sp, _ := wall.ResolveSpan(st.Time, time.Now())
	req, _ := w.Runtime.Request(d, d.Widget("deploys"), d.Widget("deploys").Queries[0], sp, st)
	got := make(chan float64, 16)
	unsub := w.Runtime.Scheduler.Subscribe(req, func(r *datasources.Result) {
		if len(r.Series) > 0 && len(r.Series[0].Points) > 0 {
			got <- r.Series[0].Points[len(r.Series[0].Points)-1].V
		}
	})
	defer unsub()
	if err := w.UpdateMetrics(sim.Sample{Labels: datasources.Labels{"__name__": "deploys_total"}, T: time.Now(), V: 42}); err != nil {
		fmt.Println(err)
		return
	}
	for v := range got {
		if v == 42 {
			fmt.Println("panel shows", v)
			break
		}
	}
	// Output:
	// panel shows 42
}
