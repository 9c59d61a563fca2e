package influx

import (
	"math"
	"slices"

	"github.com/wallboard/wallboard/datasources"
)

// newSeries names a series by the legend (datasources.FormatLegend), or
// without one as "measurement.field{other labels}".
func newSeries(legend string, l datasources.Labels, pts []datasources.Point) datasources.Series {
	name := ""
	if legend != "" {
		name = datasources.FormatLegend(legend, l)
	} else {
		name = defaultName(l)
	}
	return datasources.Series{Name: name, Labels: l, Points: pts}
}

func defaultName(l datasources.Labels) string {
	name := l["_measurement"]
	if f := l["_field"]; f != "" {
		if name != "" {
			name += "."
		}
		name += f
	}
	rest := make(datasources.Labels, len(l))
	for k, v := range l {
		if k != "_measurement" && k != "_field" {
			rest[k] = v
		}
	}
	if len(rest) > 0 {
		name += rest.String()
	}
	if name == "" {
		return "value"
	}
	return name
}

// sortPoints puts points in increasing time order (answers usually are).
func sortPoints(pts []datasources.Point) {
	if !slices.IsSortedFunc(pts, cmpPoint) {
		slices.SortStableFunc(pts, cmpPoint)
	}
}

func cmpPoint(a, b datasources.Point) int {
	switch {
	case a.T < b.T:
		return -1
	case a.T > b.T:
		return 1
	}
	return 0
}

// lastPoints keeps each series' last value (the last that is not NaN, if
// any), for instant queries.
func lastPoints(series []datasources.Series) []datasources.Series {
	for i := range series {
		pts := series[i].Points
		if len(pts) == 0 {
			continue
		}
		last := pts[len(pts)-1]
		if p, ok := series[i].Last(); ok {
			last = p
		}
		series[i].Points = []datasources.Point{last}
	}
	return series
}

// toFloat converts a Flux value to a number: numbers and booleans are
// numbers, nil a gap (NaN); text, times and bytes are not numbers.
func toFloat(v any) (float64, bool) {
	switch v := v.(type) {
	case float64:
		return v, true
	case int64:
		return float64(v), true
	case uint64:
		return float64(v), true
	case bool:
		if v {
			return 1, true
		}
		return 0, true
	case nil:
		return math.NaN(), true
	}
	return 0, false
}
