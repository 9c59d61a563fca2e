package layouts

import (
	"errors"
	"fmt"
	"strings"
)

// Bounds of a query expression. A PromQL parser takes time that grows
// faster than the expression (its type checking recurses through chained
// binary operators) and cannot be cancelled, so an expression beyond
// these is refused before any parser sees it.
const (
	// MaxExprLen is the length of an expression in bytes.
	MaxExprLen = 16 << 10
	// MaxExprDepth bounds both how deep brackets nest and how many binary
	// operators an expression has (which bounds how deep they chain).
	MaxExprDepth = 256
)

// Errors of CheckExpr, for errors.Is.
var (
	ErrExprTooLong = errors.New("expression too long")
	ErrExprTooDeep = errors.New("expression too deep")
)

// CheckExpr reports whether expr is within MaxExprLen and MaxExprDepth,
// counting brackets and binary operators (outside strings, comments and
// label matchers) without parsing it. Validate applies it to every query
// of a layout; apply it also to expressions made at run time, such as
// after Interpolate. The error wraps ErrExprTooLong or ErrExprTooDeep.
func CheckExpr(expr string) error {
	if len(expr) > MaxExprLen {
		return fmt.Errorf("%w: %d bytes; at most %d", ErrExprTooLong, len(expr), MaxExprLen)
	}
	depth, maxDepth, ops, braces := 0, 0, 0, 0
	for i := 0; i < len(expr); i++ {
		c := expr[i]
		switch {
		case c == '"' || c == '\'' || c == '`':
			i = skipString(expr, i)
		case c == '#':
			for i < len(expr) && expr[i] != '\n' {
				i++
			}
		case c == '(' || c == '[' || c == '{':
			depth++
			maxDepth = max(maxDepth, depth)
			if c == '{' {
				braces++
			}
		case c == ')' || c == ']' || c == '}':
			depth = max(depth-1, 0)
			if c == '}' {
				braces = max(braces-1, 0)
			}
		case braces > 0:
			// label matchers: =, !=, =~ and !~ are no operators
		case c == '+' || c == '-' || c == '*' || c == '/' || c == '%' || c == '^' || c == '<' || c == '>':
			ops++
			if i+1 < len(expr) && expr[i+1] == '=' {
				i++ // <=, >=
			}
		case c == '=' || c == '!':
			if i+1 < len(expr) && expr[i+1] == '=' {
				ops++
				i++
			}
		case '0' <= c && c <= '9' || c == '.':
			// a number or duration; the sign of an exponent is part of it
			for i+1 < len(expr) && isExprWordByte(expr[i+1]) {
				i++
				if (expr[i] == 'e' || expr[i] == 'E') && i+1 < len(expr) && (expr[i+1] == '+' || expr[i+1] == '-') {
					i++
				}
			}
		case isExprWordByte(c):
			start := i
			for i+1 < len(expr) && isExprWordByte(expr[i+1]) {
				i++
			}
			switch strings.ToLower(expr[start : i+1]) {
			case "and", "or", "unless", "atan2":
				ops++
			}
		}
		if maxDepth > MaxExprDepth {
			return fmt.Errorf("%w: brackets nest more than %d deep", ErrExprTooDeep, MaxExprDepth)
		}
		if ops > MaxExprDepth {
			return fmt.Errorf("%w: more than %d operators", ErrExprTooDeep, MaxExprDepth)
		}
	}
	return nil
}

func isExprWordByte(c byte) bool {
	return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '_' || c == ':' || c == '.'
}

// skipString returns the index of the quote that closes the string opened
// at expr[i] (backslash escapes apply but in `raw` strings), or the last
// index when it is not closed.
func skipString(expr string, i int) int {
	q := expr[i]
	for i++; i < len(expr); i++ {
		switch expr[i] {
		case '\\':
			if q != '`' {
				i++
			}
		case q:
			return i
		}
	}
	return len(expr) - 1
}
