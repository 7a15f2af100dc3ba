package schemas

import (
	"testing"

	"github.com/zclconf/go-cty/cty"
)

func TestContainerForceNew(t *testing.T) {
	b := &containerSchema.Block
	forceNew := []string{
		"name", "image", "command", "entrypoint", "env", "user", "working_dir",
		"hostname", "read_only", "node", "labels", "network_mode", "tty", "stdin_open",
	}
	inPlace := []string{"restart", "stop_signal", "stop_timeout"}
	for _, n := range forceNew {
		if !b.Attributes[n].ForceNew {
			t.Errorf("container.%s should be ForceNew", n)
		}
	}
	for _, n := range inPlace {
		if b.Attributes[n].ForceNew {
			t.Errorf("container.%s should update in place", n)
		}
	}
	for _, n := range []string{"network", "port", "mount", "capabilities"} {
		if !b.Blocks[n].ForceNew {
			t.Errorf("container %s block should be ForceNew", n)
		}
	}
	for _, n := range []string{"resources", "health"} {
		if b.Blocks[n].ForceNew {
			t.Errorf("container %s block should update in place", n)
		}
	}
}

func TestDeploymentTemplate(t *testing.T) {
	tmpl := deploymentSchema.Block.Blocks["template"]
	if tmpl.MinItems != 1 || tmpl.Nesting != NestingSingle || tmpl.ForceNew {
		t.Errorf("template block = %+v", tmpl)
	}
	for _, n := range []string{"node", "name", "id", "status", "pid", "health_status", "ip_addresses"} {
		if _, ok := tmpl.Attributes[n]; ok {
			t.Errorf("template has %s", n)
		}
	}
	for _, n := range []string{"image", "env", "restart", "stop_timeout", "network_mode", "tty", "stdin_open"} {
		if _, ok := tmpl.Attributes[n]; !ok {
			t.Errorf("template lacks %s", n)
		}
	}
	walk("template.", &tmpl.Block, func(p string, a *Attribute) {
		if a.ForceNew {
			t.Errorf("%s is ForceNew inside a template", p)
		}
	}, func(p string, nb *NestedBlock) {
		if nb.ForceNew {
			t.Errorf("%s is ForceNew inside a template", p)
		}
	})
	if d := tmpl.Attributes["restart"].Default; !d.RawEquals(cty.StringVal("always")) {
		t.Errorf("template restart default = %#v, want always", d)
	}
	for _, n := range []string{"tty", "stdin_open"} {
		if d := tmpl.Attributes[n].Default; !d.RawEquals(cty.False) {
			t.Errorf("template %s default = %#v, want false", n, d)
		}
	}
	if d := containerSchema.Block.Attributes["restart"].Default; !d.RawEquals(cty.StringVal("no")) {
		t.Errorf("container restart default = %#v, want no", d)
	}
	// The copy must not alias the container schema.
	if !containerSchema.Block.Attributes["image"].ForceNew || !containerSchema.Block.Blocks["port"].Block.Attributes["host"].ForceNew {
		t.Error("building the template changed the container schema")
	}
	if tmpl.Attributes["image"] == containerSchema.Block.Attributes["image"] {
		t.Error("template shares attribute values with the container schema")
	}
}

func TestOtherForceNew(t *testing.T) {
	tests := []struct {
		typ, path string
		want      bool
	}{
		{"image", "ref", true},
		{"image", "platform", true},
		{"image", "pull", false},
		{"image", "tag", false},
		{"image", "push", false},
		{"image", "name", false},
		{"image", "build.context", true},
		{"network", "subnet", true},
		{"network", "internal", true},
		{"network", "name", true},
		{"volume", "labels", true},
		{"volume", "name", true},
		{"deployment", "name", true},
		{"deployment", "replicas", false},
		{"deployment", "template.image", false},
		{"berth_data", "input", false},
		{"berth_data", "triggers_replace", true},
	}
	for _, tc := range tests {
		t.Run(tc.typ+"."+tc.path, func(t *testing.T) {
			a, ok := Builtin()[tc.typ].Block.AttributeByPath(dotted(tc.path))
			if !ok {
				t.Fatalf("no attribute")
			}
			if a.ForceNew != tc.want {
				t.Errorf("ForceNew = %v, want %v", a.ForceNew, tc.want)
			}
		})
	}
}

func dotted(s string) cty.Path {
	var p cty.Path
	start := 0
	for i := 0; i <= len(s); i++ {
		if i == len(s) || s[i] == '.' {
			p = p.GetAttr(s[start:i])
			start = i + 1
		}
	}
	return p
}
