package state

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"strconv"
	"strings"
)

// readers decodes each format version this berth reads into the current
// model. A reader for an older version decodes that version's own file
// types and runs them up the upgrade chain (see doc.go), so every entry
// returns a current *State.
var readers = map[int]func(data []byte) (*State, error){
	1: readV1,
}

// Decode parses a state file's bytes, whatever format version this berth
// reads. The returned state's Version is the version the bytes were
// written in. Errors unwrap to ErrInvalid, or are a *VersionError.
func Decode(data []byte) (*State, error) {
	if len(bytes.TrimSpace(data)) == 0 {
		return nil, invalidf("the file is empty (%d bytes): it was probably truncated", len(data))
	}
	v, err := sniffVersion(data)
	if err != nil {
		return nil, err
	}
	read, ok := readers[v]
	if !ok {
		return nil, &VersionError{Version: v}
	}
	return read(data)
}

// Encode renders st in the current format version: 2-space indented JSON
// with a stable key order and a trailing newline. It refuses a state that
// Decode would refuse, so berth never writes a file it cannot read back.
func Encode(st *State) ([]byte, error) {
	return writeV1(st)
}

// sniffVersion reads only the "version" field, checking on the way that
// data is exactly one JSON object.
func sniffVersion(data []byte) (int, error) {
	var head struct {
		Version *json.Number `json:"version"`
	}
	if err := json.Unmarshal(data, &head); err != nil {
		return 0, jsonError(err)
	}
	if head.Version == nil {
		return 0, invalidf("no \"version\" field: not a berth state file")
	}
	v, err := strconv.Atoi(head.Version.String())
	if err != nil {
		return 0, invalidf("\"version\" is %s, want a whole number", head.Version)
	}
	return v, nil
}

// jsonError turns an encoding/json error into a format error a user can
// act on, without Go type names.
func jsonError(err error) error {
	var syn *json.SyntaxError
	var typ *json.UnmarshalTypeError
	var b64 base64.CorruptInputError
	switch {
	case errors.As(err, &b64): // the only []byte field
		return invalidf("\"private\" is not valid base64 (bad byte at %d)", int64(b64))
	case errors.As(err, &syn) && strings.Contains(syn.Error(), "unexpected end"):
		return invalidf("the JSON ends early at byte %d: the file was probably truncated", syn.Offset)
	case errors.As(err, &syn):
		return invalidf("not JSON: %s at byte %d", syn.Error(), syn.Offset)
	case errors.As(err, &typ) && typ.Field == "":
		return invalidf("the document is a JSON %s, want an object", typ.Value)
	case errors.As(err, &typ):
		return invalidf("%q is a JSON %s, want %s", typ.Field, typ.Value, jsonKind(typ.Type))
	}
	return invalidf("%s", strings.TrimPrefix(err.Error(), "json: "))
}

func jsonKind(t reflect.Type) string {
	goKind := t.Kind().String()
	switch {
	case t == reflect.TypeFor[[]byte]():
		return "a base64 string"
	case strings.HasPrefix(goKind, "int"), strings.HasPrefix(goKind, "uint"):
		return "a whole number"
	case goKind == "slice":
		return "an array"
	case goKind == "map", goKind == "struct":
		return "an object"
	}
	return "a " + goKind
}

// isJSONObject reports whether raw (valid JSON) is an object.
func isJSONObject(raw []byte) bool {
	raw = bytes.TrimSpace(raw)
	return len(raw) > 0 && raw[0] == '{'
}

// compactJSON returns raw without insignificant whitespace.
func compactJSON(raw []byte) (json.RawMessage, error) {
	var b bytes.Buffer
	b.Grow(len(raw))
	if err := json.Compact(&b, raw); err != nil {
		return nil, fmt.Errorf("invalid JSON: %w", err)
	}
	return b.Bytes(), nil
}
