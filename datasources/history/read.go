package history

import (
	"bytes"
	"context"
	"fmt"
	"time"

	"go.etcd.io/bbolt"

	"github.com/wallboard/wallboard/datasources"
)

// Cached is what the history holds for one query over a time range.
type Cached struct {
	// Series are the stored series with at least one point in the range,
	// in the order they were first stored.
	Series []datasources.Series
	// Newest is the time of the newest sample in the range (zero if none).
	Newest time.Time
	// Fetched is when the newest stored answer was fetched from the source:
	// the age of this data.
	Fetched time.Time
	// From and To bound the range the cache holds without holes (the union
	// of the overlapping ranges fetched); outside it the source may have
	// data the cache lacks.
	From, To time.Time
}

// Load returns what is stored for query from source within [from, to]
// (inclusive), and false when nothing was ever stored for it.
func (s *Store) Load(ctx context.Context, source, query string, from, to time.Time) (Cached, bool, error) {
	if err := ctx.Err(); err != nil {
		return Cached{}, false, fmt.Errorf("history: load: %w", err)
	}
	var (
		out   Cached
		found bool
	)
	lo, hi := from.UnixMilli(), to.UnixMilli()
	err := s.view(func(tx *bbolt.Tx) error {
		v := tx.Bucket(bucketQueries).Get(queryKey(source, query))
		if v == nil {
			return nil
		}
		rec, err := decodeRecord(v)
		if err != nil {
			return err
		}
		if rec.source != source || rec.query != query {
			return nil // a hash collision: not ours
		}
		found = true
		out.Fetched = time.UnixMilli(rec.fetched)
		out.From, out.To = time.UnixMilli(rec.from), time.UnixMilli(rec.to)
		cb := tx.Bucket(bucketChunks)
		var (
			r      rangeReader
			newest int64
		)
		out.Series = make([]datasources.Series, 0, len(rec.series))
		for _, sr := range rec.series {
			pts, err := r.read(cb, sr.id, lo, hi)
			if err != nil {
				return err
			}
			if len(pts) == 0 {
				continue
			}
			newest = max(newest, pts[len(pts)-1].T)
			out.Series = append(out.Series, datasources.Series{Name: sr.name, Labels: sr.labels, Points: pts})
		}
		if newest != 0 {
			out.Newest = time.UnixMilli(newest)
		}
		return nil
	})
	if err != nil {
		return Cached{}, false, fmt.Errorf("history: load %s %q: %w", source, query, err)
	}
	return out, found, nil
}

// Range returns the stored series of query from source with points in
// [from, to], and the time of the newest of those points (zero if none).
func (s *Store) Range(ctx context.Context, source, query string, from, to time.Time) ([]datasources.Series, time.Time, error) {
	c, _, err := s.Load(ctx, source, query, from, to)
	return c.Series, c.Newest, err
}

// rangeReader reads the points of one series within a time range, with one
// allocation for the result.
type rangeReader struct {
	dec  decoder
	vals [][]byte
	mint []int64
}

func (r *rangeReader) read(cb *bbolt.Bucket, id uint64, from, to int64) ([]datasources.Point, error) {
	r.vals, r.mint = r.vals[:0], r.mint[:0]
	total := 0
	c := cb.Cursor()
	seek, prefix, pk, pv := chunkBefore(c, id, from)
	// The chunk starting before from may reach into the range.
	if pk != nil {
		_, mint, _ := parseChunkKey(pk)
		maxt, n, _, err := chunkHeader(mint, pv)
		if err != nil {
			return nil, err
		}
		if maxt >= from {
			r.vals, r.mint = append(r.vals, pv), append(r.mint, mint)
			total += n
		}
	}
	for k, v := c.Seek(seek); k != nil && bytes.HasPrefix(k, prefix); k, v = c.Next() {
		_, mint, ok := parseChunkKey(k)
		if !ok {
			return nil, fmt.Errorf("%w: chunk key", ErrCorrupt)
		}
		if mint > to {
			break
		}
		_, n, _, err := chunkHeader(mint, v)
		if err != nil {
			return nil, err
		}
		r.vals, r.mint = append(r.vals, v), append(r.mint, mint)
		total += n
	}
	if total == 0 {
		return nil, nil
	}
	pts := make([]datasources.Point, 0, total)
	for i, v := range r.vals {
		var err error
		if pts, err = r.dec.decode(pts, r.mint[i], v, from, to); err != nil {
			return nil, err
		}
	}
	return pts, nil
}

// chunkBefore positions c for series id at time from: it returns the key
// to Seek for the chunks starting at or after from, the series' key
// prefix, and the series' last chunk starting before from (nil, nil if
// none), which may still reach into from.
func chunkBefore(c *bbolt.Cursor, id uint64, from int64) (seek, prefix, pk, pv []byte) {
	seek = chunkKey(nil, id, from)
	prefix = seek[:8]
	if k, _ := c.Seek(seek); k == nil {
		pk, pv = c.Last()
	} else {
		pk, pv = c.Prev()
	}
	if pk == nil || !bytes.HasPrefix(pk, prefix) {
		return seek, prefix, nil, nil
	}
	return seek, prefix, pk, pv
}
