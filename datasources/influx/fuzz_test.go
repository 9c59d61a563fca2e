package influx

import (
	"bytes"
	"io"
	"math"
	"testing"
	"time"

	"github.com/influxdata/influxdb-client-go/v2/api"

	"github.com/wallboard/wallboard/datasources"
)

// checkSeries holds what every conversion promises: points in increasing
// time order, named series.
func checkSeries(t *testing.T, series []datasources.Series) {
	t.Helper()
	for _, s := range series {
		if s.Name == "" {
			t.Fatalf("unnamed series %+v", s)
		}
		for i := 1; i < len(s.Points); i++ {
			if s.Points[i].T < s.Points[i-1].T {
				t.Fatalf("series %s: points out of order at %d", s.Name, i)
			}
		}
	}
}

// FuzzFluxCSV feeds annotated CSV to the client library's parser
// (api.NewQueryTableResult, what QueryAPI.Query hands back) and the tables
// to series conversion: neither may panic; bad input is an error.
func FuzzFluxCSV(f *testing.F) {
	for _, seed := range []string{twoTables, pivoted, noTime, ungrouped, errorTable,
		"#datatype,string,long\r\n,result,table\r\n,,0\r\n",
		"#group,false\r\n,a\r\n,b\r\n",
		"#datatype,string,long,dateTime:RFC3339,double\r\n#group,false,false,false,false\r\n#default,,,,\r\n,result,table,_time,_value\r\n,,0,2026-11-27T00:00:00Z,NaN\r\n,,0,bad,1\r\n",
	} {
		f.Add([]byte(seed))
	}
	at := time.Date(2026, 11, 27, 1, 0, 0, 0, time.UTC)
	f.Fuzz(func(t *testing.T, data []byte) {
		res := api.NewQueryTableResult(io.NopCloser(bytes.NewReader(data)))
		series, err := tablesToSeries(res, "{{_field}} {{region}}", at)
		if err != nil {
			if series != nil {
				t.Fatal("series with an error")
			}
			return
		}
		checkSeries(t, series)
		for _, s := range lastPoints(series) {
			if len(s.Points) > 1 {
				t.Fatalf("lastPoints left %d points", len(s.Points))
			}
		}
	})
}

// FuzzInfluxQLResponse feeds /query answers to the InfluxQL parser: it may
// not panic; bad input is an error.
func FuzzInfluxQLResponse(f *testing.F) {
	for _, seed := range []string{v1Answer,
		`{"results":[{"statement_id":0}]}`,
		`{"results":[{"statement_id":0,"error":"database not found: x"}]}`,
		`{"error":"error parsing query"}`,
		`{"results":[{"statement_id":0,"series":[{"name":"m","columns":["time","value"],"values":[["2026-11-27T00:00:00Z",1e400],[1795737600000.5,-1],[1,null],[2,"x"],[3,false]]}]}]}`,
		`{"results":[{"statement_id":0,"series":[{"name":"m","columns":["value","time"],"values":[[1]]}]}]}`,
		`{"results":[{"series":[{"name":"m","columns":["time"],"values":[[1],[{}]]}]}]}`,
	} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		series, err := parseInfluxQL(data, "")
		if err != nil {
			return
		}
		checkSeries(t, series)
		for _, s := range series {
			numbers := false
			for _, p := range s.Points {
				numbers = numbers || !math.IsNaN(p.V)
			}
			if !numbers {
				t.Fatalf("series %s has no numbers", s.Name)
			}
		}
	})
}
