package executor_test

import (
	"bytes"
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/berthhq/berth/planner"
	"github.com/berthhq/berth/providers"
	"github.com/berthhq/berth/providers/providertest"
	"github.com/berthhq/berth/schemas/addrs"
	"github.com/berthhq/berth/state"
	"github.com/zclconf/go-cty/cty"
)

// newKeeperEngine is newEngine with a provider that keeps revisions:
// every test_thing runs revision 2 (value "new"); revision 1 had "old".
func newKeeperEngine(t *testing.T) (*engine, *providertest.Keeper) {
	t.Helper()
	k := providertest.NewKeeper(2, map[int]string{1: "old", 2: "new"})
	reg := providers.NewRegistry()
	if err := reg.Register(context.Background(), k); err != nil {
		t.Fatal(err)
	}
	return &engine{t: t, dir: t.TempDir(), prov: k.Provider, reg: reg, st: state.New()}, k
}

// idOf is the id the state records for addr.
func idOf(e *engine, addr string) string {
	e.t.Helper()
	for _, c := range e.plan().Changes {
		if c.Addr.String() == addr {
			return c.Before.GetAttr("id").AsString()
		}
	}
	e.t.Fatalf("%s is not recorded", addr)
	return ""
}

const rollbackConfig = `
resource "test_thing" "a" { value = "new" }
resource "test_thing" "b" { value = "b" }
output "a" { value = test_thing.a.out }
`

func rollbackOf(addr string, revision int) func(*planner.Options) {
	return func(o *planner.Options) {
		a, err := addrs.ParseInstance(addr)
		if err != nil {
			panic(err)
		}
		o.Mode, o.Rollback = planner.RollbackMode, &planner.Rollback{Addr: a, Revision: revision}
	}
}

// TestRollbackPlanAppliesFromFile: a rollback plan changes only its
// target, to the recorded revision's value rather than the
// configuration's, survives the plan file, and apply carries it out
// (its unknown values resolved without going back to the configuration).
func TestRollbackPlanAppliesFromFile(t *testing.T) {
	e, _ := newKeeperEngine(t)
	e.config(rollbackConfig)
	e.converge()
	id := idOf(e, "test_thing.a")
	e.prov.Log = nil
	p := e.plan(rollbackOf("test_thing.a", 0))
	if p.Mode != planner.RollbackMode || p.Rollback == nil || p.Rollback.Revision != 1 || p.Rollback.From != 2 {
		t.Fatalf("plan mode %v rollback %+v, want rollback mode from revision 2 to 1", p.Mode, p.Rollback)
	}
	a := change(t, p, "test_thing.a")
	if a.Action != planner.Update || a.Reason != planner.ReasonRollback || a.After.GetAttr("value").AsString() != "old" || a.After.GetAttr("out").IsKnown() {
		t.Fatalf("test_thing.a: %v %v after %#v, want an update to value old, out unknown", a.Action, a.Reason, a.After)
	}
	if got := describe(p); got != "test_thing.a:update output.a:update " {
		t.Fatalf("plan changes %q, want only test_thing.a and its output", got)
	}
	var buf bytes.Buffer
	if err := planner.WritePlanFile(&buf, p); err != nil {
		t.Fatal(err)
	}
	back, err := planner.ReadPlanFile(&buf, e.reg)
	if err != nil {
		t.Fatal(err)
	}
	if back.Mode != planner.RollbackMode || back.Rollback == nil || back.Rollback.Addr.String() != p.Rollback.Addr.String() || back.Rollback.Revision != 1 || back.Rollback.From != 2 {
		t.Fatalf("plan file lost the rollback: mode %v %+v", back.Mode, back.Rollback)
	}
	if _, err := e.apply(back); err != nil {
		t.Fatalf("apply of the rollback plan: %v", err)
	}
	if got := strings.Join(e.prov.Log, ","); got != "update "+id {
		t.Errorf("provider calls %q, want only the update of test_thing.a", got)
	}
	if v := e.prov.World[id]; v.GetAttr("value").AsString() != "old" || v.GetAttr("out").AsString() != "old" {
		t.Errorf("test_thing.a after the rollback: %#v", v)
	}
	if out := string(e.st.Outputs["a"].Value); out != `"old"` {
		t.Errorf("output a = %s after the rollback, want \"old\"", out)
	}
	next := e.plan()
	if c := change(t, next, "test_thing.a"); c.Action != planner.Update || c.After.GetAttr("value").AsString() != "new" {
		t.Errorf("the next normal plan should bring the configuration's value back: %v %#v", c.Action, c.After)
	}
}

// TestRollbackKeepsDriftOfOthers: drift of another instance is recorded
// by refresh but not restored: the rollback changes its target only.
func TestRollbackKeepsDriftOfOthers(t *testing.T) {
	e, _ := newKeeperEngine(t)
	e.config(rollbackConfig)
	e.converge()
	id := idOf(e, "test_thing.b")
	obj := e.prov.World[id].AsValueMap()
	obj["value"] = cty.StringVal("changed behind berth's back")
	e.prov.World[id] = cty.ObjectVal(obj)
	p := e.plan(rollbackOf("test_thing.a", 1))
	if b := change(t, p, "test_thing.b"); b.Action != planner.NoOp || b.After.GetAttr("value").AsString() != "changed behind berth's back" {
		t.Fatalf("test_thing.b: %v %#v, want a no-op keeping what refresh found", b.Action, b.After)
	}
	if len(p.Drift) != 1 {
		t.Errorf("drift = %d changes, want test_thing.b's", len(p.Drift))
	}
}

func TestRollbackRefused(t *testing.T) {
	tests := []struct {
		name   string
		setup  func(e *engine)
		plain  bool // a provider that keeps no revisions
		mutate func(*planner.Options)
		want   string
	}{
		{name: "not in the state", mutate: rollbackOf("test_thing.c", 0), want: "test_thing.c is not in the state: apply it first"},
		{name: "revision not recorded", mutate: rollbackOf("test_thing.a", 7), want: "test_thing.a: no such revision 7 (recorded: [1 2])"},
		{name: "already runs it", mutate: rollbackOf("test_thing.a", 2), want: "already runs the value of revision 2; nothing to roll back"},
		{name: "deleted outside berth", setup: func(e *engine) { delete(e.prov.World, idOf(e, "test_thing.a")) },
			mutate: rollbackOf("test_thing.a", 1), want: "test_thing.a was deleted outside of berth"},
		{name: "provider keeps no revisions", plain: true, mutate: rollbackOf("test_thing.a", 1), want: "provider test keeps no revisions"},
		{name: "with -target", mutate: func(o *planner.Options) {
			rollbackOf("test_thing.a", 1)(o)
			o.Targets = []addrs.Target{{Type: "test_thing", Name: "b"}}
		}, want: "A rollback plan changes one instance"},
		{name: "no target", mutate: func(o *planner.Options) { o.Mode = planner.RollbackMode }, want: "A rollback plan needs a target"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			e, _ := newKeeperEngine(t)
			if tc.plain {
				e = newEngine(t)
			}
			e.config(rollbackConfig)
			e.converge()
			if tc.setup != nil {
				tc.setup(e)
			}
			if diags := e.planErr(tc.mutate); !strings.Contains(diags.Error(), tc.want) {
				t.Errorf("error %q, want %q", diags.Error(), tc.want)
			}
		})
	}
}

// TestRollbackKeepsSensitivePaths: what the state records as sensitive
// stays hidden in the rollback plan and recorded after its apply,
// though the plan is made from state rather than the configuration.
func TestRollbackKeepsSensitivePaths(t *testing.T) {
	e, _ := newKeeperEngine(t)
	e.config(`
variable "pw" {
  default   = "s3cret"
  sensitive = true
}
resource "test_thing" "a" {
  value = "new"
  tags  = { k = var.pw }
}
`)
	e.converge()
	p := e.plan(rollbackOf("test_thing.a", 1))
	var got []string
	for _, sp := range change(t, p, "test_thing.a").SensitivePaths {
		got = append(got, providers.FormatPath(sp))
	}
	if !slices.Contains(got, `tags["k"]`) {
		t.Fatalf("sensitive paths %v, want tags[\"k\"]", got)
	}
	if _, err := e.apply(p); err != nil {
		t.Fatal(err)
	}
	if rec := e.st.Resource(change(t, p, "test_thing.a").Addr); rec == nil || !slices.Contains(rec.SensitivePaths, `tags["k"]`) {
		t.Errorf("record after the rollback: %+v, want tags[\"k\"] sensitive", rec)
	}
}
