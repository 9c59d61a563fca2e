// Package assets holds files embedded in the binary: the application icon
// and the world map geometry the geo-map panels draw.
package assets

import _ "embed"

// Icon is the application icon, 256x256 PNG.
//
//go:embed icon.png
var Icon []byte
