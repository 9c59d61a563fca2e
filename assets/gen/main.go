//go:build ignore

// Command gen converts the world-atlas TopoJSON (Natural Earth 1:110m
// country shapes, public domain, packaged by Mike Bostock under the ISC
// licence) into assets/world110m.bin, the compact form package assets
// embeds. It is run once, by hand, not by the build:
//
//	cd /tmp && npm pack world-atlas@2 && tar xzf world-atlas-2.0.2.tgz
//	cd <repo>/assets && go run gen/main.go /tmp/package/countries-110m.json > world110m.bin
//
// Format (all integers unsigned LEB128 varints unless said otherwise):
//
//	"WMAP" 0x01                     magic and version
//	uvarint countries
//	per country: string id, string name (uvarint length + UTF-8),
//	             uvarint polygons
//	  per polygon: uvarint rings (the first is the outline, the others holes)
//	    per ring: uvarint points, then per point the zigzag varint deltas of
//	              longitude and latitude in hundredths of a degree, from the
//	              previous point (the first from 0, 0)
//
// Rings are closed implicitly (the last point is not repeated); a ring's
// consecutive duplicate points (after rounding) are dropped, and so are
// rings left with fewer than three points.
package main

import (
	"bufio"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"math"
	"os"
)

type topology struct {
	Transform struct {
		Scale     [2]float64 `json:"scale"`
		Translate [2]float64 `json:"translate"`
	} `json:"transform"`
	Arcs    [][][2]float64 `json:"arcs"`
	Objects struct {
		Countries struct {
			Geometries []struct {
				Type       string          `json:"type"`
				ID         string          `json:"id"`
				Arcs       json.RawMessage `json:"arcs"`
				Properties struct {
					Name string `json:"name"`
				} `json:"properties"`
			} `json:"geometries"`
		} `json:"countries"`
	} `json:"objects"`
}

func main() {
	if len(os.Args) != 2 {
		fmt.Fprintln(os.Stderr, "usage: go run gen/main.go countries-110m.json > world110m.bin")
		os.Exit(2)
	}
	data, err := os.ReadFile(os.Args[1])
	check(err)
	var t topology
	check(json.Unmarshal(data, &t))

	// Decode the delta-encoded, quantized arcs to degrees.
	arcs := make([][][2]float64, len(t.Arcs))
	for i, a := range t.Arcs {
		var x, y float64
		for _, p := range a {
			x += p[0]
			y += p[1]
			arcs[i] = append(arcs[i], [2]float64{
				x*t.Transform.Scale[0] + t.Transform.Translate[0],
				y*t.Transform.Scale[1] + t.Transform.Translate[1],
			})
		}
	}
	// ring joins arcs (a negative index ~i is arc i reversed), dropping
	// the first point of every arc after the first (it repeats the last).
	ring := func(idx []int) [][2]int64 {
		var out [][2]int64
		for k, ai := range idx {
			pts := arcs[max(ai, ^ai)]
			if ai < 0 {
				rev := make([][2]float64, len(pts))
				for j := range pts {
					rev[j] = pts[len(pts)-1-j]
				}
				pts = rev
			}
			for j, p := range pts {
				if k > 0 && j == 0 {
					continue
				}
				q := [2]int64{int64(math.Round(p[0] * 100)), int64(math.Round(p[1] * 100))}
				if n := len(out); n > 0 && out[n-1] == q {
					continue
				}
				out = append(out, q)
			}
		}
		if n := len(out); n > 1 && out[0] == out[n-1] {
			out = out[:n-1]
		}
		return out
	}

	w := bufio.NewWriter(os.Stdout)
	defer w.Flush()
	buf := make([]byte, binary.MaxVarintLen64)
	uv := func(v uint64) { w.Write(buf[:binary.PutUvarint(buf, v)]) }
	sv := func(v int64) { w.Write(buf[:binary.PutVarint(buf, v)]) }
	str := func(s string) { uv(uint64(len(s))); w.WriteString(s) }

	geoms := t.Objects.Countries.Geometries
	w.WriteString("WMAP\x01")
	uv(uint64(len(geoms)))
	points := 0
	for _, g := range geoms {
		var polys [][][]int
		switch g.Type {
		case "Polygon":
			var p [][]int
			check(json.Unmarshal(g.Arcs, &p))
			polys = [][][]int{p}
		case "MultiPolygon":
			check(json.Unmarshal(g.Arcs, &polys))
		default: // a null geometry
		}
		// Rings that rounding leaves with fewer than three points are
		// dropped, and polygons whose outline is dropped.
		var shapes [][][][2]int64
		for _, p := range polys {
			var rings [][][2]int64
			for k, r := range p {
				pts := ring(r)
				if len(pts) < 3 {
					if k == 0 {
						break
					}
					continue
				}
				rings = append(rings, pts)
			}
			if len(rings) > 0 {
				shapes = append(shapes, rings)
			}
		}
		str(g.ID)
		str(g.Properties.Name)
		uv(uint64(len(shapes)))
		for _, p := range shapes {
			uv(uint64(len(p)))
			for _, pts := range p {
				uv(uint64(len(pts)))
				var px, py int64
				for _, q := range pts {
					sv(q[0] - px)
					sv(q[1] - py)
					px, py = q[0], q[1]
				}
				points += len(pts)
			}
		}
	}
	fmt.Fprintf(os.Stderr, "%d countries, %d points\n", len(geoms), points)
}

func check(err error) {
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}
