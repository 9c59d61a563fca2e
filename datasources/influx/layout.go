package influx

import (
	"context"
	"fmt"
	"os"
	"time"

	"github.com/wallboard/wallboard/datasources"
	"github.com/wallboard/wallboard/internal/httpsrc"
	"github.com/wallboard/wallboard/layouts"
)

// Source is what FromLayout returns: *Flux or *InfluxQL.
type Source interface {
	datasources.Source
	Writer
	// LabelValues returns the sorted values of a tag, for dashboard
	// variables.
	LabelValues(ctx context.Context, name string) ([]string, error)
	// Close releases idle connections.
	Close() error
}

// FromLayout returns the source for a layout's source of kind "influx"
// (InfluxDB 2.x/Cloud, Flux: *Flux, with the layout's org and bucket and
// the token from tokenEnv) or "influxql" (InfluxDB 1.x: *InfluxQL, with the
// layout's database and basic auth from usernameEnv/passwordEnv, or a token
// from tokenEnv). Credentials are read with getenv (nil: os.Getenv); a
// named variable that is unset or empty is an error, so a wall never
// silently queries without the credentials it was given.
func FromLayout(src layouts.Source, getenv func(string) string) (Source, error) {
	if src.Kind != layouts.KindInflux && src.Kind != layouts.KindInfluxQL {
		return nil, fmt.Errorf("source %q: kind %q is neither %q nor %q", src.Name, src.Kind, layouts.KindInflux, layouts.KindInfluxQL)
	}
	if src.URL == "" {
		return nil, fmt.Errorf("source %q: no url", src.Name)
	}
	if getenv == nil {
		getenv = os.Getenv
	}
	cred, err := httpsrc.CredentialsFromEnv(src, getenv)
	if err != nil {
		return nil, err
	}
	cfg := Config{URL: src.URL, Database: src.Database, Org: src.Org, Bucket: src.Bucket, Timeout: time.Duration(src.Timeout),
		Token: cred.Token, Username: cred.Username, Password: cred.Password}
	var s Source
	if src.Kind == layouts.KindInflux {
		s, err = NewFlux(cfg)
	} else {
		if cfg.Database == "" {
			return nil, fmt.Errorf("source %q: an influxql source needs a database", src.Name)
		}
		s, err = NewInfluxQL(cfg)
	}
	if err != nil {
		return nil, fmt.Errorf("source %q: %w", src.Name, err)
	}
	return s, nil
}
