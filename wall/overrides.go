package wall

import (
	"fmt"
	"time"

	"github.com/wallboard/wallboard/layouts"
)

// Overrides are what a command line (--from, --to, --var, --refresh), an
// API request or RenderView changes of a dashboard's own settings. The
// zero value changes nothing.
type Overrides struct {
	// From and To replace the dashboard's time range; To alone moves only
	// its end ("" with a From: now).
	From, To string
	// Vars choose values of the dashboard's variables; a name the
	// dashboard does not have is an error.
	Vars map[string][]string
	// Refresh replaces the dashboard's refresh interval when > 0.
	Refresh time.Duration
}

// IsZero reports whether o changes nothing.
func (o Overrides) IsZero() bool {
	return o.From == "" && o.To == "" && len(o.Vars) == 0 && o.Refresh == 0
}

// Apply returns the settings of d with o applied: the one place overrides
// become settings, for the GUI, render, the programmatic Wall and the API.
// The time range is checked at now; errors name the flag's words (from/to,
// var) so a command can print them as they are.
func (o Overrides) Apply(d *layouts.Dashboard, now time.Time) (Settings, error) {
	st := DefaultSettings(d)
	switch {
	case o.From != "":
		st.Time = layouts.TimeRange{From: o.From, To: o.To}
	case o.To != "":
		st.Time.To = o.To
	}
	if _, _, err := st.Time.Resolve(now); err != nil {
		return Settings{}, fmt.Errorf("from/to: %w", err)
	}
	if o.Refresh > 0 {
		st.Refresh = o.Refresh
	} else if o.Refresh < 0 {
		return Settings{}, fmt.Errorf("refresh: %v is negative", o.Refresh)
	}
	if len(o.Vars) > 0 {
		if err := d.CheckVars(o.Vars); err != nil {
			return Settings{}, fmt.Errorf("var: %w", err)
		}
		st.Vars = o.Vars
	}
	return st, nil
}
