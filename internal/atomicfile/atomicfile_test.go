package atomicfile

import (
	"errors"
	"io"
	"os"
	"path/filepath"
	"slices"
	"testing"
)

// assertOnly checks that dir holds exactly names: no temporary file is left.
func assertOnly(t *testing.T, dir string, names ...string) {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, e := range entries {
		got = append(got, e.Name())
	}
	if !slices.Equal(got, names) {
		t.Errorf("directory holds %q, want %q", got, names)
	}
}

func TestWrite(t *testing.T) {
	const old = "old"
	failed := errors.New("encoder failed")
	tests := []struct {
		name  string
		write func(w io.Writer) error
		hook  func(tmp string) error
		want  error  // nil: success
		holds string // the file afterwards
	}{
		{"success", func(w io.Writer) error { _, err := io.WriteString(w, "new"); return err }, nil, nil, "new"},
		{"empty", func(w io.Writer) error { return nil }, nil, nil, ""},
		{"writer fails", func(w io.Writer) error { io.WriteString(w, "partial"); return failed }, nil, failed, old},
		{"failure before rename", func(w io.Writer) error { _, err := io.WriteString(w, "new"); return err },
			func(tmp string) error {
				if data, err := os.ReadFile(tmp); err != nil || string(data) != "new" {
					t.Errorf("temporary file before rename: %q, %v", data, err)
				}
				return failed
			}, failed, old},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			path := filepath.Join(dir, "out.json")
			if err := os.WriteFile(path, []byte(old), 0o600); err != nil {
				t.Fatal(err)
			}
			testHookBeforeRename = tt.hook
			defer func() { testHookBeforeRename = nil }()
			err := Write(path, tt.write)
			if tt.want == nil && err != nil || tt.want != nil && !errors.Is(err, tt.want) {
				t.Fatalf("Write = %v, want %v", err, tt.want)
			}
			if got, _ := os.ReadFile(path); string(got) != tt.holds {
				t.Errorf("file holds %q, want %q", got, tt.holds)
			}
			if fi, err := os.Stat(path); err == nil && tt.want == nil && fi.Mode().Perm() != 0o644 {
				t.Errorf("mode %v, want 0644", fi.Mode().Perm())
			}
			assertOnly(t, dir, "out.json")
		})
	}
}

func TestWriteFile(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "new.csv")
	if err := WriteFile(path, []byte("a,b\n")); err != nil {
		t.Fatal(err)
	}
	if got, _ := os.ReadFile(path); string(got) != "a,b\n" {
		t.Errorf("file holds %q", got)
	}
	if err := WriteFile(dir, []byte("x")); err == nil {
		t.Error("WriteFile over a directory succeeded")
	}
	assertOnly(t, dir, "new.csv")
}
