package native

// This file stands in for the native runtime (the next piece of work):
// apply, refresh and import of images, containers, networks, volumes and
// deployments. Planning and validation of those types are complete and
// stay; replace this file with the runtime.

import (
	"context"

	"github.com/berthhq/berth/providers"
)

// pendingSummary is the diagnostic for anything that needs the runtime.
func pendingSummary(typ string) string {
	return "resource type " + typ + " needs the native runtime, which is not built yet"
}

// applyRuntime refuses: nothing can be created, changed or deleted yet.
// New is the prior value, since nothing changed.
func (p *Provider) applyRuntime(ctx context.Context, req providers.ApplyResourceChangeRequest) providers.ApplyResourceChangeResponse {
	var diags providers.Diagnostics
	return providers.ApplyResourceChangeResponse{
		New:         req.Prior,
		Private:     req.Private,
		Diagnostics: diags.Errorf("%s", pendingSummary(req.TypeName)),
	}
}

// readRuntime reports the recorded value unchanged: without the runtime
// there is no real world to compare with.
func (p *Provider) readRuntime(ctx context.Context, req providers.ReadResourceRequest) providers.ReadResourceResponse {
	return providers.ReadResourceResponse{New: req.Prior, Private: req.Private}
}

// importRuntime refuses: there is nothing to adopt yet.
func (p *Provider) importRuntime(ctx context.Context, req providers.ImportResourceRequest) providers.ImportResourceResponse {
	var diags providers.Diagnostics
	return providers.ImportResourceResponse{Diagnostics: diags.Errorf("%s", pendingSummary(req.TypeName))}
}
