package layouts

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
)

// Marshal encodes l as a layout document of the current Version, indented
// by two spaces and ending in a newline. It does not validate l and does not
// modify it.
func Marshal(l *Layout) ([]byte, error) {
	if l == nil {
		return nil, errors.New("marshal layout: no layout")
	}
	doc := *l
	doc.Version = Version
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false) // keep PromQL's > and < readable
	if err := enc.Encode(&doc); err != nil {
		return nil, fmt.Errorf("marshal layout: %w", err)
	}
	return buf.Bytes(), nil
}

// testHookBeforeRename, when set by a test, runs after the temporary file is
// written and synced, before it replaces the target.
var testHookBeforeRename func(tmp string) error

// Save validates l and writes it to path atomically: to a temporary file in
// the same directory, synced, then renamed over path with mode 0644. On any
// failure the file at path is left as it was and the temporary file is
// removed. l's Version is written as the current one.
func Save(path string, l *Layout) error {
	if l == nil {
		return fmt.Errorf("save layout %s: no layout", path)
	}
	doc := *l
	doc.Version = Version
	if err := Validate(&doc); err != nil {
		return fmt.Errorf("save layout %s: %w", path, err)
	}
	data, err := Marshal(&doc)
	if err != nil {
		return fmt.Errorf("save layout %s: %w", path, err)
	}
	if err := writeFile(path, data); err != nil {
		return fmt.Errorf("save layout: %w", err)
	}
	return nil
}

func writeFile(path string, data []byte) error {
	return WriteFileAtomic(path, func(w io.Writer) error {
		_, err := w.Write(data)
		return err
	})
}

// WriteFileAtomic replaces the file at path with what write writes, so that
// readers see the old file or the whole new one, never a part: write goes
// to a temporary file in the same directory, which is synced, given mode
// 0644 and renamed over path. On any failure, including one returned by
// write, the file at path is left as it was and the temporary file is
// removed. Use it for every file a user keeps: layouts, PNG, CSV.
func WriteFileAtomic(path string, write func(w io.Writer) error) error {
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

// fill writes f with write, makes it 0644, syncs and closes it.
func fill(f *os.File, write func(w io.Writer) error) error {
	bw := bufio.NewWriter(f)
	if err := write(bw); err != nil {
		return err
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
