package native

import (
	"slices"
	"testing"

	"github.com/berthhq/berth/providers"
	"github.com/zclconf/go-cty/cty"
)

func containerConfig(t *testing.T, extra map[string]cty.Value) cty.Value {
	attrs := map[string]cty.Value{
		"name":  str("web"),
		"image": str("sha256:1"),
		"port":  objs(map[string]cty.Value{"container": num(80)}),
	}
	for k, v := range extra {
		attrs[k] = v
	}
	return cfg(t, "container", attrs)
}

// applied stands in for the runtime: the planned value with its
// unknowns filled the way apply would.
func applied(t *testing.T, planned cty.Value) cty.Value {
	t.Helper()
	v, err := cty.Transform(planned, func(p cty.Path, v cty.Value) (cty.Value, error) {
		if v.IsKnown() {
			return v, nil
		}
		switch {
		case v.Type().Equals(cty.String):
			return str("set-" + providers.FormatPath(p)), nil
		case v.Type().Equals(cty.Number):
			return num(7), nil
		}
		return cty.NullVal(v.Type()), nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return v
}

func TestPlanContainerCreate(t *testing.T) {
	pl := plan(t, New(), "container", cty.NullVal(implied("container")), containerConfig(t, nil))
	if !pl.Planned.Type().Equals(implied("container")) {
		t.Fatalf("planned type = %s", pl.Planned.Type().FriendlyName())
	}
	known := map[string]cty.Value{
		"restart":      str("no"),
		"read_only":    cty.False,
		"stop_timeout": str("10s"),
		"name":         str("web"),
	}
	for name, want := range known {
		if got := pl.Planned.GetAttr(name); !got.RawEquals(want) {
			t.Errorf("%s = %#v, want %#v", name, got, want)
		}
	}
	for _, p := range []cty.Path{
		cty.GetAttrPath("id"), cty.GetAttrPath("status"), cty.GetAttrPath("health_status"),
		cty.GetAttrPath("port").IndexInt(0).GetAttr("host"),
	} {
		if attrAt(t, pl.Planned, p).IsKnown() {
			t.Errorf("%s known on create", providers.FormatPath(p))
		}
	}
	if got := attrAt(t, pl.Planned, cty.GetAttrPath("port").IndexInt(0).GetAttr("protocol")); !got.RawEquals(str("tcp")) {
		t.Errorf("port protocol default = %#v", got)
	}
}

func TestPlanContainerChanges(t *testing.T) {
	p := New()
	base := containerConfig(t, nil)
	prior := applied(t, plan(t, p, "container", cty.NullVal(implied("container")), base).Planned)
	prior = withAttrs(prior, map[string]cty.Value{"status": str("running")})
	health := objs(map[string]cty.Value{"command": strs("true")})
	tests := []struct {
		name        string
		extra       map[string]cty.Value
		wantReplace []string
		wantUnknown []string // computed attributes unknown in the plan
	}{
		{"no change", nil, nil, nil},
		{"image", map[string]cty.Value{"image": str("sha256:2")}, []string{"image"}, []string{"id", "status", "pid", "health_status"}},
		{"env", map[string]cty.Value{"env": cty.MapVal(map[string]cty.Value{"A": str("1")})}, []string{"env"}, []string{"id"}},
		{"restart", map[string]cty.Value{"restart": str("always")}, nil, nil},
		{"resources", map[string]cty.Value{"resources": cty.ObjectVal(map[string]cty.Value{"memory": str("1g")})}, nil, nil},
		{"health", map[string]cty.Value{"health": health.Index(num(0))}, nil, []string{"health_status"}},
		{"port host", map[string]cty.Value{"port": objs(map[string]cty.Value{"container": num(80), "host": num(8080)})}, []string{"port[0].host"}, []string{"id"}},
		{"port added", map[string]cty.Value{"port": objs(map[string]cty.Value{"container": num(80)}, map[string]cty.Value{"container": num(443)})}, []string{"port[1]"}, []string{"id"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			pl := plan(t, p, "container", prior, containerConfig(t, tc.extra))
			if got := paths(pl.RequiresReplace); !slices.Equal(got, tc.wantReplace) {
				t.Errorf("replace = %q, want %q", got, tc.wantReplace)
			}
			for _, n := range tc.wantUnknown {
				if pl.Planned.GetAttr(n).IsKnown() {
					t.Errorf("%s known, want unknown", n)
				}
			}
			if tc.extra == nil && !pl.Planned.RawEquals(prior) {
				t.Errorf("no-op plan differs from prior at %q", paths(providers.DiffPaths(prior, pl.Planned)))
			}
			if tc.wantReplace == nil && !pl.Planned.GetAttr("id").RawEquals(prior.GetAttr("id")) {
				t.Errorf("in-place update changed id to %#v", pl.Planned.GetAttr("id"))
			}
		})
	}
}

func TestPlanDeployment(t *testing.T) {
	p := New()
	config := func(image string, replicas int64) cty.Value {
		return cfg(t, "deployment", map[string]cty.Value{
			"name":     str("web"),
			"replicas": num(replicas),
			"template": cty.ObjectVal(map[string]cty.Value{"image": str(image)}),
		})
	}
	create := plan(t, p, "deployment", cty.NullVal(implied("deployment")), config("a", 2))
	if got := create.Planned.GetAttr("update"); !got.IsNull() {
		t.Errorf("absent update block = %#v, want null", got)
	}
	if got := attrAt(t, create.Planned, cty.GetAttrPath("template").GetAttr("restart")); !got.RawEquals(str("always")) {
		t.Errorf("template restart default = %#v, want always", got)
	}
	if got := create.Planned.GetAttr("revision"); !got.RawEquals(num(1)) {
		t.Errorf("create: revision = %#v, want 1", got)
	}
	prior := applied(t, create.Planned)

	tmpl := plan(t, p, "deployment", prior, config("b", 2))
	if tmpl.RequiresReplace != nil {
		t.Errorf("template change replaces: %q", paths(tmpl.RequiresReplace))
	}
	for n, want := range map[string]bool{"id": true, "revision": true, "replicas_status": false, "addresses": false, "rollout": true} {
		if tmpl.Planned.GetAttr(n).IsKnown() != want {
			t.Errorf("template change: %s known = %v, want %v", n, !want, want)
		}
	}
	if got := tmpl.Planned.GetAttr("revision"); !got.RawEquals(num(2)) {
		t.Errorf("template change: revision = %#v, want 2", got)
	}
	scale := plan(t, p, "deployment", prior, config("a", 3))
	if scale.RequiresReplace != nil || !scale.Planned.GetAttr("revision").RawEquals(num(1)) {
		t.Errorf("scale: replace %q, revision %#v", paths(scale.RequiresReplace), scale.Planned.GetAttr("revision"))
	}
	if rs := scale.Planned.GetAttr("replicas_status"); !rs.IsKnown() || rs.LengthInt() != 3 || rs.Index(num(2)).GetAttr("id").IsKnown() {
		t.Errorf("scale: replicas_status = %#v, want 3 entries, the new ones' ids unknown", rs)
	}
	rename := plan(t, p, "deployment", prior, withAttrs(config("a", 2), map[string]cty.Value{"name": str("web2")}))
	if got := paths(rename.RequiresReplace); !slices.Equal(got, []string{"name"}) {
		t.Errorf("rename replace = %q", got)
	}
}

func TestPlanNetworkImage(t *testing.T) {
	p := New()
	net := func(internal bool) cty.Value {
		return cfg(t, "network", map[string]cty.Value{"name": str("n"), "internal": cty.BoolVal(internal)})
	}
	prior := applied(t, plan(t, p, "network", cty.NullVal(implied("network")), net(false)).Planned)
	if pl := plan(t, p, "network", prior, net(false)); pl.RequiresReplace != nil || !pl.Planned.RawEquals(prior) {
		t.Errorf("unset subnet: replace %q, planned %#v", paths(pl.RequiresReplace), pl.Planned)
	}
	if pl := plan(t, p, "network", prior, net(true)); !slices.Equal(paths(pl.RequiresReplace), []string{"internal"}) {
		t.Errorf("internal change: replace %q", paths(pl.RequiresReplace))
	}

	img := func(pull string) cty.Value {
		return cfg(t, "image", map[string]cty.Value{"name": str("i"), "ref": str("alpine:3"), "pull": str(pull)})
	}
	prior = applied(t, plan(t, p, "image", cty.NullVal(implied("image")), img("missing")).Planned)
	if pl := plan(t, p, "image", prior, img("always")); pl.RequiresReplace != nil {
		t.Errorf("pull change replaces: %q", paths(pl.RequiresReplace))
	}
}

func TestPlanKeepsConfigMarks(t *testing.T) {
	env := cty.MapVal(map[string]cty.Value{"PASSWORD": str("x").Mark("sensitive")})
	pl := plan(t, New(), "container", cty.NullVal(implied("container")), containerConfig(t, map[string]cty.Value{"env": env}))
	if !attrAt(t, pl.Planned, cty.GetAttrPath("env").IndexString("PASSWORD")).HasMark("sensitive") {
		t.Error("planned env lost the sensitive mark")
	}
}

func TestPlanRestoresStoppedContainer(t *testing.T) {
	p := New()
	base := containerConfig(t, nil)
	prior := applied(t, plan(t, p, "container", cty.NullVal(implied("container")), base).Planned)
	for _, status := range []string{"exited", "dead", "created"} {
		prior = withAttrs(prior, map[string]cty.Value{"status": str(status)})
		pl := plan(t, p, "container", prior, base)
		if got := pl.Planned.GetAttr("status"); !got.RawEquals(str("running")) {
			t.Errorf("%s: planned status %#v, want running", status, got)
		}
		if pl.Planned.GetAttr("pid").IsKnown() || len(pl.RequiresReplace) > 0 {
			t.Errorf("%s: want an in-place start with pid unknown", status)
		}
	}
}
