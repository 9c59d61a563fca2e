package history

import (
	"bytes"
	"context"
	"crypto/sha256"
	"fmt"
	"math"
	"time"

	"go.etcd.io/bbolt"

	"github.com/wallboard/wallboard/datasources"
)

// Batch is one answer of a source to store: the series of query (a key
// such as QueryKey) from source over [From, To].
type Batch struct {
	Source, Query string
	// From and To are the range that was asked of the source; for every
	// series in the batch, stored points in that range are replaced by the
	// batch's (a fresh answer is the truth for its range). Zero values mean
	// each series' own first and last sample. The range is widened to
	// include every point of the batch.
	From, To time.Time
	// Step is the query's step: where the batch meets older points, its
	// leading points closer than MinGap(Step) to them are dropped (see
	// MergePoints). Zero keeps every point.
	Step time.Duration
	// Fetched is when the source produced the answer (zero: now).
	Fetched time.Time
	Series  []datasources.Series
}

// Append stores series of query from source, each replacing the stored
// points of its own time range (a series overlapping the stored tail
// replaces it, so nothing is stored twice).
func (s *Store) Append(ctx context.Context, source, query string, series ...datasources.Series) error {
	return s.Write(ctx, Batch{Source: source, Query: query, Series: series})
}

// item is one series of a batch, ready to write.
type item struct {
	name     string
	labels   datasources.Labels
	pts      []datasources.Point
	from, to int64
}

// Write stores one answer of a source (see Batch) in one transaction.
func (s *Store) Write(ctx context.Context, b Batch) error {
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("history: write: %w", err)
	}
	fetched := b.Fetched
	if fetched.IsZero() {
		fetched = s.opts.Now()
	}
	items := make([]item, 0, len(b.Series))
	spanFrom, spanTo := int64(math.MaxInt64), int64(math.MinInt64)
	for _, ser := range b.Series {
		it := item{name: ser.Name, labels: ser.Labels, pts: sortedPoints(ser.Points)}
		it.from, it.to = math.MaxInt64, math.MinInt64
		if !b.From.IsZero() {
			it.from = b.From.UnixMilli()
		}
		if !b.To.IsZero() {
			it.to = b.To.UnixMilli()
		}
		if n := len(it.pts); n > 0 {
			it.from, it.to = min(it.from, it.pts[0].T), max(it.to, it.pts[n-1].T)
		}
		if it.from <= it.to {
			spanFrom, spanTo = min(spanFrom, it.from), max(spanTo, it.to)
		}
		items = append(items, it)
	}
	if !b.From.IsZero() && !b.To.IsZero() && !b.To.Before(b.From) {
		spanFrom, spanTo = min(spanFrom, b.From.UnixMilli()), max(spanTo, b.To.UnixMilli())
	}
	if spanFrom > spanTo {
		return nil // nothing to store: no points and no range
	}
	minGap := MinGap(b.Step).Milliseconds()
	step := b.Step.Milliseconds()

	var size int64
	err := s.update(func(tx *bbolt.Tx) error {
		qb, cb := tx.Bucket(bucketQueries), tx.Bucket(bucketChunks)
		cb.FillPercent = 1.0
		key := queryKey(b.Source, b.Query)
		var rec *record
		if v := qb.Get(key); v != nil {
			r, err := decodeRecord(v)
			if err != nil {
				return err
			}
			if r.source == b.Source && r.query == b.Query { // else a hash collision: start over
				rec = r
			}
		}
		if rec == nil {
			rec = &record{source: b.Source, query: b.Query, from: spanFrom, to: spanTo}
		} else if spanFrom <= rec.to+step && spanTo >= rec.from-step {
			rec.from, rec.to = min(rec.from, spanFrom), max(rec.to, spanTo)
		} else if spanTo > rec.to {
			rec.from, rec.to = spanFrom, spanTo // a hole before this answer: coverage restarts
		}
		rec.fetched = max(rec.fetched, fetched.UnixMilli())

		ids := make(map[string]uint64, len(rec.series))
		for _, sr := range rec.series {
			ids[identity(sr.name, sr.labels)] = sr.id
		}
		w := writer{cb: cb, chunkSize: s.opts.ChunkSamples}
		for _, it := range items {
			if it.from > it.to {
				continue
			}
			idn := identity(it.name, it.labels)
			id, ok := ids[idn]
			if !ok {
				if len(it.pts) == 0 {
					continue
				}
				n, err := qb.NextSequence()
				if err != nil {
					return err
				}
				id = n
				ids[idn] = id
				rec.series = append(rec.series, seriesRec{id: id, name: it.name, labels: it.labels})
			}
			if err := w.write(id, it.pts, it.from, it.to, minGap); err != nil {
				return err
			}
		}
		size = tx.Size()
		return qb.Put(key, encodeRecord(nil, rec))
	})
	if err != nil {
		return fmt.Errorf("history: write %s %q: %w", b.Source, b.Query, err)
	}
	if s.opts.MaxBytes > 0 && size > s.opts.MaxBytes && s.usedBytes(size) > s.opts.MaxBytes {
		select {
		case s.kick <- struct{}{}:
		default:
		}
	}
	return nil
}

// usedBytes is the file's size less its free pages.
func (s *Store) usedBytes(size int64) int64 {
	st := s.db.Stats()
	return size - int64(st.FreeAlloc)
}

func queryKey(source, query string) []byte {
	h := sha256.Sum256([]byte(query))
	k := make([]byte, 0, len(source)+1+queryHashLen)
	k = append(k, source...)
	k = append(k, 0)
	return append(k, h[:queryHashLen]...)
}

func sourcePrefix(source string) []byte {
	return append([]byte(source), 0)
}

// writer rewrites the chunks of one series inside a write transaction.
type writer struct {
	cb        *bbolt.Bucket
	chunkSize int
	dec       decoder
	old       []datasources.Point
	keys      [][]byte
}

// write replaces the points of series id in [from, to] by pts (see
// MergePoints): it decodes the chunks that overlap [from-minGap, to] (and
// the chunk just before them if it has room), merges, deletes them and
// writes the merged points back as chunks of at most chunkSize samples.
func (w *writer) write(id uint64, pts []datasources.Point, from, to, minGap int64) error {
	lo := from - minGap
	w.keys = w.keys[:0]
	w.old = w.old[:0]
	c := w.cb.Cursor()
	seek, prefix, pk, pv := chunkBefore(c, id, lo)
	if pk != nil {
		_, mint, _ := parseChunkKey(pk)
		maxt, n, _, err := chunkHeader(mint, pv)
		if err != nil {
			return err
		}
		if maxt >= lo || n < w.chunkSize {
			if w.old, err = w.dec.decode(w.old, mint, pv, math.MinInt64, math.MaxInt64); err != nil {
				return err
			}
			w.keys = append(w.keys, bytes.Clone(pk))
		}
	}
	for k, v := c.Seek(seek); k != nil && bytes.HasPrefix(k, prefix); k, v = c.Next() {
		_, mint, ok := parseChunkKey(k)
		if !ok {
			return fmt.Errorf("%w: chunk key", ErrCorrupt)
		}
		if mint > to {
			break
		}
		var err error
		if w.old, err = w.dec.decode(w.old, mint, v, math.MinInt64, math.MaxInt64); err != nil {
			return err
		}
		w.keys = append(w.keys, bytes.Clone(k))
	}
	merged := MergePoints(w.old, pts, from, to, minGap)
	for _, k := range w.keys {
		if err := w.cb.Delete(k); err != nil {
			return err
		}
	}
	for len(merged) > 0 {
		n := min(len(merged), w.chunkSize)
		part := merged[:n]
		merged = merged[n:]
		if err := w.cb.Put(chunkKey(nil, id, part[0].T), encodeChunk(nil, part)); err != nil {
			return err
		}
	}
	return nil
}
