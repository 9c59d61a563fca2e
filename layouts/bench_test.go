package layouts

import (
	"bytes"
	"fmt"
	"testing"
)

func BenchmarkParseBuiltin(b *testing.B) {
	data, err := Marshal(Builtin())
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(data)))
	for b.Loop() {
		if _, err := Parse("builtin.json", data); err != nil {
			b.Fatal(err)
		}
	}
}

// bigLayout is a layout document with one dashboard of n widgets, 24
// columns wide, each widget on its own cell or, with overlapping, all on
// the first cell.
func bigLayout(n int, overlapping bool) []byte {
	var b bytes.Buffer
	b.WriteString(`{"version": 1, "dashboards": [{"id": "big", "title": "Big", "time": {"from": "now-1h"}, "columns": 24, "widgets": [` + "\n")
	for i := range n {
		row, col := i/24+1, i%24+1
		if overlapping {
			row, col = 1, 1
		}
		if i > 0 {
			b.WriteString(",\n")
		}
		fmt.Fprintf(&b, `  {"id": "w%d", "type": "stat", "title": "Widget %d", "unit": "percent", "queries": [{"expr": "avg(cpu_usage_percent{region=~\"$region\"})", "legend": "cpu"}], "thresholds": {"warning": 70, "critical": 90}, "position": {"row": %d, "col": %d}}`, i, i, row, col)
	}
	b.WriteString("\n]}]}\n")
	return b.Bytes()
}

func benchmarkValidate(b *testing.B, data []byte, wantErr bool) {
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	cpu0 := cpuTime()
	for b.Loop() {
		_, err := Parse("big.json", data)
		if (err != nil) != wantErr {
			b.Fatalf("Parse error %v, want error %t", err, wantErr)
		}
		if err != nil {
			_ = err.Error()
		}
	}
	// CPU time (all threads, GC included) tells the work apart from the
	// waiting on a machine shared with other builds.
	b.ReportMetric(float64(cpuTime()-cpu0)/float64(b.N), "cpu-ns/op")
}

// BenchmarkValidate20k parses and validates a valid layout of 20,000
// widgets.
func BenchmarkValidate20k(b *testing.B) { benchmarkValidate(b, bigLayout(20000, false), false) }

// BenchmarkValidate20kOverlapping parses a layout of 20,000 widgets that
// all overlap the first, and formats its error.
func BenchmarkValidate20kOverlapping(b *testing.B) {
	benchmarkValidate(b, bigLayout(20000, true), true)
}
