// Package spec loads berth configurations: every *.berth.hcl and
// *.berth.json file of a directory, merged, with local modules, and
// evaluates their expressions with go-cty.
//
// Decoding runs in phases (STYLE.md 4): files are parsed and their top-level
// blocks decoded and checked against the resource schemas without
// evaluation (Load); variable values are gathered and checked
// (CollectVariables, PrepareVariable); expressions are then evaluated on
// demand by the planner through a Scope, which builds an evaluation
// context holding only what each expression refers to. Every problem is an
// hcl.Diagnostic with a source range.
package spec
