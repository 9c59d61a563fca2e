package history

import (
	"encoding/binary"
	"errors"
	"fmt"
	"hash/fnv"
	"io"
	"os"
	"time"

	"go.etcd.io/bbolt"
)

// The consistency check at Open runs in two passes, both bounded by
// Options.CheckTimeout:
//
//  1. walkFile reads the bbolt file with ordinary reads (never through the
//     mapping) and follows every page that a transaction could reach: the
//     meta pages, the freelist and the B+trees of every bucket. It checks
//     that each page lies inside the file and below the high-water mark,
//     has the type and id it should, and that every element, key and value
//     fits in its page. A branch that points past the end of the file, or
//     a file cut short, is found here, before anything touches the mapping
//     (bbolt would fault on it, and its own check runs on a goroutine of
//     its own where no fault can be recovered).
//  2. Only then, and for files of at most Options.CheckMaxBytes, bbolt's
//     tx.Check verifies what the walk does not: key order, pages referenced
//     twice, pages neither reachable nor free.
//
// The walk assumes the byte order of the machine that wrote the file is
// little-endian, as on every platform Wallboard ships for (bbolt writes its
// pages in native order).

// bbolt's on-disk constants (go.etcd.io/bbolt/internal/common), which the
// package does not export.
const (
	boltMagic         = 0xED0CDAED
	boltVersion       = 2
	pageHeaderSize    = 16 // id u64, flags u16, count u16, overflow u32
	elementSize       = 16 // branch: pos, ksize u32, pgid u64; leaf: flags, pos, ksize, vsize u32
	inBucketSize      = 16 // root pgid u64, sequence u64
	metaSize          = 64 // magic, version, pageSize, flags u32; root 16; freelist, pgid, txid, checksum u64
	metaChecksumAt    = 56
	flagBranch        = 0x01
	flagLeaf          = 0x02
	flagFreelist      = 0x10
	bucketLeafFlag    = 0x01
	pgidNoFreelist    = ^uint64(0)
	maxWalkPageBytes  = 64 << 20 // a page with overflow larger than this is damage, not data
	walkDeadlineEvery = 128      // pages between two looks at the clock
)

// errCheckIncomplete says the check ran out of time: the file is not known
// to be damaged, and is used.
var errCheckIncomplete = errors.New("history: consistency check did not finish in time")

// boltMeta is the part of a bbolt meta page the walk needs.
type boltMeta struct {
	pageSize uint32
	root     uint64
	freelist uint64
	hwm      uint64 // the high-water mark: pages [0, hwm) are in use or free
	txid     uint64
}

// walkFile checks the bbolt file at path as described above, reading it
// with ReadAt; it returns nil for a sound (or empty) file, an error
// wrapping ErrCorrupt for a damaged one, errCheckIncomplete when the
// deadline passed first, or the I/O error that stopped it.
func walkFile(path string, deadline time.Time) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return err
	}
	w := walker{f: f, size: fi.Size(), deadline: deadline}
	if w.size == 0 {
		return nil // a new file: bbolt initialises it
	}
	return w.walk()
}

type walker struct {
	f        io.ReaderAt
	size     int64
	deadline time.Time
	meta     boltMeta
	seen     map[uint64]bool
	pages    int
}

func corruptf(format string, args ...any) error {
	return fmt.Errorf("%w: %s", ErrCorrupt, fmt.Sprintf(format, args...))
}

// read reads n bytes at off; a read past the end of the file is damage.
func (w *walker) read(off int64, n int) ([]byte, error) {
	if off < 0 || n < 0 || off+int64(n) > w.size {
		return nil, corruptf("bytes %d..%d lie past the end of the file (%d bytes): the file was cut short", off, off+int64(n), w.size)
	}
	b := make([]byte, n)
	if _, err := w.f.ReadAt(b, off); err != nil {
		if errors.Is(err, io.EOF) {
			return nil, corruptf("bytes %d..%d lie past the end of the file", off, off+int64(n))
		}
		return nil, fmt.Errorf("history: check: %w", err)
	}
	return b, nil
}

// readMeta parses the meta page at off; ok is false when it is not a valid one.
func (w *walker) readMeta(off int64) (boltMeta, bool) {
	b, err := w.read(off, pageHeaderSize+metaSize)
	if err != nil {
		return boltMeta{}, false
	}
	m := b[pageHeaderSize:]
	le := binary.LittleEndian
	if le.Uint32(m[0:]) != boltMagic || le.Uint32(m[4:]) != boltVersion {
		return boltMeta{}, false
	}
	h := fnv.New64a()
	_, _ = h.Write(m[:metaChecksumAt])
	if h.Sum64() != le.Uint64(m[metaChecksumAt:]) {
		return boltMeta{}, false
	}
	return boltMeta{
		pageSize: le.Uint32(m[8:]),
		root:     le.Uint64(m[16:]),
		freelist: le.Uint64(m[32:]),
		hwm:      le.Uint64(m[40:]),
		txid:     le.Uint64(m[48:]),
	}, true
}

func (w *walker) walk() error {
	// The meta page bbolt uses: the valid one with the higher txid; the
	// second lies one page after the first.
	m0, ok0 := w.readMeta(0)
	var m1 boltMeta
	ok1 := false
	if ok0 {
		m1, ok1 = w.readMeta(int64(m0.pageSize))
	} else {
		for _, ps := range []int64{4096, int64(os.Getpagesize()), 8192, 16384, 32768, 65536, 1024, 2048, 512} {
			if m1, ok1 = w.readMeta(ps); ok1 && int64(m1.pageSize) == ps {
				break
			}
			ok1 = false
		}
	}
	switch {
	case ok0 && ok1 && m1.pageSize == m0.pageSize && m1.txid > m0.txid, !ok0 && ok1:
		w.meta = m1
	case ok0:
		w.meta = m0
	default:
		return corruptf("no valid meta page")
	}
	ps := int64(w.meta.pageSize)
	if ps < 512 || ps > 1<<20 || ps&(ps-1) != 0 {
		return corruptf("page size %d", ps)
	}
	if w.meta.hwm < 2 || w.meta.hwm > uint64(w.size/ps) {
		return corruptf("the file holds %d pages of %d bytes, its meta page says %d: the file was cut short", w.size/ps, ps, w.meta.hwm)
	}
	w.seen = make(map[uint64]bool)
	if fl := w.meta.freelist; fl != pgidNoFreelist {
		if err := w.checkFreelist(fl); err != nil {
			return err
		}
	}
	return w.tree(w.meta.root, "root bucket")
}

// page reads page id with its overflow, checking that it lies where it
// may and carries its own id.
func (w *walker) page(id uint64, what string) ([]byte, uint16, error) {
	if w.pages++; w.pages%walkDeadlineEvery == 0 && !w.deadline.IsZero() && time.Now().After(w.deadline) {
		return nil, 0, errCheckIncomplete
	}
	if id < 2 || id >= w.meta.hwm {
		return nil, 0, corruptf("%s: page %d is out of bounds [2, %d)", what, id, w.meta.hwm)
	}
	ps := int64(w.meta.pageSize)
	hdr, err := w.read(int64(id)*ps, pageHeaderSize)
	if err != nil {
		return nil, 0, err
	}
	le := binary.LittleEndian
	if got := le.Uint64(hdr); got != id {
		return nil, 0, corruptf("%s: page %d carries id %d", what, id, got)
	}
	flags, overflow := le.Uint16(hdr[8:]), uint64(le.Uint32(hdr[12:]))
	if id+overflow >= w.meta.hwm || (overflow+1)*uint64(ps) > maxWalkPageBytes {
		return nil, 0, corruptf("%s: page %d overflows %d pages past the high-water mark %d", what, id, overflow, w.meta.hwm)
	}
	for i := id; i <= id+overflow; i++ {
		if w.seen[i] {
			return nil, 0, corruptf("%s: page %d is referenced twice", what, i)
		}
		w.seen[i] = true
	}
	buf, err := w.read(int64(id)*ps, int((overflow+1)*uint64(ps)))
	if err != nil {
		return nil, 0, err
	}
	return buf, flags, nil
}

func (w *walker) checkFreelist(id uint64) error {
	buf, flags, err := w.page(id, "freelist")
	if err != nil {
		return err
	}
	if flags != flagFreelist {
		return corruptf("freelist: page %d has type %#x", id, flags)
	}
	le := binary.LittleEndian
	n, at := uint64(le.Uint16(buf[10:])), uint64(pageHeaderSize)
	if n == 0xFFFF { // the count is the first element
		if len(buf) < pageHeaderSize+8 {
			return corruptf("freelist: page %d too short", id)
		}
		n, at = le.Uint64(buf[pageHeaderSize:]), pageHeaderSize+8
	}
	if n > (uint64(len(buf))-at)/8 {
		return corruptf("freelist: page %d lists %d ids, room for %d", id, n, (uint64(len(buf))-at)/8)
	}
	for i := range n {
		if p := le.Uint64(buf[at+8*i:]); p < 2 || p >= w.meta.hwm {
			return corruptf("freelist: free page %d is out of bounds [2, %d)", p, w.meta.hwm)
		}
	}
	return nil
}

// tree walks the B+tree rooted at page root, and the trees of the buckets
// it holds.
func (w *walker) tree(root uint64, what string) error {
	stack := []uint64{root}
	for len(stack) > 0 {
		id := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		buf, flags, err := w.page(id, what)
		if err != nil {
			return err
		}
		switch flags {
		case flagBranch:
			children, err := branchChildren(buf)
			if err != nil {
				return corruptf("%s: branch page %d: %v", what, id, err)
			}
			stack = append(stack, children...)
		case flagLeaf:
			buckets, err := leafBuckets(buf, 0)
			if err != nil {
				return corruptf("%s: leaf page %d: %v", what, id, err)
			}
			stack = append(stack, buckets...)
		default:
			return corruptf("%s: page %d has type %#x, want a branch or leaf page", what, id, flags)
		}
	}
	return nil
}

// elements returns the count of the page in buf and checks that its
// element headers fit.
func elements(buf []byte) (int, error) {
	if len(buf) < pageHeaderSize {
		return 0, errors.New("shorter than a page header")
	}
	n := int(binary.LittleEndian.Uint16(buf[10:]))
	if pageHeaderSize+n*elementSize > len(buf) {
		return 0, fmt.Errorf("%d elements do not fit in %d bytes", n, len(buf))
	}
	return n, nil
}

// branchChildren returns the child pages of the branch page in buf.
func branchChildren(buf []byte) ([]uint64, error) {
	n, err := elements(buf)
	if err != nil {
		return nil, err
	}
	if n == 0 {
		return nil, errors.New("no elements")
	}
	le := binary.LittleEndian
	out := make([]uint64, 0, n)
	for i := range n {
		at := pageHeaderSize + i*elementSize
		pos, ksize := int64(le.Uint32(buf[at:])), int64(le.Uint32(buf[at+4:]))
		if int64(at)+pos+ksize > int64(len(buf)) {
			return nil, fmt.Errorf("element %d's key lies past the page", i)
		}
		out = append(out, le.Uint64(buf[at+8:]))
	}
	return out, nil
}

// leafBuckets checks the leaf page in buf (an inline bucket's page when
// depth > 0, which holds no buckets) and returns the root pages of the
// buckets it holds, after checking inline buckets in place.
func leafBuckets(buf []byte, depth int) ([]uint64, error) {
	n, err := elements(buf)
	if err != nil {
		return nil, err
	}
	le := binary.LittleEndian
	var out []uint64
	for i := range n {
		at := pageHeaderSize + i*elementSize
		flags := le.Uint32(buf[at:])
		pos, ksize, vsize := int64(le.Uint32(buf[at+4:])), int64(le.Uint32(buf[at+8:])), int64(le.Uint32(buf[at+12:]))
		start := int64(at) + pos
		if start+ksize+vsize > int64(len(buf)) {
			return nil, fmt.Errorf("element %d's key and value lie past the page", i)
		}
		if flags&bucketLeafFlag == 0 {
			continue
		}
		if depth > 0 {
			// bbolt writes a bucket inline only if it holds no buckets;
			// following them would let overlapping elements nest without end.
			return nil, fmt.Errorf("element %d: a bucket inside an inline bucket", i)
		}
		v := buf[start+ksize : start+ksize+vsize]
		if len(v) < inBucketSize {
			return nil, fmt.Errorf("element %d: bucket header of %d bytes", i, len(v))
		}
		if root := le.Uint64(v); root != 0 {
			out = append(out, root)
			continue
		}
		// An inline bucket: its page follows the header inside the value.
		inline := v[inBucketSize:]
		if len(inline) < pageHeaderSize || le.Uint16(inline[8:]) != flagLeaf {
			return nil, fmt.Errorf("element %d: inline bucket without a leaf page", i)
		}
		more, err := leafBuckets(inline, depth+1)
		if err != nil {
			return nil, fmt.Errorf("element %d: inline bucket: %w", i, err)
		}
		out = append(out, more...)
	}
	return out, nil
}

// boltCheck runs bbolt's own consistency check (tx.Check) on db until
// deadline. What it finds is an error wrapping ErrCorrupt. When the
// deadline passes first, it returns errCheckIncomplete and hands the rest
// of the check to spawn, which must run it on a goroutine that the caller
// owns and waits for before closing db; the rest reports what it finds to
// late; rollback ends the transaction. Call it only on a file that walkFile found sound: tx.Check runs on
// a goroutine of bbolt's own, where a memory fault could not be recovered.
func boltCheck(db *bbolt.DB, deadline time.Time, rollback func(*bbolt.Tx), spawn func(func()), late func(error)) error {
	tx, err := db.Begin(false)
	if err != nil {
		return fmt.Errorf("history: check: %w", err)
	}
	ch := tx.Check()
	// finish drains the check (it blocks on every error it sends) and ends
	// the transaction.
	finish := func(errs []error) error {
		for err := range ch {
			if len(errs) < 8 {
				errs = append(errs, err)
			}
		}
		rollback(tx)
		if len(errs) == 0 {
			return nil
		}
		return fmt.Errorf("%w: bbolt check: %w", ErrCorrupt, errors.Join(errs...))
	}
	timer := time.NewTimer(max(time.Until(deadline), 0))
	defer timer.Stop()
	select {
	case err, ok := <-ch:
		if !ok {
			rollback(tx)
			return nil
		}
		return finish([]error{err})
	case <-timer.C:
		spawn(func() {
			if err := finish(nil); err != nil {
				late(err)
			}
		})
		return errCheckIncomplete
	}
}
