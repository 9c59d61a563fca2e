package assets

import (
	_ "embed"
	"encoding/binary"
	"errors"
	"sync"
)

// world110m is the Natural Earth 1:110m country shapes (public domain),
// from the world-atlas package's countries-110m.json (TopoJSON), converted
// once by gen/main.go; its comment describes the format.
//
//go:embed world110m.bin
var world110m []byte

// LonLat is a point in degrees: longitude -180..180 (east positive),
// latitude -90..90 (north positive).
type LonLat struct{ Lon, Lat float32 }

// Ring is a closed ring of points; the last point joins the first.
type Ring []LonLat

// Polygon is an outline ring followed by its holes, if any.
type Polygon []Ring

// Country is one country (or territory) of the map.
type Country struct {
	// ID is the ISO 3166-1 numeric code ("840" for the United States),
	// empty for a few disputed territories.
	ID string
	// Name is the short English name ("United States of America").
	Name string
	// Polygons are the country's parts: mainland, islands.
	Polygons []Polygon
	// Min and Max bound the country's points.
	Min, Max LonLat
}

var world struct {
	once sync.Once
	c    []Country
	err  error
}

// World returns the countries of the world at 1:110m (177 shapes, about
// 10,000 points, to 0.01°), decoded on the first call. The slice and the
// shapes are shared: callers must not modify them.
func World() []Country {
	world.once.Do(func() { world.c, world.err = decodeWorld(world110m) })
	if world.err != nil {
		panic("assets: world110m.bin: " + world.err.Error()) // cannot happen: the file is compiled in and tested
	}
	return world.c
}

var errCorrupt = errors.New("corrupt map data")

// decodeWorld parses the format gen/main.go writes.
func decodeWorld(b []byte) ([]Country, error) {
	const magic = "WMAP\x01"
	if len(b) < len(magic) || string(b[:len(magic)]) != magic {
		return nil, errors.New("not a WMAP v1 file")
	}
	b = b[len(magic):]
	fail := false
	uv := func() int {
		v, n := binary.Uvarint(b)
		if n <= 0 || v > 1<<24 {
			fail = true
			return 0
		}
		b = b[n:]
		return int(v)
	}
	sv := func() int64 {
		v, n := binary.Varint(b)
		if n <= 0 {
			fail = true
			return 0
		}
		b = b[n:]
		return v
	}
	str := func() string {
		n := uv()
		if fail || n > len(b) {
			fail = true
			return ""
		}
		s := string(b[:n])
		b = b[n:]
		return s
	}
	n := uv()
	out := make([]Country, 0, n)
	for i := 0; i < n && !fail; i++ {
		c := Country{ID: str(), Name: str()}
		c.Min = LonLat{180, 90}
		c.Max = LonLat{-180, -90}
		np := uv()
		for j := 0; j < np && !fail; j++ {
			nr := uv()
			poly := make(Polygon, 0, nr)
			for k := 0; k < nr && !fail; k++ {
				pts := uv()
				if fail || pts > len(b) {
					return nil, errCorrupt
				}
				r := make(Ring, pts)
				var x, y int64
				for m := range r {
					x += sv()
					y += sv()
					p := LonLat{float32(x) / 100, float32(y) / 100}
					r[m] = p
					c.Min.Lon, c.Min.Lat = min(c.Min.Lon, p.Lon), min(c.Min.Lat, p.Lat)
					c.Max.Lon, c.Max.Lat = max(c.Max.Lon, p.Lon), max(c.Max.Lat, p.Lat)
				}
				poly = append(poly, r)
			}
			c.Polygons = append(c.Polygons, poly)
		}
		out = append(out, c)
	}
	if fail || len(b) != 0 {
		return nil, errCorrupt
	}
	return out, nil
}
