package native

import (
	"context"
	"fmt"
	"path/filepath"
	"sync"

	"github.com/berthhq/berth/providers"
	"github.com/berthhq/berth/schemas"
	"github.com/zclconf/go-cty/cty"
)

// Name is the provider name the built-in resource types are recorded under.
const Name = "berth"

// Version is the provider's version; the build sets it to berth's own.
var Version = "0.1.0"

var _ providers.Provider = (*Provider)(nil)

// Provider is the built-in provider. Its methods are safe for concurrent
// use. The zero value is ready to use with default settings.
type Provider struct {
	mu           sync.RWMutex
	config       cty.Value // as passed to Configure, unmarked; cty.NilVal before
	berthVersion string
	root         string // runtime data root; "" until configured
	eng          *Engine
}

// New returns an unconfigured provider.
func New() *Provider { return &Provider{} }

// GetSchema lists the built-in resource types.
func (p *Provider) GetSchema(ctx context.Context, req providers.GetSchemaRequest) providers.GetSchemaResponse {
	return providers.GetSchemaResponse{
		Provider:  providers.ProviderInfo{Name: Name, Version: Version},
		Resources: schemas.Builtin(),
	}
}

// Configure takes the berth block's settings as one object, as the
// planner's ConfigureProviders builds it:
//
//	{ runtime_root = string, registries = { HOST = <schemas.Registry> } }
//
// (runtime = { root = string } is accepted for runtime_root too). Every
// member is optional; a null config means all defaults. The runtime root
// must be an absolute path.
func (p *Provider) Configure(ctx context.Context, req providers.ConfigureRequest) providers.ConfigureResponse {
	var diags providers.Diagnostics
	cfg := cty.NullVal(cty.DynamicPseudoType)
	if req.Config != cty.NilVal {
		cfg, _ = req.Config.UnmarkDeep()
	}
	if cfg.IsKnown() && !cfg.IsNull() && !cfg.Type().IsObjectType() && !cfg.Type().IsMapType() {
		return providers.ConfigureResponse{Diagnostics: diags.Errorf("provider configuration must be an object, not %s", cfg.Type().FriendlyName())}
	}
	root := defaultRoot()
	path, rootVal := cty.GetAttrPath("runtime_root"), attr(cfg, "runtime_root")
	if rootVal.IsNull() {
		path, rootVal = cty.GetAttrPath("runtime").GetAttr("root"), attr(attr(cfg, "runtime"), "root")
	}
	if r, ok := knownString(rootVal); ok {
		if !filepath.IsAbs(r) {
			return providers.ConfigureResponse{Diagnostics: diags.AttributeError(path,
				"runtime root must be an absolute path", fmt.Sprintf("%q is relative", r))}
		}
		root = filepath.Clean(r)
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	p.config, p.berthVersion, p.root = cfg, req.BerthVersion, root
	return providers.ConfigureResponse{}
}

// defaultRoot is the runtime root the schema documents.
func defaultRoot() string {
	if d := schemas.Runtime.Attributes["root"].Default; d != cty.NilVal {
		return d.AsString()
	}
	return "/var/lib/berth"
}

// Close releases nothing: the stores hold no open files between calls.
func (p *Provider) Close() error { return nil }

// Engine opens the runtime's stores (images, containers, volumes) under
// the configured root, for the CLI's operating commands.
func (p *Provider) Engine() (*Engine, error) { return p.engine() }

// schemaOf finds a built-in resource schema.
func schemaOf(typ string) (*schemas.Resource, providers.Diagnostics) {
	if rs, ok := schemas.Builtin()[typ]; ok {
		return rs, nil
	}
	var diags providers.Diagnostics
	return nil, diags.Errorf("provider %s does not serve resource type %q", Name, typ)
}

// ReadResource refreshes a resource: berth_data is what state says; the
// runtime types are read from the runtime (runtime.go).
func (p *Provider) ReadResource(ctx context.Context, req providers.ReadResourceRequest) providers.ReadResourceResponse {
	if _, diags := schemaOf(req.TypeName); diags.HasErrors() {
		return providers.ReadResourceResponse{New: req.Prior, Private: req.Private, Diagnostics: diags}
	}
	if req.TypeName == schemas.TypeData {
		return providers.ReadResourceResponse{New: req.Prior, Private: req.Private}
	}
	return p.readRuntime(ctx, req)
}

// ApplyResourceChange carries out a planned change.
func (p *Provider) ApplyResourceChange(ctx context.Context, req providers.ApplyResourceChangeRequest) providers.ApplyResourceChangeResponse {
	if _, diags := schemaOf(req.TypeName); diags.HasErrors() {
		return providers.ApplyResourceChangeResponse{New: req.Prior, Private: req.Private, Diagnostics: diags}
	}
	if req.TypeName == schemas.TypeData {
		return applyData(req)
	}
	return p.applyRuntime(ctx, req)
}

// ImportResource adopts an existing object; berth_data has nothing to adopt.
func (p *Provider) ImportResource(ctx context.Context, req providers.ImportResourceRequest) providers.ImportResourceResponse {
	if _, diags := schemaOf(req.TypeName); diags.HasErrors() {
		return providers.ImportResourceResponse{Diagnostics: diags}
	}
	if req.TypeName == schemas.TypeData {
		var diags providers.Diagnostics
		return providers.ImportResourceResponse{Diagnostics: diags.Errorf(
			"berth_data cannot be imported: it exists only in berth's state; declare it and apply instead")}
	}
	return p.importRuntime(ctx, req)
}
