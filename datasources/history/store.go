package history

import (
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"go.etcd.io/bbolt"
	bberrors "go.etcd.io/bbolt/errors"
)

// FormatVersion is the version of the file format this package reads and
// writes. A file of a newer version is moved aside, never read.
const FormatVersion = 1

const magic = "wallboard-history"

var (
	bucketMeta    = []byte("meta")
	bucketQueries = []byte("queries")
	bucketChunks  = []byte("chunks")
	keyMagic      = []byte("magic")
	keyFormat     = []byte("format")
)

// ErrClosed is returned by a Store used after Close.
var ErrClosed = errors.New("history: store closed")

// errNewer marks a file written by a newer format version.
var errNewer = errors.New("history: file from a newer version")

// Options tune a Store; the zero value gives the defaults.
type Options struct {
	// MaxAge drops samples older than this (default 7 days; negative: keep all).
	MaxAge time.Duration
	// MaxBytes bounds the bytes in use in the file: above it the oldest
	// chunks are dropped first (default 512 MiB; negative: no bound). The
	// file itself does not shrink; freed pages are reused.
	MaxBytes int64
	// ChunkSamples is the number of samples per compressed chunk (default 120).
	ChunkSamples int
	// LockTimeout is how long Open waits for a file locked by another
	// process before using a temporary cache (default 1s; Open never takes
	// more than about twice this, and stays within ctx's deadline).
	LockTimeout time.Duration
	// RetentionInterval is how often retention runs in the background
	// (default 10 minutes; the first run is one minute after Open, and a
	// write that takes the file over MaxBytes triggers one at once).
	RetentionInterval time.Duration
	// NoSync skips fsync on commit: faster writes, but a crash may lose the
	// last writes or corrupt the file (which the next Open then moves aside).
	NoSync bool
	// Now is the clock (default time.Now).
	Now func() time.Time
	// Logger receives problems found after Open (once per kind); default slog.Default().
	Logger *slog.Logger
	// CheckTimeout bounds the consistency check of an existing file at
	// Open (default 2s, and at most half of what is left of ctx's
	// deadline; negative: no check). A check that runs out of time is not
	// an error: the file is used, and what the check still finds later
	// marks it for moving aside on Close.
	CheckTimeout time.Duration
	// CheckMaxBytes is the largest file that also gets bbolt's full check
	// (tx.Check: key order, pages referenced twice or lost) after the page
	// walk (default 64 MiB; negative: always). Larger files get the walk only,
	// which finds what would crash a read: pages outside the file, a file cut short.
	CheckMaxBytes int64
}

func (o Options) withDefaults() Options {
	if o.MaxAge == 0 {
		o.MaxAge = 7 * 24 * time.Hour
	}
	if o.MaxBytes == 0 {
		o.MaxBytes = 512 << 20
	}
	if o.ChunkSamples <= 0 {
		o.ChunkSamples = 120
	}
	o.ChunkSamples = min(o.ChunkSamples, maxChunkSamples)
	if o.LockTimeout <= 0 {
		o.LockTimeout = time.Second
	}
	if o.RetentionInterval <= 0 {
		o.RetentionInterval = 10 * time.Minute
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.Logger == nil {
		o.Logger = slog.Default()
	}
	if o.CheckTimeout == 0 {
		o.CheckTimeout = 2 * time.Second
	}
	if o.CheckMaxBytes == 0 {
		o.CheckMaxBytes = 64 << 20
	}
	return o
}

// NoticeKind says why Open did not use the file it was given as it was.
type NoticeKind int

// The reasons for a Notice.
const (
	// Locked: another process holds the file; this session uses a
	// temporary cache next to it, deleted on Close.
	Locked NoticeKind = iota + 1
	// Corrupt: the file could not be read; it was moved aside and a fresh
	// cache created in its place.
	Corrupt
	// Newer: the file was written by a newer Wallboard; it was moved aside
	// and a fresh cache created in its place.
	Newer
	// Unavailable: the file could not be opened for a reason of the system
	// (permissions, I/O), or a bad file could not be moved aside; it was
	// left alone and this session uses a temporary cache.
	Unavailable
	// ReadOnly: the file cannot be written (its permissions, a read-only
	// disk); this session reads what it holds and keeps nothing new
	// (writes return ErrReadOnly).
	ReadOnly
)

// Notice reports, once, that Open had to work around the file it was given.
// The app should log it once and may show it to the operator.
type Notice struct {
	Kind NoticeKind
	// Path is the file Open was asked for.
	Path string
	// MovedTo is where the bad file now is (Corrupt and Newer).
	MovedTo string
	// Using is the file this Store uses.
	Using string
	// Err is the cause.
	Err error
}

// String says what happened in words an operator understands.
func (n *Notice) String() string {
	if n == nil {
		return ""
	}
	switch {
	case n.Kind == ReadOnly:
		return fmt.Sprintf("history cache %s is read-only (%v); this session shows what it holds but keeps nothing new", n.Path, n.Err)
	case n.Kind == Unavailable || n.Kind != Locked && n.MovedTo == "":
		return fmt.Sprintf("history cache %s is unusable (%v); this session uses a temporary cache (%s) that starts empty", n.Path, n.Err, n.Using)
	case n.Kind == Locked:
		return fmt.Sprintf("history cache %s is in use by another Wallboard; this session uses a temporary cache (%s) that starts empty", n.Path, n.Using)
	case n.Kind == Corrupt:
		return fmt.Sprintf("history cache %s was unreadable (%v); moved it to %s and started a fresh cache", n.Path, n.Err, n.MovedTo)
	case n.Kind == Newer:
		return fmt.Sprintf("history cache %s was written by a newer Wallboard; moved it to %s and started a fresh cache", n.Path, n.MovedTo)
	}
	return fmt.Sprintf("history cache %s: %v", n.Path, n.Err)
}

// Store is the local history: every series fetched by the scheduler, kept
// in a bbolt file in compressed chunks, keyed by source, query and series.
// It is safe for concurrent use. Close releases the file.
type Store struct {
	opts   Options
	db     *bbolt.DB
	path   string
	temp   bool
	notice *Notice
	// readOnly: the file is open read-only; writes return ErrReadOnly.
	readOnly bool

	cancel context.CancelFunc
	wg     sync.WaitGroup
	kick   chan struct{}

	retainMu sync.Mutex // one retention at a time

	closed    atomic.Bool
	closeOnce sync.Once
	closeErr  error
	corrupt   atomic.Bool
	// broken holds the error (wrapping ErrBroken) of the fault after which
	// the Store stopped using its file.
	gate     sync.RWMutex // shared by read transactions, exclusive for a write and for Close (see do)
	broken   atomic.Pointer[error]
	brokenCh chan struct{} // closed when broken is set
	beginSem chan struct{} // read transactions begin and end one at a time (see do)
	logged   sync.Map      // problem kinds already logged
}

// DefaultPath is where the history lives unless the app is told otherwise:
// wallboard/history.db in the user's cache directory.
func DefaultPath() (string, error) {
	dir, err := os.UserCacheDir()
	if err != nil {
		return "", fmt.Errorf("history: cache directory: %w", err)
	}
	return filepath.Join(dir, "wallboard", "history.db"), nil
}

// Open opens (or creates) the history at path ("" means DefaultPath). It
// returns a usable Store within about two LockTimeouts even when the file
// is locked by another instance (a temporary cache is used), corrupt or
// from a newer version (the file is moved aside to path.corrupt-UNIX or
// path.newer-UNIX and a fresh one created), or read-only (it is read, and
// nothing new is kept); Notice then says which, once. An existing file is
// checked before it is used (see Options.CheckTimeout): damage that would
// crash a read is found here, not under the running wall.
// An error means no cache could be opened at all (e.g. an unwritable
// directory); the app then runs without history.
func Open(ctx context.Context, path string, opts Options) (*Store, error) {
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("history: open: %w", err)
	}
	opts = opts.withDefaults()
	if path == "" {
		p, err := DefaultPath()
		if err != nil {
			return nil, err
		}
		path = p
	}
	wait := opts.LockTimeout
	check := opts.CheckTimeout
	if dl, ok := ctx.Deadline(); ok {
		wait = min(wait, max(time.Until(dl)/2, 10*time.Millisecond))
		check = min(check, max(time.Until(dl)/2, 10*time.Millisecond))
	}

	s := &Store{opts: opts, path: path, kick: make(chan struct{}, 1),
		brokenCh: make(chan struct{}), beginSem: make(chan struct{}, 1)}
	s.opts.CheckTimeout = check
	var db *bbolt.DB
	err := os.MkdirAll(filepath.Dir(path), 0o700)
	if err == nil {
		db, err = s.openChecked(path, wait, false)
	}
	if err != nil && isPermission(err) {
		// Not writable: still show what it holds.
		rdb, roErr := s.openChecked(path, wait, true)
		switch {
		case roErr == nil:
			db, s.readOnly = rdb, true
			s.notice = &Notice{Kind: ReadOnly, Path: path, Using: path, Err: err}
			err = nil
		case !isIOError(roErr) && !errors.Is(roErr, bberrors.ErrTimeout) && !errors.Is(roErr, ErrReadOnly):
			err = roErr // damaged or newer: moved aside below
		}
	}
	switch {
	case err == nil:
	case errors.Is(err, bberrors.ErrTimeout):
		db, err = s.openTemp(path, opts, Locked, err)
	case isIOError(err):
		// Not the file's fault (permissions, a read-only or failing disk):
		// leave it alone and use a temporary cache.
		db, err = s.openTemp(path, opts, Unavailable, err)
	default:
		kind, suffix := Corrupt, "corrupt"
		if errors.Is(err, errNewer) {
			kind, suffix = Newer, "newer"
		}
		moved, mvErr := moveAside(path, suffix, opts.Now())
		if mvErr != nil {
			db, err = s.openTemp(path, opts, Unavailable, fmt.Errorf("%w (and moving it aside failed: %w)", err, mvErr))
			break
		}
		s.notice = &Notice{Kind: kind, Path: path, MovedTo: moved, Using: path, Err: err}
		if db, err = s.openChecked(path, wait, false); err != nil {
			db, err = s.openTemp(path, opts, Unavailable, err)
		}
	}
	if err != nil {
		return nil, fmt.Errorf("history: open %s: %w", path, err)
	}
	s.db = db

	rctx, cancel := context.WithCancel(context.WithoutCancel(ctx))
	s.cancel = cancel
	s.wg.Add(1)
	go func() {
		defer s.wg.Done()
		s.retainLoop(rctx)
	}()
	return s, nil
}

// openTemp opens a fresh temporary cache next to path (or in the system
// temp directory) for this session only.
func (s *Store) openTemp(path string, opts Options, kind NoticeKind, cause error) (*bbolt.DB, error) {
	var lastErr error
	for _, dir := range []string{filepath.Dir(path), os.TempDir()} {
		f, err := os.CreateTemp(dir, filepath.Base(path)+".session-*")
		if err != nil {
			lastErr = err
			continue
		}
		name := f.Name()
		_ = f.Close()
		db, err := s.openChecked(name, opts.LockTimeout, false)
		if err != nil {
			_ = os.Remove(name)
			lastErr = err
			continue
		}
		s.path, s.temp = name, true
		if s.notice == nil {
			s.notice = &Notice{Kind: kind, Path: path, Using: name, Err: cause}
		} else {
			s.notice.Using, s.notice.Err = name, fmt.Errorf("%w; then: %w", s.notice.Err, cause)
		}
		return db, nil
	}
	return nil, fmt.Errorf("temporary cache: %w (after: %w)", lastErr, cause)
}

// isPermission reports a file that may be read but not written.
func isPermission(err error) bool {
	return errors.Is(err, fs.ErrPermission) || errors.Is(err, syscall.EROFS)
}

// isIOError tells failures of the system (permissions, I/O) from a bad file.
func isIOError(err error) bool {
	var pe *fs.PathError
	var errno syscall.Errno
	return errors.As(err, &pe) || errors.As(err, &errno)
}

// openChecked opens a bbolt file (read-only if asked), checks its pages
// (see walkFile and boltCheck) and that it is a history file this version
// reads (creating the buckets of a new one, unless read-only).
func (s *Store) openChecked(path string, wait time.Duration, readOnly bool) (*bbolt.DB, error) {
	db, err := openBolt(path, wait, s.opts, readOnly)
	if err != nil {
		return nil, err
	}
	if err := s.check(db, path); err != nil {
		_ = db.Close()
		return nil, err
	}
	err, panicked := guarded(func() error { return checkFormat(db, readOnly) })
	if err != nil {
		if !panicked { // else bbolt may hold its locks: leave the DB be
			_ = db.Close()
		}
		return nil, err
	}
	return db, nil
}

// check runs the consistency check of an existing file at path, open as db,
// within CheckTimeout: an error wraps ErrCorrupt (or is the I/O error that
// stopped it); a check out of time is logged and not an error.
func (s *Store) check(db *bbolt.DB, path string) error {
	if s.opts.CheckTimeout < 0 {
		return nil
	}
	start := time.Now()
	deadline := start.Add(s.opts.CheckTimeout)
	err := walkFile(path, deadline)
	if err == nil {
		if fi, statErr := os.Stat(path); statErr == nil && fi.Size() > 0 && (s.opts.CheckMaxBytes < 0 || fi.Size() <= s.opts.CheckMaxBytes) {
			err = boltCheck(db, deadline, s.rollbackRead, func(rest func()) {
				s.wg.Add(1)
				go func() {
					defer s.wg.Done()
					rest()
				}()
			}, func(err error) {
				s.corrupt.Store(true)
				s.logOnce("corrupt", err)
			})
		}
	}
	if errors.Is(err, errCheckIncomplete) {
		s.opts.Logger.Info("history cache check did not finish in time; using the file", "path", path, "after", time.Since(start).Round(time.Millisecond))
		return nil
	}
	return err
}

// openFile opens the files bbolt uses (tests replace it).
var openFile = os.OpenFile

// openBolt opens a bbolt file; a panic or memory fault of bbolt on a
// damaged file is an error.
func openBolt(path string, wait time.Duration, opts Options, readOnly bool) (*bbolt.DB, error) {
	var db *bbolt.DB
	err, _ := guarded(func() error {
		var err error
		db, err = bbolt.Open(path, 0o600, &bbolt.Options{
			Timeout:      wait,
			FreelistType: bbolt.FreelistMapType,
			NoSync:       opts.NoSync,
			ReadOnly:     readOnly,
			OpenFile:     openFile,
		})
		return err
	})
	if err != nil {
		return nil, err
	}
	return db, nil
}

// checkFormat creates the buckets of a new file (unless readOnly), or
// checks that an existing one is a history file this version can read.
func checkFormat(db *bbolt.DB, readOnly bool) (err error) {
	empty := false
	err = db.View(func(tx *bbolt.Tx) error {
		meta := tx.Bucket(bucketMeta)
		if meta == nil {
			empty = true
			_ = tx.ForEach(func([]byte, *bbolt.Bucket) error {
				empty = false
				return nil
			})
			if !empty {
				return fmt.Errorf("%w: not a history file", ErrCorrupt)
			}
			return nil
		}
		if string(meta.Get(keyMagic)) != magic {
			return fmt.Errorf("%w: not a history file", ErrCorrupt)
		}
		v, n := binary.Uvarint(meta.Get(keyFormat))
		switch {
		case n <= 0 || v == 0:
			return fmt.Errorf("%w: format version", ErrCorrupt)
		case v > FormatVersion:
			return fmt.Errorf("%w: format %d, this version reads %d", errNewer, v, FormatVersion)
		}
		if tx.Bucket(bucketQueries) == nil || tx.Bucket(bucketChunks) == nil {
			return fmt.Errorf("%w: missing buckets", ErrCorrupt)
		}
		return nil
	})
	if err != nil || !empty {
		return err
	}
	if readOnly {
		return fmt.Errorf("%w: an empty file, read-only", ErrReadOnly)
	}
	return db.Update(func(tx *bbolt.Tx) error {
		meta, err := tx.CreateBucketIfNotExists(bucketMeta)
		if err != nil {
			return err
		}
		if err := meta.Put(keyMagic, []byte(magic)); err != nil {
			return err
		}
		if err := meta.Put(keyFormat, binary.AppendUvarint(nil, FormatVersion)); err != nil {
			return err
		}
		if _, err := tx.CreateBucketIfNotExists(bucketQueries); err != nil {
			return err
		}
		_, err = tx.CreateBucketIfNotExists(bucketChunks)
		return err
	})
}

// moveAside renames path to path.SUFFIX-UNIX (or with a counter if taken).
func moveAside(path, suffix string, now time.Time) (string, error) {
	base := fmt.Sprintf("%s.%s-%d", path, suffix, now.Unix())
	dst := base
	for i := 1; ; i++ {
		if _, err := os.Lstat(dst); errors.Is(err, os.ErrNotExist) {
			break
		}
		dst = fmt.Sprintf("%s.%d", base, i)
	}
	if err := os.Rename(path, dst); err != nil {
		return "", err
	}
	return dst, nil
}

// Notice returns what Open had to work around (nil when the file opened as
// it was). It is the same value on every call: report it once.
func (s *Store) Notice() *Notice { return s.notice }

// Path is the file in use (a temporary one when the given file was locked).
func (s *Store) Path() string { return s.path }

// Temporary reports whether the Store uses a temporary, per-session file.
func (s *Store) Temporary() bool { return s.temp }

// Close stops retention, closes the file and removes it if it was
// temporary. A file found corrupt while in use is moved aside, so that the
// next Open starts fresh. A broken Store (see ErrBroken) does not close
// the bbolt DB, whose locks a fault may have left held: its mapping and
// descriptor are released when the process ends. Close is idempotent.
func (s *Store) Close() error {
	s.closeOnce.Do(func() {
		s.closed.Store(true)
		s.cancel()
		s.wg.Wait()
		s.gate.Lock() // no transaction in flight from here on
		defer s.gate.Unlock()
		if s.broken.Load() == nil {
			if err := s.db.Close(); err != nil {
				s.closeErr = fmt.Errorf("history: close: %w", err)
			}
		}
		switch {
		case s.temp:
			if err := os.Remove(s.path); err != nil && s.closeErr == nil {
				s.closeErr = fmt.Errorf("history: remove temporary cache: %w", err)
			}
		case s.corrupt.Load():
			if _, err := moveAside(s.path, "corrupt", s.opts.Now()); err != nil && s.closeErr == nil {
				s.closeErr = fmt.Errorf("history: move corrupt cache aside: %w", err)
			}
		}
	})
	return s.closeErr
}

// logOnce logs a problem of the given kind the first time it happens.
func (s *Store) logOnce(kind string, err error) {
	if _, seen := s.logged.LoadOrStore(kind, true); !seen {
		s.opts.Logger.Warn("history cache problem (logged once)", "kind", kind, "path", s.path, "err", err)
	}
}

// Broken returns the error (wrapping ErrBroken) after which the Store
// stopped using its file, or nil while it works.
func (s *Store) Broken() error {
	if e := s.broken.Load(); e != nil {
		return *e
	}
	return nil
}

// ReadOnly reports whether the Store reads a file it cannot write.
func (s *Store) ReadOnly() bool { return s.readOnly }

func (s *Store) view(fn func(*bbolt.Tx) error) error { return s.do(false, fn) }

func (s *Store) update(fn func(*bbolt.Tx) error) error { return s.do(true, fn) }

// View runs fn in a read transaction of the Store's file, guarded as the
// Store's own are (see do): for the other users of the file, such as the
// alert history, so that a fault in the mapped file is an error for them
// too, never a crash.
func (s *Store) View(fn func(*bbolt.Tx) error) error { return s.view(fn) }

// Update runs fn in a write transaction of the Store's file, guarded (see
// View); on a read-only file it returns ErrReadOnly.
func (s *Store) Update(fn func(*bbolt.Tx) error) error {
	if s.readOnly {
		return ErrReadOnly
	}
	return s.update(fn)
}

// do runs fn in a transaction, guarded: a memory fault in the mapped file,
// or a panic of bbolt, becomes an error and breaks the Store (see
// ErrBroken), logged once; a damaged value (ErrCorrupt) marks the file for
// moving aside on Close, logged once.
//
// bbolt begins a transaction holding its own mutexes without deferring
// their release, so a fault there (reading the meta page of a file cut
// short) leaves them held for good, and a goroutine waiting on them would
// wait forever (a poller that never polls again, a Close that never
// returns). So no goroutine ever waits inside bbolt on a lock that a
// fault may have left held:
//   - a write runs alone (gate held exclusively): no read transaction is
//     open while it commits (or remaps the file), and none begins;
//   - read transactions run together (gate shared), but begin and end
//     (which take bbolt's meta lock) one at a time under beginSem, which
//     is waited for on a channel that a fault closes (brokenCh);
//   - after a fault nothing enters bbolt again.
func (s *Store) do(write bool, fn func(*bbolt.Tx) error) error {
	if write {
		s.gate.Lock()
		defer s.gate.Unlock()
	} else {
		s.gate.RLock()
		defer s.gate.RUnlock()
	}
	if s.closed.Load() {
		return ErrClosed
	}
	if err := s.Broken(); err != nil {
		return err
	}
	if write && s.readOnly {
		return ErrReadOnly
	}
	var (
		tx   *bbolt.Tx
		done bool // committed (or rolled back by Commit)
	)
	err, panicked := guarded(func() error {
		if !write {
			if err := s.acquire(s.beginSem); err != nil {
				return err
			}
			defer func() { <-s.beginSem }()
		}
		t, err := s.db.Begin(write)
		if err != nil {
			return err
		}
		tx = t
		return nil
	})
	if err == nil {
		err, panicked = guarded(func() error {
			if err := fn(tx); err != nil || !write {
				return err
			}
			done = true
			return tx.Commit()
		})
	}
	if tx != nil && !done && (!write || !panicked) {
		// A write that panicked is left as it is: its rollback would read
		// the file again, and no one waits for its locks.
		s.rollback(tx, write)
	}
	switch {
	case panicked:
		broken := fmt.Errorf("%w (the file is no longer used; moved aside on Close): %w", ErrBroken, err)
		if s.broken.CompareAndSwap(nil, &broken) {
			close(s.brokenCh)
			s.corrupt.Store(true)
			s.logOnce("broken", broken)
		}
		return s.Broken()
	case errors.Is(err, ErrCorrupt):
		s.corrupt.Store(true)
		s.logOnce("corrupt", err)
	case errors.Is(err, bberrors.ErrDatabaseNotOpen):
		return ErrClosed
	}
	return err
}

// rollback ends tx; a read transaction under beginSem (its end takes
// bbolt's meta lock), unless the Store broke: the meta lock may then be
// held for good, and tx is left.
func (s *Store) rollback(tx *bbolt.Tx, write bool) {
	if !write {
		if s.acquire(s.beginSem) != nil {
			return
		}
		defer func() { <-s.beginSem }()
	}
	_, _ = guarded(tx.Rollback)
}

// rollbackRead ends a read transaction (see rollback).
func (s *Store) rollbackRead(tx *bbolt.Tx) { s.rollback(tx, false) }

// acquire takes a slot of sem, or returns the Store's ErrBroken error if
// it breaks first.
func (s *Store) acquire(sem chan struct{}) error {
	select {
	case sem <- struct{}{}:
	case <-s.brokenCh:
		return s.Broken()
	}
	if err := s.Broken(); err != nil {
		<-sem
		return err
	}
	return nil
}

// DB is the bbolt file itself, so other stores can keep their own buckets
// in the same file (the alert history does). They must leave the history's
// buckets (meta, queries, chunks) alone, and be closed before the Store.
// The DB is read-only when ReadOnly says so, and must not be used once
// Broken returns an error; a reader of the mapped file should guard itself
// as this package does (runtime/debug.SetPanicOnFault and recover).
func (s *Store) DB() *bbolt.DB { return s.db }
