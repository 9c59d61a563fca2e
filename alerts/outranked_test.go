package alerts

import (
	"testing"

	"github.com/wallboard/wallboard/datasources"
)

func TestOutranked(t *testing.T) {
	cpu := func(id, sev string, st State) Alert {
		return Alert{ID: id, Severity: sev, State: st, Dashboard: "d", Widget: "cpu", Labels: datasources.Labels{"instance": "a"}}
	}
	for _, tc := range []struct {
		name string
		in   []Alert
		want []string
	}{
		{"critical outranks the warning", []Alert{cpu("c", "critical", Firing), cpu("w", "warning", Firing)}, []string{"c"}},
		{"a pending critical does not", []Alert{cpu("c", "critical", Pending), cpu("w", "warning", Firing)}, []string{"c", "w"}},
		{"other series stand alone", []Alert{cpu("c", "critical", Firing), {ID: "w", Severity: "warning", State: Firing, Dashboard: "d", Widget: "cpu", Labels: datasources.Labels{"instance": "b"}}}, []string{"c", "w"}},
		{"explicit rules stand alone", []Alert{{ID: "r1", Severity: "critical", State: Firing}, {ID: "r2", Severity: "warning", State: Firing}}, []string{"r1", "r2"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var got []string
			for _, a := range Outranked(tc.in) {
				got = append(got, a.ID)
			}
			if len(got) != len(tc.want) {
				t.Fatalf("got %v, want %v", got, tc.want)
			}
			for i := range got {
				if got[i] != tc.want[i] {
					t.Fatalf("got %v, want %v", got, tc.want)
				}
			}
		})
	}
}
