package history

import (
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"os"
	"path/filepath"
	"testing"
	"time"
)

// nestedInlinePage is a leaf page (id) of fan elements that are all inline
// buckets sharing one value, whose page again holds fan such elements, and
// so on depth times: followed naively, fan^depth pages to check.
func nestedInlinePage(id uint64, pageSize, fan, depth int) []byte {
	le := binary.LittleEndian
	level := pageHeaderSize + fan*elementSize // one page header and its elements
	buf := make([]byte, pageSize)
	le.PutUint64(buf, id)
	for d := 0; d <= depth; d++ {
		// The page of level d starts at p; its elements' shared value (an
		// inline bucket header, then the next level's page) right after.
		p := d * (level + inBucketSize)
		le.PutUint16(buf[p+8:], flagLeaf)
		if d == depth {
			break
		}
		le.PutUint16(buf[p+10:], uint16(fan))
		value := p + level
		for i := range fan {
			at := p + pageHeaderSize + i*elementSize
			le.PutUint32(buf[at:], bucketLeafFlag)
			le.PutUint32(buf[at+4:], uint32(value-at)) // pos: key (empty) then value
			le.PutUint32(buf[at+8:], 0)
			le.PutUint32(buf[at+12:], uint32(pageSize-value))
		}
	}
	return buf
}

// TestWalkNestedInlineBuckets is what FuzzWalkFile found: inline buckets
// holding buckets made the walk follow fan^depth overlapping pages (it
// hung); bbolt writes no bucket inside an inline one, so that is damage.
func TestWalkNestedInlineBuckets(t *testing.T) {
	for _, tc := range []struct {
		name       string
		fan, depth int
		wantErr    bool
	}{
		{"an inline bucket of values: sound", 1, 1, false},
		{"a bucket inside an inline bucket", 1, 2, true},
		{"eight by eight", 8, 8, true},
		{"sixteen by six", 16, 6, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			start := time.Now()
			_, err := leafBuckets(nestedInlinePage(5, 4096, tc.fan, tc.depth), 0)
			if (err != nil) != tc.wantErr || time.Since(start) > time.Second {
				t.Fatalf("leafBuckets: %v after %v, want an error %v, at once", err, time.Since(start), tc.wantErr)
			}
			file := nestedInlineFile(t)
			w := walker{f: bytes.NewReader(file), size: int64(len(file))}
			if err := w.walk(); !errors.Is(err, ErrCorrupt) {
				t.Fatalf("walk: %v, want ErrCorrupt", err)
			}
		})
	}
}

// nestedInlineFile is a valid history file whose root bucket page is
// replaced by nestedInlinePage.
func nestedInlineFile(t testing.TB) []byte {
	path := filepath.Join(t.TempDir(), "history.db")
	s, err := Open(context.Background(), path, Options{NoSync: true})
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	file, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	w := walker{f: bytes.NewReader(file), size: int64(len(file))}
	m, ok := w.readMeta(0)
	if m1, ok1 := w.readMeta(int64(m.pageSize)); ok1 && m1.txid > m.txid {
		m = m1
	}
	if !ok {
		t.Fatal("no meta page")
	}
	ps := int(m.pageSize)
	copy(file[int(m.root)*ps:], nestedInlinePage(m.root, ps, 8, 8))
	return file
}
