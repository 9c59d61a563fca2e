package influx

import (
	"testing"

	"github.com/wallboard/wallboard/datasources"
)

func TestAppendLine(t *testing.T) {
	for _, tc := range []struct {
		name        string
		measurement string
		tags        datasources.Labels
		v           float64
		want        string
	}{
		{"plain", "cpu_usage_percent", datasources.Labels{"instance": "gpu-node-1"}, 41.5, "cpu_usage_percent,instance=gpu-node-1 value=41.5 1000\n"},
		{"tags sorted, empty left out", "m", datasources.Labels{"b": "2", "a": "1", "c": ""}, 1, "m,a=1,b=2 value=1 1000\n"},
		{"large counter stays a float", "audio_requests_total", nil, 23182310258, "audio_requests_total value=23182310258 1000\n"},
		{"escapes", "my m,x", datasources.Labels{"k=1": "a b,c=d"}, 0.25, `my\ m\,x,k\=1=a\ b\,c\=d value=0.25 1000` + "\n"},
		{"newline", "m", datasources.Labels{"a": "x\ny"}, -3, "m,a=x\\ y value=-3 1000\n"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := string(AppendLine(nil, tc.measurement, tc.tags, tc.v, 1000)); got != tc.want {
				t.Fatalf("got  %q\nwant %q", got, tc.want)
			}
		})
	}
}
