package influx

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/influxdata/influxdb-client-go/v2/api"
	"github.com/influxdata/influxdb-client-go/v2/api/query"

	"github.com/wallboard/wallboard/datasources"
)

// maxFluxPoints bounds the points of one Flux answer.
const maxFluxPoints = 5_000_000

var errTooManyPoints = fmt.Errorf("more than %d points: narrow the range or aggregate (aggregateWindow)", maxFluxPoints)

// Columns of Flux tables with a meaning of their own.
const (
	colResult      = "result"
	colTable       = "table"
	colStart       = "_start"
	colStop        = "_stop"
	colTime        = "_time"
	colValue       = "_value"
	colField       = "_field"
	colMeasurement = "_measurement"
)

// tableShape is how one table's columns become series.
type tableShape struct {
	// values are the columns read as values: _value if the table has one,
	// else every numeric column outside the group key (after a pivot).
	values []string
	// labels are the group key columns that label the series.
	labels []string
	// timeCol is _time, else _stop (an aggregate without windows), else "".
	timeCol string
}

func shapeOf(meta *query.FluxTableMetadata) tableShape {
	var sh tableShape
	hasValue, hasTime, hasStop := false, false, false
	for _, c := range meta.Columns() {
		switch c.Name() {
		case colValue:
			hasValue = true
		case colTime:
			hasTime = true
		case colStop:
			hasStop = true
		}
	}
	switch {
	case hasTime:
		sh.timeCol = colTime
	case hasStop:
		sh.timeCol = colStop
	}
	for _, c := range meta.Columns() {
		name := c.Name()
		switch name {
		case "", colResult, colTable, colStart, colStop, colTime, colValue:
			continue
		}
		if c.IsGroup() || name == colField || name == colMeasurement {
			sh.labels = append(sh.labels, name)
		} else if !hasValue && numericType(c.DataType()) {
			sh.values = append(sh.values, name)
		}
	}
	if hasValue {
		sh.values = []string{colValue}
	}
	return sh
}

func numericType(t string) bool {
	switch t {
	case "double", "long", "unsignedLong", "boolean":
		return true
	}
	return false
}

// tablesToSeries reads a Flux answer into series: one per table (and value
// column), labelled by the table's group key columns (but _start and
// _stop) plus _field and _measurement, named by legend. Rows without a time
// get at (the query's end); text values are left out, null values are NaN.
// It never panics on bad input; the answer's own error (an error table,
// bad CSV) is returned as is.
func tablesToSeries(res *api.QueryTableResult, legend string, at time.Time) ([]datasources.Series, error) {
	var (
		out   []datasources.Series
		index = map[string]int{}
		shape tableShape
		meta  *query.FluxTableMetadata
		total int
		key   strings.Builder
	)
	for res.Next() {
		rec := res.Record()
		if rec == nil || res.TableMetadata() == nil {
			continue
		}
		if m := res.TableMetadata(); m != meta || res.TableChanged() {
			meta, shape = m, shapeOf(m)
		}
		vals := rec.Values()
		t := at.UnixMilli()
		if shape.timeCol != "" {
			tv, ok := vals[shape.timeCol].(time.Time)
			if !ok {
				continue // a row without a time cannot be drawn
			}
			t = tv.UnixMilli()
		}
		for _, vc := range shape.values {
			v, ok := toFloat(vals[vc])
			if !ok {
				continue
			}
			key.Reset()
			key.WriteString(labelText(vals[colResult]))
			key.WriteByte(0)
			key.WriteString(labelText(vals[colTable]))
			key.WriteByte(0)
			key.WriteString(strconv.Itoa(meta.Position()))
			key.WriteByte(0)
			key.WriteString(vc)
			for _, lc := range shape.labels {
				key.WriteByte(0)
				key.WriteString(labelText(vals[lc]))
			}
			i, ok := index[key.String()]
			if !ok {
				l := make(datasources.Labels, len(shape.labels)+1)
				for _, lc := range shape.labels {
					if v := vals[lc]; v != nil {
						l[lc] = labelText(v)
					}
				}
				if vc != colValue {
					l[colField] = vc
				}
				i = len(out)
				index[key.String()] = i
				out = append(out, newSeries(legend, l, nil))
			}
			out[i].Points = append(out[i].Points, datasources.Point{T: t, V: v})
			if total++; total > maxFluxPoints {
				return nil, errTooManyPoints
			}
		}
	}
	if err := res.Err(); err != nil {
		return nil, err
	}
	for i := range out {
		sortPoints(out[i].Points)
	}
	return out, nil
}

// labelText renders a Flux value as a label value.
func labelText(v any) string {
	switch v := v.(type) {
	case nil:
		return ""
	case string:
		return v
	case time.Time:
		return v.UTC().Format(time.RFC3339Nano)
	case []byte:
		return string(v)
	}
	return fmt.Sprint(v)
}
