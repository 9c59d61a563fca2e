package prometheus

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/wallboard/wallboard/datasources"
	"github.com/wallboard/wallboard/internal/testnet"
)

// TestErrorsKeepSecrets: a secret in the URL's user part or query, or a
// token the server echoes back in an error body, never reaches an error's
// text (which the wall logs and shows).
func TestErrorsKeepSecrets(t *testing.T) {
	echo := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusUnauthorized)
		_, _ = w.Write([]byte(`{"status":"error","errorType":"unauthorized","error":"bad header ` + r.Header.Get("Authorization") + `"}`))
	}))
	defer echo.Close()
	refused := strings.TrimPrefix(testnet.Refused(t), "http://")
	tests := []struct {
		name string
		cfg  Config
		leak []string
	}{
		{"echoed token", Config{URL: echo.URL, Token: "tok-3141592653"}, []string{"tok-3141592653"}},
		{"user part", Config{URL: "http://s3cret@" + refused}, []string{"s3cret"}},
		{"escaped user and password", Config{URL: "http://user%3As3cret@" + refused}, []string{"s3cret"}},
		{"query parameters", Config{URL: "http://" + refused + "/?auth=abc123&sig=deadbeef"}, []string{"abc123", "deadbeef"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, err := New(tt.cfg)
			if err != nil {
				t.Fatal(err)
			}
			ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
			defer cancel()
			_, err = s.Query(ctx, datasources.Query{Expr: "up", Instant: true})
			if err == nil {
				t.Fatal("no error")
			}
			for _, l := range tt.leak {
				if strings.Contains(err.Error(), l) {
					t.Errorf("error %q contains the secret %q", err, l)
				}
			}
		})
	}
}
