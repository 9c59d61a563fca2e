package redact

import (
	"bytes"
	"errors"
	"log/slog"
	"net/url"
	"strings"
	"testing"
)

func TestText(t *testing.T) {
	Known.Add("s3cret-token", "hunter2pass")
	tests := []struct {
		name, in string
		leak     []string
	}{
		{"user part", `Post "http://s3cret@prom:9090/api/v1/query": dial tcp: refused`, []string{"s3cret"}},
		{"escaped user and password", `Get "http://user%3As3cret@prom:9090/x": EOF`, []string{"s3cret", "user%3A"}},
		{"query parameters", `Get "https://prom/api?auth=abc123&sig=deadbeef": 500`, []string{"abc123", "deadbeef"}},
		{"fragment", `http://prom/x#token=abcdef`, []string{"abcdef"}},
		{"echoed bearer", `HTTP 401: {"error":"bad credentials","header":"Bearer eyJhbGciOi.xyz"}`, []string{"eyJhbGciOi"}},
		{"echoed authorization", `unauthorized (Authorization: Basic dXNlcjpwYXNz)`, []string{"dXNlcjpwYXNz"}},
		{"known token anywhere", `the server said s3cret-token is wrong`, []string{"s3cret-token"}},
		{"known password escaped", `pw=` + url.QueryEscape("hunter2pass"), []string{"hunter2pass"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Text(tt.in)
			for _, l := range tt.leak {
				if strings.Contains(got, l) {
					t.Errorf("Text(%q) = %q: still contains %q", tt.in, got, l)
				}
			}
		})
	}
	if got := Text("prometheus http://prom:9090: no answer within 5s"); got != "prometheus http://prom:9090: no answer within 5s" {
		t.Errorf("a clean message changed: %q", got)
	}
}

func TestErrorKeepsChain(t *testing.T) {
	base := errors.New("boom")
	err := Error(&url.Error{Op: "Get", URL: "http://u:pw1234@h/x?token=t0k3n", Err: base})
	if strings.Contains(err.Error(), "pw1234") || strings.Contains(err.Error(), "t0k3n") {
		t.Errorf("Error() = %q", err)
	}
	if !errors.Is(err, base) {
		t.Error("errors.Is lost the cause")
	}
	var ue *url.Error
	if !errors.As(err, &ue) {
		t.Error("errors.As lost the *url.Error")
	}
}

func TestHandler(t *testing.T) {
	Known.Add("tok-9999")
	var buf bytes.Buffer
	log := slog.New(NewHandler(slog.NewTextHandler(&buf, nil)))
	log.With("url", "http://a:tok-9999@h").Warn("query failed with tok-9999", "err", errors.New(`Get "http://h/?sig=zzz": 401 Bearer tok-9999`), "n", 3)
	out := buf.String()
	for _, leak := range []string{"tok-9999", "zzz"} {
		if strings.Contains(out, leak) {
			t.Errorf("log line leaks %q: %s", leak, out)
		}
	}
	if !strings.Contains(out, "n=3") {
		t.Errorf("log line lost an attribute: %s", out)
	}
}

func FuzzText(f *testing.F) {
	f.Add(`Get "http://user:pw@host:9090/api?x=1#f": EOF Bearer abcdef`)
	f.Add("plain text")
	f.Fuzz(func(t *testing.T, s string) {
		out := Text(s)
		if Text(out) != Text(Text(s)) {
			t.Fatalf("not idempotent on %q", s)
		}
	})
}
