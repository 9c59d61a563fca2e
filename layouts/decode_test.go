package layouts

import (
	"encoding/json"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"
)

func TestParseValid(t *testing.T) {
	files, err := filepath.Glob("testdata/valid/*.json")
	if err != nil || len(files) == 0 {
		t.Fatalf("no valid test files: %v", err)
	}
	for _, file := range files {
		t.Run(filepath.Base(file), func(t *testing.T) {
			l, err := Load(file)
			if err != nil {
				t.Fatalf("Load: %v", err)
			}
			if l.Version != Version {
				t.Errorf("Version = %d, want %d", l.Version, Version)
			}
			if err := Validate(l); err != nil {
				t.Errorf("Validate after Load: %v", err)
			}
		})
	}
}

func TestParseFull(t *testing.T) {
	l, err := Load("testdata/valid/full.json")
	if err != nil {
		t.Fatal(err)
	}
	d := l.Dashboards[0]
	if got, want := d.Refresh.D(), 10*time.Second; got != want {
		t.Errorf("refresh = %v, want %v", got, want)
	}
	if got, want := l.Sources[1].Timeout.D(), 10*time.Second; got != want {
		t.Errorf("timeout = %v, want %v", got, want)
	}
	w := d.Widgets[1]
	if w.Thresholds.Direction != DirectionBelow || *w.Thresholds.Warning != 0.99 || *w.Min != 0 || *w.Max != 1 {
		t.Errorf("success widget = %+v", w)
	}
	if *d.Widgets[0].Decimals != 2 || d.Widgets[0].Position != (Position{Row: 1, Col: 1, Width: 4, Height: 2}) {
		t.Errorf("latency widget = %+v", d.Widgets[0])
	}
	if got := l.Playlists[0].Items[0].Time.From; got != "6h" {
		t.Errorf("playlist time from = %q", got)
	}
}

// TestParseInvalid checks the exact message of each invalid file.
func TestParseInvalid(t *testing.T) {
	tests := []struct {
		file string
		want []string
	}{
		{"syntax.json", []string{
			`syntax.json:7:7: $.dashboards[0]: syntax error: want ',' or '}' after field "title", got '"'`,
		}},
		{"unknown_top.json", []string{
			`unknown_top.json:3:3: $.theme: unknown field "theme" in layout (known: version, title, sources, dashboards, alerts, rules, playlists, kiosk)`,
		}},
		{"unknown_widget_field.json", []string{
			`unknown_widget_field.json:12:11: $.dashboards[0].widgets[0].titel: unknown field "titel" in widget; did you mean "title"?`,
		}},
		{"broken.json", []string{
			`broken.json:14:19: $.dashboards[0].widgets[2].type: unknown widget type "guage" (known: timeseries, stat, gauge, bargauge, heatmap, histogram, geomap, table, alertlist, text); did you mean "gauge"?`,
		}},
		{"wrong_type.json", []string{
			`wrong_type.json:7:18: $.dashboards[0].refresh: want a duration string like "5s", got number 5`,
			`wrong_type.json:10:86: $.dashboards[0].widgets[0].position.row: want an integer, got string "1"`,
		}},
		{"duplicates.json", []string{
			`duplicates.json:10:16: $.dashboards[0].widgets[1].id: duplicate widget id "w" (also $.dashboards[0].widgets[0])`,
			`duplicates.json:13:12: $.dashboards[1].id: duplicate dashboard id "a" (also $.dashboards[0])`,
		}},
		{"overlap.json", []string{
			`overlap.json:10:82: $.dashboards[0].widgets[1].position: overlaps widget "wide" ($.dashboards[0].widgets[0]) at row 1, col 3`,
		}},
		{"time.json", []string{
			`time.json:4:48: $.dashboards[0].time.from: bad time "now-1x": bad duration "-1x": unknown unit "x" (want one of ns, us, ms, s, m, h, d, w)`,
			`time.json:5:39: $.dashboards[1].time: from (now-1h) must be before to (now-2h)`,
		}},
		{"newer.json", []string{
			`newer.json:2:14: $.version: written by a newer Wallboard (version 2; this one reads up to 1)`,
		}},
		{"password.json", []string{
			`password.json:4:51: $.sources[0].url: credentials must not be stored in a layout (the URL has a user part); use tokenEnv, or usernameEnv and passwordEnv`,
		}},
		{"playlist.json", []string{
			`playlist.json:9:21: $.playlists[0].items[1].dashboard: unknown dashboard "system_heath" (known: system_health); did you mean "system_health"?`,
		}},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			data, err := os.ReadFile(filepath.Join("testdata/invalid", tt.file))
			if err != nil {
				t.Fatal(err)
			}
			l, err := Parse(tt.file, data)
			if l != nil {
				t.Errorf("Parse returned a layout with error %v", err)
			}
			checkErrors(t, err, tt.want)
		})
	}
}

// checkErrors checks that err holds exactly the messages want, in order,
// and has the promised type: *ValidationError for one, Errors for several.
func checkErrors(t *testing.T, err error, want []string) {
	t.Helper()
	if err == nil {
		t.Fatalf("no error, want %q", want)
	}
	var got []string
	switch e := err.(type) {
	case *ValidationError:
		got = []string{e.Error()}
	case Errors:
		if len(e) < 2 {
			t.Errorf("Errors with %d elements; want a *ValidationError for one", len(e))
		}
		for _, ve := range e {
			got = append(got, ve.Error())
		}
		if e.Error() != strings.Join(got, "\n") {
			t.Errorf("Errors.Error() = %q, want the errors one per line", e.Error())
		}
	default:
		t.Fatalf("error of type %T: %v", err, err)
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("errors:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

// doc is a valid document to break in inline tests.
const doc = `{
  "version": 1,
  "dashboards": [
    {
      "id": "a",
      "title": "A",
      "time": {"from": "now-1h"},
      "widgets": [
        {"id": "w", "type": "stat", "queries": [{"expr": "up"}], "position": {"row": 1, "col": 1}}
      ]
    }
  ]
}
`

// edit replaces old (which must occur once) by new in doc.
func edit(t *testing.T, old, new string) string {
	t.Helper()
	if strings.Count(doc, old) != 1 {
		t.Fatalf("%q does not occur once in doc", old)
	}
	return strings.Replace(doc, old, new, 1)
}

func TestParseProblems(t *testing.T) {
	const widget = `{"id": "w", "type": "stat", "queries": [{"expr": "up"}], "position": {"row": 1, "col": 1}}`
	tests := []struct {
		name string
		old  string // replaced in doc by new; empty: data is new alone
		new  string
		want []string
	}{
		{"empty", "", "", []string{`x.json:1:1: $: syntax error: empty document; want a JSON object`}},
		{"blank", "", " \n\t", []string{`x.json:2:2: $: syntax error: empty document; want a JSON object`}},
		{"list", "", `[1, 2]`, []string{`x.json:1:1: $: want a JSON object with version and dashboards, got a list`}},
		{"trailing data", "", doc + `{}`, []string{`x.json:14:1: $: syntax error: unexpected '{' after the end of the document`}},
		{"trailing comma", `"title": "A",`, `"title": "A",,`, []string{
			`x.json:6:20: $.dashboards[0]: syntax error: want a field name in double quotes, got ','`}},
		{"trailing comma at end", `"widgets": [`, `"widgets": [1,]`, []string{
			`x.json:8:21: $.dashboards[0].widgets: syntax error: trailing comma before ']'`}},
		{"unterminated", "", `{"version": 1, "title": "abc`, []string{`x.json:1:25: $.title: syntax error: string not terminated`}},
		{"truncated", "", `{"version": 1, "dashboards": [`, []string{
			`x.json:1:31: $.dashboards[0]: syntax error: unexpected end of file; want a value`}},
		{"bare word", `"title": "A"`, `"title": A`, []string{
			`x.json:6:16: $.dashboards[0].title: syntax error: bad value A (strings need double quotes)`}},
		{"bad escape", `"title": "A"`, `"title": "A\q"`, []string{
			`x.json:6:19: $.dashboards[0].title: syntax error: bad escape \q in string; write a backslash itself as \\`}},
		{"tab in string", `"title": "A"`, "\"title\": \"A\tB\"", []string{
			`x.json:6:18: $.dashboards[0].title: syntax error: control character U+0009 in string; write it as an escape such as \n or \t`}},
		{"leading zero", `"row": 1,`, `"row": 01,`, []string{
			`x.json:9:86: $.dashboards[0].widgets[0].position.row: syntax error: bad number "01"`}},
		{"columns count characters", `"title": "A"`, `"title": "Ünïcødé", "x": 1`, []string{
			`x.json:6:27: $.dashboards[0].x: unknown field "x" in dashboard (known: id, title, type, description, tags, refresh, time, columns, layout, variables, widgets, kiosk)`}},
		{"duplicate field", `"title": "A"`, `"title": "A", "title": "B"`, []string{
			`x.json:6:21: $.dashboards[0].title: duplicate field "title"`}},
		{"missing version", `"version": 1,`, ``, []string{
			`x.json:1:1: $.version: version is missing (this Wallboard writes version 1)`}},
		{"version 0", `"version": 1`, `"version": 0`, []string{
			`x.json:2:14: $.version: version must be at least 1, got 0 (this Wallboard writes version 1)`}},
		{"version string", `"version": 1`, `"version": "1"`, []string{
			`x.json:2:14: $.version: want an integer, got string "1"`}},
		{"version fraction", `"version": 1`, `"version": 1.5`, []string{
			`x.json:2:14: $.version: written by a newer Wallboard (version 1.5; this one reads up to 1)`}},
		{"wrong case field", `"title": "A"`, `"Title": "A"`, []string{
			`x.json:6:7: $.dashboards[0].Title: unknown field "Title" in dashboard; did you mean "title"?`}},
		{"odd field name", `"title": "A"`, `"title": "A", "the title": 1`, []string{
			`x.json:6:21: $.dashboards[0]["the title"]: unknown field "the title" in dashboard (known: id, title, type, description, tags, refresh, time, columns, layout, variables, widgets, kiosk)`}},
		{"object for list", `"widgets": [`, `"tags": {}, "widgets": [`, []string{
			`x.json:8:15: $.dashboards[0].tags: want a list, got an object`}},
		{"null for string", `"title": "A"`, `"title": null`, []string{
			`x.json:6:16: $.dashboards[0].title: want a string, got null`}},
		{"fraction for int", `"row": 1,`, `"row": 1.5,`, []string{
			`x.json:9:86: $.dashboards[0].widgets[0].position.row: want an integer, got 1.5`}},
		{"huge int", `"row": 1,`, `"row": 1e300,`, []string{
			`x.json:9:86: $.dashboards[0].widgets[0].position.row: number 1e300 is out of range`}},
		{"bad duration", `"title": "A"`, `"title": "A", "refresh": "5 s"`, []string{
			`x.json:6:32: $.dashboards[0].refresh: bad duration "5 s": unknown unit " s" (want one of ns, us, ms, s, m, h, d, w)`}},
		{"no dashboards", "", `{"version": 1, "dashboards": []}`, []string{
			`x.json:1:30: $.dashboards: at least one dashboard is required`}},
		{"bad dashboard id", `"id": "a"`, `"id": "System Health"`, []string{
			`x.json:5:13: $.dashboards[0].id: id "System Health" may only hold a-z, 0-9, _ and -`}},
		{"missing dashboard id", `"id": "a",`, ``, []string{
			`x.json:4:5: $.dashboards[0].id: id is required`}},
		{"refresh too short", `"title": "A"`, `"title": "A", "refresh": "500ms"`, []string{
			`x.json:6:32: $.dashboards[0].refresh: refresh must be 0 (off) or at least 1s, got 500ms`}},
		{"missing time", `"time": {"from": "now-1h"},`, ``, []string{
			`x.json:4:5: $.dashboards[0].time.from: from is required, e.g. "now-1h"`}},
		{"absolute time backwards", `"from": "now-1h"`, `"from": "2026-11-27T12:00:00Z", "to": "2026-11-27T10:00:00Z"`, []string{
			`x.json:7:15: $.dashboards[0].time: from (2026-11-27T12:00:00Z) must be before to (2026-11-27T10:00:00Z)`}},
		{"no queries", `"queries": [{"expr": "up"}], `, ``, []string{
			`x.json:9:9: $.dashboards[0].widgets[0].queries: a stat widget needs at least one query`}},
		{"empty expr", `"expr": "up"`, `"expr": " "`, []string{
			`x.json:9:58: $.dashboards[0].widgets[0].queries[0].expr: expr is required`}},
		{"missing type", `"type": "stat", `, ``, []string{
			`x.json:9:9: $.dashboards[0].widgets[0].type: type is required (one of timeseries, stat, gauge, bargauge, heatmap, histogram, geomap, table, alertlist, text)`}},
		{"row 0", `"row": 1`, `"row": 0`, []string{
			`x.json:9:86: $.dashboards[0].widgets[0].position.row: row must be between 1 and 1000, got 0`}},
		{"beyond the grid", `"col": 1}`, `"col": 3, "width": 3}`, []string{
			`x.json:9:78: $.dashboards[0].widgets[0].position: widget spans columns 3-5 but the dashboard has 4 columns`}},
		{"more columns", `"title": "A"`, `"title": "A", "columns": 6`, nil}, // and then col 3 width 3 fits
		{"columns too many", `"title": "A"`, `"title": "A", "columns": 25`, []string{
			`x.json:6:32: $.dashboards[0].columns: columns must be between 1 and 24 (0 means 4), got 25`}},
		{"unknown source", `"type": "stat"`, `"type": "stat", "source": "prom"`, []string{
			`x.json:9:47: $.dashboards[0].widgets[0].source: unknown source "prom": the layout has no sources`}},
		{"unknown unit", `"type": "stat"`, `"type": "stat", "unit": "percnt"`, []string{
			`x.json:9:45: $.dashboards[0].widgets[0].unit: unknown unit "percnt" (known: percent, percentunit, s, ms, bytes, Bps, bps, reqps, ops, currencyUSD, short, none); did you mean "percent"?`}},
		{"decimals", `"type": "stat"`, `"type": "stat", "decimals": 11`, []string{
			`x.json:9:49: $.dashboards[0].widgets[0].decimals: decimals must be between 0 and 10, got 11`}},
		{"min max", `"type": "stat"`, `"type": "stat", "min": 5, "max": 5`, []string{
			`x.json:9:54: $.dashboards[0].widgets[0].max: min (5) must be less than max (5)`}},
		{"thresholds above", `"type": "stat"`, `"type": "stat", "thresholds": {"warning": 90, "critical": 70}`, []string{
			`x.json:9:51: $.dashboards[0].widgets[0].thresholds: warning (90) must not be above critical (70) when high values are bad (direction "above")`}},
		{"thresholds below", `"type": "stat"`, `"type": "stat", "thresholds": {"warning": 0.9, "critical": 0.95, "direction": "below"}`, []string{
			`x.json:9:51: $.dashboards[0].widgets[0].thresholds: warning (0.9) must not be below critical (0.95) when low values are bad (direction "below")`}},
		{"threshold direction", `"type": "stat"`, `"type": "stat", "thresholds": {"direction": "bellow"}`, []string{
			`x.json:9:65: $.dashboards[0].widgets[0].thresholds.direction: unknown direction "bellow" (known: above, below); did you mean "below"?`}},
		{"bins", `"type": "stat"`, `"type": "stat", "bins": 1001`, []string{
			`x.json:9:45: $.dashboards[0].widgets[0].bins: bins must be between 1 and 1000 (0 means automatic), got 1001`}},
		{"style", `"type": "stat"`, `"type": "stat", "style": "sparklines"`, []string{
			`x.json:9:46: $.dashboards[0].widgets[0].style: unknown stat style "sparklines" (known: value, sparkline); did you mean "sparkline"?`}},
		{"style of a gauge", `"type": "stat"`, `"type": "gauge", "style": "arc"`, []string{
			`x.json:9:47: $.dashboards[0].widgets[0].style: a gauge widget has no styles, got "arc"`}},
		{"reduce", `"type": "stat"`, `"type": "stat", "reduce": "avg"`, []string{
			`x.json:9:47: $.dashboards[0].widgets[0].reduce: unknown reduction "avg" (known: last, mean, max, min, sum)`}},
		{"reduce of a time series", `"type": "stat"`, `"type": "timeseries", "reduce": "max"`, []string{
			`x.json:9:53: $.dashboards[0].widgets[0].reduce: reduce applies only to stat, gauge, bargauge, geomap, table widgets`}},
		{"text without text", `"type": "stat", "queries": [{"expr": "up"}]`, `"type": "text"`, []string{
			`x.json:9:9: $.dashboards[0].widgets[0].text: a text widget needs text`}},
		{"duplicate variable", `"widgets"`, `"variables": [{"name": "region"}, {"name": "region"}], "widgets"`, []string{
			`x.json:8:50: $.dashboards[0].variables[1].name: duplicate variable "region" (also $.dashboards[0].variables[0])`}},
		{"bad variable name", `"widgets"`, `"variables": [{"name": "1st"}], "widgets"`, []string{
			`x.json:8:30: $.dashboards[0].variables[0].name: variable name "1st" must start with a letter or _ and hold only letters, digits and _`}},
		{"source kind", `"dashboards"`, `"sources": [{"name": "p", "kind": "promethus", "url": "http://localhost:9090"}], "dashboards"`, []string{
			`x.json:3:37: $.sources[0].kind: unknown source kind "promethus" (known: sim, prometheus, influx, influxql); did you mean "prometheus"?`}},
		{"source url", `"dashboards"`, `"sources": [{"name": "p", "kind": "prometheus", "url": "localhost:9090"}], "dashboards"`, []string{
			`x.json:3:58: $.sources[0].url: want an http or https URL such as http://localhost:9090, got "localhost:9090"`}},
		{"source without url", `"dashboards"`, `"sources": [{"name": "p", "kind": "influxql"}], "dashboards"`, []string{
			`x.json:3:15: $.sources[0].url: a influxql source needs a url`}},
		{"user part without password", `"dashboards"`, `"sources": [{"name": "p", "kind": "prometheus", "url": "http://s3cret@prom:9090"}], "dashboards"`, []string{
			`x.json:3:58: $.sources[0].url: credentials must not be stored in a layout (the URL has a user part); use tokenEnv, or usernameEnv and passwordEnv`}},
		{"signature in query", `"dashboards"`, `"sources": [{"name": "p", "kind": "prometheus", "url": "http://prom:9090/?sig=abc"}], "dashboards"`, []string{
			`x.json:3:58: $.sources[0].url: a source URL takes no query parameters (they are shown and logged, and often carry credentials); use tokenEnv or passwordEnv`}},
		{"token in fragment", `"dashboards"`, `"sources": [{"name": "p", "kind": "prometheus", "url": "http://prom:9090/#token=abc"}], "dashboards"`, []string{
			`x.json:3:58: $.sources[0].url: a source URL takes no fragment (#...)`}},
		{"token in url", `"dashboards"`, `"sources": [{"name": "i", "kind": "influxql", "url": "http://db:8086/query?u=me&p=secret"}], "dashboards"`, []string{
			`x.json:3:56: $.sources[0].url: a source URL takes no query parameters (they are shown and logged, and often carry credentials); use tokenEnv or passwordEnv`}},
		{"token instead of env name", `"dashboards"`, `"sources": [{"name": "i", "kind": "influx", "url": "http://db:8086", "tokenEnv": "abc-123=="}], "dashboards"`, []string{
			`x.json:3:84: $.sources[0].tokenEnv: tokenEnv must be the name of an environment variable (letters, digits and _), not its value`}},
		{"alert severity", `"dashboards"`, `"alerts": {"showActive": true, "severities": ["critcal"]}, "dashboards"`, []string{
			`x.json:3:49: $.alerts.severities[0]: unknown severity "critcal" (known: info, warning, critical); did you mean "critical"?`}},
		{"alert rule", `"dashboards"`, `"rules": [{"name": "errors", "expr": "sum(rate(audio_request_errors_total[5m])) / sum(rate(audio_requests_total[5m]))", "comparison": ">", "value": 0.05, "for": "5m", "hysteresis": 0.01, "severity": "critical", "labels": {"team": "audio"}, "annotations": {"summary": "Too many errors", "runbook_url": "https://wiki.example.com/runbooks/errors"}}], "dashboards"`, nil},
		{"alert rule on a widget", `"dashboards"`, `"rules": [{"name": "down", "dashboard": "a", "widget": "w", "comparison": "below", "value": 1}], "dashboards"`, nil},
		{"alert rule problems", `"dashboards"`, `"rules": [{"name": "", "expr": "up", "comparison": "abov", "for": "-1m", "hysteresis": -1, "severity": "critcal", "labels": {"alertname": "x", "bad-name": "y"}, "annotations": {"runbook_url": "wiki/errors"}}], "dashboards"`, []string{
			`x.json:3:13: $.rules[0].value: value is required: the threshold the expression is compared with`,
			`x.json:3:22: $.rules[0].name: name is required`,
			`x.json:3:54: $.rules[0].comparison: unknown comparison "abov" (known: above, below, >, >=, <, <=); did you mean "above"?`,
			`x.json:3:69: $.rules[0].for: for must not be negative, got -1m`,
			`x.json:3:90: $.rules[0].hysteresis: hysteresis must be a finite number, 0 or more, got -1`,
			`x.json:3:106: $.rules[0].severity: unknown severity "critcal" (known: info, warning, critical); did you mean "critical"?`,
			`x.json:3:141: $.rules[0].labels.alertname: label "alertname" is set from the rule's name and severity: remove it`,
			`x.json:3:158: $.rules[0].labels["bad-name"]: label name "bad-name" must start with a letter or _ and hold only letters, digits and _`,
			`x.json:3:195: $.rules[0].annotations.runbook_url: runbook_url must be an http or https URL such as https://wiki.example.com/runbooks/errors, got "wiki/errors"`,
		}},
		{"alert rule references", `"dashboards"`, `"rules": [{"name": "r", "dashboard": "b", "value": 1}, {"name": "r", "widget": "w", "source": "prom", "value": 1}, {"name": "s", "dashboard": "a", "widget": "x", "value": 1}], "dashboards"`, []string{
			`x.json:3:13: $.rules[0].expr: expr is required (or name the dashboard and widget whose first query the rule watches)`,
			`x.json:3:40: $.rules[0].dashboard: unknown dashboard "b" (known: a); did you mean "a"?`,
			`x.json:3:58: $.rules[1].expr: expr is required (or name the dashboard and widget whose first query the rule watches)`,
			`x.json:3:67: $.rules[1].name: duplicate rule name "r" (also $.rules[0])`,
			`x.json:3:82: $.rules[1].widget: a widget needs its dashboard: set dashboard too`,
			`x.json:3:97: $.rules[1].source: unknown source "prom": the layout has no sources`,
			`x.json:3:160: $.rules[2].widget: unknown widget "x" (known: w); did you mean "w"?`,
		}},
		{"alert rule field", `"dashboards"`, `"rules": [{"name": "r", "expr": "up", "value": 1, "threshold": 2}], "dashboards"`, []string{
			`x.json:3:53: $.rules[0].threshold: unknown field "threshold" in alert rule (known: name, expr, source, comparison, value, for, hysteresis, severity, labels, annotations, dashboard, widget)`,
		}},
		{"playlist duration", "", strings.TrimSuffix(doc, "}\n") + `, "playlists": [{"name": "p", "items": [{"dashboard": "a", "duration": "500ms"}]}]}`, []string{
			`x.json:13:72: $.playlists[0].items[0].duration: duration must be at least 1s, got 500ms`}},
		{"all at once, in order", `"title": "A"`, `"title": 1, "refresh": "1ms", "colour": "red"`, []string{
			`x.json:6:16: $.dashboards[0].title: want a string, got number 1`,
			`x.json:6:30: $.dashboards[0].refresh: refresh must be 0 (off) or at least 1s, got 1ms`,
			`x.json:6:37: $.dashboards[0].colour: unknown field "colour" in dashboard (known: id, title, type, description, tags, refresh, time, columns, layout, variables, widgets, kiosk)`,
		}},
		{"bad element keeps indexes", `"widgets": [`, `"widgets": [7, ` + widget + `, `, []string{
			`x.json:8:19: $.dashboards[0].widgets[0]: want an object, got number 7`,
			`x.json:9:16: $.dashboards[0].widgets[2].id: duplicate widget id "w" (also $.dashboards[0].widgets[1])`,
			`x.json:9:78: $.dashboards[0].widgets[2].position: overlaps widget "w" ($.dashboards[0].widgets[1]) at row 1, col 1`,
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			data := tt.new
			if tt.old != "" {
				data = edit(t, tt.old, tt.new)
			}
			l, err := Parse("x.json", []byte(data))
			if tt.want == nil {
				if err != nil {
					t.Fatalf("Parse: %v", err)
				}
				if l == nil {
					t.Fatal("Parse returned neither layout nor error")
				}
				return
			}
			checkErrors(t, err, tt.want)
		})
	}
}

func TestParseBOM(t *testing.T) {
	data := append([]byte("\xEF\xBB\xBF"), doc...)
	if _, err := Parse("bom.json", data); err != nil {
		t.Fatalf("Parse with a byte order mark: %v", err)
	}
}

func TestParseDeepNesting(t *testing.T) {
	data := `{"version": 1, "title": ` + strings.Repeat("[", 100000) + `}`
	_, err := Parse("deep.json", []byte(data))
	checkErrors(t, err, []string{`deep.json:1:88: $.title[0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0]: syntax error: nested more than 64 levels deep`})
}

func TestLoadMissing(t *testing.T) {
	_, err := Load(filepath.Join(t.TempDir(), "nope.json"))
	if !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("Load of a missing file: %v, want fs.ErrNotExist", err)
	}
}

func TestErrorsAs(t *testing.T) {
	_, err := Load("testdata/invalid/duplicates.json")
	var ve *ValidationError
	if !errors.As(err, &ve) {
		t.Fatalf("errors.As(%T) failed", err)
	}
	if ve.File != "testdata/invalid/duplicates.json" || ve.Line != 10 || ve.Col != 16 || ve.Path != "$.dashboards[0].widgets[1].id" {
		t.Errorf("first error = %#v", ve)
	}
}

func TestValidationErrorFormat(t *testing.T) {
	tests := []struct {
		err  ValidationError
		want string
	}{
		{ValidationError{File: "f.json", Line: 2, Col: 3, Path: "$.a", Reason: "bad"}, "f.json:2:3: $.a: bad"},
		{ValidationError{File: "f.json", Path: "$.a", Reason: "bad"}, "f.json: $.a: bad"},
		{ValidationError{Path: "$.a", Reason: "bad"}, "$.a: bad"},
		{ValidationError{Line: 2, Col: 3, Path: "$.a", Reason: "bad"}, "2:3: $.a: bad"},
		{ValidationError{Reason: "bad"}, "bad"},
	}
	for _, tt := range tests {
		t.Run(tt.want, func(t *testing.T) {
			if got := tt.err.Error(); got != tt.want {
				t.Errorf("Error() = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestValidateInMemory(t *testing.T) {
	l := Builtin()
	l.Dashboards[0].Widgets[0].Type = "guage"
	l.Dashboards[1].ID = l.Dashboards[0].ID
	l.Sources[0].URL = "http://u:p@localhost"
	checkErrors(t, Validate(l), []string{
		`$.sources[0].url: credentials must not be stored in a layout (the URL has a user part); use tokenEnv, or usernameEnv and passwordEnv`,
		`$.dashboards[0].widgets[0].type: unknown widget type "guage" (known: timeseries, stat, gauge, bargauge, heatmap, histogram, geomap, table, alertlist, text); did you mean "gauge"?`,
		`$.dashboards[1].id: duplicate dashboard id "system_health" (also $.dashboards[0])`,
		`$.dashboards[0].widgets[1].links[0].dashboard: unknown dashboard "performance" (known: system_health, quality, business_kpi, cost, showcase)`,
		`$.dashboards[0].widgets[4].links[0].dashboard: unknown dashboard "performance" (known: system_health, quality, business_kpi, cost, showcase)`,
		`$.dashboards[2].widgets[4].links[0].dashboard: unknown dashboard "performance" (known: system_health, quality, business_kpi, cost, showcase)`,
		`$.playlists[0].items[1].dashboard: unknown dashboard "performance" (known: system_health, quality, business_kpi, cost, showcase)`,
	})
	checkErrors(t, Validate(nil), []string{`$: no layout`})
	checkErrors(t, Validate(&Layout{Version: 2, Dashboards: Builtin().Dashboards}), []string{
		`$.version: written by a newer Wallboard (version 2; this one reads up to 1)`,
	})
}

func TestUpgrade(t *testing.T) {
	migs := map[int]func(map[string]any) error{
		1: func(doc map[string]any) error {
			doc["dashboards"] = doc["boards"]
			delete(doc, "boards")
			return nil
		},
		3: func(map[string]any) error { return errors.New("cannot") },
	}
	doc := map[string]any{"version": json.Number("1"), "boards": []any{}}
	if err := upgrade(doc, 1, 3, migs); err != nil {
		t.Fatal(err)
	}
	want := map[string]any{"version": json.Number("3"), "dashboards": []any{}}
	if !reflect.DeepEqual(doc, want) {
		t.Errorf("upgraded = %v, want %v", doc, want)
	}
	if err := upgrade(doc, 3, 4, migs); err == nil || err.Error() != "upgrading from version 3: cannot" {
		t.Errorf("failing migration: %v", err)
	}
}

func TestSuggest(t *testing.T) {
	tests := []struct {
		in   string
		want string
	}{
		{"guage", "gauge"},
		{"timeseries", ""}, // exact: nothing to suggest
		{"TimeSeries", "timeseries"},
		{"time_series", "timeseries"},
		{"histgram", "histogram"},
		{"pie", ""},
		{"x", ""},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			if got := suggest(tt.in, WidgetKinds); got != tt.want {
				t.Errorf("suggest(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestParseDuration(t *testing.T) {
	tests := []struct {
		in   string
		want time.Duration
		err  string
	}{
		{in: "5s", want: 5 * time.Second},
		{in: "1h30m", want: 90 * time.Minute},
		{in: "7d", want: 7 * 24 * time.Hour},
		{in: "1.5d", want: 36 * time.Hour},
		{in: "1d12h", want: 36 * time.Hour},
		{in: "2w", want: 14 * 24 * time.Hour},
		{in: "-2d", want: -48 * time.Hour},
		{in: "+5m", want: 5 * time.Minute},
		{in: ".5s", want: 500 * time.Millisecond},
		{in: "0", want: 0},
		{in: "2562047h47m16.854775807s", want: 1<<63 - 1},
		{in: "-2562047h47m16.854775808s", want: -1 << 63},
		{in: "", err: "empty duration"},
		{in: "d", err: `bad duration "d": want a number and a unit, such as "5s", "1h30m" or "7d"`},
		{in: "5", err: `bad duration "5": missing unit (one of ns, us, ms, s, m, h, d, w)`},
		{in: "1h2x", err: `bad duration "1h2x": unknown unit "x" (want one of ns, us, ms, s, m, h, d, w)`},
		{in: "1xd", err: `bad duration "1xd": unknown unit "xd" (want one of ns, us, ms, s, m, h, d, w)`},
		{in: "NaNd", err: `bad duration "NaNd": want a number and a unit, such as "5s", "1h30m" or "7d"`},
		{in: "1e300d", err: `bad duration "1e300d": unknown unit "e" (want one of ns, us, ms, s, m, h, d, w)`},
		{in: "300000w", err: `bad duration "300000w": out of range`},
		{in: "2562047h47m16.854775808s", err: `bad duration "2562047h47m16.854775808s": out of range`},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := ParseDuration(tt.in)
			if tt.err != "" {
				if err == nil || err.Error() != tt.err {
					t.Errorf("ParseDuration(%q) = %v, %v; want error %q", tt.in, got, err, tt.err)
				}
				return
			}
			if err != nil || got != tt.want {
				t.Errorf("ParseDuration(%q) = %v, %v; want %v", tt.in, got, err, tt.want)
			}
		})
	}
}

func TestDurationJSON(t *testing.T) {
	for _, d := range []time.Duration{0, time.Second, 90 * time.Second, time.Hour, 24 * time.Hour, 36*time.Hour + time.Second, 1500 * time.Millisecond, -time.Hour} {
		b, err := json.Marshal(Duration(d))
		if err != nil {
			t.Fatal(err)
		}
		var back Duration
		if err := json.Unmarshal(b, &back); err != nil || back.D() != d {
			t.Errorf("%v -> %s -> %v, %v", d, b, back.D(), err)
		}
	}
	if got := Duration(24 * time.Hour).String(); got != "24h" {
		t.Errorf("24h is written %q", got)
	}
	if got := Duration(time.Hour + 30*time.Minute).String(); got != "1h30m" {
		t.Errorf("1h30m is written %q", got)
	}
}
