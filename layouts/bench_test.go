package layouts

import "testing"

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
