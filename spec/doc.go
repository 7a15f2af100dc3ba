// Package spec loads berth configurations: every *.berth.hcl and
// *.berth.json file of a directory, merged, with local modules, and
// evaluates their expressions with go-cty.
//
// Decoding runs in phases (STYLE.md 4): files are parsed and their top-level
// blocks decoded and checked against the resource schemas without
// evaluation (Load), which ends by checking every reference against the
// declarations (Config.CheckReferences); variable values are gathered and
// checked (CollectVariables, PrepareVariable); expressions are then
// evaluated on demand by the planner through a Scope, which builds an
// evaluation context holding only what each expression refers to. Every
// problem is an hcl.Diagnostic with a source range, except those about
// command-line arguments and missing directories, which have no source.
//
// Constant attribute values (no references) are checked at load: their
// type, Format (duration, size, cidr, ipv4) and OneOf; values that depend
// on references are checked again by Scope.EvalBody.
//
// Values of sensitive variables carry the cty mark SensitiveMark through
// expressions; Scope.EvalBodyWithMarks returns unmarked values plus the
// paths that were marked.
//
// Limitations: module blocks take no count, for_each, providers or
// version; module sources are local directories (./ or ../) only; node
// blocks belong in the root module; self is reserved.
package spec
