// Package native is berth's built-in provider, named "berth": it serves
// the built-in resource types (image, container, network, volume,
// deployment, berth_data) through the same providers.Provider protocol
// that plugin providers speak.
//
// Planning is schema-driven for every type (providers.ProposedNew,
// SetUnknownComputed, RequiresReplace) with a few type-specific rules.
// berth_data is complete. The types that need the native runtime
// (images, containers, networks, volumes, deployments) can be validated
// and planned; applying, refreshing and importing them lives in
// runtime_pending.go until the runtime lands.
package native
