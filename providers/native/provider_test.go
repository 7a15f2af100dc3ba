package native

import (
	"strings"
	"testing"

	"github.com/berthhq/berth/providers"
	"github.com/zclconf/go-cty/cty"
)

func TestGetSchema(t *testing.T) {
	var p providers.Provider = New()
	resp := p.GetSchema(ctx, providers.GetSchemaRequest{})
	if resp.Provider.Name != "berth" || resp.Provider.Version != Version {
		t.Errorf("provider info = %+v", resp.Provider)
	}
	for _, typ := range []string{"image", "container", "network", "volume", "deployment", "berth_data"} {
		if _, ok := resp.Resources[typ]; !ok {
			t.Errorf("no schema for %s", typ)
		}
	}
	reg := providers.NewRegistry()
	if err := reg.Register(ctx, p); err != nil {
		t.Fatal(err)
	}
	if _, name, ok := reg.ForType("container"); !ok || name != "berth" {
		t.Errorf("registry: container served by %q, %v", name, ok)
	}
}

func TestConfigure(t *testing.T) {
	runtime := func(root cty.Value) cty.Value {
		return cty.ObjectVal(map[string]cty.Value{"runtime": cty.ObjectVal(map[string]cty.Value{"root": root})})
	}
	tests := []struct {
		name     string
		config   cty.Value
		wantRoot string
		wantErr  string
	}{
		{"nil", cty.NilVal, "/var/lib/berth", ""},
		{"null", cty.NullVal(cty.DynamicPseudoType), "/var/lib/berth", ""},
		{"empty object", cty.EmptyObjectVal, "/var/lib/berth", ""},
		{"root", runtime(str("/srv/berth/")), "/srv/berth", ""},
		{"runtime_root", cty.ObjectVal(map[string]cty.Value{"runtime_root": str("/srv/b"), "registries": cty.MapValEmpty(cty.EmptyObject)}), "/srv/b", ""},
		{"null runtime_root", cty.ObjectVal(map[string]cty.Value{"runtime_root": cty.NullVal(cty.String)}), "/var/lib/berth", ""},
		{"relative runtime_root", cty.ObjectVal(map[string]cty.Value{"runtime_root": str("x")}), "", "runtime_root: runtime root must be an absolute path"},
		{"null root", runtime(cty.NullVal(cty.String)), "/var/lib/berth", ""},
		{"relative root", runtime(str("data")), "", "runtime root must be an absolute path"},
		{"not an object", str("x"), "", "must be an object"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			p := New()
			resp := p.Configure(ctx, providers.ConfigureRequest{BerthVersion: "0.1.0", Config: tc.config})
			err := resp.Diagnostics.Err()
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("Configure error = %v, want %q", err, tc.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if p.root != tc.wantRoot || p.berthVersion != "0.1.0" {
				t.Errorf("root = %q, version = %q", p.root, p.berthVersion)
			}
		})
	}
}

func TestUnknownType(t *testing.T) {
	var p providers.Provider = New()
	checks := map[string]providers.Diagnostics{
		"validate": p.ValidateResource(ctx, providers.ValidateResourceRequest{TypeName: "nope", Config: cty.EmptyObjectVal}).Diagnostics,
		"plan":     p.PlanResourceChange(ctx, providers.PlanResourceChangeRequest{TypeName: "nope", Config: cty.EmptyObjectVal}).Diagnostics,
		"read":     p.ReadResource(ctx, providers.ReadResourceRequest{TypeName: "nope"}).Diagnostics,
		"apply":    p.ApplyResourceChange(ctx, providers.ApplyResourceChangeRequest{TypeName: "nope"}).Diagnostics,
		"import":   p.ImportResource(ctx, providers.ImportResourceRequest{TypeName: "nope", ID: "x"}).Diagnostics,
	}
	for name, diags := range checks {
		if err := diags.Err(); err == nil || !strings.Contains(err.Error(), `resource type "nope"`) {
			t.Errorf("%s: error = %v", name, err)
		}
	}
	if err := p.Close(); err != nil {
		t.Errorf("Close: %v", err)
	}
}
