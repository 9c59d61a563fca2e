package layouts

import (
	"fmt"
	"os"
	"regexp"
	"slices"
	"strings"
	"testing"
)

// simMetrics reads the metric contract, docs/metrics.md: each metric the
// simulator exposes, with its labels.
func simMetrics(t *testing.T) map[string][]string {
	t.Helper()
	data, err := os.ReadFile("../docs/metrics.md")
	if err != nil {
		t.Fatalf("the metric contract: %v", err)
	}
	name := regexp.MustCompile("`([a-z_:]+)`")
	metrics := map[string][]string{}
	for _, line := range strings.Split(string(data), "\n") {
		if !strings.HasPrefix(line, "| `") {
			continue
		}
		cols := strings.Split(line, "|")
		if len(cols) < 5 {
			continue
		}
		var labels []string
		for _, l := range strings.Split(cols[3], ",") {
			if f := strings.Fields(l); len(f) > 0 {
				labels = append(labels, f[0])
			}
		}
		for _, m := range name.FindAllStringSubmatch(cols[1], -1) {
			metrics[m[1]] = labels
			if strings.Contains(cols[2], "histogram") {
				metrics[m[1]+"_bucket"] = labels
				plain := slices.DeleteFunc(slices.Clone(labels), func(l string) bool { return l == "le" })
				metrics[m[1]+"_sum"] = plain
				metrics[m[1]+"_count"] = plain
			}
		}
	}
	if len(metrics) < 15 {
		t.Fatalf("read only %d metrics from docs/metrics.md", len(metrics))
	}
	return metrics
}

// promqlFuncs are the functions and aggregations the layouts may use.
var promqlFuncs = []string{
	"sum", "avg", "min", "max", "count", "topk", "bottomk", "quantile",
	"rate", "irate", "increase", "delta", "deriv", "histogram_quantile",
	"avg_over_time", "max_over_time", "min_over_time", "sum_over_time",
	"scalar", "vector", "clamp_min", "clamp_max", "abs", "predict_linear",
}

var (
	promString   = regexp.MustCompile(`"(?:[^"\\]|\\.)*"`)
	promRange    = regexp.MustCompile(`\[[0-9]+[smhdwy]\]`)
	promGrouping = regexp.MustCompile(`\b(by|without)\s*\(([^)]*)\)`)
	promIdent    = regexp.MustCompile(`[a-zA-Z_:][a-zA-Z0-9_:]*`)
	promMatcher  = regexp.MustCompile(`^\s*([a-zA-Z_][a-zA-Z0-9_]*)\s*(=~|!~|!=|=)\s*""\s*$`)
)

// checkPromQL is a light check that expr is PromQL over metrics: brackets
// balance, every function is known, every other name is a metric of the
// contract and every label matcher names a label that metric has.
func checkPromQL(expr string, metrics map[string][]string) error {
	pairs := map[rune]rune{')': '(', ']': '[', '}': '{'}
	var stack []rune
	inString := false
	for i, r := range expr {
		switch {
		case inString:
			if r == '"' && expr[i-1] != '\\' {
				inString = false
			}
		case r == '"':
			inString = true
		case r == '(' || r == '[' || r == '{':
			stack = append(stack, r)
		case pairs[r] != 0:
			if len(stack) == 0 || stack[len(stack)-1] != pairs[r] {
				return fmt.Errorf("unbalanced %q at %d", r, i)
			}
			stack = stack[:len(stack)-1]
		}
	}
	if len(stack) > 0 || inString {
		return fmt.Errorf("unclosed %q", stack)
	}
	if strings.Contains(expr, "$") && !strings.Contains(expr, `=~"$region"`) {
		return fmt.Errorf("a variable outside a regexp matcher")
	}
	s := promString.ReplaceAllString(expr, `""`)
	s = promRange.ReplaceAllString(s, "")
	var grouped []string
	for _, m := range promGrouping.FindAllStringSubmatch(s, -1) {
		for _, l := range strings.Split(m[2], ",") {
			grouped = append(grouped, strings.TrimSpace(l))
		}
	}
	s = promGrouping.ReplaceAllString(s, "")
	used := 0
	for _, loc := range promIdent.FindAllStringIndex(s, -1) {
		id, rest := s[loc[0]:loc[1]], strings.TrimLeft(s[loc[1]:], " ")
		if loc[0] > 0 && (s[loc[0]-1] >= '0' && s[loc[0]-1] <= '9' || s[loc[0]-1] == '.') {
			continue // the exponent of a number such as 1e3
		}
		if strings.HasPrefix(rest, "(") {
			if !slices.Contains(promqlFuncs, id) {
				return fmt.Errorf("unknown function %s", id)
			}
			continue
		}
		if strings.HasPrefix(rest, "=") || strings.HasPrefix(rest, "!") {
			continue // a label matcher, checked with its metric
		}
		labels, ok := metrics[id]
		if !ok {
			return fmt.Errorf("%s is not a metric of docs/metrics.md", id)
		}
		used++
		if strings.HasPrefix(rest, "{") {
			end := strings.IndexByte(rest, '}')
			for _, m := range strings.Split(rest[1:end], ",") {
				sub := promMatcher.FindStringSubmatch(m)
				if sub == nil {
					return fmt.Errorf("bad matcher %q", m)
				}
				if !slices.Contains(labels, sub[1]) {
					return fmt.Errorf("%s has no label %s", id, sub[1])
				}
			}
		}
	}
	if used == 0 {
		return fmt.Errorf("no metric")
	}
	for _, l := range grouped {
		found := false
		for _, labels := range metrics {
			found = found || slices.Contains(labels, l)
		}
		if !found {
			return fmt.Errorf("no metric has the label %s", l)
		}
	}
	return nil
}

func TestCheckPromQL(t *testing.T) {
	metrics := simMetrics(t)
	tests := []struct {
		expr string
		ok   bool
	}{
		{`sum by (region) (rate(audio_requests_total{region=~"$region"}[1m]))`, true},
		{`histogram_quantile(0.95, sum by (le) (rate(audio_request_duration_seconds_bucket[5m])))`, true},
		{`100 * sum(memory_usage_bytes) / sum(memory_total_bytes)`, true},
		{`sum(rate(audio_requests_total[1m])`, false},
		{`sum(rate(audio_request_total[1m]))`, false},
		{`avg(cpu_usage_percent{region=~"$region"})`, false},
		{`summ(up)`, false},
		{`sum by (colour) (audio_requests_total)`, false},
	}
	for _, tt := range tests {
		t.Run(tt.expr, func(t *testing.T) {
			if err := checkPromQL(tt.expr, metrics); (err == nil) != tt.ok {
				t.Errorf("checkPromQL = %v, want ok %t", err, tt.ok)
			}
		})
	}
}
