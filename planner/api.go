package planner

import (
	"context"
	"errors"
	"io"

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
	// SkipRefresh is -refresh=false: diff against recorded state as is.
	SkipRefresh bool
	Parallelism int // refresh concurrency; 0 means 10
}

var errNotYet = errors.New("planner: not implemented yet")

// Plan refreshes, evaluates and diffs. The returned plan is non-nil
// whenever the configuration could be evaluated far enough to show
// something; diagnostics carry source ranges.
func Plan(ctx context.Context, opts Options) (*Plan, hcl.Diagnostics) {
	return nil, hcl.Diagnostics{{Severity: hcl.DiagError, Summary: errNotYet.Error()}}
}

// Evaluator re-evaluates planned changes at apply time, once the values
// they depend on are known, and computes the final outputs. The executor
// uses it through its Finalizer interface.
type Evaluator struct{}

// NewEvaluator prepares apply-time evaluation of plan p made from opts.
func NewEvaluator(opts Options, p *Plan) *Evaluator { return &Evaluator{} }

// Finalize returns change with its unknown values resolved against the
// current state st (which holds every dependency already applied), after
// asking the provider to plan it again and checking the result agrees with
// the saved plan.
func (e *Evaluator) Finalize(ctx context.Context, change *ResourceChange, st *state.State) (*ResourceChange, hcl.Diagnostics) {
	return change, nil
}

// Outputs evaluates the root outputs against st.
func (e *Evaluator) Outputs(st *state.State) (map[string]*state.Output, hcl.Diagnostics) {
	return nil, nil
}

// WritePlanFile encodes p as a plan file.
func WritePlanFile(w io.Writer, p *Plan) error { return errNotYet }

// ReadPlanFile decodes a plan file; schemas come from the registry.
func ReadPlanFile(r io.Reader, reg *providers.Registry) (*Plan, error) { return nil, errNotYet }

// Graph is the dependency graph of a configuration, for `berth graph`.
type Graph struct{}

// BuildGraph builds the dependency graph of opts.Config without
// evaluating anything that needs providers.
func BuildGraph(opts Options) (*Graph, hcl.Diagnostics) { return &Graph{}, nil }

// DOT renders the graph in Graphviz DOT.
func (g *Graph) DOT() string { return "digraph berth {\n}\n" }
