// Package schemas holds berth's resource and block schemas as data.
//
// A schema says, for every attribute of a resource type, its cty type,
// whether it is required, optional or computed, its default, whether a
// change to it forces the resource to be replaced, whether it is sensitive,
// and a description. The same values drive HCL decoding (spec), validation,
// diffing (planner), `berth providers schema -json` and the docs.
//
// The package also publishes the JSON Schemas of the state file and of the
// plan JSON document (StateJSONSchema, PlanJSONSchema). It imports nothing
// of berth's own.
package schemas
