package wall

import (
	"testing"
	"time"
)

func TestStep(t *testing.T) {
	for _, tc := range []struct {
		r, want time.Duration
	}{
		{5 * time.Minute, 15 * time.Second},
		{time.Hour, 15 * time.Second},
		{6 * time.Hour, time.Minute},
		{24 * time.Hour, 3*time.Minute + 30*time.Second},
		{30 * 24 * time.Hour, 108 * time.Minute},
	} {
		if got := Step(tc.r); got != tc.want {
			t.Errorf("Step(%v) = %v, want %v", tc.r, got, tc.want)
		}
	}
}
