package native

// Apply, refresh and import of the runtime's resource types, dispatched by
// type.

import (
	"context"

	"github.com/berthhq/berth/providers"
	"github.com/berthhq/berth/schemas"
)

func (p *Provider) applyRuntime(ctx context.Context, req providers.ApplyResourceChangeRequest) providers.ApplyResourceChangeResponse {
	e, err := p.engine()
	if err != nil {
		return providers.ApplyResourceChangeResponse{New: req.Prior, Private: req.Private, Diagnostics: providers.Diagnostics{}.FromError(err)}
	}
	switch req.TypeName {
	case schemas.TypeImage:
		return applyImage(ctx, e, req)
	case schemas.TypeVolume:
		return applyVolume(e, req)
	case schemas.TypeContainer:
		return applyContainer(ctx, e, req)
	case schemas.TypeNetwork:
		return applyNetwork(ctx, e, req)
	case schemas.TypeDeployment:
		return applyDeployment(ctx, e, req)
	}
	var diags providers.Diagnostics
	return providers.ApplyResourceChangeResponse{New: req.Prior, Private: req.Private,
		Diagnostics: diags.Errorf("resource type %s is not supported by this berth's native runtime yet", req.TypeName)}
}

func (p *Provider) readRuntime(ctx context.Context, req providers.ReadResourceRequest) providers.ReadResourceResponse {
	switch req.TypeName {
	case schemas.TypeImage, schemas.TypeVolume, schemas.TypeContainer, schemas.TypeNetwork, schemas.TypeDeployment:
	default:
		return providers.ReadResourceResponse{New: req.Prior, Private: req.Private}
	}
	e, err := p.engine()
	if err != nil {
		return providers.ReadResourceResponse{New: req.Prior, Private: req.Private, Diagnostics: providers.Diagnostics{}.FromError(err)}
	}
	switch req.TypeName {
	case schemas.TypeImage:
		return readImage(e, req)
	case schemas.TypeVolume:
		return readVolume(e, req)
	case schemas.TypeNetwork:
		return readNetwork(e, req)
	case schemas.TypeDeployment:
		return readDeployment(e, req)
	}
	return readContainer(e, req)
}

func (p *Provider) importRuntime(ctx context.Context, req providers.ImportResourceRequest) providers.ImportResourceResponse {
	e, err := p.engine()
	if err != nil {
		return providers.ImportResourceResponse{Diagnostics: providers.Diagnostics{}.FromError(err)}
	}
	switch req.TypeName {
	case schemas.TypeVolume:
		return importVolume(e, req)
	case schemas.TypeContainer:
		return importContainer(e, req)
	case schemas.TypeImage:
		return importImage(e, req)
	case schemas.TypeNetwork:
		return importNetwork(e, req)
	}
	var diags providers.Diagnostics
	return providers.ImportResourceResponse{Diagnostics: diags.Errorf("resource type %s cannot be imported yet", req.TypeName)}
}
