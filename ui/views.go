package ui

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/wallboard/wallboard/layouts"
)

// SavedView is an operator's named place: a dashboard, time range,
// variables and optionally the panel drilled into.
type SavedView struct {
	Name      string              `json:"name"`
	Dashboard string              `json:"dashboard"`
	Time      layouts.TimeRange   `json:"time"`
	Vars      map[string][]string `json:"vars,omitempty"`
	Panel     string              `json:"panel,omitempty"`
	Saved     time.Time           `json:"saved"`
}

// ViewStore keeps saved views in a JSON file of the user's own (not in the
// shared layout): see DefaultViewsPath. Safe for concurrent use.
type ViewStore struct {
	path  string
	mu    sync.Mutex
	views []SavedView
}

// DefaultViewsPath is views.json in the user's config directory.
func DefaultViewsPath() (string, error) {
	dir, err := os.UserConfigDir()
	if err != nil {
		return "", fmt.Errorf("saved views: %w", err)
	}
	return filepath.Join(dir, "wallboard", "views.json"), nil
}

// OpenViewStore reads the views in path; a missing file is an empty store.
// A corrupt file is an error naming it, and is never overwritten silently.
func OpenViewStore(path string) (*ViewStore, error) {
	s := &ViewStore{path: path}
	data, err := os.ReadFile(path)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return s, nil
	case err != nil:
		return nil, fmt.Errorf("saved views: %w", err)
	}
	if err := json.Unmarshal(data, &s.views); err != nil {
		return nil, fmt.Errorf("saved views %s: %w", path, err)
	}
	return s, nil
}

// List returns the views sorted by name.
func (s *ViewStore) List() []SavedView {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := slices.Clone(s.views)
	slices.SortFunc(out, func(a, b SavedView) int { return strings.Compare(strings.ToLower(a.Name), strings.ToLower(b.Name)) })
	return out
}

// Get returns the view called name.
func (s *ViewStore) Get(name string) (SavedView, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, v := range s.views {
		if v.Name == name {
			return v, true
		}
	}
	return SavedView{}, false
}

// Put saves v, replacing a view of the same name, and writes the file atomically.
func (s *ViewStore) Put(v SavedView) error {
	if strings.TrimSpace(v.Name) == "" {
		return errors.New("a saved view needs a name")
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	views := slices.DeleteFunc(slices.Clone(s.views), func(o SavedView) bool { return o.Name == v.Name })
	views = append(views, v)
	if err := s.write(views); err != nil {
		return err
	}
	s.views = views
	return nil
}

// Delete removes the view called name.
func (s *ViewStore) Delete(name string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	views := slices.DeleteFunc(slices.Clone(s.views), func(o SavedView) bool { return o.Name == name })
	if err := s.write(views); err != nil {
		return err
	}
	s.views = views
	return nil
}

func (s *ViewStore) write(views []SavedView) error {
	if err := os.MkdirAll(filepath.Dir(s.path), 0o700); err != nil {
		return fmt.Errorf("saved views: %w", err)
	}
	data, err := json.MarshalIndent(views, "", "  ")
	if err != nil {
		return fmt.Errorf("saved views: %w", err)
	}
	return layouts.WriteFileAtomic(s.path, func(w io.Writer) error {
		_, err := w.Write(append(data, '\n'))
		return err
	})
}

// SaveView saves the current dashboard, time range, variables and
// drill-down under name.
func (s *Shell) SaveView(name string) error {
	if s.rt.Views == nil || s.current == nil {
		return errors.New("saved views are not available")
	}
	v := SavedView{Name: strings.TrimSpace(name), Dashboard: s.current.Dashboard.ID, Time: s.settings.Time, Vars: s.settings.Vars, Saved: s.rt.Clock().UTC()}
	if s.drill != nil {
		v.Panel = s.drill.Widget.ID
	}
	return s.rt.Views.Put(v)
}

// OpenView restores a saved view.
func (s *Shell) OpenView(name string) error {
	if s.rt.Views == nil {
		return errors.New("saved views are not available")
	}
	v, ok := s.rt.Views.Get(name)
	if !ok {
		return fmt.Errorf("no saved view %q", name)
	}
	if d, _ := s.dashboard(v.Dashboard); d == nil {
		return fmt.Errorf("saved view %q: the layout has no dashboard %q any more", name, v.Dashboard)
	}
	s.settings.Time, s.userTime = v.Time, true
	if err := s.Show(v.Dashboard); err != nil {
		return err
	}
	if len(v.Vars) > 0 {
		s.settings.Vars = v.Vars
		s.bar.setVariables(s.current.Dashboard, v.Vars)
		if err := s.restart(); err != nil {
			return err
		}
	}
	if v.Panel != "" {
		s.DrillInto(v.Panel)
	}
	return nil
}
