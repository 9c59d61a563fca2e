package tests

import (
	"bytes"
	"errors"
	"fmt"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
)

// wallboard is the binary built once by TestMain.
var wallboard string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "wallboard-e2e")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	wallboard = filepath.Join(dir, "wallboard")
	build := exec.Command("go", "build", "-o", wallboard, "../cmd/wallboard")
	build.Stdout, build.Stderr = os.Stdout, os.Stderr
	if err := build.Run(); err != nil {
		fmt.Fprintln(os.Stderr, "build wallboard:", err)
		os.Exit(1)
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// run runs the binary and returns stdout, stderr and the exit code.
func run(t *testing.T, args ...string) (string, string, int) {
	t.Helper()
	cmd := exec.Command(wallboard, args...)
	cmd.Env = append(os.Environ(), "LANG=en_US.UTF-8")
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	err := cmd.Run()
	code := 0
	var ee *exec.ExitError
	if errors.As(err, &ee) {
		code = ee.ExitCode()
	} else if err != nil {
		t.Fatalf("run %v: %v", args, err)
	}
	return out.String(), errb.String(), code
}

func TestExportEditValidateRender(t *testing.T) {
	dir := t.TempDir()
	layout := filepath.Join(dir, "my.json")
	if _, stderr, code := run(t, "export", "--out", layout); code != 0 {
		t.Fatalf("export exit %d: %s", code, stderr)
	}
	if _, stderr, code := run(t, "validate", layout); code != 0 {
		t.Fatalf("validate of the exported layout: exit %d: %s", code, stderr)
	}

	// An operator edits a title; the edit shows in the render.
	data, err := os.ReadFile(layout)
	if err != nil {
		t.Fatal(err)
	}
	edited := bytes.Replace(data, []byte(`"title": "System health"`), []byte(`"title": "Edited wall"`), 1)
	if bytes.Equal(edited, data) {
		t.Fatal("exported layout has no system health title to edit")
	}
	if err := os.WriteFile(layout, edited, 0o644); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(dir, "health.png")
	start := time.Now()
	if _, stderr, code := run(t, "render", "--layout", layout, "--dashboard", "system_health", "--size", "1920x1080", "--out", out); code != 0 {
		t.Fatalf("render exit %d: %s", code, stderr)
	}
	t.Logf("render of system_health at 1920x1080 took %v (process start to exit)", time.Since(start))
	f, err := os.Open(out)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	img, err := png.Decode(f)
	if err != nil {
		t.Fatalf("render wrote no PNG: %v", err)
	}
	if b := img.Bounds(); b.Dx() != 1920 || b.Dy() != 1080 {
		t.Fatalf("render size %v, want 1920x1080", b.Size())
	}
}

func TestValidateBroken(t *testing.T) {
	dir := t.TempDir()
	broken := filepath.Join(dir, "broken.json")
	doc := `{
  "version": 1,
  "dashboards": [
    {
      "id": "wall",
      "title": "Wall",
      "time": {"from": "now-1h"},
      "widgets": [
        {"id": "a", "type": "stat", "queries": [{"expr": "up"}], "position": {"row": 1, "col": 1}},
        {"id": "b", "type": "stat", "queries": [{"expr": "up"}], "position": {"row": 1, "col": 2}},
        {"id": "c", "type": "guage", "queries": [{"expr": "up"}], "position": {"row": 1, "col": 3}}
      ]
    }
  ]
}
`
	if err := os.WriteFile(broken, []byte(doc), 0o644); err != nil {
		t.Fatal(err)
	}
	stdout, _, code := run(t, "validate", broken)
	if code != 1 {
		t.Fatalf("validate exit %d, want 1", code)
	}
	want := regexp.MustCompile(`^` + regexp.QuoteMeta(broken) + `:11:\d+: \$\.dashboards\[0\]\.widgets\[2\]\.type: unknown widget type "guage"`)
	if !want.MatchString(stdout) {
		t.Fatalf("validate printed %q, want a line matching %s", stdout, want)
	}

	unknown := filepath.Join(dir, "unknown.json")
	if err := os.WriteFile(unknown, []byte(strings.Replace(doc, `"title": "Wall"`, `"title": "Wall", "colour": "red"`, 1)), 0o644); err != nil {
		t.Fatal(err)
	}
	stdout, _, code = run(t, "validate", unknown)
	if code != 1 || !strings.Contains(stdout, `$.dashboards[0].colour`) {
		t.Fatalf("unknown field: exit %d, output %q; want exit 1 naming $.dashboards[0].colour", code, stdout)
	}
}

func TestCommandLineContract(t *testing.T) {
	for _, tc := range []struct {
		name     string
		args     []string
		code     int
		stdout   string // substring
		stderr   string // substring
		oneLiner bool   // stderr is exactly one line
	}{
		{"help", []string{"--help"}, 0, "--kiosk", "", false},
		{"render help", []string{"render", "--help"}, 0, "--size", "", false},
		{"validate help", []string{"validate", "--help"}, 0, "validate FILE", "", false},
		{"export help", []string{"export", "--help"}, 0, "--out", "", false},
		{"simulate help", []string{"simulate", "--help"}, 0, "--listen", "", false},
		{"unknown flag", []string{"--bogus"}, 2, "", "flag provided but not defined: -bogus", true},
		{"unknown render flag", []string{"render", "--bogus"}, 2, "", "render: flag provided but not defined", true},
		{"bad size", []string{"render", "--size", "huge", "--out", "x.png"}, 2, "", "bad --size", true},
		{"unknown command", []string{"frobnicate"}, 2, "", "unknown command", true},
		{"render needs out", []string{"render"}, 2, "", "--out is required", true},
		{"unknown dashboard", []string{"render", "--dashboard", "nope", "--out", "x.png"}, 2, "", "no dashboard \"nope\"", true},
		{"validate needs files", []string{"validate"}, 2, "", "at least one", true},
		{"bad time", []string{"render", "--from", "yesterday", "--out", "x.png"}, 2, "", "--from", true},
		{"unknown variable", []string{"render", "--var", "regoin=eu-west", "--out", "x.png"}, 2, "", `unknown variable "regoin"`, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			stdout, stderr, code := run(t, tc.args...)
			if code != tc.code {
				t.Fatalf("exit %d, want %d (stderr %q)", code, tc.code, stderr)
			}
			if !strings.Contains(stdout, tc.stdout) {
				t.Errorf("stdout %q lacks %q", stdout, tc.stdout)
			}
			if !strings.Contains(stderr, tc.stderr) {
				t.Errorf("stderr %q lacks %q", stderr, tc.stderr)
			}
			if tc.oneLiner && strings.Count(strings.TrimRight(stderr, "\n"), "\n") != 0 {
				t.Errorf("stderr is not one line: %q", stderr)
			}
		})
	}
}

// TestHugeQueryIsRefused: a 1 MB expression (avg(x + 0 + 0 ...), 262,144
// terms) used to pass validate and then hang render in the PromQL parser,
// which no context ends. Validate refuses it with its position, and render
// exits at once instead of hanging.
func TestHugeQueryIsRefused(t *testing.T) {
	expr := "avg(x" + strings.Repeat(" + 0", 262144) + ")"
	doc := `{"version": 1, "dashboards": [{"id": "d", "title": "D", "time": {"from": "now-1h"},
  "widgets": [{"id": "a", "type": "stat", "queries": [{"expr": "` + expr + `"}], "position": {"row": 1, "col": 1}}]}]}`
	path := filepath.Join(t.TempDir(), "huge.json")
	if err := os.WriteFile(path, []byte(doc), 0o644); err != nil {
		t.Fatal(err)
	}
	stdout, _, code := run(t, "validate", path)
	if code != 1 || !strings.Contains(stdout, "$.dashboards[0].widgets[0].queries[0].expr") || !strings.Contains(stdout, "too long") {
		t.Fatalf("validate: exit %d, %q", code, stdout)
	}
	start := time.Now()
	_, stderr, code := run(t, "render", "--layout", path, "--out", filepath.Join(t.TempDir(), "x.png"))
	if code != 1 || time.Since(start) > 20*time.Second {
		t.Fatalf("render: exit %d after %v: %s", code, time.Since(start), stderr)
	}
}
