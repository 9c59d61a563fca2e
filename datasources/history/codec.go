package history

import (
	"encoding/binary"
	"errors"
	"fmt"
	"math"
	"slices"

	"github.com/prometheus/prometheus/tsdb/chunkenc"

	"github.com/wallboard/wallboard/datasources"
	binrec "github.com/wallboard/wallboard/internal/record"
)

// ErrCorrupt marks stored bytes that cannot be decoded.
var ErrCorrupt = errors.New("history: corrupt data")

// On-disk layout (format version 1), three top-level buckets:
//
//	meta     "magic" -> "wallboard-history", "format" -> uvarint version
//	queries  source 0x00 sha256(query)[:16] -> query record
//	chunks   series id (8 bytes BE) | biased mint (8 bytes BE) -> chunk value
//
// A query record: version byte 1, source, query (uvarint length + bytes),
// span from, span to, fetched (varint ms), then uvarint n series of
// (uvarint id, name, uvarint n labels of (name, value)), labels sorted by
// name. A chunk value: version byte 1, uvarint maxT-mint, then a
// Prometheus XOR chunk (2-byte big-endian sample count, bit stream). The
// chunk's first sample is at mint (in its key); chunks of one series never
// overlap and are ordered by time.
const (
	recordVersion = 1
	chunkVersion  = 1
	chunkKeyLen   = 16
	queryHashLen  = 16
)

// maxChunkSamples bounds a chunk's sample count (the XOR header holds 16 bits).
const maxChunkSamples = math.MaxUint16

func chunkKey(dst []byte, id uint64, mint int64) []byte {
	dst = binary.BigEndian.AppendUint64(dst, id)
	return binary.BigEndian.AppendUint64(dst, uint64(mint)^(1<<63))
}

func parseChunkKey(k []byte) (id uint64, mint int64, ok bool) {
	if len(k) != chunkKeyLen {
		return 0, 0, false
	}
	return binary.BigEndian.Uint64(k), int64(binary.BigEndian.Uint64(k[8:]) ^ (1 << 63)), true
}

// encodeChunk appends the chunk value for pts (1 to maxChunkSamples points
// in strictly increasing time order) to dst.
func encodeChunk(dst []byte, pts []datasources.Point) []byte {
	c := chunkenc.NewXORChunk()
	app, _ := c.Appender() // an empty chunk's appender never fails
	for _, p := range pts {
		app.Append(0, p.T, p.V)
	}
	dst = append(dst, chunkVersion)
	dst = binary.AppendUvarint(dst, uint64(pts[len(pts)-1].T-pts[0].T))
	return append(dst, c.Bytes()...)
}

// chunkHeader returns a chunk value's last sample time, its sample count and
// its XOR bytes.
func chunkHeader(mint int64, v []byte) (maxt int64, n int, xor []byte, err error) {
	if len(v) < 1 || v[0] != chunkVersion {
		return 0, 0, nil, fmt.Errorf("%w: chunk version", ErrCorrupt)
	}
	d, m := binary.Uvarint(v[1:])
	if m <= 0 || d > math.MaxInt64 {
		return 0, 0, nil, fmt.Errorf("%w: chunk span", ErrCorrupt)
	}
	maxt = mint + int64(d)
	if maxt < mint {
		return 0, 0, nil, fmt.Errorf("%w: chunk span", ErrCorrupt)
	}
	xor = v[1+m:]
	if len(xor) < 2 {
		return 0, 0, nil, fmt.Errorf("%w: chunk too short", ErrCorrupt)
	}
	n = int(binary.BigEndian.Uint16(xor))
	if n == 0 || n == 1 && maxt != mint {
		return 0, 0, nil, fmt.Errorf("%w: chunk sample count", ErrCorrupt)
	}
	return maxt, n, xor, nil
}

// decoder decodes chunks, reusing its XOR chunk and iterator.
type decoder struct {
	c  *chunkenc.XORChunk
	it chunkenc.Iterator
}

// decode appends the points of chunk value v (first sample at mint) within
// [from, to] to dst. Every sample is checked: times must start at mint,
// strictly increase and end at the recorded maxT, and the count must match.
func (d *decoder) decode(dst []datasources.Point, mint int64, v []byte, from, to int64) ([]datasources.Point, error) {
	maxt, n, xor, err := chunkHeader(mint, v)
	if err != nil {
		return dst, err
	}
	if d.c == nil {
		d.c = chunkenc.NewXORChunk()
	}
	d.c.Reset(xor)
	d.it = d.c.Iterator(d.it)
	prev := int64(math.MinInt64)
	read := 0
	for d.it.Next() == chunkenc.ValFloat {
		t, val := d.it.At()
		if read == 0 && t != mint || read > 0 && t <= prev {
			return dst, fmt.Errorf("%w: chunk sample times", ErrCorrupt)
		}
		prev = t
		read++
		if t >= from && t <= to {
			dst = append(dst, datasources.Point{T: t, V: val})
		}
	}
	if err := d.it.Err(); err != nil {
		return dst, fmt.Errorf("%w: chunk: %w", ErrCorrupt, err)
	}
	if read != n || prev != maxt {
		return dst, fmt.Errorf("%w: chunk holds %d samples to %d, header says %d to %d", ErrCorrupt, read, prev, n, maxt)
	}
	return dst, nil
}

// record is what the queries bucket holds for one (source, query).
type record struct {
	source, query string
	// from and to (ms) bound the range the cache holds without holes:
	// the union of the overlapping ranges fetched from the source.
	from, to int64
	// fetched (ms) is when the newest stored data was fetched.
	fetched int64
	series  []seriesRec
}

type seriesRec struct {
	id     uint64
	name   string
	labels datasources.Labels
}

var appendString = binrec.AppendString

func encodeRecord(dst []byte, r *record) []byte {
	dst = append(dst, recordVersion)
	dst = appendString(dst, r.source)
	dst = appendString(dst, r.query)
	dst = binary.AppendVarint(dst, r.from)
	dst = binary.AppendVarint(dst, r.to)
	dst = binary.AppendVarint(dst, r.fetched)
	dst = binary.AppendUvarint(dst, uint64(len(r.series)))
	names := make([]string, 0, 8)
	for _, s := range r.series {
		dst = binary.AppendUvarint(dst, s.id)
		dst = appendString(dst, s.name)
		names = names[:0]
		for k := range s.labels {
			names = append(names, k)
		}
		slices.Sort(names)
		dst = binary.AppendUvarint(dst, uint64(len(names)))
		for _, k := range names {
			dst = appendString(dst, k)
			dst = appendString(dst, s.labels[k])
		}
	}
	return dst
}

func decodeRecord(b []byte) (*record, error) {
	if len(b) < 1 || b[0] != recordVersion {
		return nil, fmt.Errorf("%w: record version", ErrCorrupt)
	}
	r := binrec.NewReader(b[1:], ErrCorrupt)
	rec := &record{}
	rec.source = r.String("source", 0)
	rec.query = r.String("query", 0)
	rec.from = r.Varint("span")
	rec.to = r.Varint("span")
	rec.fetched = r.Varint("fetched")
	n := r.Count("series count", 3)
	if r.Err() == nil && n > 0 {
		rec.series = make([]seriesRec, 0, n)
	}
	seen := make(map[uint64]struct{}, n)
	for i := 0; i < n && r.Err() == nil; i++ {
		s := seriesRec{id: r.Uvarint("series id"), name: r.String("series name", 0)}
		if _, dup := seen[s.id]; dup {
			r.Fail("duplicate series id")
		}
		seen[s.id] = struct{}{}
		nl := r.Count("label count", 2)
		if r.Err() == nil && nl > 0 {
			s.labels = make(datasources.Labels, nl)
		}
		for j := 0; j < nl && r.Err() == nil; j++ {
			k := r.String("label name", 0)
			s.labels[k] = r.String("label value", 0)
		}
		if r.Err() == nil && len(s.labels) != nl {
			r.Fail("duplicate label")
		}
		rec.series = append(rec.series, s)
	}
	r.End()
	if r.Err() != nil {
		return nil, r.Err()
	}
	if rec.from > rec.to {
		return nil, fmt.Errorf("%w: record span", ErrCorrupt)
	}
	return rec, nil
}
