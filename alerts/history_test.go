package alerts

import (
	"context"
	"errors"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"go.etcd.io/bbolt"

	"github.com/wallboard/wallboard/datasources"
	"github.com/wallboard/wallboard/datasources/history"
	"github.com/wallboard/wallboard/layouts"
)

// fakeClock is a settable clock.
type fakeClock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *fakeClock) Set(t time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = t
}

// TestAlertHistoryPersists closes and reopens the history file: the last
// 24 h of transitions come back (list and firing periods, and a firing
// alert resumes), older ones are pruned on open and on write.
func TestAlertHistoryPersists(t *testing.T) {
	path := filepath.Join(t.TempDir(), "alerts.db")
	clock := &fakeClock{}
	rule := Rule{Name: "p99", Threshold: 2, Severity: "warning", Dashboard: "perf", Widget: "latency"}
	labels := datasources.Labels{"region": "eu-west"}
	observe := func(ev *Evaluator, at time.Time, v float64) {
		clock.Set(at)
		ev.Observe(rule, one(labels, v, at), at)
	}
	T := t0

	h1, err := OpenHistoryFile(path, HistoryOptions{Now: clock.Now})
	if err != nil {
		t.Fatal(err)
	}
	if h1.Retention() != DefaultRetention {
		t.Errorf("retention = %s, want %s", h1.Retention(), DefaultRetention)
	}
	clock.Set(T.Add(-30 * time.Hour))
	ev1 := NewEvaluator(Options{History: h1, Now: clock.Now, Logger: quiet()})
	observe(ev1, T.Add(-26*time.Hour), 3)                // fires: beyond 24 h at T
	observe(ev1, T.Add(-25*time.Hour-30*time.Minute), 1) // resolves: beyond 24 h at T
	observe(ev1, T.Add(-2*time.Hour), 3)                 // fires
	observe(ev1, T.Add(-1*time.Hour), 1)                 // resolves
	observe(ev1, T.Add(-10*time.Minute), 3)              // fires, and is still firing at the restart
	if err := h1.Close(); err != nil {
		t.Fatal(err)
	}
	if err := h1.Close(); err != nil {
		t.Errorf("second Close: %v", err)
	}

	// Restart at T.
	clock.Set(T)
	h2, err := OpenHistoryFile(path, HistoryOptions{Now: clock.Now})
	if err != nil {
		t.Fatal(err)
	}
	defer h2.Close()
	stored, err := h2.Range(T.Add(-48*time.Hour), T)
	if err != nil {
		t.Fatal(err)
	}
	want := "inactive>firing@-7200s firing>resolved@-3600s inactive>firing@-600s"
	if got := brief(stored); got != want {
		t.Errorf("stored after reopening: %s\nwant %s", got, want)
	}
	if stored[0].Rule != "p99" || stored[0].Labels["region"] != "eu-west" || stored[0].Severity != "warning" ||
		stored[0].Dashboard != "perf" || stored[0].Widget != "latency" || stored[0].Value != 3 || stored[0].Origin != OriginWallboard {
		t.Errorf("stored transition = %+v", stored[0])
	}

	ev2 := NewEvaluator(Options{History: h2, Now: clock.Now, Logger: quiet()})
	if got := brief(ev2.History(Filter{}, T.Add(-48*time.Hour), T)); got != want {
		t.Errorf("evaluator history after restart: %s\nwant %s", got, want)
	}
	// Not listed until its rule is evaluated again; its firing period so
	// far ends at the restart.
	if n := ev2.Count(Filter{}); n != 0 {
		t.Errorf("%d alerts listed before any evaluation", n)
	}
	periods := ev2.FiringPeriods(Filter{Dashboard: "perf", Widget: "latency"}, T.Add(-24*time.Hour), T.Add(time.Minute))
	if len(periods) != 2 || !periods[0].From.Equal(T.Add(-2*time.Hour)) || !periods[0].To.Equal(T.Add(-time.Hour)) ||
		!periods[1].From.Equal(T.Add(-10*time.Minute)) || !periods[1].To.Equal(T) || periods[1].Open {
		t.Errorf("periods after restart = %+v", periods)
	}
	// Still above: it resumes firing since before the restart, with no new
	// transition (and without waiting for a for again).
	observe(ev2, T.Add(15*time.Second), 3)
	active := ev2.Active(Filter{})
	if len(active) != 1 || active[0].State != Firing || !active[0].FiredAt.Equal(T.Add(-10*time.Minute)) {
		t.Fatalf("after the first evaluation: %+v", active)
	}
	if got := brief(ev2.History(Filter{}, T.Add(-48*time.Hour), T.Add(time.Hour))); got != want {
		t.Errorf("history after resuming: %s\nwant %s", got, want)
	}
	periods = ev2.FiringPeriods(Filter{Rule: "p99"}, T.Add(-time.Hour), T.Add(time.Minute))
	if len(periods) != 1 || !periods[0].From.Equal(T.Add(-10*time.Minute)) || !periods[0].To.Equal(T.Add(time.Minute)) || !periods[0].Open {
		t.Errorf("periods after resuming = %+v", periods)
	}

	// A write 23.5 h later prunes what is then beyond 24 h.
	observe(ev2, T.Add(23*time.Hour+30*time.Minute), 1) // resolves
	stored, err = h2.Range(T.Add(-48*time.Hour), T.Add(48*time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	if got, want := brief(stored), "inactive>firing@-600s firing>resolved@84600s"; got != want {
		t.Errorf("stored after a later write: %s\nwant %s", got, want)
	}

	// A shorter retention (alerts.history in the layout) prunes on open.
	h2.Close()
	retention := RetentionOf(&layouts.AlertDisplay{History: layouts.Duration(time.Hour)})
	h3, err := OpenHistoryFile(path, HistoryOptions{Now: clock.Now, Retention: retention})
	if err != nil {
		t.Fatal(err)
	}
	defer h3.Close()
	stored, _ = h3.Range(T.Add(-48*time.Hour), T.Add(48*time.Hour))
	if got, want := brief(stored), "firing>resolved@84600s"; got != want {
		t.Errorf("stored with 1h retention: %s, want %s", got, want)
	}
}

func TestRetentionOf(t *testing.T) {
	if got := RetentionOf(nil); got != DefaultRetention {
		t.Errorf("RetentionOf(nil) = %s", got)
	}
	if got := RetentionOf(&layouts.AlertDisplay{}); got != DefaultRetention {
		t.Errorf("RetentionOf(zero) = %s", got)
	}
	if got := RetentionOf(&layouts.AlertDisplay{History: layouts.Duration(48 * time.Hour)}); got != 48*time.Hour {
		t.Errorf("RetentionOf(48h) = %s", got)
	}
}

func TestHistorySharedDatabase(t *testing.T) {
	path := filepath.Join(t.TempDir(), "shared.db")
	db, err := bbolt.Open(path, 0o600, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if err := db.Update(func(tx *bbolt.Tx) error {
		_, err := tx.CreateBucket([]byte("chunks"))
		return err
	}); err != nil {
		t.Fatal(err)
	}
	clock := &fakeClock{now: t0}
	h, err := OpenHistory(db, "", HistoryOptions{Now: clock.Now})
	if err != nil {
		t.Fatal(err)
	}
	tr := Transition{ID: "wabc", Origin: OriginWallboard, Rule: "r", From: Inactive, To: Firing, At: t0, Value: 1, Severity: "info"}
	for range 2 { // recording twice keeps one copy
		if err := h.Record(tr); err != nil {
			t.Fatal(err)
		}
	}
	// A damaged record is skipped with an error; the others still come.
	if err := db.Update(func(tx *bbolt.Tx) error {
		return tx.Bucket([]byte(DefaultBucket)).Put(timeKey(nil, t0.Add(time.Second)), []byte{recordVersion, 9})
	}); err != nil {
		t.Fatal(err)
	}
	got, err := h.Range(t0.Add(-time.Hour), t0.Add(time.Hour))
	if !errors.Is(err, ErrCorrupt) {
		t.Errorf("Range over a damaged record: err = %v, want ErrCorrupt", err)
	}
	if len(got) != 1 || got[0].ID != "wabc" || got[0].To != Firing {
		t.Errorf("Range = %+v", got)
	}
	if err := h.Close(); err != nil {
		t.Fatal(err)
	}
	// Close leaves a shared database open.
	if err := db.View(func(tx *bbolt.Tx) error {
		if tx.Bucket([]byte("chunks")) == nil {
			return errors.New("the other bucket is gone")
		}
		return nil
	}); err != nil {
		t.Fatalf("shared database after Close: %v", err)
	}
	if _, err := OpenHistory(nil, "", HistoryOptions{}); err == nil {
		t.Error("OpenHistory(nil) succeeded")
	}
}

// TestHistoryOnTheCacheStore keeps transitions in the history cache's file
// through the Store's guarded transactions, as the wall does.
func TestHistoryOnTheCacheStore(t *testing.T) {
	st, err := history.Open(context.Background(), filepath.Join(t.TempDir(), "history.db"), history.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	h, err := OpenHistory(st, DefaultBucket, HistoryOptions{})
	if err != nil {
		t.Fatal(err)
	}
	now := time.Now()
	tr := Transition{ID: "w1", Origin: OriginWallboard, Rule: "r", Severity: "critical", From: Pending, To: Firing, At: now}
	if err := h.Record(tr); err != nil {
		t.Fatal(err)
	}
	got, err := h.Range(now.Add(-time.Minute), now.Add(time.Minute))
	if err != nil || len(got) != 1 || got[0].ID != "w1" {
		t.Fatalf("Range = %+v, %v", got, err)
	}
	if _, err := OpenHistory((*history.Store)(nil), DefaultBucket, HistoryOptions{}); err == nil {
		t.Error("a nil store was accepted")
	}
}
