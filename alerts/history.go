package alerts

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"sync"
	"time"

	"go.etcd.io/bbolt"

	"github.com/wallboard/wallboard/layouts"
)

// DefaultRetention is how long transitions are kept unless told otherwise
// (the spec's 24 h of alert history).
const DefaultRetention = 24 * time.Hour

// DefaultBucket is the bbolt bucket the history uses in a shared file.
const DefaultBucket = "alerts"

// RetentionOf is the history retention a layout's alert display asks for:
// its History, or DefaultRetention when unset.
func RetentionOf(d *layouts.AlertDisplay) time.Duration {
	if d == nil || d.History <= 0 {
		return DefaultRetention
	}
	return d.History.D()
}

// HistoryOptions tune a History; the zero value gives the defaults.
type HistoryOptions struct {
	// Retention drops transitions older than this, on open and on every
	// write (default DefaultRetention; see RetentionOf).
	Retention time.Duration
	// Now is the clock retention is measured by (default time.Now).
	Now func() time.Time
}

// History keeps every alert transition in a bbolt bucket, so that the
// alert history (and the firing periods drawn on graphs) survives
// restarts. It is safe for concurrent use.
type History struct {
	db        DB
	file      *bbolt.DB // the file OpenHistoryFile opened, closed by Close
	bucket    []byte
	retention time.Duration
	now       func() time.Time
	owned     bool // the file was opened by OpenHistoryFile

	closeOnce sync.Once
	closeErr  error
}

// DB runs a History's transactions: a *bbolt.DB, or the history cache's
// *history.Store, whose transactions turn a fault in the mapped file into
// an error instead of a crash (a wall sharing that file must survive it
// being damaged under it).
type DB interface {
	View(fn func(*bbolt.Tx) error) error
	Update(fn func(*bbolt.Tx) error) error
}

// OpenHistory keeps the history in bucket (DefaultBucket when empty) of an
// open bbolt file, such as the history cache's. The bucket is created if
// needed and transitions older than the retention are pruned. Close does
// not close db.
func OpenHistory(db DB, bucket string, opts HistoryOptions) (*History, error) {
	if db == nil || reflect.ValueOf(db).IsNil() {
		return nil, errors.New("alerts: history: no database")
	}
	if bucket == "" {
		bucket = DefaultBucket
	}
	if opts.Retention <= 0 {
		opts.Retention = DefaultRetention
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	h := &History{db: db, bucket: []byte(bucket), retention: opts.Retention, now: opts.Now}
	if err := db.Update(func(tx *bbolt.Tx) error {
		b, err := tx.CreateBucketIfNotExists(h.bucket)
		if err != nil {
			return err
		}
		_, err = h.prune(b)
		return err
	}); err != nil {
		return nil, fmt.Errorf("alerts: history: open bucket %q: %w", bucket, err)
	}
	return h, nil
}

// OpenHistoryFile opens (or creates) a bbolt file of its own at path for
// the history; Close closes it. It waits at most a second for a file
// locked by another process.
func OpenHistoryFile(path string, opts HistoryOptions) (*History, error) {
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return nil, fmt.Errorf("alerts: history: %w", err)
	}
	db, err := bbolt.Open(path, 0o600, &bbolt.Options{Timeout: time.Second})
	if err != nil {
		return nil, fmt.Errorf("alerts: history: open %s: %w", path, err)
	}
	h, err := OpenHistory(db, DefaultBucket, opts)
	if err != nil {
		_ = db.Close()
		return nil, err
	}
	h.owned, h.file = true, db
	return h, nil
}

// Retention is how long transitions are kept.
func (h *History) Retention() time.Duration { return h.retention }

// Close closes the file if OpenHistoryFile opened it; a History over a
// shared database leaves it open. Close is idempotent.
func (h *History) Close() error {
	h.closeOnce.Do(func() {
		if h.owned {
			if err := h.file.Close(); err != nil {
				h.closeErr = fmt.Errorf("alerts: history: close: %w", err)
			}
		}
	})
	return h.closeErr
}

// Record stores transitions (one write transaction for all of them) and
// prunes those older than the retention. Recording a transition again
// (same alert, time and new state) keeps one copy.
func (h *History) Record(ts ...Transition) error {
	if len(ts) == 0 {
		return nil
	}
	err := h.db.Update(func(tx *bbolt.Tx) error {
		b := tx.Bucket(h.bucket)
		if b == nil {
			return fmt.Errorf("bucket %q is missing", h.bucket)
		}
		var key, val []byte
		for i := range ts {
			key = transitionKey(key[:0], &ts[i])
			val = encodeTransition(val[:0], &ts[i])
			// bbolt keeps the slices until the transaction ends: copy them.
			if err := b.Put(bytes.Clone(key), bytes.Clone(val)); err != nil {
				return err
			}
		}
		_, err := h.prune(b)
		return err
	})
	if err != nil {
		return fmt.Errorf("alerts: history: record: %w", err)
	}
	return nil
}

// Prune drops the transitions older than the retention and returns how
// many it dropped.
func (h *History) Prune() (int, error) {
	var n int
	err := h.db.Update(func(tx *bbolt.Tx) error {
		b := tx.Bucket(h.bucket)
		if b == nil {
			return fmt.Errorf("bucket %q is missing", h.bucket)
		}
		var err error
		n, err = h.prune(b)
		return err
	})
	if err != nil {
		return 0, fmt.Errorf("alerts: history: prune: %w", err)
	}
	return n, nil
}

// prune deletes the records before now - retention; keys sort by time, so
// it stops at the first one to keep.
func (h *History) prune(b *bbolt.Bucket) (int, error) {
	cutoff := timeKey(nil, h.now().Add(-h.retention))
	c := b.Cursor()
	n := 0
	for k, _ := c.First(); k != nil && bytes.Compare(k, cutoff) < 0; k, _ = c.First() {
		if err := c.Delete(); err != nil {
			return n, err
		}
		n++
	}
	return n, nil
}

// Range returns the transitions at times in [from, to], oldest first.
// Records that cannot be decoded are skipped; the error then wraps
// ErrCorrupt (and says how many), and the transitions returned are still
// good.
func (h *History) Range(from, to time.Time) ([]Transition, error) {
	var (
		out     []Transition
		bad     int
		firstEr error
	)
	lo, hi := timeKey(nil, from), timeKey(nil, to.Add(1))
	err := h.db.View(func(tx *bbolt.Tx) error {
		b := tx.Bucket(h.bucket)
		if b == nil {
			return fmt.Errorf("bucket %q is missing", h.bucket)
		}
		c := b.Cursor()
		for k, v := c.Seek(lo); k != nil && bytes.Compare(k, hi) < 0; k, v = c.Next() {
			t, err := decodeTransition(v)
			if err != nil {
				bad++
				if firstEr == nil {
					firstEr = err
				}
				continue
			}
			out = append(out, t)
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("alerts: history: read: %w", err)
	}
	if bad > 0 {
		return out, fmt.Errorf("alerts: history: skipped %d unreadable records: %w", bad, firstEr)
	}
	return out, nil
}
