// Package planner turns a configuration and the recorded state into a Plan:
// it builds the dependency graph of resources, variables, locals, outputs
// and module calls, refreshes recorded resources against the real world
// through their providers (in parallel), evaluates the configuration in
// graph order and diffs it against the refreshed state.
//
// A Plan is data: the planner prints nothing and a Plan is never modified
// once made. The package also encodes and decodes plan files (-out).
package planner
