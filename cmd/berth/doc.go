// Command berth plans and applies container configurations written in HCL.
//
// The berth command is a thin CLI over berth's library packages: each
// cobra command parses its flags, calls spec, planner, executor or state,
// and hands the result to a renderer in package views.
//
// Terraform-style single-dash long flags (-out=FILE, -auto-approve) are
// rewritten into pflag's double-dash form before cobra parses them; see
// rewriteArgs.
//
// Exit codes follow LANGUAGE.md §9: 0 success, 1 error, 2 only for
// plan -detailed-exitcode with changes. berth run exits as docker run
// does: with the container's code, 125 for its own errors before the
// container runs, 126 or 127 when the container's command cannot be
// executed or found.
package main

// The CLI reference in docs/cli is generated from the commands by
// TestCLIReferenceUpToDate, which fails when it is out of date.
//go:generate go test -run ^TestCLIReferenceUpToDate$ -update .
