package influx

import (
	"context"
	"slices"
	"strconv"

	"github.com/wallboard/wallboard/datasources"
)

// Writer accepts line protocol whose timestamps are Unix milliseconds.
// InfluxQL (1.x /write) and Flux (2.x write API) are Writers.
type Writer interface {
	WriteLines(ctx context.Context, lines []byte) error
}

// AppendLine appends one line of line protocol to dst: measurement, the
// tags in name order (empty values left out, as line protocol requires),
// the float field "value" and the time in Unix milliseconds. NaN and Inf
// cannot be written; callers skip them.
func AppendLine(dst []byte, measurement string, tags datasources.Labels, value float64, ms int64) []byte {
	dst = appendEscaped(dst, measurement, false)
	names := make([]string, 0, len(tags))
	for k, v := range tags {
		if k != "" && v != "" {
			names = append(names, k)
		}
	}
	slices.Sort(names)
	for _, k := range names {
		dst = append(dst, ',')
		dst = appendEscaped(dst, k, true)
		dst = append(dst, '=')
		dst = appendEscaped(dst, tags[k], true)
	}
	dst = append(dst, " value="...)
	dst = strconv.AppendFloat(dst, value, 'f', -1, 64)
	dst = append(dst, ' ')
	dst = strconv.AppendInt(dst, ms, 10)
	return append(dst, '\n')
}

// appendEscaped escapes commas and spaces (and, in tags, equals signs) and
// turns newlines, which line protocol cannot carry, into spaces.
func appendEscaped(dst []byte, s string, tag bool) []byte {
	for i := 0; i < len(s); i++ {
		switch c := s[i]; c {
		case ',', ' ':
			dst = append(dst, '\\', c)
		case '=':
			if tag {
				dst = append(dst, '\\')
			}
			dst = append(dst, c)
		case '\n', '\r':
			dst = append(dst, '\\', ' ')
		default:
			dst = append(dst, c)
		}
	}
	return dst
}
