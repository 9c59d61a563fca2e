package wall

import (
	"strings"
	"testing"
	"time"

	"github.com/wallboard/wallboard/layouts"
)

func TestOverridesApply(t *testing.T) {
	now := time.Date(2026, 11, 27, 14, 0, 0, 0, time.UTC)
	d := &layouts.Dashboard{
		ID: "d", Time: layouts.TimeRange{From: "now-1h", To: "now"}, Refresh: layouts.Duration(5 * time.Second),
		Variables: []layouts.Variable{{Name: "region"}},
	}
	tests := []struct {
		name    string
		o       Overrides
		want    Settings
		wantErr string
	}{
		{"none: the dashboard's own", Overrides{}, Settings{Time: d.Time, Refresh: 5 * time.Second}, ""},
		{"from alone ends now", Overrides{From: "now-6h"}, Settings{Time: layouts.TimeRange{From: "now-6h"}, Refresh: 5 * time.Second}, ""},
		{"to alone moves the end (here onto from: refused)", Overrides{To: "now-1h"}, Settings{Time: layouts.TimeRange{From: "now-1h", To: "now-1h"}, Refresh: 5 * time.Second}, "from/to"},
		{"refresh is kept", Overrides{Refresh: time.Minute}, Settings{Time: d.Time, Refresh: time.Minute}, ""},
		{"known variable", Overrides{Vars: map[string][]string{"region": {"eu-west"}}},
			Settings{Time: d.Time, Refresh: 5 * time.Second, Vars: map[string][]string{"region": {"eu-west"}}}, ""},
		{"unknown variable", Overrides{Vars: map[string][]string{"regoin": {"x"}}}, Settings{}, `unknown variable "regoin" (known: region); did you mean "region"?`},
		{"bad time", Overrides{From: "yesterday"}, Settings{}, "from/to"},
		{"negative refresh", Overrides{Refresh: -time.Second}, Settings{}, "refresh"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := tt.o.Apply(d, now)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("err = %v, want one containing %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if got.Time != tt.want.Time || got.Refresh != tt.want.Refresh || len(got.Vars) != len(tt.want.Vars) {
				t.Errorf("Apply = %+v, want %+v", got, tt.want)
			}
		})
	}
}
