package layouts

import (
	"fmt"
	"strings"
)

// suggest returns the candidate closest to s when it is close enough to be
// a likely typo (a few edits, a swap of two letters, or another case), or "".
func suggest(s string, candidates []string) string {
	best, bestDist := "", -1
	ls := strings.ToLower(s)
	for _, c := range candidates {
		d := editDistance(ls, strings.ToLower(c))
		if bestDist < 0 || d < bestDist {
			best, bestDist = c, d
		}
	}
	if best == "" || best == s {
		return ""
	}
	limit := 1
	if n := len([]rune(s)); n >= 5 {
		limit = 2
	}
	if n := len([]rune(s)); n >= 10 {
		limit = 3
	}
	if bestDist > limit {
		return ""
	}
	return best
}

// editDistance is the optimal string alignment distance between a and b:
// insertions, deletions, substitutions and swaps of adjacent runes.
func editDistance(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	if len(ra) > 64 || len(rb) > 64 {
		if a == b {
			return 0
		}
		return 1 << 20 // too long to be a typo worth suggesting for
	}
	prev2 := make([]int, len(rb)+1)
	prev := make([]int, len(rb)+1)
	cur := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = i
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
			if i > 1 && j > 1 && ra[i-1] == rb[j-2] && ra[i-2] == rb[j-1] {
				cur[j] = min(cur[j], prev2[j-2]+1)
			}
		}
		prev2, prev, cur = prev, cur, prev2
	}
	return prev[len(rb)]
}

// unknownValue words the error for a value that is not one of known:
// `unknown widget type "guage" (known: a, b, c); did you mean "gauge"?`.
// The words are made when the result is formatted (with %s), so that a
// problem never reported costs no search for a suggestion.
func unknownValue(what, v string, known []string) fmt.Stringer {
	return unknown{what, v, known}
}

// unknown is an unknownValue, not yet worded.
type unknown struct {
	what, v string
	known   []string
}

func (u unknown) String() string {
	msg := fmt.Sprintf("unknown %s %q (known: %s)", u.what, u.v, strings.Join(u.known, ", "))
	if s := suggest(u.v, u.known); s != "" {
		msg += fmt.Sprintf("; did you mean %q?", s)
	}
	return msg
}

// quoteList quotes and joins values: "a", "b" or "c".
func quoteList(values []string) string {
	var b strings.Builder
	for i, v := range values {
		switch {
		case i == 0:
		case i == len(values)-1:
			b.WriteString(" or ")
		default:
			b.WriteString(", ")
		}
		fmt.Fprintf(&b, "%q", v)
	}
	return b.String()
}
