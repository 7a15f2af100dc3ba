package executor_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/berthhq/berth/executor"
	"github.com/berthhq/berth/planner"
	"github.com/berthhq/berth/providers"
	"github.com/berthhq/berth/providers/providertest"
	"github.com/berthhq/berth/schemas/addrs"
	"github.com/berthhq/berth/spec"
	"github.com/berthhq/berth/state"
	"github.com/hashicorp/hcl/v2"
)

// engine drives plan and apply over one in-memory world, as the CLI does.
type engine struct {
	t      *testing.T
	dir    string
	prov   *providertest.Provider
	reg    *providers.Registry
	st     *state.State
	writes int
}

func newEngine(t *testing.T) *engine {
	t.Helper()
	prov := providertest.New()
	reg := providers.NewRegistry()
	if err := reg.Register(context.Background(), prov); err != nil {
		t.Fatal(err)
	}
	return &engine{t: t, dir: t.TempDir(), prov: prov, reg: reg, st: state.New()}
}

func (e *engine) config(src string) {
	e.t.Helper()
	if err := os.WriteFile(filepath.Join(e.dir, "main.berth.hcl"), []byte(src), 0o644); err != nil {
		e.t.Fatal(err)
	}
}

func (e *engine) opts(mutate ...func(*planner.Options)) planner.Options {
	e.t.Helper()
	cfg, diags := spec.Load(e.dir, spec.LoadOptions{Schemas: e.reg.Schema})
	if diags.HasErrors() {
		e.t.Fatalf("load: %s", diags.Error())
	}
	vars, diags := spec.CollectVariables(cfg, spec.VarOptions{})
	if diags.HasErrors() {
		e.t.Fatalf("variables: %s", diags.Error())
	}
	o := planner.Options{Config: cfg, Variables: vars, State: e.st, Providers: e.reg}
	for _, m := range mutate {
		m(&o)
	}
	return o
}

func (e *engine) plan(mutate ...func(*planner.Options)) *planner.Plan {
	e.t.Helper()
	p, diags := planner.MakePlan(context.Background(), e.opts(mutate...))
	if diags.HasErrors() {
		e.t.Fatalf("plan: %s", diags.Error())
	}
	return p
}

func (e *engine) planErr(mutate ...func(*planner.Options)) hcl.Diagnostics {
	e.t.Helper()
	_, diags := planner.MakePlan(context.Background(), e.opts(mutate...))
	if !diags.HasErrors() {
		e.t.Fatal("plan succeeded, want an error")
	}
	return diags
}

func (e *engine) apply(p *planner.Plan, mutate ...func(*planner.Options)) ([]executor.Result, error) {
	e.t.Helper()
	st, results, err := executor.Apply(context.Background(), executor.Options{
		Plan: p, Providers: e.reg, Finalizer: planner.NewEvaluator(e.opts(mutate...), p),
		Persist: func(s *state.State) error { e.writes++; return nil },
	})
	if st != nil {
		e.st = st
	}
	return results, err
}

// converge plans and applies, then checks that a second plan is empty.
func (e *engine) converge() *planner.Plan {
	e.t.Helper()
	p := e.plan()
	if _, err := e.apply(p); err != nil {
		e.t.Fatalf("apply: %v", err)
	}
	if again := e.plan(); again.HasChanges() {
		e.t.Fatalf("second plan has changes: %s", describe(again))
	}
	return p
}

func describe(p *planner.Plan) string {
	var b strings.Builder
	for _, c := range p.Changes {
		if c.Action != planner.NoOp {
			b.WriteString(c.Addr.String() + ":" + c.Action.String() + " ")
		}
	}
	for _, o := range p.Outputs {
		if o.Action != planner.NoOp {
			b.WriteString("output." + o.Name + ":" + o.Action.String() + " ")
		}
	}
	return b.String()
}

func actions(p *planner.Plan) map[string]planner.Action {
	out := map[string]planner.Action{}
	for _, c := range p.Changes {
		out[c.Addr.String()] = c.Action
	}
	return out
}

func change(t *testing.T, p *planner.Plan, addr string) *planner.ResourceChange {
	t.Helper()
	for _, c := range p.Changes {
		if c.Addr.String() == addr {
			return c
		}
	}
	t.Fatalf("no change for %s in plan: %s", addr, describe(p))
	return nil
}

func mustTarget(t *testing.T, s string) addrs.Target {
	t.Helper()
	tg, err := addrs.ParseTarget(s)
	if err != nil {
		t.Fatal(err)
	}
	return tg
}

func writeFile(t *testing.T, path, src string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
}
