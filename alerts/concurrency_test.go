package alerts

import (
	"fmt"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/wallboard/wallboard/datasources"
)

// TestConcurrentUse feeds rules from several goroutines (as scheduler
// pollers do) while others read, acknowledge and draw; run with -race.
func TestConcurrentUse(t *testing.T) {
	h, err := OpenHistoryFile(filepath.Join(t.TempDir(), "a.db"), HistoryOptions{})
	if err != nil {
		t.Fatal(err)
	}
	defer h.Close()
	ev := NewEvaluator(Options{History: h, Logger: quiet()})
	var mu sync.Mutex
	changes := 0
	ev.OnChange(func() {
		mu.Lock()
		changes++
		mu.Unlock()
	})
	var wg sync.WaitGroup
	for g := range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			r := Rule{Name: fmt.Sprintf("r%d", g), Threshold: 5, Hysteresis: 0.5, Severity: "warning", Dashboard: "d", Widget: "w"}
			for i := range 200 {
				now := t0.Add(time.Duration(i) * step)
				ev.Observe(r, one(datasources.Labels{"i": "x"}, float64(i%10), now), now)
			}
		}()
	}
	wg.Add(1)
	go func() {
		defer wg.Done()
		for i := range 100 {
			ev.SetRemote(Snapshot{Origin: OriginPrometheus, Source: "p", Fetched: t0.Add(time.Duration(i) * step),
				Alerts: []Alert{{ID: "p1", Rule: "remote", Severity: "critical", State: Firing, ActiveAt: t0, FiredAt: t0}}})
		}
	}()
	for range 2 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range 200 {
				for _, a := range ev.Active(Filter{}) {
					ev.Ack(a.ID)
				}
				_ = ev.FiringPeriods(Filter{Dashboard: "d"}, t0, t0.Add(time.Hour))
				_ = ev.Worst(Filter{States: []State{Firing}})
				_ = ev.Rules()
			}
		}()
	}
	wg.Wait()
	if changes == 0 {
		t.Error("no change notified")
	}
	if n := len(ev.History(Filter{}, t0.Add(-time.Hour), t0.Add(2*time.Hour))); n == 0 {
		t.Error("no transitions")
	}
}
