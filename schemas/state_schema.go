package schemas

import _ "embed"

// StateJSONSchema is the JSON Schema (draft 2020-12) of the state file,
// published as https://berth.dev/schemas/state.schema.json. Callers must not
// modify it.
//
//go:embed state.schema.json
var StateJSONSchema []byte
