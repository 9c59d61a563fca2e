package layouts

import "strings"

// SeverityRank is the one order of severities, most severe first, for
// every alert list, sort and banner: critical 0, warning 1, info 2,
// anything else (a Prometheus rule's own words) 3. Case does not matter.
func SeverityRank(s string) int {
	switch strings.ToLower(s) {
	case SeverityCritical:
		return 0
	case SeverityWarning:
		return 1
	case SeverityInfo:
		return 2
	}
	return 3
}

// SeverityLevel maps a severity to a threshold level: critical to
// LevelCritical, warning to LevelWarning, anything else to LevelOK.
func SeverityLevel(s string) Level {
	switch SeverityRank(s) {
	case 0:
		return LevelCritical
	case 1:
		return LevelWarning
	}
	return LevelOK
}
