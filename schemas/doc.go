// Package schemas holds berth's resource and block schemas as data.
//
// A schema says, for every attribute of a resource type, its cty type,
// whether it is required, optional or computed, its default, whether a
// change to it forces the resource to be replaced, whether it is sensitive,
// and a description. The same values drive HCL decoding (spec), validation,
// diffing (planner), `berth providers schema -json` and the docs.
//
// Builtin returns the built-in resource types (image, container, network,
// volume, deployment, berth_data); Node, Registry and Runtime are the
// bodies of the node block and of the berth block's registry and runtime
// blocks. All are package-level values built once: never modify them.
// CheckFormat, ParseDuration and ParseSize define the string formats an
// Attribute's Format names.
//
// The package also publishes the JSON Schemas of the state file and of the
// plan JSON document (StateJSONSchema, PlanJSONSchema). It imports nothing
// of berth's own; depcheck_test.go enforces ARCHITECTURE.md's import rules
// for the whole module.
package schemas

// The language reference in docs/language is generated from these schemas
// by TestLanguageReferenceUpToDate, which fails when it is out of date.
//go:generate go test -run ^TestLanguageReferenceUpToDate$ -update .
