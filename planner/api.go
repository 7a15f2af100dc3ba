package planner

import (
	"github.com/berthhq/berth/providers"
	"github.com/berthhq/berth/schemas/addrs"
	"github.com/berthhq/berth/spec"
	"github.com/berthhq/berth/state"
	"github.com/hashicorp/hcl/v2"
	"github.com/zclconf/go-cty/cty"
)

// Options is everything Plan needs.
type Options struct {
	Config    *spec.Config
	Variables map[string]cty.Value // root variable values (spec.CollectVariables)
	State     *state.State         // recorded state; nil or empty for none
	Providers *providers.Registry
	Mode      Mode
	Targets   []addrs.Target
	Replace   []addrs.Instance
	// Rollback is what RollbackMode rolls back (required in that mode).
	Rollback *Rollback
	// SkipRefresh is -refresh=false: diff against recorded state as is.
	SkipRefresh bool
	Parallelism int // refresh and planning concurrency; 0 means 10
}

// Graph is the dependency graph of a configuration, for `berth graph`
// and `berth validate`.
type Graph struct{ g *graph }

// BuildGraph builds the dependency graph of opts.Config without
// evaluating anything; a reference cycle is an error listing the cycle.
func BuildGraph(opts Options) (*Graph, hcl.Diagnostics) {
	g, diags := buildGraph(opts.Config)
	if g == nil {
		return nil, diags
	}
	return &Graph{g: g}, diags
}

// DOT renders the resource dependency graph in Graphviz DOT.
func (g *Graph) DOT() string { return g.g.dot() }
