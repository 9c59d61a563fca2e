package history

import (
	"bytes"
	"context"
	"encoding/binary"
	"fmt"
	"math"
	"os"
	"time"

	"go.etcd.io/bbolt"
)

// retainLoop runs Retain every RetentionInterval (the first time a minute
// after Open) and whenever a write takes the file over MaxBytes, until ctx
// ends.
func (s *Store) retainLoop(ctx context.Context) {
	t := time.NewTimer(min(time.Minute, s.opts.RetentionInterval))
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			t.Reset(s.opts.RetentionInterval)
		case <-s.kick:
		}
		if err := s.Retain(ctx); err != nil && ctx.Err() == nil {
			s.logOnce("retention", err)
		}
	}
}

// Retain applies the retention now: it drops the chunks whose samples are
// all older than MaxAge, then, while the file holds more than MaxBytes in
// use, the oldest chunks (of every series alike) until it holds at most 90%
// of MaxBytes (nothing on a read-only Store). Spans shrink accordingly, so a query whose older data was
// dropped is fetched in full again. It runs by itself in the background;
// tests and tools may call it.
func (s *Store) Retain(ctx context.Context) error {
	if s.readOnly {
		return nil // nothing is written, nothing to drop
	}
	if err := s.Broken(); err != nil {
		return err
	}
	s.retainMu.Lock()
	defer s.retainMu.Unlock()
	now := s.opts.Now().UnixMilli()
	if s.opts.MaxAge > 0 {
		if _, err := s.dropBefore(ctx, now-s.opts.MaxAge.Milliseconds()); err != nil {
			return err
		}
	}
	if s.opts.MaxBytes <= 0 {
		return nil
	}
	used, err := s.used()
	if err != nil || used <= s.opts.MaxBytes {
		return err
	}
	target := s.opts.MaxBytes * 9 / 10
	oldest, newest, err := s.bounds(ctx)
	if err != nil || oldest == math.MaxInt64 {
		return err
	}
	// Drop in 64 slices of time, oldest first, until enough is freed (at
	// worst everything: the bound holds even for data stamped in the future).
	slice := max((max(now, newest)-oldest)/64, time.Minute.Milliseconds())
	for cutoff := oldest + slice; used > target && cutoff-slice <= newest; cutoff += slice {
		if err := ctx.Err(); err != nil {
			return fmt.Errorf("history: retention: %w", err)
		}
		n, err := s.dropBefore(ctx, cutoff)
		if err != nil {
			return err
		}
		if n > 0 {
			if used, err = s.used(); err != nil {
				return err
			}
		}
	}
	return nil
}

// used is the number of bytes in use in the file (pages not free).
func (s *Store) used() (int64, error) {
	var size int64
	err := s.view(func(tx *bbolt.Tx) error {
		size = tx.Size()
		return nil
	})
	if err != nil {
		return 0, fmt.Errorf("history: retention: %w", err)
	}
	return s.usedBytes(size), nil
}

// bounds returns the start of the oldest chunk of any series (MaxInt64:
// none) and the end of the newest.
func (s *Store) bounds(ctx context.Context) (oldest, newest int64, err error) {
	oldest, newest = math.MaxInt64, math.MinInt64
	err = s.view(func(tx *bbolt.Tx) error {
		cb := tx.Bucket(bucketChunks)
		c := cb.Cursor()
		return tx.Bucket(bucketQueries).ForEach(func(_, v []byte) error {
			if err := ctx.Err(); err != nil {
				return err
			}
			rec, err := decodeRecord(v)
			if err != nil {
				return nil // retention drops it
			}
			for _, sr := range rec.series {
				prefix := binary.BigEndian.AppendUint64(nil, sr.id)
				if k, _ := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix) {
					if _, mint, ok := parseChunkKey(k); ok {
						oldest = min(oldest, mint)
					}
				}
				next := binary.BigEndian.AppendUint64(nil, sr.id+1)
				k, v := c.Seek(next)
				if k == nil {
					k, v = c.Last()
				} else {
					k, v = c.Prev()
				}
				if k != nil && bytes.HasPrefix(k, prefix) {
					if _, mint, ok := parseChunkKey(k); ok {
						if maxt, _, _, err := chunkHeader(mint, v); err == nil {
							newest = max(newest, maxt)
						}
					}
				}
			}
			return nil
		})
	})
	if err != nil {
		return 0, 0, fmt.Errorf("history: retention: %w", err)
	}
	return oldest, newest, nil
}

// dropBefore deletes, in one transaction, every chunk whose samples are all
// before cutoff (ms), the series left without chunks, the queries left
// without data (or without a readable record), and moves every span's start
// to cutoff. It returns about how many bytes it freed.
func (s *Store) dropBefore(ctx context.Context, cutoff int64) (int64, error) {
	if err := ctx.Err(); err != nil {
		return 0, fmt.Errorf("history: retention: %w", err)
	}
	var freed int64
	err := s.update(func(tx *bbolt.Tx) error {
		freed = 0
		qb, cb := tx.Bucket(bucketQueries), tx.Bucket(bucketChunks)
		type entry struct {
			key  []byte
			rec  *record
			size int64
		}
		var entries []entry
		err := qb.ForEach(func(k, v []byte) error {
			rec, err := decodeRecord(v)
			if err != nil {
				s.logOnce("corrupt record", err)
				rec = nil
			}
			entries = append(entries, entry{key: bytes.Clone(k), rec: rec, size: int64(len(k) + len(v) + 16)})
			return nil
		})
		if err != nil {
			return err
		}
		for _, e := range entries {
			if e.rec == nil {
				if err := qb.Delete(e.key); err != nil {
					return err
				}
				freed += e.size
				continue
			}
			rec := e.rec
			all := rec.to < cutoff
			kept := rec.series[:0]
			for _, sr := range rec.series {
				n, left, err := dropSeries(cb, sr.id, cutoff, all)
				if err != nil {
					return err
				}
				freed += n
				if left {
					kept = append(kept, sr)
				}
			}
			changed := len(kept) != len(rec.series)
			rec.series = kept
			if all {
				if err := qb.Delete(e.key); err != nil {
					return err
				}
				freed += e.size
				continue
			}
			if rec.from < cutoff {
				rec.from, changed = cutoff, true
			}
			if changed {
				if err := qb.Put(e.key, encodeRecord(nil, rec)); err != nil {
					return err
				}
			}
		}
		return nil
	})
	if err != nil {
		return 0, fmt.Errorf("history: retention: %w", err)
	}
	return freed, nil
}

// dropSeries deletes the chunks of series id that end before cutoff (all of
// them when all is set, and any that cannot be read), and reports the bytes
// freed and whether chunks are left.
func dropSeries(cb *bbolt.Bucket, id uint64, cutoff int64, all bool) (freed int64, left bool, err error) {
	prefix := binary.BigEndian.AppendUint64(nil, id)
	var del [][]byte
	c := cb.Cursor()
	for k, v := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, v = c.Next() {
		if !all {
			_, mint, _ := parseChunkKey(k)
			if maxt, _, _, err := chunkHeader(mint, v); err == nil && maxt >= cutoff {
				left = true
				break
			}
		}
		del = append(del, bytes.Clone(k))
		freed += int64(len(k) + len(v) + 16)
	}
	for _, k := range del {
		if err := cb.Delete(k); err != nil {
			return 0, false, err
		}
	}
	return freed, left, nil
}

// Stats describes the history file.
type Stats struct {
	// FileBytes is the file's size; UsedBytes what is in use of it (the
	// rest are free pages that new data reuses).
	FileBytes, UsedBytes int64
	// Queries and Series count what is stored.
	Queries, Series int
}

// Stats measures the history file.
func (s *Store) Stats(ctx context.Context) (Stats, error) {
	if err := ctx.Err(); err != nil {
		return Stats{}, fmt.Errorf("history: stats: %w", err)
	}
	var (
		st   Stats
		size int64
	)
	err := s.view(func(tx *bbolt.Tx) error {
		size = tx.Size()
		return tx.Bucket(bucketQueries).ForEach(func(_, v []byte) error {
			st.Queries++
			if rec, err := decodeRecord(v); err == nil {
				st.Series += len(rec.series)
			}
			return nil
		})
	})
	if err != nil {
		return Stats{}, fmt.Errorf("history: stats: %w", err)
	}
	st.UsedBytes = s.usedBytes(size)
	st.FileBytes = size
	if fi, err := os.Stat(s.path); err == nil {
		st.FileBytes = fi.Size()
	}
	return st, nil
}
