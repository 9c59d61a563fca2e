package layouts

import (
	"regexp"
	"slices"
	"strings"
)

// AllValues selects every value of a variable. An empty selection (and an
// empty Default) means the same.
const AllValues = "$__all"

// Interpolate replaces the variables of d in expr ($name or ${name}) by their
// selected values, for use inside a PromQL regular-expression matcher such
// as {region=~"$region"}: one value as it is (regexp-quoted, escaped for a
// double-quoted PromQL string), several joined
// by "|", and none, or AllValues, as ".*". A variable absent from selected
// takes its Default. Unknown $names are left alone.
func Interpolate(expr string, d *Dashboard, selected map[string][]string) string {
	if d == nil || len(d.Variables) == 0 || !strings.Contains(expr, "$") {
		return expr
	}
	var b strings.Builder
	for {
		i := strings.IndexByte(expr, '$')
		if i < 0 {
			b.WriteString(expr)
			return b.String()
		}
		b.WriteString(expr[:i])
		expr = expr[i:]
		name, n := varRef(expr)
		v := d.variable(name)
		if v == nil {
			b.WriteByte('$')
			expr = expr[1:]
			continue
		}
		values, ok := selected[name]
		if !ok && v.Default != "" {
			values = []string{v.Default}
		}
		b.WriteString(matchAny(values))
		expr = expr[n:]
	}
}

// varRef returns the variable name referenced at the start of s ("$name"
// or "${name}") and the length of the reference.
func varRef(s string) (name string, n int) {
	if strings.HasPrefix(s, "${") {
		if end := strings.IndexByte(s, '}'); end > 2 {
			return s[2:end], end + 1
		}
		return "", 0
	}
	n = 1
	for n < len(s) && (s[n] == '_' || 'a' <= s[n] && s[n] <= 'z' || 'A' <= s[n] && s[n] <= 'Z' || n > 1 && '0' <= s[n] && s[n] <= '9') {
		n++
	}
	return s[1:n], n
}

func (d *Dashboard) variable(name string) *Variable {
	if name == "" {
		return nil
	}
	for i := range d.Variables {
		if d.Variables[i].Name == name {
			return &d.Variables[i]
		}
	}
	return nil
}

func matchAny(values []string) string {
	if len(values) == 0 || slices.Contains(values, AllValues) {
		return ".*"
	}
	quoted := make([]string, len(values))
	for i, v := range values {
		// Quoted for the regexp, then for the PromQL string around it.
		quoted[i] = strings.ReplaceAll(regexp.QuoteMeta(v), `\`, `\\`)
	}
	return strings.Join(quoted, "|")
}
