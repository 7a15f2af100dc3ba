package executor_test

import (
	"bytes"
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/berthhq/berth/executor"
	"github.com/berthhq/berth/planner"
	"github.com/berthhq/berth/schemas/addrs"
	"github.com/berthhq/berth/state"
	"github.com/zclconf/go-cty/cty"
)

func TestCreateWithReferenceThenNoChanges(t *testing.T) {
	e := newEngine(t)
	e.config(`
resource "test_thing" "a" { value = "hello" }
resource "test_thing" "b" { value = test_thing.a.out }
output "b_out" { value = test_thing.b.out }
`)
	p := e.plan()
	if got := actions(p); got["test_thing.a"] != planner.Create || got["test_thing.b"] != planner.Create {
		t.Fatalf("actions = %v", got)
	}
	b := change(t, p, "test_thing.b")
	if b.After.GetAttr("value").IsKnown() {
		t.Errorf("b.value should be unknown until apply, got %#v", b.After.GetAttr("value"))
	}
	if len(b.Dependencies) != 1 || b.Dependencies[0].String() != "test_thing.a" {
		t.Errorf("b depends on %v, want test_thing.a", b.Dependencies)
	}
	if name := change(t, p, "test_thing.a").After.GetAttr("name"); name.AsString() != "a" {
		t.Errorf("default name = %v, want a", name)
	}
	e.converge()
	rec := e.st.Resource(addrs.Instance{Resource: addrs.Resource{Type: "test_thing", Name: "b"}})
	v, _ := rec.Value(change(t, p, "test_thing.b").Schema.Block.ImpliedType())
	if v.GetAttr("value").AsString() != "hello" {
		t.Errorf("b.value after apply = %v, want hello", v.GetAttr("value"))
	}
	if e.st.Outputs["b_out"] == nil {
		t.Error("output b_out not recorded")
	}
	if e.writes == 0 {
		t.Error("state never persisted")
	}
}

func TestForceNewReplaces(t *testing.T) {
	e := newEngine(t)
	e.config(`resource "test_thing" "a" { forced = "one" }`)
	e.converge()
	e.config(`resource "test_thing" "a" { forced = "two" }`)
	p := e.plan()
	c := change(t, p, "test_thing.a")
	if c.Action != planner.DeleteThenCreate || c.Reason != planner.ReasonReplaceForceNew {
		t.Fatalf("action %v reason %v, want delete-then-create because cannot update", c.Action, c.Reason)
	}
	if len(c.ReplacePaths) != 1 || !c.ReplacePaths[0].Equals(cty.GetAttrPath("forced")) {
		t.Errorf("replace paths = %#v", c.ReplacePaths)
	}
	if c.After.GetAttr("id").IsKnown() {
		t.Error("a replacement's id must be unknown")
	}
	e.converge()
	if got := strings.Join(e.prov.Log, ","); got != "create t1,delete t1,create t2" {
		t.Errorf("provider log = %s", got)
	}
}

func TestCreateBeforeDestroyOrder(t *testing.T) {
	e := newEngine(t)
	e.config(`resource "test_thing" "a" {
  forced = "one"
  lifecycle { create_before_destroy = true }
}`)
	e.converge()
	e.config(`resource "test_thing" "a" {
  forced = "two"
  lifecycle { create_before_destroy = true }
}`)
	if c := change(t, e.plan(), "test_thing.a"); c.Action != planner.CreateThenDelete {
		t.Fatalf("action = %v, want create-then-delete", c.Action)
	}
	e.converge()
	if got := strings.Join(e.prov.Log, ","); got != "create t1,create t2,delete t1" {
		t.Errorf("provider log = %s", got)
	}
}

func TestDriftGoneIsRecreated(t *testing.T) {
	e := newEngine(t)
	e.config(`resource "test_thing" "a" { value = "v" }`)
	e.converge()
	delete(e.prov.World, "t1")
	p := e.plan()
	if len(p.Drift) != 1 || p.Drift[0].Action != planner.Delete {
		t.Fatalf("drift = %+v", p.Drift)
	}
	c := change(t, p, "test_thing.a")
	if c.Action != planner.Create || c.Reason != planner.ReasonGone {
		t.Fatalf("action %v reason %v, want create because gone", c.Action, c.Reason)
	}
	e.converge()
}

func TestDriftChangedIsRestored(t *testing.T) {
	e := newEngine(t)
	e.config(`resource "test_thing" "a" { value = "v" }`)
	e.converge()
	obj := e.prov.World["t1"].AsValueMap()
	obj["value"] = cty.StringVal("changed behind berth's back")
	e.prov.World["t1"] = cty.ObjectVal(obj)
	p := e.plan()
	c := change(t, p, "test_thing.a")
	if c.Action != planner.Update || c.Reason != planner.ReasonDrift {
		t.Fatalf("action %v reason %v, want update restoring drift", c.Action, c.Reason)
	}
	e.converge()
}

func TestSkipRefreshIgnoresDrift(t *testing.T) {
	e := newEngine(t)
	e.config(`resource "test_thing" "a" { value = "v" }`)
	e.converge()
	delete(e.prov.World, "t1")
	p := e.plan(func(o *planner.Options) { o.SkipRefresh = true })
	if p.HasChanges() || len(p.Drift) != 0 {
		t.Fatalf("-refresh=false plan has changes: %s", describe(p))
	}
}

func TestOrphansAndCount(t *testing.T) {
	e := newEngine(t)
	e.config(`
resource "test_thing" "n" {
  count = 3
  value = "v${count.index}"
}
resource "test_thing" "gone" {}
`)
	e.converge()
	e.config(`
resource "test_thing" "n" {
  count = 1
  value = "v${count.index}"
}
`)
	p := e.plan()
	for addr, want := range map[string]planner.Reason{
		"test_thing.n[1]": planner.ReasonDeleteCountIndex,
		"test_thing.n[2]": planner.ReasonDeleteCountIndex,
		"test_thing.gone": planner.ReasonDeleteNoConfig,
	} {
		c := change(t, p, addr)
		if c.Action != planner.Delete || c.Reason != want {
			t.Errorf("%s: %v %v, want delete %v", addr, c.Action, c.Reason, want)
		}
	}
	if add, chg, del := p.Counts(); add != 0 || chg != 0 || del != 3 {
		t.Errorf("counts %d/%d/%d", add, chg, del)
	}
	e.converge()
}

func TestForEachNames(t *testing.T) {
	e := newEngine(t)
	e.config(`
resource "test_thing" "m" {
  for_each = { a = "x", b = "y" }
  value    = each.value
}
output "names" { value = [for k, v in test_thing.m : v.name] }
`)
	p := e.plan()
	if n := change(t, p, `test_thing.m["b"]`).After.GetAttr("name").AsString(); n != "m-b" {
		t.Errorf("name = %s, want m-b", n)
	}
	e.converge()
}

func TestCycleIsAnError(t *testing.T) {
	e := newEngine(t)
	e.config(`
resource "test_thing" "a" { value = test_thing.b.out }
resource "test_thing" "b" { value = local.x }
locals { x = test_thing.a.out }
`)
	diags := e.planErr()
	msg := diags.Error()
	for _, want := range []string{"cycle", "test_thing.a", "test_thing.b", "local.x"} {
		if !strings.Contains(msg, want) {
			t.Errorf("cycle error %q does not mention %s", msg, want)
		}
	}
}

func TestPreventDestroy(t *testing.T) {
	e := newEngine(t)
	src := `resource "test_thing" "a" {
  forced = "%s"
  lifecycle { prevent_destroy = true }
}`
	e.config(strings.Replace(src, "%s", "one", 1))
	e.converge()
	e.config(strings.Replace(src, "%s", "two", 1))
	if msg := e.planErr().Error(); !strings.Contains(msg, "test_thing.a") || !strings.Contains(msg, "prevent_destroy") {
		t.Errorf("error %q", msg)
	}
	e.config(strings.Replace(src, "%s", "one", 1))
	e.planErr(func(o *planner.Options) { o.Mode = planner.DestroyMode })
}

func TestIgnoreChanges(t *testing.T) {
	e := newEngine(t)
	e.config(`resource "test_thing" "a" {
  value = "one"
  lifecycle { ignore_changes = [value] }
}`)
	e.converge()
	e.config(`resource "test_thing" "a" {
  value = "two"
  lifecycle { ignore_changes = [value] }
}`)
	if p := e.plan(); p.HasChanges() {
		t.Fatalf("ignored change planned: %s", describe(p))
	}
}

func TestTargetAndReplace(t *testing.T) {
	e := newEngine(t)
	e.config(`
resource "test_thing" "a" { value = "a" }
resource "test_thing" "b" { value = test_thing.a.out }
resource "test_thing" "c" { value = "c" }
`)
	p := e.plan(func(o *planner.Options) { o.Targets = []addrs.Target{mustTarget(t, "test_thing.b")} })
	got := actions(p)
	if got["test_thing.a"] != planner.Create || got["test_thing.b"] != planner.Create {
		t.Errorf("target b must plan b and its dependency a: %v", got)
	}
	if _, ok := got["test_thing.c"]; ok {
		t.Errorf("untargeted c planned: %v", got)
	}
	e.converge()
	inst, _ := mustTarget(t, "test_thing.c").Instance()
	p = e.plan(func(o *planner.Options) { o.Replace = []addrs.Instance{inst} })
	if c := change(t, p, "test_thing.c"); c.Action != planner.DeleteThenCreate || c.Reason != planner.ReasonReplaceByRequest {
		t.Errorf("-replace: %v %v", c.Action, c.Reason)
	}
}

func TestDestroyReverseOrder(t *testing.T) {
	e := newEngine(t)
	e.config(`
resource "test_thing" "a" { value = "a" }
resource "test_thing" "b" { value = test_thing.a.out }
`)
	e.converge()
	e.prov.Log = nil
	p := e.plan(func(o *planner.Options) { o.Mode = planner.DestroyMode })
	if _, err := e.apply(p); err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(e.prov.Log, ","); got != "delete t2,delete t1" {
		t.Errorf("destroy order = %s, want dependent first", got)
	}
	if len(e.st.Resources) != 0 {
		t.Errorf("state not empty after destroy: %d", len(e.st.Resources))
	}
}

func TestFailureSkipsDependentsAndTaints(t *testing.T) {
	e := newEngine(t)
	e.config(`
resource "test_thing" "a" { fail = true }
resource "test_thing" "b" { value = test_thing.a.out }
resource "test_thing" "c" { value = "independent" }
`)
	results, err := e.apply(e.plan())
	if err == nil {
		t.Fatal("apply succeeded, want failure")
	}
	byAddr := map[string]executor.Result{}
	for _, r := range results {
		byAddr[r.Addr.String()] = r
	}
	if !byAddr["test_thing.b"].Skipped || byAddr["test_thing.c"].Err != nil {
		t.Errorf("results = %+v", results)
	}
	a := e.st.Resource(addrs.Instance{Resource: addrs.Resource{Type: "test_thing", Name: "a"}})
	if a == nil || !a.Tainted {
		t.Fatalf("failed create not recorded as tainted: %+v", a)
	}
	e.config(`
resource "test_thing" "a" {}
resource "test_thing" "b" { value = test_thing.a.out }
resource "test_thing" "c" { value = "independent" }
`)
	if c := change(t, e.plan(), "test_thing.a"); c.Reason != planner.ReasonReplaceTainted {
		t.Errorf("tainted instance: %v %v", c.Action, c.Reason)
	}
}

func TestStopFinishesInFlight(t *testing.T) {
	e := newEngine(t)
	e.config(`
resource "test_thing" "slow" { delay = "200ms" }
resource "test_thing" "after" { value = test_thing.slow.out }
`)
	stop := make(chan struct{})
	p := e.plan()
	st, results, err := executor.Apply(context.Background(), executor.Options{
		Plan: p, Providers: e.reg, Finalizer: planner.NewEvaluator(e.opts(), p), Stop: stop,
		Hooks: stopOnStart{stop},
	})
	if err == nil {
		t.Fatal("want an error for the change never started")
	}
	for _, r := range results {
		if !r.Skipped {
			if st.Resource(r.Addr) == nil {
				t.Errorf("%s finished but not recorded", r.Addr)
			}
		}
	}
	if r := results[0]; r.Addr.Name != "after" || !r.Skipped {
		t.Errorf("after should be skipped: %+v", results)
	}
}

func TestModules(t *testing.T) {
	e := newEngine(t)
	writeFile(t, e.dir+"/mod/main.berth.hcl", `
variable "v" { type = string }
resource "test_thing" "inner" { value = var.v }
output "out" { value = test_thing.inner.out }
`)
	e.config(`
module "m" {
  source = "./mod"
  v      = "from root"
}
resource "test_thing" "outer" { value = module.m.out }
`)
	p := e.plan()
	if change(t, p, "module.m.test_thing.inner").Action != planner.Create {
		t.Fatal("module resource not planned")
	}
	e.converge()
}

// stopOnStart closes stop as soon as the first change starts, like a
// Ctrl-C arriving mid-apply.
type stopOnStart struct{ stop chan struct{} }

func (h stopOnStart) PreApply(addrs.Instance, planner.Action) {
	select {
	case <-h.stop:
	default:
		close(h.stop)
	}
}
func (stopOnStart) Progress(addrs.Instance, string)                                           {}
func (stopOnStart) PostApply(addrs.Instance, planner.Action, time.Duration, cty.Value, error) {}

func TestPlanFileRoundTripApplies(t *testing.T) {
	e := newEngine(t)
	e.config(`
variable "v" { default = "x" }
resource "test_thing" "a" {
  value = var.v
  tags  = { k = "v" }
}
resource "test_thing" "b" { value = test_thing.a.out }
output "o" { value = test_thing.b.out }
`)
	p := e.plan()
	var buf bytes.Buffer
	if err := planner.WritePlanFile(&buf, p); err != nil {
		t.Fatal(err)
	}
	back, err := planner.ReadPlanFile(&buf, e.reg)
	if err != nil {
		t.Fatal(err)
	}
	if describe(back) != describe(p) || back.ConfigHash != p.ConfigHash || back.StateLineage != p.StateLineage {
		t.Fatalf("round trip changed the plan: %s vs %s", describe(back), describe(p))
	}
	if !change(t, back, "test_thing.b").After.GetAttr("value").IsKnown() == change(t, p, "test_thing.b").After.GetAttr("value").IsKnown() {
		t.Error("unknown value lost in the plan file")
	}
	if _, err := e.apply(back); err != nil {
		t.Fatal(err)
	}
	if again := e.plan(); again.HasChanges() {
		t.Fatalf("changes after applying a saved plan: %s", describe(again))
	}
	if _, err := planner.ReadPlanFile(strings.NewReader(`{"magic":"berth-plan","version":99}`), e.reg); err == nil {
		t.Error("a newer plan file version was accepted")
	}
}

func TestSensitiveVariableMarksAttribute(t *testing.T) {
	e := newEngine(t)
	e.config(`
variable "pw" {
  default   = "hunter2"
  sensitive = true
}
resource "test_thing" "a" { value = "user:${var.pw}" }
`)
	c := change(t, e.plan(), "test_thing.a")
	if len(c.SensitivePaths) != 1 || !c.SensitivePaths[0].Equals(cty.GetAttrPath("value")) {
		t.Fatalf("sensitive paths = %#v, want [value]", c.SensitivePaths)
	}
	if c.After.ContainsMarked() {
		t.Error("planned values must be unmarked; sensitivity travels in SensitivePaths")
	}
	e.converge()
	rec := e.st.Resource(c.Addr)
	if len(rec.SensitivePaths) != 1 || rec.SensitivePaths[0] != "value" {
		t.Errorf("state sensitive paths = %v", rec.SensitivePaths)
	}
}

func TestModuleVariableDefault(t *testing.T) {
	e := newEngine(t)
	writeFile(t, e.dir+"/mod/main.berth.hcl", `
variable "v" { default = "fallback" }
resource "test_thing" "inner" { value = var.v }
`)
	e.config(`
module "m" { source = "./mod" }
`)
	c := change(t, e.plan(), "module.m.test_thing.inner")
	if got := c.After.GetAttr("value"); got.IsNull() || got.AsString() != "fallback" {
		t.Fatalf("unset module input = %#v, want its default", got)
	}
}

// TestWaitsForOrders: a change that waits for another (it takes a host
// port the other gives up) starts only once the other is done (here a
// slow update in place), and the order survives a plan file.
func TestWaitsForOrders(t *testing.T) {
	e := newEngine(t)
	e.config(`resource "test_thing" "a" { value = "1" }`)
	e.converge()
	e.config(`
resource "test_thing" "a" {
  value = "2"
  delay = "200ms"
}
resource "test_thing" "b" { value = "new" }
`)
	p := e.plan()
	change(t, p, "test_thing.b").WaitsFor = []addrs.Instance{change(t, p, "test_thing.a").Addr}
	var buf bytes.Buffer
	if err := planner.WritePlanFile(&buf, p); err != nil {
		t.Fatal(err)
	}
	back, err := planner.ReadPlanFile(&buf, e.reg)
	if err != nil {
		t.Fatal(err)
	}
	if w := change(t, back, "test_thing.b").WaitsFor; len(w) != 1 || w[0].String() != "test_thing.a" {
		t.Fatalf("waits_for after a plan file round trip: %v", w)
	}
	if _, err := e.apply(back); err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(e.prov.Log, ","); got != "create t1,update t1,create t2" {
		t.Errorf("provider log = %s, want test_thing.b created after test_thing.a's update", got)
	}
}

// TestWaitsForCircle: two updates waiting on each other could never
// start; apply says so before it changes anything.
func TestWaitsForCircle(t *testing.T) {
	e := newEngine(t)
	e.config(`
resource "test_thing" "a" { value = "1" }
resource "test_thing" "b" { value = "1" }
`)
	e.converge()
	e.config(`
resource "test_thing" "a" { value = "2" }
resource "test_thing" "b" { value = "2" }
`)
	p := e.plan()
	a, b := change(t, p, "test_thing.a"), change(t, p, "test_thing.b")
	if a.Action != planner.Update || b.Action != planner.Update {
		t.Fatalf("actions %v %v, want updates", a.Action, b.Action)
	}
	a.WaitsFor, b.WaitsFor = []addrs.Instance{b.Addr}, []addrs.Instance{a.Addr}
	if err := executor.CheckOrder(p); err == nil || !strings.Contains(err.Error(), "wait on each other in a circle") {
		t.Errorf("CheckOrder of updates waiting on each other: %v", err)
	}
	b.WaitsFor = nil
	if err := executor.CheckOrder(p); err != nil {
		t.Errorf("CheckOrder of one update waiting for the other: %v", err)
	}
	b.WaitsFor = []addrs.Instance{a.Addr}
	before := len(e.prov.Log)
	_, err := e.apply(p)
	if err == nil || !strings.Contains(err.Error(), "test_thing.a, test_thing.b wait on each other in a circle") {
		t.Errorf("apply of updates waiting on each other: %v", err)
	}
	if len(e.prov.Log) != before {
		t.Errorf("the refused apply changed something: %v", e.prov.Log[before:])
	}
}

// TestEachOpRunsOnce: an op that becomes ready while Apply is still
// starting the first ones (a create_before_destroy's delete after its
// quick create) runs once, not once more from the starting loop.
func TestEachOpRunsOnce(t *testing.T) {
	for round := 0; round < 20; round++ {
		e := newEngine(t)
		e.config(cbdThings(40, "one"))
		e.converge()
		e.prov.Log = nil
		e.config(cbdThings(40, "two"))
		e.converge()
		deletes := map[string]int{}
		for _, l := range e.prov.Log {
			if id, ok := strings.CutPrefix(l, "delete "); ok {
				deletes[id]++
			}
		}
		for id, n := range deletes {
			if n != 1 {
				t.Fatalf("round %d: %s deleted %d times; log %v", round, id, n, e.prov.Log)
			}
		}
		if len(deletes) != 40 {
			t.Fatalf("round %d: %d objects deleted, want 40", round, len(deletes))
		}
	}
}

// cbdThings is n test_thing resources under create_before_destroy whose
// forced value is forced.
func cbdThings(n int, forced string) string {
	var b strings.Builder
	for i := 0; i < n; i++ {
		fmt.Fprintf(&b, "resource \"test_thing\" \"r%d\" {\n  forced = %q\n  lifecycle { create_before_destroy = true }\n}\n", i, forced)
	}
	return b.String()
}

// TestUnreadableRecord: a recorded instance whose attributes do not decode
// against its schema stops the plan with one diagnostic naming it, on each
// path that reads recorded values (refresh, plan, orphan, destroy).
func TestUnreadableRecord(t *testing.T) {
	tests := []struct {
		name   string
		config string // after the first apply
		mutate func(*planner.Options)
	}{
		{"refresh", `resource "test_thing" "a" { value = "v" }`, nil},
		{"plan without refresh", `resource "test_thing" "a" { value = "v" }`,
			func(o *planner.Options) { o.SkipRefresh = true }},
		{"orphan without refresh", `resource "test_thing" "other" {}`, func(o *planner.Options) { o.SkipRefresh = true }},
		{"destroy without refresh", `resource "test_thing" "a" { value = "v" }`,
			func(o *planner.Options) { o.SkipRefresh, o.Mode = true, planner.DestroyMode }},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			e := newEngine(t)
			e.config(`resource "test_thing" "a" { value = "v" }`)
			e.converge()
			e.config(tc.config)
			rec := e.st.Resource(addrs.Instance{Resource: addrs.Resource{Type: "test_thing", Name: "a"}})
			rec.Attributes = []byte(`{"value": ["not", "a", "string"]}`)
			var mutate []func(*planner.Options)
			if tc.mutate != nil {
				mutate = append(mutate, tc.mutate)
			}
			diags := e.planErr(mutate...)
			if len(diags) != 1 || diags[0].Summary != "test_thing.a: state record is unreadable" ||
				!strings.Contains(diags[0].Detail, "decode attributes of test_thing.a") {
				t.Errorf("diagnostics: %s", diags.Error())
			}
		})
	}
}

// TestRecordWithoutProvider: a recorded instance of a type no provider
// serves stops the plan with one diagnostic saying how to go on, whether
// refresh or orphan planning finds it.
func TestRecordWithoutProvider(t *testing.T) {
	for name, skipRefresh := range map[string]bool{"refresh": false, "orphan without refresh": true} {
		t.Run(name, func(t *testing.T) {
			e := newEngine(t)
			e.config(`resource "test_thing" "a" { value = "v" }`)
			e.converge()
			addr := addrs.Instance{Resource: addrs.Resource{Type: "other_thing", Name: "x"}}
			e.st.Set(&state.Resource{Addr: addr, Provider: "other", Attributes: []byte(`{}`)})
			diags := e.planErr(func(o *planner.Options) { o.SkipRefresh = skipRefresh })
			if len(diags) != 1 || diags[0].Summary != `other_thing.x: no provider serves resource type "other_thing"` ||
				!strings.Contains(diags[0].Detail, "berth state rm other_thing.x") {
				t.Errorf("diagnostics: %s", diags.Error())
			}
		})
	}
}
