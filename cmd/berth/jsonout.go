package main

import (
	"encoding/json"
	"io"
)

// writeJSONIndent writes v as indented JSON and a newline.
func writeJSONIndent(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}
