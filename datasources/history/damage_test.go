package history

import (
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"go.etcd.io/bbolt"

	"github.com/wallboard/wallboard/datasources"
)

// quietLogger collects what a Store logs.
type quietLogger struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (l *quietLogger) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.buf.Write(p)
}

func (l *quietLogger) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.buf.String()
}

func (l *quietLogger) logger() *slog.Logger { return slog.New(slog.NewTextHandler(l, nil)) }

// damageSeries is enough data for the chunks bucket to need a branch page.
const damageSeries = 40

// writeHistory writes a valid history file at path, big enough for its
// chunks bucket to be a tree of several pages under a branch page.
func writeHistory(t *testing.T, path string) {
	t.Helper()
	ctx := context.Background()
	s, err := Open(ctx, path, Options{NoSync: true, MaxAge: -1, MaxBytes: -1})
	if err != nil {
		t.Fatal(err)
	}
	for i := range damageSeries {
		if err := s.Append(ctx, "sim", fmt.Sprint("q", i), datasources.Series{Name: "a", Points: grid(t0, 2400, func(j int) float64 { return float64(i*j) * 1.1 })}); err != nil {
			t.Fatal(err)
		}
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
}

// boltLayout is where the chunks bucket's pages are in a closed file.
type boltLayout struct {
	pageSize   int64
	branch     int64 // the chunks bucket's root page: a branch page
	firstChild int64 // the first leaf page under it
}

func layoutOf(t *testing.T, path string) boltLayout {
	t.Helper()
	db, err := bbolt.Open(path, 0o600, &bbolt.Options{ReadOnly: true, PreLoadFreelist: true})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var l boltLayout
	l.pageSize = int64(db.Info().PageSize)
	if err := db.View(func(tx *bbolt.Tx) error {
		root := tx.Bucket(bucketChunks).RootPage()
		info, err := tx.Page(int(root))
		if err != nil {
			return err
		}
		if info == nil || info.Type != "branch" {
			return fmt.Errorf("chunks root page %d is %+v, want a branch page", root, info)
		}
		l.branch = int64(root)
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	// Down the first children to a leaf page.
	for id := l.branch; ; {
		if flags := binary.LittleEndian.Uint16(readAt(t, path, id*l.pageSize+8, 2)); flags == flagLeaf {
			l.firstChild = id
			return l
		}
		id = int64(binary.LittleEndian.Uint64(readAt(t, path, id*l.pageSize+pageHeaderSize+8, 8)))
	}
}

func readAt(t *testing.T, path string, off int64, n int) []byte {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	b := make([]byte, n)
	if _, err := f.ReadAt(b, off); err != nil {
		t.Fatal(err)
	}
	return b
}

func writeAt(t *testing.T, path string, off int64, b []byte) {
	t.Helper()
	f, err := os.OpenFile(path, os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if _, err := f.WriteAt(b, off); err != nil {
		t.Fatal(err)
	}
}

// pointBranchAt makes the first element of the chunks bucket's branch page
// point at page id.
func pointBranchAt(t *testing.T, path string, l boltLayout, id uint64) {
	t.Helper()
	writeAt(t, path, l.branch*l.pageSize+pageHeaderSize+8, binary.LittleEndian.AppendUint64(nil, id))
}

func fileSize(t *testing.T, path string) int64 {
	t.Helper()
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	return fi.Size()
}

// checkFresh checks that s is a working, empty cache at path.
func checkFresh(t *testing.T, s *Store, path string) {
	t.Helper()
	ctx := context.Background()
	if s.Path() != path || s.Temporary() || s.ReadOnly() || s.Broken() != nil {
		t.Fatalf("store uses %s (temporary %v, read-only %v, broken %v), want a fresh cache at %s", s.Path(), s.Temporary(), s.ReadOnly(), s.Broken(), path)
	}
	if got, _, err := s.Range(ctx, "sim", "q0", t0, t0.Add(24*time.Hour)); err != nil || len(got) != 0 {
		t.Fatalf("fresh cache holds %v, %v", got, err)
	}
	if err := s.Append(ctx, "sim", "q", datasources.Series{Name: "a", Points: grid(t0, 3, func(int) float64 { return 1 })}); err != nil {
		t.Fatal(err)
	}
	if got, _, err := s.Range(ctx, "sim", "q", t0, t0.Add(time.Hour)); err != nil || len(got) != 1 || len(got[0].Points) != 3 {
		t.Fatalf("fresh cache does not work: %v %v", got, err)
	}
}

// TestOpenDamagedPages opens files whose bbolt pages are damaged in ways
// that made a read fault (SIGSEGV in Page.FastCheck, SIGBUS in DB.meta)
// and killed the wall on every start: the check at Open finds them, the
// file is moved aside as it was, and a fresh cache works.
func TestOpenDamagedPages(t *testing.T) {
	for _, tc := range []struct {
		name   string
		damage func(t *testing.T, path string, l boltLayout)
		want   string // in the notice's error
	}{
		{"branch points far past the end of the file", func(t *testing.T, path string, l boltLayout) {
			pointBranchAt(t, path, l, 0x7fffffff)
		}, "out of bounds"},
		{"branch points just past the end of the file", func(t *testing.T, path string, l boltLayout) {
			pointBranchAt(t, path, l, uint64(fileSize(t, path)/l.pageSize+1))
		}, "out of bounds"},
		{"branch points at a meta page", func(t *testing.T, path string, l boltLayout) {
			pointBranchAt(t, path, l, 1)
		}, "out of bounds"},
		{"file cut to half", func(t *testing.T, path string, _ boltLayout) {
			if err := os.Truncate(path, fileSize(t, path)/2); err != nil {
				t.Fatal(err)
			}
		}, ""},
		{"file cut to three pages", func(t *testing.T, path string, l boltLayout) {
			if err := os.Truncate(path, 3*l.pageSize); err != nil {
				t.Fatal(err)
			}
		}, ""},
		{"leaf page claims more elements than fit", func(t *testing.T, path string, l boltLayout) {
			writeAt(t, path, l.firstChild*l.pageSize+10, []byte{0xff, 0xff})
		}, "do not fit"},
		{"leaf page keys out of order (bbolt's own check)", func(t *testing.T, path string, l boltLayout) {
			// The key of element 1 of the first leaf becomes all zeroes,
			// lower than element 0's: only key order is wrong.
			el := l.firstChild*l.pageSize + pageHeaderSize + elementSize
			pos := int64(binary.LittleEndian.Uint32(readAt(t, path, el+4, 4)))
			writeAt(t, path, el+pos, make([]byte, chunkKeyLen))
		}, "bbolt check"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "history.db")
			writeHistory(t, path)
			tc.damage(t, path, layoutOf(t, path))
			before, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			var log quietLogger
			start := time.Now()
			s, err := Open(context.Background(), path, Options{Logger: log.logger()})
			if err != nil {
				t.Fatal(err)
			}
			defer s.Close()
			if d := time.Since(start); d > 3*time.Second {
				t.Fatalf("open took %v", d)
			}
			n := s.Notice()
			if n == nil || n.Kind != Corrupt || !errors.Is(n.Err, ErrCorrupt) || !strings.Contains(n.Err.Error(), tc.want) {
				t.Fatalf("notice %+v, want Corrupt with %q", n, tc.want)
			}
			if !hasPrefix(filepath.Base(n.MovedTo), "history.db.corrupt-") || filepath.Dir(n.MovedTo) != filepath.Dir(path) {
				t.Fatalf("moved to %q", n.MovedTo)
			}
			if moved, err := os.ReadFile(n.MovedTo); err != nil || !bytes.Equal(moved, before) {
				t.Fatalf("the damaged file was not kept as it was: %v", err)
			}
			checkFresh(t, s, path)
		})
	}
}

// TestSoundFileStillOpens checks that the check at Open leaves a sound file
// alone, also when it runs out of time or the file is over CheckMaxBytes.
func TestSoundFileStillOpens(t *testing.T) {
	for _, tc := range []struct {
		name string
		opts Options
	}{
		{"full check", Options{}},
		{"walk only", Options{CheckMaxBytes: 1}},
		{"out of time", Options{CheckTimeout: time.Nanosecond}},
		{"no check", Options{CheckTimeout: -1}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "history.db")
			writeHistory(t, path)
			var log quietLogger
			tc.opts.Logger = log.logger()
			s, err := Open(context.Background(), path, tc.opts)
			if err != nil {
				t.Fatal(err)
			}
			if n := s.Notice(); n != nil {
				t.Fatalf("notice on a sound file: %s", n)
			}
			got, _, err := s.Range(context.Background(), "sim", "q7", t0, t0.Add(24*time.Hour))
			if err != nil || len(got) != 1 || len(got[0].Points) != 2400 {
				t.Fatalf("range: %v, %v", got, err)
			}
			if err := s.Close(); err != nil {
				t.Fatal(err)
			}
			if strings.Contains(log.String(), "corrupt") {
				t.Fatalf("logged: %s", log.String())
			}
		})
	}
}

// TestFaultWhileInUse damages the file under a running Store: the read
// that faults (SIGSEGV on a page outside the mapping, SIGBUS past the end
// of a file cut short) returns an error wrapping ErrBroken and ErrCorrupt
// instead of killing the process, the Store stops using the file (every
// later call fails the same way), logs it once, and Close moves the file
// aside so that the next Open starts fresh.
func TestFaultWhileInUse(t *testing.T) {
	for _, tc := range []struct {
		name   string
		damage func(t *testing.T, path string, l boltLayout)
	}{
		{"branch overwritten to point far past the end", func(t *testing.T, path string, l boltLayout) {
			pointBranchAt(t, path, l, 0x7fffffff)
		}},
		{"file truncated to nothing", func(t *testing.T, path string, _ boltLayout) {
			if err := os.Truncate(path, 0); err != nil {
				t.Fatal(err)
			}
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ctx := context.Background()
			path := filepath.Join(t.TempDir(), "history.db")
			writeHistory(t, path)
			l := layoutOf(t, path)
			var log quietLogger
			s, err := Open(ctx, path, Options{Logger: log.logger()})
			if err != nil {
				t.Fatal(err)
			}
			defer s.Close()
			if got, _, err := s.Range(ctx, "sim", "q3", t0, t0.Add(24*time.Hour)); err != nil || len(got) != 1 {
				t.Fatalf("before the damage: %v %v", got, err)
			}
			tc.damage(t, path, l)

			_, _, err = s.Load(ctx, "sim", "q3", t0, t0.Add(24*time.Hour))
			if !errors.Is(err, ErrBroken) || !errors.Is(err, ErrCorrupt) {
				t.Fatalf("load of a damaged file: %v, want ErrBroken and ErrCorrupt", err)
			}
			if s.Broken() == nil {
				t.Fatal("store not marked broken")
			}
			for name, call := range map[string]func() error{
				"load": func() error { _, _, err := s.Load(ctx, "sim", "q1", t0, t0.Add(time.Hour)); return err },
				"write": func() error {
					return s.Append(ctx, "sim", "q", datasources.Series{Name: "a", Points: grid(t0, 3, func(int) float64 { return 1 })})
				},
				"stats":  func() error { _, err := s.Stats(ctx); return err },
				"retain": func() error { return s.Retain(ctx) },
			} {
				if err := call(); !errors.Is(err, ErrBroken) {
					t.Errorf("%s after the fault: %v, want ErrBroken", name, err)
				}
			}
			if n := strings.Count(log.String(), "kind=broken"); n != 1 {
				t.Errorf("logged the fault %d times, want once: %s", n, log.String())
			}
			if err := s.Close(); err != nil {
				t.Fatal(err)
			}
			moved, _ := filepath.Glob(path + ".corrupt-*")
			if len(moved) != 1 {
				t.Fatalf("damaged file moved to %v, want one path.corrupt-UNIX", moved)
			}
			s2, err := Open(ctx, path, Options{})
			if err != nil {
				t.Fatal(err)
			}
			defer s2.Close()
			if n := s2.Notice(); n != nil {
				t.Fatalf("reopen: %s", n)
			}
			checkFresh(t, s2, path)
		})
	}
}

// denyWrites makes opening path for writing fail with errno, as the
// file's permissions or a read-only disk do (root ignores permissions, so
// the mode alone would not do in every test environment).
func denyWrites(t *testing.T, path string, errno syscall.Errno) {
	t.Helper()
	if err := os.Chmod(path, 0o400); err != nil {
		t.Fatal(err)
	}
	orig := openFile
	openFile = func(name string, flag int, perm fs.FileMode) (*os.File, error) {
		if name == path && flag&(os.O_WRONLY|os.O_RDWR) != 0 {
			return nil, &fs.PathError{Op: "open", Path: name, Err: errno}
		}
		return orig(name, flag, perm)
	}
	t.Cleanup(func() { openFile = orig })
}

// TestOpenReadOnlyFile opens a cache that cannot be written: it is read
// (not replaced by an empty temporary cache), writes fail with ErrReadOnly,
// retention leaves it alone, and the file is unchanged afterwards.
func TestOpenReadOnlyFile(t *testing.T) {
	for _, tc := range []struct {
		name  string
		errno syscall.Errno
	}{
		{"no write permission", syscall.EACCES},
		{"read-only file system", syscall.EROFS},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ctx := context.Background()
			path := filepath.Join(t.TempDir(), "history.db")
			writeHistory(t, path)
			denyWrites(t, path, tc.errno)
			before, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			s, err := Open(ctx, path, Options{Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
			if err != nil {
				t.Fatal(err)
			}
			defer s.Close()
			n := s.Notice()
			if n == nil || n.Kind != ReadOnly || n.Using != path || s.Path() != path || s.Temporary() || !s.ReadOnly() {
				t.Fatalf("notice %+v, path %s, temporary %v: want the file itself, read-only", n, s.Path(), s.Temporary())
			}
			if !strings.Contains(n.String(), "read-only") {
				t.Fatalf("notice text %q", n.String())
			}
			got, _, err := s.Range(ctx, "sim", "q5", t0, t0.Add(24*time.Hour))
			if err != nil || len(got) != 1 || len(got[0].Points) != 2400 {
				t.Fatalf("read-only cache: %d series, %v; want what the file holds", len(got), err)
			}
			if err := s.Append(ctx, "sim", "q5", datasources.Series{Name: "a", Points: grid(t0.Add(24*time.Hour), 3, func(int) float64 { return 1 })}); !errors.Is(err, ErrReadOnly) {
				t.Fatalf("write: %v, want ErrReadOnly", err)
			}
			if err := s.Retain(ctx); err != nil {
				t.Fatalf("retain: %v", err)
			}
			if err := s.Close(); err != nil {
				t.Fatal(err)
			}
			if after, err := os.ReadFile(path); err != nil || !bytes.Equal(after, before) {
				t.Fatalf("read-only file changed: %v", err)
			}
		})
	}
}

// TestFaultUnderConcurrentUse cuts the file short while readers and a
// writer use the Store: bbolt leaves its locks held when a transaction
// faults as it begins, so every other caller must still return (an
// error), and Close too, instead of waiting on those locks forever.
func TestFaultUnderConcurrentUse(t *testing.T) {
	for _, tc := range []struct {
		name    string
		readers int
		writers int
	}{
		{"readers", 8, 0},
		{"readers and a writer", 6, 2},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ctx := context.Background()
			path := filepath.Join(t.TempDir(), "history.db")
			writeHistory(t, path)
			s, err := Open(ctx, path, Options{NoSync: true, Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
			if err != nil {
				t.Fatal(err)
			}
			var wg sync.WaitGroup
			start := make(chan struct{})
			for i := range tc.readers + tc.writers {
				wg.Add(1)
				go func() {
					defer wg.Done()
					<-start
					for {
						var err error
						if i < tc.readers {
							_, _, err = s.Load(ctx, "sim", fmt.Sprint("q", i%damageSeries), t0, t0.Add(24*time.Hour))
						} else {
							err = s.Append(ctx, "sim", fmt.Sprint("w", i), datasources.Series{Name: "a", Points: grid(t0, 3, func(int) float64 { return 1 })})
						}
						if err != nil {
							if !errors.Is(err, ErrBroken) {
								t.Errorf("caller %d: %v, want ErrBroken", i, err)
							}
							return
						}
					}
				}()
			}
			close(start)
			time.Sleep(20 * time.Millisecond)
			if err := os.Truncate(path, 0); err != nil {
				t.Fatal(err)
			}
			done := make(chan struct{})
			go func() {
				wg.Wait()
				_ = s.Close()
				close(done)
			}()
			select {
			case <-done:
			case <-time.After(10 * time.Second):
				t.Fatal("callers or Close still waiting 10s after the fault")
			}
		})
	}
}
