package layouts

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"

	"github.com/wallboard/wallboard/internal/atomicfile"
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

// writeFile writes a saved layout; tests replace it to make it fail.
var writeFile = atomicfile.WriteFile

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

// WriteFileAtomic replaces the file at path with what write writes, so that
// readers see the old file or the whole new one, never a part: write goes
// to a temporary file in the same directory, which is synced, given mode
// 0644 and renamed over path. On any failure, including one returned by
// write, the file at path is left as it was and the temporary file is
// removed. Use it for every file a user keeps: layouts, PNG, CSV. It is
// atomicfile.Write, kept here for the packages that call it.
func WriteFileAtomic(path string, write func(w io.Writer) error) error {
	return atomicfile.Write(path, write)
}
