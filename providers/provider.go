package providers

import (
	"context"

	"github.com/berthhq/berth/schemas"
	"github.com/zclconf/go-cty/cty"
)

// Provider serves one or more resource types.
//
// Every method takes a context and a request struct and returns a response
// struct carrying Diagnostics; errors travel as diagnostics so that they
// cross process boundaries with their attribute paths. Values are cty
// values conforming to the resource schema's implied type; a null Prior or
// Planned value means the resource does not exist (before create, after
// delete).
type Provider interface {
	GetSchema(ctx context.Context, req GetSchemaRequest) GetSchemaResponse
	Configure(ctx context.Context, req ConfigureRequest) ConfigureResponse
	ValidateResource(ctx context.Context, req ValidateResourceRequest) ValidateResourceResponse
	ReadResource(ctx context.Context, req ReadResourceRequest) ReadResourceResponse
	PlanResourceChange(ctx context.Context, req PlanResourceChangeRequest) PlanResourceChangeResponse
	ApplyResourceChange(ctx context.Context, req ApplyResourceChangeRequest) ApplyResourceChangeResponse
	ImportResource(ctx context.Context, req ImportResourceRequest) ImportResourceResponse
	Close() error
}

// GetSchemaRequest asks for every resource schema the provider serves.
type GetSchemaRequest struct{}

// GetSchemaResponse lists the provider's resource schemas by type name.
type GetSchemaResponse struct {
	Provider    ProviderInfo
	Resources   map[string]*schemas.Resource
	Diagnostics Diagnostics
}

// ProviderInfo names a provider and its version.
type ProviderInfo struct {
	Name    string
	Version string
}

// ConfigureRequest passes settings from the berth block (runtime root,
// registries) as one object value, and the berth version.
type ConfigureRequest struct {
	BerthVersion string
	Config       cty.Value
}

type ConfigureResponse struct {
	Diagnostics Diagnostics
}

// ValidateResourceRequest asks the provider to check a configuration
// beyond what the schema says (for example that two attributes agree).
// Config may contain unknown values.
type ValidateResourceRequest struct {
	TypeName string
	Config   cty.Value
}

type ValidateResourceResponse struct {
	Diagnostics Diagnostics
}

// ReadResourceRequest refreshes a recorded resource from the real world.
type ReadResourceRequest struct {
	TypeName string
	Prior    cty.Value
	Private  []byte
}

// ReadResourceResponse carries what exists now. A null New means the
// resource is gone (deleted behind berth's back).
type ReadResourceResponse struct {
	New         cty.Value
	Private     []byte
	Diagnostics Diagnostics
}

// PlanResourceChangeRequest asks how the provider would move Prior to
// match Config. Proposed is the engine's merge of the two (config values
// where set, prior values for computed attributes the config leaves null).
//
// Config and Proposed carry the cty mark "sensitive" on values derived
// from sensitive variables. A provider unmarks before comparing values,
// and marks the parts of Planned that are secret (at least those of
// Config, and any computed attribute derived from them); the engine reads
// the marks back as the change's sensitive paths. A transport that cannot
// carry marks sends them as lists of paths beside the values.
type PlanResourceChangeRequest struct {
	TypeName string
	Prior    cty.Value
	Config   cty.Value
	Proposed cty.Value
	Private  []byte
}

// PlanResourceChangeResponse is the provider's planned new value (with
// unknowns for what only apply can know) and the attribute paths whose
// change requires replacing the resource.
type PlanResourceChangeResponse struct {
	Planned         cty.Value
	RequiresReplace []cty.Path
	Private         []byte
	Diagnostics     Diagnostics
}

// ApplyResourceChangeRequest carries out one planned change. Planned has
// no unknowns left where the config had them resolved; Planned null means
// delete, Prior null means create.
type ApplyResourceChangeRequest struct {
	TypeName string
	Prior    cty.Value
	Planned  cty.Value
	Config   cty.Value
	Private  []byte
	// Progress, when set, receives human progress lines for long steps
	// (pulls, health waits). Transports that cannot carry it leave it nil.
	Progress func(msg string) `json:"-"`
}

// ApplyResourceChangeResponse carries the new value (null after delete).
// On failure New is what now exists, so that state records a partial
// create rather than forgetting it.
type ApplyResourceChangeResponse struct {
	New         cty.Value
	Private     []byte
	Diagnostics Diagnostics
}

// ImportResourceRequest adopts an existing object by the runtime's own ID.
type ImportResourceRequest struct {
	TypeName string
	ID       string
}

type ImportResourceResponse struct {
	Imported    cty.Value
	Private     []byte
	Diagnostics Diagnostics
}
