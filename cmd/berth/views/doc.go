// Package views renders what berth's library packages return: plans
// (human and JSON), state, outputs, provider schemas, diagnostics and
// apply progress. Renderers write to an io.Writer and never decide
// anything; colour is on only when the caller says so.
package views
