package assets

import (
	"math"
	"testing"
)

func TestWorld(t *testing.T) {
	w := World()
	if len(w) != 177 {
		t.Fatalf("%d countries, want 177", len(w))
	}
	byName := map[string]Country{}
	points := 0
	for _, c := range w {
		byName[c.Name] = c
		if c.Name == "" || len(c.Polygons) == 0 {
			t.Errorf("country %q (%s): no name or no shape", c.Name, c.ID)
		}
		for _, p := range c.Polygons {
			for _, r := range p {
				if len(r) < 3 {
					t.Errorf("%s: ring of %d points", c.Name, len(r))
				}
				for _, q := range r {
					if math.Abs(float64(q.Lon)) > 180 || math.Abs(float64(q.Lat)) > 90 {
						t.Fatalf("%s: point %v out of range", c.Name, q)
					}
				}
				points += len(r)
			}
		}
	}
	if points < 8000 || points > 20000 {
		t.Errorf("%d points", points)
	}
	// Spot checks: a few countries contain their capital's box.
	for _, tc := range []struct {
		name     string
		lon, lat float32
	}{
		{"United States of America", -77.0, 38.9},
		{"Ireland", -6.3, 53.3},
		{"Germany", 8.7, 50.1},
		{"India", 72.9, 19.1},
		{"Japan", 139.7, 35.7},
		{"Brazil", -46.6, -23.5},
	} {
		c, ok := byName[tc.name]
		if !ok {
			t.Errorf("no %s", tc.name)
			continue
		}
		if tc.lon < c.Min.Lon || tc.lon > c.Max.Lon || tc.lat < c.Min.Lat || tc.lat > c.Max.Lat {
			t.Errorf("%s: bounds %v..%v miss %v,%v", tc.name, c.Min, c.Max, tc.lon, tc.lat)
		}
	}
	if &World()[0] != &w[0] {
		t.Error("World decodes again on every call")
	}
}

func TestDecodeCorrupt(t *testing.T) {
	for _, b := range [][]byte{nil, []byte("WMAP"), []byte("WMAP\x02"), world110m[:len(world110m)/2], append(append([]byte{}, world110m...), 0)} {
		if _, err := decodeWorld(b); err == nil {
			t.Errorf("decodeWorld(%d bytes) accepted", len(b))
		}
	}
}
