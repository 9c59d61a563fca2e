// Package jsonpos reads JSON documents so that every problem can be shown
// where it is: by byte offset, line and column, and JSON path (such as
// $.dashboards[0].widgets[2].type).
//
// Decode parses a document into generic values (map[string]any, []any,
// string, json.Number, bool and nil), stricter than encoding/json: it
// rejects invalid UTF-8 and lone surrogate escapes instead of replacing
// them, bounds the nesting depth, and reports duplicate object keys. Its
// syntax errors carry the exact offset and path of the fault. Decoding
// records no positions, so a valid document costs no more than its
// values; Locate finds, in a second pass, the offsets of only the paths
// that turned out to need one, and Lines turns offsets into lines and
// columns.
//
// Key, Index and Parent build and take apart the paths that both use.
package jsonpos
