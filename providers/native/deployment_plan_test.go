package native

import (
	"fmt"
	"net"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/berthhq/berth/providers"
	"github.com/berthhq/berth/providers/native/deploy"
	"github.com/zclconf/go-cty/cty"
)

// depConfig is a deployment configuration of n replicas of image.
func depConfig(t *testing.T, image string, n int64, extra map[string]cty.Value) cty.Value {
	t.Helper()
	attrs := map[string]cty.Value{
		"name": str("web"), "replicas": num(n),
		"template": cty.ObjectVal(map[string]cty.Value{"image": str(image)}),
	}
	for k, v := range extra {
		attrs[k] = v
	}
	return cfg(t, "deployment", attrs)
}

// deployed is a deployment as recorded after a successful apply of cfg:
// one running replica of revision rev per ordinal.
func deployed(t *testing.T, cfgVal cty.Value, rev int, reps ...deploy.Replica) cty.Value {
	t.Helper()
	pl := plan(t, New(), "deployment", cty.NullVal(implied("deployment")), cfgVal)
	v := applied(t, pl.Planned)
	if reps == nil {
		for k := 0; k < intOf(v.GetAttr("replicas")); k++ {
			reps = append(reps, deploy.Replica{Ordinal: k, Revision: rev, ID: "id" + string(rune('a'+k)), Name: replicaName("web", k),
				State: deploy.StateRunning, Health: deploy.HealthHealthy, IP: "10.0.0.1"})
		}
	}
	return withAttrs(v, map[string]cty.Value{"revision": num(int64(rev)), "replicas_status": statusList(reps),
		"addresses": addressesOf(reps, v.GetAttr("template")), "rollout": str("create")})
}

func TestPlanDeploymentReplicas(t *testing.T) {
	running := func(k, rev int, id string) deploy.Replica {
		return deploy.Replica{Ordinal: k, Revision: rev, ID: id, Name: replicaName("web", k), State: deploy.StateRunning, Health: deploy.HealthHealthy}
	}
	with := func(r deploy.Replica, state, health string) deploy.Replica {
		r.State, r.Health = state, health
		return r
	}
	tests := []struct {
		name    string
		n       int64
		reps    []deploy.Replica
		rollout string   // "" means no change
		ids     []string // planned ids by position; "?" is unknown
	}{
		{"steady", 2, []deploy.Replica{running(0, 1, "a"), running(1, 1, "b")}, "", nil},
		{"starting and restarting are fine", 2, []deploy.Replica{with(running(0, 1, "a"), "restarting", ""), with(running(1, 1, "b"), "running", "starting")}, "", nil},
		{"scale up", 3, []deploy.Replica{running(0, 1, "a"), running(1, 1, "b")}, "scale 2 -> 3: add web#2", []string{"a", "b", "?"}},
		{"scale down removes the highest", 1, []deploy.Replica{running(0, 1, "a"), running(1, 1, "b"), running(2, 1, "c")}, "scale 3 -> 1: remove web#1; remove web#2", []string{"a"}},
		{"exited is started in place", 2, []deploy.Replica{running(0, 1, "a"), with(running(1, 1, "b"), "exited", "")}, "start web#1 (exited)", []string{"a", "b"}},
		{"missing is replaced", 2, []deploy.Replica{with(running(0, 1, "a"), "missing", ""), running(1, 1, "b")}, "replace web#0 (missing)", []string{"?", "b"}},
		{"unhealthy is replaced", 2, []deploy.Replica{running(0, 1, "a"), with(running(1, 1, "b"), "running", "unhealthy")}, "replace web#1 (unhealthy)", []string{"a", "?"}},
		{"partial rollout continues", 2, []deploy.Replica{running(0, 1, "a"), running(0, 2, "n"), running(1, 1, "b")}, "remove the older replica of web#0; replace web#1 (revision 1)", []string{"n", "?"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			rev := int64(1)
			if tc.name == "partial rollout continues" {
				rev = 2
			}
			prior := deployed(t, depConfig(t, "img", int64(maxOrdinal(tc.reps)+1), nil), int(rev), tc.reps...)
			pl := plan(t, New(), "deployment", prior, depConfig(t, "img", tc.n, nil))
			if pl.RequiresReplace != nil {
				t.Fatalf("replace %q", paths(pl.RequiresReplace))
			}
			if tc.rollout == "" {
				if !pl.Planned.RawEquals(prior) {
					t.Fatalf("planned a change: %q", paths(diffPaths(prior, pl.Planned)))
				}
				return
			}
			if got := pl.Planned.GetAttr("rollout"); !got.RawEquals(str(tc.rollout)) {
				t.Errorf("rollout = %#v, want %q", got, tc.rollout)
			}
			var ids []string
			for _, e := range pl.Planned.GetAttr("replicas_status").AsValueSlice() {
				if id := e.GetAttr("id"); id.IsKnown() {
					ids = append(ids, id.AsString())
				} else {
					ids = append(ids, "?")
				}
				if !e.GetAttr("status").RawEquals(str("running")) {
					t.Errorf("planned status %#v, want running", e.GetAttr("status"))
				}
			}
			if !slices.Equal(ids, tc.ids) {
				t.Errorf("planned ids %q, want %q", ids, tc.ids)
			}
			if pl.Planned.GetAttr("addresses").IsKnown() {
				t.Error("addresses known, want unknown")
			}
		})
	}
}

func maxOrdinal(reps []deploy.Replica) int {
	m := 0
	for _, r := range reps {
		m = max(m, r.Ordinal)
	}
	return m
}

func TestPlanDeploymentTemplateChange(t *testing.T) {
	config := depConfig(t, "v1", 4, map[string]cty.Value{"update": cty.ObjectVal(map[string]cty.Value{
		"max_surge": str("1"), "max_unavailable": str("0"), "min_ready": str("5s"), "progress_deadline": str("2m"), "auto_rollback": cty.True})})
	prior := deployed(t, config, 4)
	hist := &History{}
	hist.record(2, attr(prior, "template"), revisionComplete, time.Now())
	hist.record(4, attr(prior, "template"), revisionComplete, time.Now())
	next := withAttrs(config, map[string]cty.Value{"template": cty.ObjectVal(map[string]cty.Value{"image": str("v2")})})
	next = cfg(t, "deployment", next.AsValueMap())
	resp := New().PlanResourceChange(ctx, planReq(prior, next, hist.encode()))
	if err := resp.Diagnostics.Err(); err != nil {
		t.Fatal(err)
	}
	if got := resp.Planned.GetAttr("revision"); !got.RawEquals(num(5)) {
		t.Errorf("revision = %#v, want 5 (above every recorded one)", got)
	}
	want := "rolling update to revision 5 of 4 replica(s): max_surge 1, max_unavailable 0, min_ready 5s, progress_deadline 2m, auto_rollback true"
	if got := resp.Planned.GetAttr("rollout"); !got.RawEquals(str(want)) {
		t.Errorf("rollout = %#v\nwant %q", got, want)
	}
	// Going back to a recorded template says so.
	back := New().PlanResourceChange(ctx, planReq(withAttrs(prior, map[string]cty.Value{"template": resp.Planned.GetAttr("template"), "revision": num(5)}), config, hist.encode()))
	if got := back.Planned.GetAttr("rollout").AsString(); !strings.HasSuffix(got, "(the template of revision 4)") {
		t.Errorf("rollout of an old template = %q", got)
	}
}

// TestPlanDeploymentPorts: a host port that a program holds fails the
// plan of a deployment that would publish it, naming the port block,
// but not the plan of the deployment that publishes it already.
func TestPlanDeploymentPorts(t *testing.T) {
	l, err := net.Listen("tcp4", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	taken := l.Addr().(*net.TCPAddr).Port
	withPort := func(host int) map[string]cty.Value {
		port := map[string]cty.Value{"container": num(80), "host_ip": str("127.0.0.1")}
		if host != 0 {
			port["host"] = num(int64(host))
		}
		return map[string]cty.Value{"template": cty.ObjectVal(map[string]cty.Value{"image": str("i"), "port": cty.TupleVal([]cty.Value{cty.ObjectVal(port)})})}
	}
	planned := plan(t, New(), "deployment", cty.NullVal(implied("deployment")), depConfig(t, "i", 2, withPort(taken))).Planned
	diags := checkOne(cty.NullVal(implied("deployment")), planned)
	want := fmt.Sprintf("template.port[0].host: host port %d/tcp on 127.0.0.1 is not free", taken)
	if got := strings.Join(summaries(diags), "\n"); got != want {
		t.Errorf("diagnostics %q, want %q", got, want)
	}
	if len(diags) == 1 && !strings.Contains(diags[0].Detail, "in use by another program") {
		t.Errorf("detail %q does not say who holds the port", diags[0].Detail)
	}
	// As recorded after berth chose the port (the taken one, as it happens).
	prior := deployed(t, depConfig(t, "i", 2, withPort(0)), 1)
	tmpl := prior.GetAttr("template")
	port := withAttrs(tmpl.GetAttr("port").Index(num(0)), map[string]cty.Value{"host": num(int64(taken))})
	prior = withAttrs(prior, map[string]cty.Value{"template": withAttrs(tmpl, map[string]cty.Value{"port": cty.ListVal([]cty.Value{port})})})
	prior = withAttrs(prior, map[string]cty.Value{"addresses": addressesOf(recordedReplicas(prior.GetAttr("replicas_status")), prior.GetAttr("template"))})
	again := plan(t, New(), "deployment", prior, depConfig(t, "j", 2, withPort(taken))).Planned
	if diags := checkOne(prior, again); diags.HasErrors() {
		t.Errorf("a port the deployment publishes already: %v", summaries(diags))
	}
	addrs := stringList(prior.GetAttr("addresses"))
	if want := fmt.Sprintf("127.0.0.1:%d", taken); len(addrs) != 3 || addrs[2] != want {
		t.Errorf("addresses %v, want the replicas' and %s", addrs, want)
	}
}

func TestStrategyOf(t *testing.T) {
	s, err := strategyOf(cfg(t, "deployment", map[string]cty.Value{"replicas": num(10), "template": cty.ObjectVal(map[string]cty.Value{"image": str("i")})}))
	if err != nil {
		t.Fatal(err)
	}
	if s.Budget != (deploy.Budget{Surge: 3, Unavailable: 2}) || s.Deadline != 10*time.Minute || s.MinReady != 0 || s.autoRollback {
		t.Errorf("defaults without an update block: %+v", s)
	}
}

// planReq is a deployment plan request with private bytes.
func planReq(prior, config cty.Value, private []byte) providers.PlanResourceChangeRequest {
	return providers.PlanResourceChangeRequest{TypeName: "deployment", Prior: prior, Config: config, Private: private}
}

func diffPaths(a, b cty.Value) []cty.Path { return providers.DiffPaths(a, b) }
