package schemas

import _ "embed"

// PlanJSONSchema is the JSON Schema (draft 2020-12) of the plan document
// `berth plan -json` and `berth show -json` print, published as
// https://berth.dev/schemas/plan.schema.json. Callers must not modify it.
//
//go:embed plan.schema.json
var PlanJSONSchema []byte
