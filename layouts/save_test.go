package layouts

import (
	"bytes"
	"errors"
	"io"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/wallboard/wallboard/internal/atomicfile"
)

func TestRoundTrip(t *testing.T) {
	want := Builtin()
	data, err := Marshal(want)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.HasSuffix(data, []byte("}\n")) || !bytes.HasPrefix(data, []byte("{\n  \"version\": 1,\n")) {
		t.Errorf("Marshal output is not 2-space indented with a final newline:\n%.80s", data)
	}
	if bytes.Contains(data, []byte(`\u003e`)) || bytes.Contains(data, []byte("0m0s")) {
		t.Errorf("Marshal output escapes HTML or writes long durations")
	}
	got, err := Parse("builtin.json", data)
	if err != nil {
		t.Fatalf("Parse(Marshal(Builtin())): %v", err)
	}
	if !reflect.DeepEqual(got, want) {
		again, _ := Marshal(got)
		t.Errorf("round trip changed the layout:\n%s", firstDiff(data, again))
	}
}

// firstDiff shows where two documents start to differ.
func firstDiff(a, b []byte) string {
	i := 0
	for i < len(a) && i < len(b) && a[i] == b[i] {
		i++
	}
	lo := max(i-80, 0)
	return "first: ..." + string(a[lo:min(i+80, len(a))]) + "\nsecond: ..." + string(b[lo:min(i+80, len(b))])
}

func TestMarshalSetsVersion(t *testing.T) {
	l := Builtin()
	l.Version = 0
	data, err := Marshal(l)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(data, []byte(`"version": 1,`)) {
		t.Errorf("Marshal did not write the version")
	}
	if l.Version != 0 {
		t.Errorf("Marshal modified its argument")
	}
}

func TestSave(t *testing.T) {
	path := filepath.Join(t.TempDir(), "layout.json")
	l := Builtin()
	l.Version = 0 // Save writes the current version
	if err := Save(path, l); err != nil {
		t.Fatal(err)
	}
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if fi.Mode().Perm() != 0o644 {
		t.Errorf("mode = %v, want 0644", fi.Mode().Perm())
	}
	back, err := Load(path)
	if err != nil {
		t.Fatal(err)
	}
	l.Version = Version
	if !reflect.DeepEqual(back, l) {
		t.Error("Load(Save(l)) != l")
	}
	assertOnly(t, filepath.Dir(path), "layout.json")
}

// assertOnly checks that dir holds exactly the named files: no temporary
// file was left behind.
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
	if !reflect.DeepEqual(got, names) {
		t.Errorf("%s holds %q, want %q", dir, got, names)
	}
}

func TestSaveFailureKeepsOldFile(t *testing.T) {
	const old = "the old file\n"
	invalid := Builtin()
	invalid.Dashboards[0].Widgets[0].Type = "guage"

	tests := []struct {
		name   string
		layout *Layout
		fail   error // returned by the writer after writing, when set
		want   string
	}{
		{
			name:   "invalid layout",
			layout: invalid,
			want:   `$.dashboards[0].widgets[0].type: unknown widget type "guage"`,
		},
		{
			name:   "nil layout",
			layout: nil,
			want:   "no layout",
		},
		{
			name:   "failure before rename",
			layout: Builtin(),
			fail:   errors.New("disk on fire"),
			want:   "disk on fire",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			path := filepath.Join(dir, "layout.json")
			if err := os.WriteFile(path, []byte(old), 0o644); err != nil {
				t.Fatal(err)
			}
			if tt.fail != nil {
				writeFile = func(path string, data []byte) error {
					return atomicfile.Write(path, func(w io.Writer) error {
						w.Write(data)
						return tt.fail
					})
				}
				defer func() { writeFile = atomicfile.WriteFile }()
			}

			err := Save(path, tt.layout)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("Save error = %v, want one containing %q", err, tt.want)
			}
			if got, _ := os.ReadFile(path); string(got) != old {
				t.Errorf("old file changed to %.40q", got)
			}
			assertOnly(t, dir, "layout.json")
		})
	}
}

func TestSaveOverDirectory(t *testing.T) {
	dir := t.TempDir()
	target := filepath.Join(dir, "layout.json")
	if err := os.Mkdir(target, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(target, "keep"), nil, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := Save(target, Builtin()); err == nil {
		t.Fatal("Save over a non-empty directory succeeded")
	}
	assertOnly(t, dir, "layout.json")
	assertOnly(t, target, "keep")
}

func TestSaveValidationErrorIsTyped(t *testing.T) {
	l := Builtin()
	l.Dashboards = nil
	err := Save(filepath.Join(t.TempDir(), "x.json"), l)
	var ve *ValidationError
	if !errors.As(err, &ve) || ve.Path != "$.dashboards" {
		t.Errorf("Save error = %v, want a *ValidationError for $.dashboards", err)
	}
}

func TestWriteFileAtomic(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "out.png")
	if err := WriteFileAtomic(path, func(w io.Writer) error {
		_, err := io.WriteString(w, "new")
		return err
	}); err != nil {
		t.Fatal(err)
	}
	if got, _ := os.ReadFile(path); string(got) != "new" {
		t.Errorf("file holds %q", got)
	}
	failed := errors.New("encoder failed")
	err := WriteFileAtomic(path, func(w io.Writer) error {
		io.WriteString(w, "partial")
		return failed
	})
	if !errors.Is(err, failed) {
		t.Errorf("WriteFileAtomic = %v, want the writer's error", err)
	}
	if got, _ := os.ReadFile(path); string(got) != "new" {
		t.Errorf("failed write changed the file to %q", got)
	}
	assertOnly(t, dir, "out.png")
}
