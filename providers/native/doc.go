// Package native is berth's built-in provider, named "berth": it serves
// the built-in resource types (image, container, network, volume,
// deployment, berth_data) through the same providers.Provider protocol
// that plugin providers speak.
//
// Planning is schema-driven for every type (providers.ProposedNew,
// SetUnknownComputed, RequiresReplace) with a few type-specific rules
// (plan.go, plan_ports.go, deployment_plan.go). Applying, refreshing and
// importing go through an Engine (engine.go): the image store
// (package image), the container runtime (package runtime) and the
// networks (package network) under one runtime root, opened on first use
// so that planning never touches the disk. One file per resource type
// (*_res.go) turns the protocol's values into calls on them; a
// deployment's rollouts are planned and carried out by package deploy.
//
// The Engine also serves the commands that work on the runtime directly
// (berth run, pull, push, prune): run_net.go gives one-off containers
// their networking.
package native
