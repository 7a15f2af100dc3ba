// Package executor carries out a Plan: it walks the plan's dependency
// graph with bounded parallelism, asks providers to apply each change,
// writes state after every finished change and reports progress through
// Hooks. It never prints.
package executor
