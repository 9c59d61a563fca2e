package history

import (
	"bytes"
	"context"
	"fmt"
	"slices"

	"github.com/prometheus/prometheus/model/labels"
	"github.com/prometheus/prometheus/storage"
	"github.com/prometheus/prometheus/tsdb/chunkenc"
	"github.com/prometheus/prometheus/tsdb/chunks"
	"github.com/prometheus/prometheus/util/annotations"
	"go.etcd.io/bbolt"

	"github.com/wallboard/wallboard/datasources"
)

// QueryLabel is the label that the Queryable adds to every series: the
// query (e.g. QueryKey) whose answer the series was part of, so that equal
// label sets from different queries stay apart.
const QueryLabel = "__query__"

// SeriesLabel is added, with the series' name, to series of one query that
// would otherwise have equal labels (sources that name series without
// labels, such as InfluxDB).
const SeriesLabel = "__series__"

// Queryable returns the series stored for source as a Prometheus storage,
// so that the PromQL engine can evaluate expressions over the local history
// of any source. Each series has its stored labels plus QueryLabel.
// Samples are served from the stored chunks as they are (a NaN gap is a NaN
// sample). Reads are consistent per Select.
func (s *Store) Queryable(source string) storage.Queryable {
	return queryable{s: s, source: source}
}

type queryable struct {
	s      *Store
	source string
}

// Querier returns a querier over [mint, maxt] (ms, inclusive).
func (q queryable) Querier(mint, maxt int64) (storage.Querier, error) {
	return &querier{s: q.s, source: q.source, mint: mint, maxt: maxt}, nil
}

type querier struct {
	s          *Store
	source     string
	mint, maxt int64
}

func (q *querier) Close() error { return nil }

// storedSeries is one stored series as the querier sees it.
type storedSeries struct {
	id   uint64
	lbls labels.Labels
}

// each calls fn for every stored series of the source, inside tx.
func (q *querier) each(tx *bbolt.Tx, fn func(storedSeries) error) error {
	c := tx.Bucket(bucketQueries).Cursor()
	prefix := sourcePrefix(q.source)
	b := labels.NewScratchBuilder(8)
	for k, v := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, v = c.Next() {
		rec, err := decodeRecord(v)
		if err != nil {
			return err
		}
		if rec.source != q.source {
			continue
		}
		seen := make(map[string]int, len(rec.series))
		for _, sr := range rec.series {
			seen[datasources.Labels(sr.labels).String()]++
		}
		for _, sr := range rec.series {
			b.Reset()
			for k, v := range sr.labels {
				if k != QueryLabel && k != SeriesLabel {
					b.Add(k, v)
				}
			}
			b.Add(QueryLabel, rec.query)
			if seen[datasources.Labels(sr.labels).String()] > 1 {
				b.Add(SeriesLabel, sr.name)
			}
			b.Sort()
			if err := fn(storedSeries{id: sr.id, lbls: b.Labels()}); err != nil {
				return err
			}
		}
	}
	return nil
}

func matches(l labels.Labels, ms []*labels.Matcher) bool {
	for _, m := range ms {
		if !m.Matches(l.Get(m.Name)) {
			return false
		}
	}
	return true
}

// Select returns the matching series, sorted by labels, with their chunks
// that overlap the querier's range (copied out of the file).
func (q *querier) Select(ctx context.Context, _ bool, hints *storage.SelectHints, ms ...*labels.Matcher) storage.SeriesSet {
	if err := ctx.Err(); err != nil {
		return storage.ErrSeriesSet(err)
	}
	lo, hi := q.mint, q.maxt
	if hints != nil && (hints.Start != 0 || hints.End != 0) {
		lo, hi = max(lo, hints.Start), min(hi, hints.End)
	}
	var out []*chunkSeries
	err := q.s.view(func(tx *bbolt.Tx) error {
		cb := tx.Bucket(bucketChunks)
		return q.each(tx, func(ss storedSeries) error {
			if !matches(ss.lbls, ms) {
				return nil
			}
			metas, err := readChunks(cb, ss.id, lo, hi)
			if err != nil || len(metas) == 0 {
				return err
			}
			out = append(out, &chunkSeries{lbls: ss.lbls, metas: metas})
			return nil
		})
	})
	if err != nil {
		return storage.ErrSeriesSet(fmt.Errorf("history: select: %w", err))
	}
	slices.SortFunc(out, func(a, b *chunkSeries) int { return labels.Compare(a.lbls, b.lbls) })
	if hints != nil && hints.Limit > 0 && len(out) > hints.Limit {
		out = out[:hints.Limit]
	}
	return storage.NewSeriesSetFromChunkSeriesSet(&chunkSeriesSet{series: out, i: -1})
}

// readChunks copies the chunks of series id that overlap [lo, hi].
func readChunks(cb *bbolt.Bucket, id uint64, lo, hi int64) ([]chunks.Meta, error) {
	var out []chunks.Meta
	add := func(k, v []byte) (bool, error) {
		_, mint, ok := parseChunkKey(k)
		if !ok {
			return false, fmt.Errorf("%w: chunk key", ErrCorrupt)
		}
		if mint > hi {
			return false, nil
		}
		maxt, _, xor, err := chunkHeader(mint, v)
		if err != nil {
			return false, err
		}
		if maxt >= lo {
			c, err := chunkenc.FromData(chunkenc.EncXOR, bytes.Clone(xor))
			if err != nil {
				return false, fmt.Errorf("%w: %w", ErrCorrupt, err)
			}
			out = append(out, chunks.Meta{Chunk: c, MinTime: mint, MaxTime: maxt})
		}
		return true, nil
	}
	c := cb.Cursor()
	seek, prefix, pk, pv := chunkBefore(c, id, lo)
	if pk != nil {
		if _, err := add(pk, pv); err != nil {
			return nil, err
		}
	}
	for k, v := c.Seek(seek); k != nil && bytes.HasPrefix(k, prefix); k, v = c.Next() {
		more, err := add(k, v)
		if err != nil {
			return nil, err
		}
		if !more {
			break
		}
	}
	return out, nil
}

func (q *querier) labelSets(ctx context.Context, ms []*labels.Matcher, fn func(labels.Labels)) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	return q.s.view(func(tx *bbolt.Tx) error {
		return q.each(tx, func(ss storedSeries) error {
			if matches(ss.lbls, ms) {
				fn(ss.lbls)
			}
			return nil
		})
	})
}

// LabelValues returns the sorted values of label name among the matching series.
func (q *querier) LabelValues(ctx context.Context, name string, hints *storage.LabelHints, ms ...*labels.Matcher) ([]string, annotations.Annotations, error) {
	set := map[string]struct{}{}
	err := q.labelSets(ctx, ms, func(l labels.Labels) {
		if v := l.Get(name); v != "" {
			set[v] = struct{}{}
		}
	})
	if err != nil {
		return nil, nil, fmt.Errorf("history: label values: %w", err)
	}
	out, _ := hints.ApplyLimit(sortedKeys(set))
	return out, nil, nil
}

// LabelNames returns the sorted label names of the matching series.
func (q *querier) LabelNames(ctx context.Context, hints *storage.LabelHints, ms ...*labels.Matcher) ([]string, annotations.Annotations, error) {
	set := map[string]struct{}{}
	err := q.labelSets(ctx, ms, func(l labels.Labels) {
		l.Range(func(lb labels.Label) { set[lb.Name] = struct{}{} })
	})
	if err != nil {
		return nil, nil, fmt.Errorf("history: label names: %w", err)
	}
	out, _ := hints.ApplyLimit(sortedKeys(set))
	return out, nil, nil
}

func sortedKeys(set map[string]struct{}) []string {
	out := make([]string, 0, len(set))
	for k := range set {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}

type chunkSeries struct {
	lbls  labels.Labels
	metas []chunks.Meta
}

func (c *chunkSeries) Labels() labels.Labels { return c.lbls }

func (c *chunkSeries) Iterator(chunks.Iterator) chunks.Iterator {
	return storage.NewListChunkSeriesIterator(c.metas...)
}

type chunkSeriesSet struct {
	series []*chunkSeries
	i      int
}

func (s *chunkSeriesSet) Next() bool                        { s.i++; return s.i < len(s.series) }
func (s *chunkSeriesSet) At() storage.ChunkSeries           { return s.series[s.i] }
func (s *chunkSeriesSet) Err() error                        { return nil }
func (s *chunkSeriesSet) Warnings() annotations.Annotations { return nil }
