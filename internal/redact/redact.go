// Package redact keeps secrets out of everything Wallboard logs or shows:
// URLs lose their user information, query and fragment wherever they occur
// in a text, the values of the credentials the program knows (read from the
// environment variables a layout names) are replaced by "***", and so are
// Authorization header values echoed back by a server. Error wraps an
// error so that its text is redacted while errors.Is and errors.As still
// see the original; Handler does the same for every slog record.
package redact

import (
	"context"
	"log/slog"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"sync"
)

// Mask replaces a secret.
const Mask = "***"

// minSecret is the shortest value scrubbed: shorter ones would blank out
// ordinary words.
const minSecret = 4

// Secrets is a set of known secret values. The zero value is empty and
// ready to use; it is safe for concurrent use.
type Secrets struct {
	mu   sync.RWMutex
	vals []string
}

// Known is the program's set: sources add their credentials when they read
// them, and Text, Error and Handler scrub them.
var Known = &Secrets{}

// Add registers secret values (empty and very short ones are ignored).
func (s *Secrets) Add(vals ...string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, v := range vals {
		if len(v) >= minSecret && !slices.Contains(s.vals, v) {
			s.vals = append(s.vals, v)
		}
	}
	// Longest first, so a secret containing another is masked whole.
	slices.SortFunc(s.vals, func(a, b string) int { return len(b) - len(a) })
}

// Scrub replaces every known secret value in str, also in its
// URL-escaped forms.
func (s *Secrets) Scrub(str string) string {
	s.mu.RLock()
	defer s.mu.RUnlock()
	for _, v := range s.vals {
		for _, form := range []string{v, url.QueryEscape(v), url.PathEscape(v)} {
			if strings.Contains(str, form) {
				str = strings.ReplaceAll(str, form, Mask)
			}
		}
	}
	return str
}

var (
	// urlRE finds URLs in free text (an error message, a server's body).
	urlRE = regexp.MustCompile(`[A-Za-z][A-Za-z0-9+.-]*://[^\s"'<>]+`)
	// headerRE finds an echoed Authorization header's value, with or
	// without its scheme; schemeRE a credential after its scheme word.
	headerRE = regexp.MustCompile(`(?i)(authorization"?\s*[:=]\s*"?)((?:bearer|basic|token)\s+)?[^\s",})]+`)
	schemeRE = regexp.MustCompile(`\b((?i:bearer|basic)|Token)(\s+)[A-Za-z0-9._~+/=-]{4,}`)
)

// URL returns raw without user information, query or fragment. Text that
// does not parse as a URL is cut at its first "?" or "#" and any user part
// is masked.
func URL(raw string) string {
	u, err := url.Parse(raw)
	if err == nil && u.Scheme != "" {
		return Clean(u).String()
	}
	if i := strings.IndexAny(raw, "?#"); i >= 0 {
		raw = raw[:i]
	}
	if scheme, rest, ok := strings.Cut(raw, "://"); ok {
		if at := strings.LastIndex(rest, "@"); at >= 0 && !strings.Contains(rest[:at], "/") {
			rest = Mask + "@" + rest[at+1:]
		}
		raw = scheme + "://" + rest
	}
	return raw
}

// Clean returns a copy of u without user information, query or fragment:
// safe to show on a panel or write to a log.
func Clean(u *url.URL) *url.URL {
	c := *u
	c.User = nil
	c.RawQuery, c.ForceQuery, c.Fragment, c.RawFragment = "", false, "", ""
	return &c
}

// Text returns s with every URL redacted, every echoed credential and every
// known secret masked.
func Text(s string) string {
	if strings.Contains(s, "://") {
		s = urlRE.ReplaceAllStringFunc(s, URL)
	}
	s = headerRE.ReplaceAllString(s, "${1}${2}"+Mask)
	s = schemeRE.ReplaceAllStringFunc(s, func(m string) string {
		if strings.HasSuffix(m, Mask) {
			return m
		}
		sub := schemeRE.FindStringSubmatch(m)
		return sub[1] + sub[2] + Mask
	})
	return Known.Scrub(s)
}

// Error returns err with a redacted message (see Text); errors.Is and
// errors.As still reach err. nil stays nil.
func Error(err error) error {
	if err == nil {
		return nil
	}
	msg := err.Error()
	if red := Text(msg); red != msg {
		return &redacted{msg: red, err: err}
	}
	return err
}

type redacted struct {
	msg string
	err error
}

func (e *redacted) Error() string { return e.msg }
func (e *redacted) Unwrap() error { return e.err }

// Handler is a slog.Handler that redacts the message and every attribute
// (strings, errors, anything printed) of a record before passing it on.
type Handler struct{ Next slog.Handler }

// NewHandler returns a Handler in front of next.
func NewHandler(next slog.Handler) *Handler { return &Handler{Next: next} }

// Enabled reports whether next handles level.
func (h *Handler) Enabled(ctx context.Context, l slog.Level) bool { return h.Next.Enabled(ctx, l) }

// Handle redacts r and hands it to next.
func (h *Handler) Handle(ctx context.Context, r slog.Record) error {
	out := slog.NewRecord(r.Time, r.Level, Text(r.Message), r.PC)
	r.Attrs(func(a slog.Attr) bool {
		out.AddAttrs(attr(a))
		return true
	})
	return h.Next.Handle(ctx, out)
}

// WithAttrs redacts attrs once.
func (h *Handler) WithAttrs(attrs []slog.Attr) slog.Handler {
	red := make([]slog.Attr, len(attrs))
	for i, a := range attrs {
		red[i] = attr(a)
	}
	return &Handler{Next: h.Next.WithAttrs(red)}
}

// WithGroup opens a group in next.
func (h *Handler) WithGroup(name string) slog.Handler { return &Handler{Next: h.Next.WithGroup(name)} }

func attr(a slog.Attr) slog.Attr {
	v := a.Value.Resolve()
	switch v.Kind() {
	case slog.KindString:
		return slog.String(a.Key, Text(v.String()))
	case slog.KindGroup:
		g := v.Group()
		red := make([]any, len(g))
		for i, x := range g {
			red[i] = attr(x)
		}
		return slog.Group(a.Key, red...)
	case slog.KindAny:
		if err, ok := v.Any().(error); ok {
			return slog.String(a.Key, Text(err.Error()))
		}
		return slog.String(a.Key, Text(v.String()))
	}
	return slog.Attr{Key: a.Key, Value: v}
}
