package providers

import (
	"testing"

	"github.com/berthhq/berth/schemas"
	"github.com/zclconf/go-cty/cty"
)

// testSchema exercises every kind of attribute and nesting.
var testSchema = &schemas.Block{
	Attributes: map[string]*schemas.Attribute{
		"name":    {Type: cty.String, Optional: true, Computed: true},
		"id":      {Type: cty.String, Computed: true},
		"status":  {Type: cty.String, Computed: true},
		"image":   {Type: cty.String, Required: true, ForceNew: true},
		"env":     {Type: cty.Map(cty.String), Optional: true, ForceNew: true},
		"restart": {Type: cty.String, Optional: true, Default: cty.StringVal("no")},
	},
	Blocks: map[string]*schemas.NestedBlock{
		"port": {Nesting: schemas.NestingList, ForceNew: true, Block: schemas.Block{
			Attributes: map[string]*schemas.Attribute{
				"host":      {Type: cty.Number, Optional: true, Computed: true},
				"container": {Type: cty.Number, Required: true},
				"protocol":  {Type: cty.String, Optional: true, Default: cty.StringVal("tcp")},
			},
		}},
		"health": {Nesting: schemas.NestingSingle, MaxItems: 1, Block: schemas.Block{
			Attributes: map[string]*schemas.Attribute{
				"command":  {Type: cty.List(cty.String), Required: true},
				"interval": {Type: cty.String, Optional: true, Default: cty.StringVal("30s")},
			},
		}},
		"tag": {Nesting: schemas.NestingMap, Block: schemas.Block{
			Attributes: map[string]*schemas.Attribute{
				"value": {Type: cty.String, Optional: true, ForceNew: true},
				"seen":  {Type: cty.String, Computed: true},
			},
		}},
	},
}

var (
	testType = testSchema.ImpliedType()
	portType = testType.AttributeType("port").ElementType()
	tagType  = testType.AttributeType("tag").ElementType()
)

// obj builds an object of type ty from the attributes given, the others null.
func obj(ty cty.Type, attrs map[string]cty.Value) cty.Value {
	vals := make(map[string]cty.Value, len(ty.AttributeTypes()))
	for name, at := range ty.AttributeTypes() {
		if v, ok := attrs[name]; ok {
			vals[name] = v
		} else {
			vals[name] = cty.NullVal(at)
		}
	}
	return cty.ObjectVal(vals)
}

func port(host, container cty.Value) cty.Value {
	return obj(portType, map[string]cty.Value{"host": host, "container": container, "protocol": cty.StringVal("tcp")})
}

func ports(ps ...cty.Value) cty.Value {
	if len(ps) == 0 {
		return cty.ListValEmpty(portType)
	}
	return cty.ListVal(ps)
}

func num(n int64) cty.Value  { return cty.NumberIntVal(n) }
func str(s string) cty.Value { return cty.StringVal(s) }

// priorValue is a recorded resource with one port.
func priorValue() cty.Value {
	return obj(testType, map[string]cty.Value{
		"name": str("web"), "id": str("c1"), "status": str("running"),
		"image": str("img:1"), "env": cty.MapVal(map[string]cty.Value{"A": str("1")}),
		"restart": str("no"), "port": ports(port(num(8080), num(80))),
		"tag": cty.MapVal(map[string]cty.Value{"a": obj(tagType, map[string]cty.Value{"value": str("x"), "seen": str("s1")})}),
	})
}

// configValue is priorValue as configuration: computed attributes null.
func configValue() cty.Value {
	return obj(testType, map[string]cty.Value{
		"image": str("img:1"), "env": cty.MapVal(map[string]cty.Value{"A": str("1")}),
		"restart": str("no"), "port": ports(port(cty.NullVal(cty.Number), num(80))),
		"tag": cty.MapVal(map[string]cty.Value{"a": obj(tagType, map[string]cty.Value{"value": str("x")})}),
	})
}

// with returns v with its attribute name set to val.
func with(v cty.Value, name string, val cty.Value) cty.Value {
	m := v.AsValueMap()
	m[name] = val
	return cty.ObjectVal(m)
}

func get(t *testing.T, v cty.Value, p cty.Path) cty.Value {
	t.Helper()
	got, err := p.Apply(v)
	if err != nil {
		t.Fatalf("%s: %v", FormatPath(p), err)
	}
	return got
}

func path(steps ...any) cty.Path {
	var p cty.Path
	for _, s := range steps {
		switch s := s.(type) {
		case string:
			if len(p) > 0 && s[0] == '#' {
				p = p.IndexString(s[1:])
			} else {
				p = p.GetAttr(s)
			}
		case int:
			p = p.IndexInt(s)
		}
	}
	return p
}

func formatPaths(ps []cty.Path) []string {
	out := make([]string, len(ps))
	for i, p := range ps {
		out[i] = FormatPath(p)
	}
	return out
}

func TestProposedNewCreate(t *testing.T) {
	got := ProposedNew(testSchema, cty.NullVal(testType), configValue())
	if !got.Type().Equals(testType) {
		t.Fatalf("type = %s", got.Type().FriendlyName())
	}
	for _, p := range []cty.Path{path("name"), path("id"), path("status"), path("port", 0, "host"), path("tag", "#a", "seen")} {
		if get(t, got, p).IsKnown() {
			t.Errorf("%s is known on create", FormatPath(p))
		}
	}
	if v := get(t, got, path("image")); !v.RawEquals(str("img:1")) {
		t.Errorf("image = %#v", v)
	}
	if v := get(t, got, path("health")); !v.IsNull() {
		t.Errorf("absent single block = %#v, want null", v)
	}
}

func TestProposedNewUpdate(t *testing.T) {
	cfg := with(configValue(), "image", str("img:2"))
	cfg = with(cfg, "env", cty.NullVal(cty.Map(cty.String)))
	cfg = with(cfg, "port", ports(port(cty.NullVal(cty.Number), num(80)), port(cty.NullVal(cty.Number), num(443))))
	cfg = with(cfg, "tag", cty.MapVal(map[string]cty.Value{
		"a": obj(tagType, map[string]cty.Value{"value": str("y")}),
		"b": obj(tagType, map[string]cty.Value{"value": str("z")}),
	}))
	got := ProposedNew(testSchema, priorValue(), cfg)
	tests := []struct {
		path cty.Path
		want cty.Value
	}{
		{path("name"), str("web")},                            // optional+computed, unset: prior
		{path("id"), str("c1")},                               // computed: prior
		{path("image"), str("img:2")},                         // config
		{path("env"), cty.NullVal(cty.Map(cty.String))},       // optional, unset: null
		{path("port", 0, "host"), num(8080)},                  // matched by index: prior
		{path("port", 1, "host"), cty.UnknownVal(cty.Number)}, // new element
		{path("port", 1, "container"), num(443)},
		{path("tag", "#a", "value"), str("y")},
		{path("tag", "#a", "seen"), str("s1")},                  // matched by key
		{path("tag", "#b", "seen"), cty.UnknownVal(cty.String)}, // new key
	}
	for _, tc := range tests {
		if v := get(t, got, tc.path); !v.RawEquals(tc.want) {
			t.Errorf("%s = %#v, want %#v", FormatPath(tc.path), v, tc.want)
		}
	}
}

func TestProposedNewConfigWins(t *testing.T) {
	cfg := with(configValue(), "name", str("other"))
	got := ProposedNew(testSchema, priorValue(), cfg)
	if v := got.GetAttr("name"); !v.RawEquals(str("other")) {
		t.Errorf("name = %#v, want the configured value", v)
	}
}

func TestProposedNewNullAndUnknown(t *testing.T) {
	if got := ProposedNew(testSchema, priorValue(), cty.NullVal(testType)); !got.IsNull() {
		t.Errorf("null config: %#v", got)
	}
	if got := ProposedNew(testSchema, priorValue(), cty.UnknownVal(testType)); got.IsKnown() {
		t.Errorf("unknown config: %#v", got)
	}
	// A wholly unknown list block stays unknown.
	cfg := with(configValue(), "port", cty.UnknownVal(cty.List(portType)))
	if got := ProposedNew(testSchema, priorValue(), cfg); got.GetAttr("port").IsKnown() {
		t.Error("unknown port list became known")
	}
}

func TestProposedNewMarks(t *testing.T) {
	prior := with(priorValue(), "status", str("running").Mark("sensitive"))
	prior = with(prior, "image", str("img:1").Mark("sensitive"))
	cfg := with(configValue(), "env", cty.MapVal(map[string]cty.Value{"A": str("1").Mark("sensitive")}))
	got := ProposedNew(testSchema, prior, cfg)
	if !get(t, got, path("status")).HasMark("sensitive") {
		t.Error("status lost the prior value's mark")
	}
	if get(t, got, path("image")).HasMark("sensitive") {
		t.Error("image from config took the prior value's mark")
	}
	if !get(t, got, path("env", "#A")).HasMark("sensitive") {
		t.Error("env[A] lost the config value's mark")
	}
}

func TestSetUnknownComputed(t *testing.T) {
	// Create: computed-only nulls become unknown; name (optional+computed,
	// filled by the planner) stays.
	planned := with(configValue(), "name", str("web"))
	got := SetUnknownComputed(testSchema, planned, cty.NullVal(testType))
	if get(t, got, path("id")).IsKnown() || get(t, got, path("status")).IsKnown() || get(t, got, path("tag", "#a", "seen")).IsKnown() {
		t.Errorf("create left computed attributes known: %#v", got)
	}
	if v := got.GetAttr("name"); !v.RawEquals(str("web")) {
		t.Errorf("name = %#v", v)
	}
	// Update: values from prior stay; a new map block element gets unknowns.
	prior := priorValue()
	planned = with(prior, "tag", cty.MapVal(map[string]cty.Value{
		"a": get(t, prior, path("tag", "#a")),
		"b": obj(tagType, map[string]cty.Value{"value": str("z")}),
	}))
	got = SetUnknownComputed(testSchema, planned, prior)
	if v := got.GetAttr("id"); !v.RawEquals(str("c1")) {
		t.Errorf("update id = %#v", v)
	}
	if v := get(t, got, path("tag", "#a", "seen")); !v.RawEquals(str("s1")) {
		t.Errorf("tag[a].seen = %#v", v)
	}
	if get(t, got, path("tag", "#b", "seen")).IsKnown() {
		t.Error("tag[b].seen known for a new element")
	}
	if got := SetUnknownComputed(testSchema, cty.NullVal(testType), prior); !got.IsNull() {
		t.Error("delete: planned null changed")
	}
}

func TestApplyDefaults(t *testing.T) {
	cfg := obj(testType, map[string]cty.Value{
		"image": str("img"),
		"port":  ports(obj(portType, map[string]cty.Value{"container": num(80)}), port(num(1), num(2))),
		"health": obj(testType.AttributeType("health"), map[string]cty.Value{
			"command": cty.ListVal([]cty.Value{str("true")}),
		}),
	})
	got := ApplyDefaults(testSchema, cfg)
	tests := []struct {
		path cty.Path
		want cty.Value
	}{
		{path("restart"), str("no")},
		{path("port", 0, "protocol"), str("tcp")},
		{path("health", "interval"), str("30s")},
		{path("name"), cty.NullVal(cty.String)}, // computed: no default
		{path("env"), cty.NullVal(cty.Map(cty.String))},
	}
	for _, tc := range tests {
		if v := get(t, got, tc.path); !v.RawEquals(tc.want) {
			t.Errorf("%s = %#v, want %#v", FormatPath(tc.path), v, tc.want)
		}
	}
	if again := ApplyDefaults(testSchema, got); !again.RawEquals(got) {
		t.Error("ApplyDefaults is not idempotent")
	}
	set := with(cfg, "restart", str("always"))
	if v := ApplyDefaults(testSchema, set).GetAttr("restart"); !v.RawEquals(str("always")) {
		t.Errorf("configured restart replaced by default: %#v", v)
	}
	if v := ApplyDefaults(testSchema, cty.UnknownVal(testType)); v.IsKnown() {
		t.Error("unknown config became known")
	}
}

func TestRequiresReplace(t *testing.T) {
	prior := priorValue()
	env := func(kv ...string) cty.Value {
		m := map[string]cty.Value{}
		for i := 0; i < len(kv); i += 2 {
			m[kv[i]] = str(kv[i+1])
		}
		return cty.MapVal(m)
	}
	tag := func(v string) cty.Value {
		return cty.MapVal(map[string]cty.Value{"a": obj(tagType, map[string]cty.Value{"value": str(v), "seen": str("s1")})})
	}
	tests := []struct {
		name    string
		planned cty.Value
		want    []string
	}{
		{"no change", prior, nil},
		{"in place attribute", with(prior, "restart", str("always")), nil},
		{"computed change", with(prior, "status", str("exited")), nil},
		{"force new", with(prior, "image", str("img:2")), []string{"image"}},
		{"unknown force new", with(prior, "image", cty.UnknownVal(cty.String)), []string{"image"}},
		{"map key changed", with(prior, "env", env("A", "2")), []string{`env["A"]`}},
		{"map key added", with(prior, "env", env("A", "1", "B", "2")), []string{`env["B"]`}},
		{"map removed", with(prior, "env", cty.NullVal(cty.Map(cty.String))), []string{"env"}},
		{"map unknown", with(prior, "env", cty.UnknownVal(cty.Map(cty.String))), []string{"env"}},
		{"map element unknown", with(prior, "env", cty.MapVal(map[string]cty.Value{"A": cty.UnknownVal(cty.String)})), []string{`env["A"]`}},
		{"list block attribute", with(prior, "port", ports(port(num(8081), num(80)))), []string{"port[0].host"}},
		{"list block element added", with(prior, "port", ports(port(num(8080), num(80)), port(num(1), num(2)))), []string{"port[1]"}},
		{"list block emptied", with(prior, "port", ports()), []string{"port[0]"}},
		{"list block unknown", with(prior, "port", cty.UnknownVal(cty.List(portType))), []string{"port"}},
		{"map block attribute", with(prior, "tag", tag("y")), []string{`tag["a"].value`}},
		{"single block in place", with(prior, "health", obj(testType.AttributeType("health"), map[string]cty.Value{"interval": str("5s")})), nil},
		{"sorted", with(with(with(prior, "image", str("i")), "env", env("A", "2")), "port", ports(port(num(1), num(2)))),
			[]string{`env["A"]`, "image", "port[0].container", "port[0].host"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := formatPaths(RequiresReplace(testSchema, prior, tc.planned))
			if !equalStrings(got, tc.want) {
				t.Errorf("RequiresReplace = %q, want %q", got, tc.want)
			}
		})
	}
}

func TestRequiresReplaceCreateDelete(t *testing.T) {
	if got := RequiresReplace(testSchema, cty.NullVal(testType), priorValue()); got != nil {
		t.Errorf("create: %q", formatPaths(got))
	}
	if got := RequiresReplace(testSchema, priorValue(), cty.NullVal(testType)); got != nil {
		t.Errorf("delete: %q", formatPaths(got))
	}
}

func TestRequiresReplaceNestedForceNew(t *testing.T) {
	// A ForceNew attribute inside a block that is not ForceNew.
	schema := &schemas.Block{Blocks: map[string]*schemas.NestedBlock{
		"build": {Nesting: schemas.NestingSingle, Block: schemas.Block{Attributes: map[string]*schemas.Attribute{
			"context": {Type: cty.String, Required: true, ForceNew: true},
			"tag":     {Type: cty.String, Optional: true},
		}}},
	}}
	bt := schema.ImpliedType().AttributeType("build")
	build := func(ctx, tag string) cty.Value {
		return cty.ObjectVal(map[string]cty.Value{"build": cty.ObjectVal(map[string]cty.Value{"context": str(ctx), "tag": str(tag)})})
	}
	none := cty.ObjectVal(map[string]cty.Value{"build": cty.NullVal(bt)})
	tests := []struct {
		name           string
		prior, planned cty.Value
		want           []string
	}{
		{"in place", build("a", "1"), build("a", "2"), nil},
		{"force new", build("a", "1"), build("b", "1"), []string{"build.context"}},
		{"block added", none, build("a", "1"), []string{"build.context"}},
		{"block removed", build("a", "1"), none, []string{"build.context"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := formatPaths(RequiresReplace(schema, tc.prior, tc.planned))
			if !equalStrings(got, tc.want) {
				t.Errorf("RequiresReplace = %q, want %q", got, tc.want)
			}
		})
	}
}

func TestDiffPaths(t *testing.T) {
	prior := priorValue()
	tests := []struct {
		name           string
		prior, planned cty.Value
		want           []string
	}{
		{"equal", prior, prior, nil},
		{"attribute", prior, with(prior, "restart", str("always")), []string{"restart"}},
		{"map as a whole", prior, with(prior, "env", cty.MapVal(map[string]cty.Value{"A": str("2")})), []string{"env"}},
		{"list block attribute", prior, with(prior, "port", ports(port(num(1), num(80)))), []string{"port[0].host"}},
		{"list block element added", prior, with(prior, "port", ports(port(num(8080), num(80)), port(num(1), num(2)))), []string{"port[1]"}},
		{"single block added", prior, with(prior, "health", obj(testType.AttributeType("health"), map[string]cty.Value{"interval": str("5s")})), []string{"health.interval"}},
		{"unknown", prior, with(prior, "id", cty.UnknownVal(cty.String)), []string{"id"}},
		{"both unknown", with(prior, "id", cty.UnknownVal(cty.String)), with(prior, "id", cty.UnknownVal(cty.String)), nil},
		{"delete", prior, cty.NullVal(testType), []string{"env", "id", "image", "name", "port", "restart", "status", "tag"}},
		{"dynamic object", cty.ObjectVal(map[string]cty.Value{"input": cty.ObjectVal(map[string]cty.Value{"a": num(1), "b": num(2)})}),
			cty.ObjectVal(map[string]cty.Value{"input": cty.ObjectVal(map[string]cty.Value{"a": num(1), "b": str("2")})}), []string{"input.b"}},
		{"dynamic type change", cty.ObjectVal(map[string]cty.Value{"input": num(1)}),
			cty.ObjectVal(map[string]cty.Value{"input": cty.ListVal([]cty.Value{num(1)})}), []string{"input"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := formatPaths(DiffPaths(tc.prior, tc.planned))
			if !equalStrings(got, tc.want) {
				t.Errorf("DiffPaths = %q, want %q", got, tc.want)
			}
		})
	}
}

func TestDiffPathsMarked(t *testing.T) {
	prior := with(priorValue(), "image", str("a").Mark("sensitive"))
	planned := with(priorValue(), "image", str("b").Mark("sensitive"))
	if got := formatPaths(DiffPaths(prior, planned)); !equalStrings(got, []string{"image"}) {
		t.Errorf("DiffPaths = %q", got)
	}
}

func TestComparePaths(t *testing.T) {
	ps := []cty.Path{path("port", 10), path("port", 2, "host"), path("env", "#b"), path("port", 2), path("env", "#a"), path("a")}
	sortPaths(ps)
	want := []string{"a", `env["a"]`, `env["b"]`, "port[2]", "port[2].host", "port[10]"}
	if got := formatPaths(ps); !equalStrings(got, want) {
		t.Errorf("sorted = %q, want %q", got, want)
	}
}

func equalStrings(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}
