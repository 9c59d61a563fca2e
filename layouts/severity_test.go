package layouts

import "testing"

func TestSeverityRank(t *testing.T) {
	for _, tc := range []struct {
		s     string
		rank  int
		level Level
	}{
		{"critical", 0, LevelCritical}, {"CRITICAL", 0, LevelCritical},
		{"warning", 1, LevelWarning}, {"Warning", 1, LevelWarning},
		{"info", 2, LevelOK}, {"page", 3, LevelOK}, {"", 3, LevelOK},
	} {
		t.Run(tc.s, func(t *testing.T) {
			if got := SeverityRank(tc.s); got != tc.rank {
				t.Errorf("SeverityRank(%q) = %d, want %d", tc.s, got, tc.rank)
			}
			if got := SeverityLevel(tc.s); got != tc.level {
				t.Errorf("SeverityLevel(%q) = %v, want %v", tc.s, got, tc.level)
			}
		})
	}
}
