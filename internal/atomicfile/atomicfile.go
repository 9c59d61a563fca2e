package atomicfile

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"path/filepath"
)

// testHookBeforeRename, when set by a test, runs after the temporary file is
// written and synced, before it replaces the target.
var testHookBeforeRename func(tmp string) error

// Write replaces the file at path with what write writes. On any failure,
// including one returned by write (which the error wraps), the file at
// path is left as it was and the temporary file is removed.
func Write(path string, write func(w io.Writer) error) error {
	dir, base := filepath.Split(path)
	if dir == "" {
		dir = "."
	}
	f, err := os.CreateTemp(dir, "."+base+".tmp-*")
	if err != nil {
		return err
	}
	tmp := f.Name()
	err = fill(f, write)
	if err == nil && testHookBeforeRename != nil {
		err = testHookBeforeRename(tmp)
	}
	if err == nil {
		err = os.Rename(tmp, path)
	}
	if err != nil {
		f.Close() // a second Close after fill's is harmless
		os.Remove(tmp)
		return err
	}
	syncDir(dir)
	return nil
}

// WriteFile replaces the file at path with data; see Write.
func WriteFile(path string, data []byte) error {
	return Write(path, func(w io.Writer) error {
		_, err := w.Write(data)
		return err
	})
}

// fill writes f with write, makes it 0644, syncs and closes it.
func fill(f *os.File, write func(w io.Writer) error) error {
	bw := bufio.NewWriter(f)
	if err := write(bw); err != nil {
		return fmt.Errorf("writing %s: %w", f.Name(), err)
	}
	if err := bw.Flush(); err != nil {
		return err
	}
	if err := f.Chmod(0o644); err != nil {
		return err
	}
	if err := f.Sync(); err != nil {
		return err
	}
	return f.Close()
}

// syncDir makes a rename in dir durable where the system allows it; a
// failure only weakens durability, so it is ignored.
func syncDir(dir string) {
	if d, err := os.Open(dir); err == nil {
		d.Sync()
		d.Close()
	}
}
