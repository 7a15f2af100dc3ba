package native

import (
	"net"
	"slices"
	"strings"
	"testing"

	"github.com/berthhq/berth/providers"
	"github.com/zclconf/go-cty/cty"
)

// checkOne is CheckPlan of a plan of one container or deployment change.
func checkOne(prior, planned cty.Value) providers.Diagnostics {
	typ := "container"
	if planned.Type().HasAttribute("template") {
		typ = "deployment"
	}
	resp := New().CheckPlan(ctx, providers.CheckPlanRequest{Changes: []providers.PlannedChange{{
		Addr: typ + ".x", TypeName: typ, Prior: prior, Planned: planned}}})
	var out providers.Diagnostics
	for _, d := range resp.Diagnostics {
		out = append(out, d.Diagnostic)
	}
	return out
}

// freePorts returns n ports nothing listens on now.
func freePorts(t *testing.T, n int) []int64 {
	t.Helper()
	var out []int64
	for range n {
		l, err := net.Listen("tcp4", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		defer l.Close()
		out = append(out, int64(l.Addr().(*net.TCPAddr).Port))
	}
	return out
}

// TestCheckPlanPorts: the rules CheckPlan applies across the changes of
// one plan, keyed by what each case shows. Objects publish on
// 127.0.0.1; c1, c2 are the prior objects' ids.
func TestCheckPlanPorts(t *testing.T) {
	ports := freePorts(t, 2)
	p, q := ports[0], ports[1]
	// container is the planned container publishing port, or with an id
	// the recorded one.
	container := func(id string, port int64) cty.Value {
		v := plan(t, New(), "container", cty.NullVal(implied("container")), containerConfig(t, map[string]cty.Value{
			"port": objs(map[string]cty.Value{"container": num(80), "host": num(port), "host_ip": str("127.0.0.1")}),
		})).Planned
		if id == "" {
			return v
		}
		return withAttrs(applied(t, v), map[string]cty.Value{"id": str(id)})
	}
	none := cty.NullVal(implied("container"))
	change := func(addr string, prior, planned cty.Value, act string) providers.PlannedChange {
		return providers.PlannedChange{Addr: addr, TypeName: "container", Prior: prior, Planned: planned,
			Replace: act != "", CreateBeforeDestroy: act == "cbd"}
	}
	tests := []struct {
		name    string
		changes []providers.PlannedChange
		waits   []providers.Wait
		diags   []string // "ADDR: PATH: summary or detail part"
	}{
		{name: "replace keeps its own port",
			changes: []providers.PlannedChange{change("container.a", container("c1", p), container("", p), "replace")}},
		{name: "create_before_destroy cannot keep its port",
			changes: []providers.PlannedChange{change("container.a", container("c1", p), container("", p), "cbd")},
			diags:   []string{"container.a: port[0].host: create_before_destroy keeps the object being replaced"}},
		{name: "create_before_destroy to another port",
			changes: []providers.PlannedChange{change("container.a", container("c1", p), container("", q), "cbd")}},
		{name: "port moves to another resource",
			changes: []providers.PlannedChange{
				change("container.a", container("c1", p), container("", q), "replace"),
				change("container.b", none, container("", p), "")},
			waits: []providers.Wait{{Addr: "container.b", For: "container.a"}}},
		{name: "port moves from a deleted resource",
			changes: []providers.PlannedChange{
				change("container.a", container("c1", p), none, ""),
				change("container.b", none, container("", p), "")},
			waits: []providers.Wait{{Addr: "container.b", For: "container.a"}}},
		{name: "two resources claim one port",
			changes: []providers.PlannedChange{
				change("container.a", none, container("", p), ""),
				change("container.b", none, container("", p), "")},
			diags: []string{"container.a: port[0].host: container.b publishes it too (port[0].host)",
				"container.b: port[0].host: container.a publishes it too (port[0].host)"}},
		{name: "a port kept by another resource",
			changes: []providers.PlannedChange{
				change("container.a", container("c1", p), container("c1", p), ""),
				change("container.b", none, container("", p), "")},
			diags: []string{"container.b: port[0].host: container.a publishes it too (port[0].host)"}},
		{name: "ports swapped by replacements: the old objects go first",
			changes: []providers.PlannedChange{
				change("container.a", container("c1", p), container("", q), "replace"),
				change("container.b", container("c2", q), container("", p), "replace")},
			waits: []providers.Wait{{Addr: "container.a", For: "container.b"}, {Addr: "container.b", For: "container.a"}}},
		{name: "ports swapped in place",
			changes: []providers.PlannedChange{
				change("container.a", container("c1", p), container("c1", q), ""),
				change("container.b", container("c2", q), container("c2", p), "")},
			waits: []providers.Wait{{Addr: "container.a", For: "container.b"}, {Addr: "container.b", For: "container.a"}},
			diags: []string{"container.a: host ports change hands in a circle: container.a -> container.b -> container.a",
				"container.b: host ports change hands in a circle: container.b -> container.a -> container.b"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			resp := New().CheckPlan(ctx, providers.CheckPlanRequest{Changes: tc.changes})
			if !slices.Equal(resp.Waits, tc.waits) {
				t.Errorf("waits %v, want %v", resp.Waits, tc.waits)
			}
			var got []string
			for _, d := range resp.Diagnostics {
				s := d.Addr + ": "
				if len(d.Attribute) > 0 {
					s += providers.FormatPath(d.Attribute) + ": "
				}
				got = append(got, s+d.Summary+" / "+d.Detail)
			}
			if len(got) != len(tc.diags) {
				t.Fatalf("diagnostics %q, want %d like %q", got, len(tc.diags), tc.diags)
			}
			for i, want := range tc.diags {
				addr, rest, _ := strings.Cut(want, ": ")
				path, part, found := strings.Cut(rest, ": ")
				if !found {
					path, part = "", rest
				}
				if !strings.HasPrefix(got[i], addr+": "+path) || !strings.Contains(got[i], part) {
					t.Errorf("diagnostic %d: %q, want %q", i, got[i], want)
				}
			}
		})
	}
}
