// Package providers defines the protocol between berth's engine and the
// code that makes resources real: the Provider interface, its request and
// response structs (values are cty.Value, with unknowns, so that a gRPC
// transport can carry them unchanged as msgpack), provider diagnostics, and
// the Registry that maps resource types to providers. Optional abilities
// are separate interfaces a provider may also implement, found by type
// assertion: PlanChecker (checks across a whole plan, such as host ports).
//
// The built-in native runtime, plugin executables (go-plugin) and remote
// nodes (SSH) all implement or carry this same interface.
package providers
