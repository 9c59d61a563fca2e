package wall

import (
	"fmt"
	"os"

	"github.com/wallboard/wallboard/datasources"
	"github.com/wallboard/wallboard/datasources/influx"
	"github.com/wallboard/wallboard/datasources/prometheus"
	"github.com/wallboard/wallboard/datasources/sim"
	"github.com/wallboard/wallboard/layouts"
)

// LayoutSources are the live sources of a layout, by name.
type LayoutSources struct {
	byName map[string]datasources.Source
	errs   map[string]error
	def    string
}

// OpenSources creates a source for every entry of l.Sources. A layout with
// no sources gets the embedded simulator as its default. A source that
// cannot be opened is reported on the panels that use it, not here.
func OpenSources(l *layouts.Layout) *LayoutSources {
	s := &LayoutSources{byName: map[string]datasources.Source{}, errs: map[string]error{}}
	for _, cfg := range l.Sources {
		if s.def == "" {
			s.def = cfg.Name
		}
		switch cfg.Kind {
		case layouts.KindSim:
			seed := cfg.Seed
			if seed == 0 {
				seed = sim.DefaultSeed
			}
			s.byName[cfg.Name] = sim.New(seed)
		case layouts.KindPrometheus:
			src, err := prometheus.FromLayout(cfg, os.Getenv)
			s.add(cfg.Name, src, err)
		case layouts.KindInflux, layouts.KindInfluxQL:
			src, err := influx.FromLayout(cfg, os.Getenv)
			s.add(cfg.Name, src, err)
		default:
			s.errs[cfg.Name] = fmt.Errorf("source %q: unknown kind %q", cfg.Name, cfg.Kind)
		}
	}
	if len(l.Sources) == 0 {
		s.def = "sim"
		s.byName["sim"] = sim.New(sim.DefaultSeed)
	}
	return s
}

// add records a source, or the error that keeps it from opening (shown on
// the panels that use it).
func (s *LayoutSources) add(name string, src datasources.Source, err error) {
	if err != nil {
		s.errs[name] = err
		return
	}
	s.byName[name] = src
}

// Source returns the source called name ("" is the default one).
func (s *LayoutSources) Source(name string) (datasources.Source, error) {
	if name == "" {
		name = s.def
	}
	if src, ok := s.byName[name]; ok {
		return src, nil
	}
	if err, ok := s.errs[name]; ok {
		return nil, err
	}
	return nil, fmt.Errorf("no source named %q in the layout", name)
}

// DefaultName is the name of the source widgets without one use.
func (s *LayoutSources) DefaultName() string { return s.def }

// Simulators returns the layout's simulator sources, which accept pushed samples.
func (s *LayoutSources) Simulators() map[string]*sim.Sim {
	out := map[string]*sim.Sim{}
	for name, src := range s.byName {
		if sm, ok := src.(*sim.Sim); ok {
			out[name] = sm
		}
	}
	return out
}

// Close releases the sources (PromQL engines, HTTP connections).
func (s *LayoutSources) Close() {
	for _, src := range s.byName {
		if c, ok := src.(interface{ Close() error }); ok {
			_ = c.Close()
		}
	}
}
