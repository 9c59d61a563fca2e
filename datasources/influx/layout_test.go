package influx

import (
	"strings"
	"testing"

	"github.com/wallboard/wallboard/layouts"
)

func TestFromLayout(t *testing.T) {
	env := map[string]string{"TOK": "t0k", "USER": "ops", "PASS": "pw", "EMPTY": ""}
	getenv := func(k string) string { return env[k] }
	for _, tc := range []struct {
		name string
		src  layouts.Source
		want string // the type, or the error text
	}{
		{"flux", layouts.Source{Name: "i2", Kind: layouts.KindInflux, URL: "http://127.0.0.1:8086", TokenEnv: "TOK", Org: "noc", Bucket: "wall"}, "*influx.Flux"},
		{"influxql", layouts.Source{Name: "i1", Kind: layouts.KindInfluxQL, URL: "http://127.0.0.1:8086", Database: "wall", UsernameEnv: "USER", PasswordEnv: "PASS"}, "*influx.InfluxQL"},
		{"influxql needs a database", layouts.Source{Name: "i1", Kind: layouts.KindInfluxQL, URL: "http://127.0.0.1:8086"}, "needs a database"},
		{"empty variable", layouts.Source{Name: "i2", Kind: layouts.KindInflux, URL: "http://127.0.0.1:8086", TokenEnv: "EMPTY"}, "tokenEnv names the environment variable EMPTY, which is unset or empty"},
		{"unset variable", layouts.Source{Name: "i1", Kind: layouts.KindInfluxQL, URL: "http://127.0.0.1:8086", Database: "d", PasswordEnv: "NOPE"}, "passwordEnv names the environment variable NOPE"},
		{"token and basic", layouts.Source{Name: "i1", Kind: layouts.KindInfluxQL, URL: "http://127.0.0.1:8086", Database: "d", TokenEnv: "TOK", UsernameEnv: "USER"}, "choose one"},
		{"wrong kind", layouts.Source{Name: "p", Kind: layouts.KindPrometheus, URL: "http://127.0.0.1:9090"}, `kind "prometheus"`},
		{"no url", layouts.Source{Name: "i2", Kind: layouts.KindInflux}, "no url"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s, err := FromLayout(tc.src, getenv)
			if err != nil {
				if !strings.Contains(err.Error(), tc.want) {
					t.Fatalf("error %v, want %q", err, tc.want)
				}
				for _, secret := range []string{"t0k", "pw"} {
					if strings.Contains(err.Error(), secret) {
						t.Errorf("error %q shows a secret", err)
					}
				}
				return
			}
			defer s.Close()
			if got := typeName(s); got != tc.want {
				t.Fatalf("source %s, want %s", got, tc.want)
			}
		})
	}
}

func typeName(s Source) string {
	switch s.(type) {
	case *Flux:
		return "*influx.Flux"
	case *InfluxQL:
		return "*influx.InfluxQL"
	}
	return "?"
}
