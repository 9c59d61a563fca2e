package layouts

import (
	"errors"
	"fmt"
	"maps"
	"regexp"
	"slices"
	"strings"
	"unicode/utf8"
)

// AllValues selects every value of a variable. An empty selection (and an
// empty Default) means the same.
const AllValues = "$__all"

// Interpolate replaces the variables of d in expr ($name or ${name}) by their
// selected values. A variable absent from selected takes its Default;
// unknown $names are left alone (see Dashboard.CheckVars).
//
// Values are written so that they can never change the query around them:
//
//   - in a regular-expression matcher such as {region=~"$region"}, each
//     value is regexp-quoted, then escaped for the string literal it is in
//     (backslash, the quote, newline and other control characters);
//     several values are joined by "|", and none, or AllValues, is ".*";
//   - in any other string, such as {region="$region"}, one value is
//     escaped for the string as it is (several, or all, as in a matcher);
//   - outside strings, only one value that is a number or a plain name is
//     written; otherwise the reference is left as it is, so that the query
//     fails visibly instead of meaning something else.
//
// References in # comments are left alone.
func Interpolate(expr string, d *Dashboard, selected map[string][]string) string {
	if d == nil || len(d.Variables) == 0 || !strings.Contains(expr, "$") {
		return expr
	}
	var b strings.Builder
	var quote byte // the quote of the string literal we are in, or 0
	regex := false // that string is the value of a =~ or !~ matcher
	for i := 0; i < len(expr); i++ {
		c := expr[i]
		switch {
		case quote != 0 && c == '\\' && quote != '`':
			b.WriteByte(c)
			if i+1 < len(expr) {
				i++
				b.WriteByte(expr[i])
			}
			continue
		case quote != 0 && c == quote:
			quote = 0
		case quote == 0 && (c == '"' || c == '\'' || c == '`'):
			quote = c
			regex = isRegexMatcher(expr[:i])
		case quote == 0 && c == '#':
			end := strings.IndexByte(expr[i:], '\n')
			if end < 0 {
				end = len(expr) - i
			}
			b.WriteString(expr[i : i+end])
			i += end - 1
			continue
		case c == '$':
			name, n := varRef(expr[i:])
			if v := d.variable(name); v != nil {
				values, ok := selected[name]
				if !ok && v.Default != "" {
					values = []string{v.Default}
				}
				if s, ok := substitute(values, quote, regex); ok {
					b.WriteString(s)
					i += n - 1
					continue
				}
			}
		}
		b.WriteByte(c)
	}
	return b.String()
}

// isRegexMatcher reports whether before, the expression up to a string
// literal, ends in a regular-expression matcher: =~ or !~.
func isRegexMatcher(before string) bool {
	before = strings.TrimRight(before, " \t\r\n")
	return strings.HasSuffix(before, "=~") || strings.HasSuffix(before, "!~")
}

// plainValue matches what may stand outside a string: a number or a
// name.
var plainValue = regexp.MustCompile(`^(?:[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?|[a-zA-Z_:][a-zA-Z0-9_:]*)$`)

// substitute writes values for a reference in a string literal opened by
// quote (0: outside strings), a regular expression when regex; ok is false
// when they cannot be written there.
func substitute(values []string, quote byte, regex bool) (string, bool) {
	all := len(values) == 0 || slices.Contains(values, AllValues)
	if quote == 0 {
		if all || len(values) > 1 || !plainValue.MatchString(values[0]) {
			return "", false
		}
		return values[0], true
	}
	if !regex && len(values) == 1 && !all {
		return escapeString(values[0], quote, false)
	}
	if all {
		return ".*", true
	}
	quoted := make([]string, len(values))
	for i, v := range values {
		q, ok := escapeString(regexp.QuoteMeta(v), quote, true)
		if !ok {
			return "", false
		}
		quoted[i] = q
	}
	return strings.Join(quoted, "|"), true
}

// escapeString escapes s for a PromQL string literal opened by quote:
// backslashes, the quote itself and control characters in "..." and
// '...'. Invalid UTF-8 becomes U+FFFD, written as an escape (the PromQL
// lexer refuses the character itself). A `raw` string has no escapes: in
// a regular expression (regex) a backtick and U+FFFD are written as the
// regexp escapes \x60 and \x{fffd}; elsewhere ok is false for them.
func escapeString(s string, quote byte, regex bool) (_ string, ok bool) {
	s = strings.ToValidUTF8(s, "\uFFFD")
	if quote == '`' {
		if !strings.ContainsAny(s, "`\uFFFD") {
			return s, true
		}
		if !regex {
			return "", false
		}
		return strings.NewReplacer("`", `\x60`, "\uFFFD", `\x{fffd}`).Replace(s), true
	}
	var b strings.Builder
	for _, r := range s {
		switch {
		case r == '\\' || r == rune(quote):
			b.WriteByte('\\')
			b.WriteRune(r)
		case r == '\n':
			b.WriteString(`\n`)
		case r == '\r':
			b.WriteString(`\r`)
		case r == '\t':
			b.WriteString(`\t`)
		case r < 0x20 || r == 0x7f || r == 0x2028 || r == 0x2029 || r == utf8.RuneError:
			fmt.Fprintf(&b, `\u%04x`, r)
		default:
			b.WriteRune(r)
		}
	}
	return b.String(), true
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

// UnknownVariableError is a variable chosen for a dashboard that has no
// variable of that name.
type UnknownVariableError struct {
	Dashboard string   // the dashboard's id
	Name      string   // the name asked for
	Known     []string // the dashboard's variables
}

// Error says which name is unknown, which are known, and which was
// probably meant.
func (e *UnknownVariableError) Error() string {
	if len(e.Known) == 0 {
		return fmt.Sprintf("dashboard %q has no variables (asked for %q)", e.Dashboard, e.Name)
	}
	return fmt.Sprintf("dashboard %q: %s", e.Dashboard, unknownValue("variable", e.Name, e.Known))
}

// CheckVars checks values chosen for the variables of d, such as those of
// --var flags or an API request, before Interpolate uses them: every name
// must be one of d's variables. The error joins an *UnknownVariableError
// for each unknown name, in name order.
func (d *Dashboard) CheckVars(selected map[string][]string) error {
	var errs []error
	for _, name := range slices.Sorted(maps.Keys(selected)) {
		if d.variable(name) != nil {
			continue
		}
		known := make([]string, len(d.Variables))
		for i, v := range d.Variables {
			known[i] = v.Name
		}
		errs = append(errs, &UnknownVariableError{Dashboard: d.ID, Name: name, Known: known})
	}
	return errors.Join(errs...)
}
