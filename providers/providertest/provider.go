// Package providertest is a small in-memory provider for unit tests of the
// planner and executor: one resource type, test_thing, whose "real world"
// is a map the test can edit to simulate drift and deletion.
package providertest

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"time"

	"github.com/berthhq/berth/providers"
	"github.com/berthhq/berth/schemas"
	"github.com/zclconf/go-cty/cty"
)

// TypeName is the resource type the provider serves.
const TypeName = "test_thing"

// Schema is test_thing's schema: name (optional+computed), value
// (optional), forced (force-new), secret (sensitive), fail (when true the
// create fails after making the object), id and out (computed).
var Schema = &schemas.Resource{Type: TypeName, Block: schemas.Block{
	Attributes: map[string]*schemas.Attribute{
		"name":   {Type: cty.String, Optional: true, Computed: true, Description: "name"},
		"value":  {Type: cty.String, Optional: true, Description: "value"},
		"forced": {Type: cty.String, Optional: true, ForceNew: true, Description: "forces replacement"},
		"secret": {Type: cty.String, Optional: true, Sensitive: true, Description: "secret"},
		"tags":   {Type: cty.Map(cty.String), Optional: true, Description: "tags"},
		"fail":   {Type: cty.Bool, Optional: true, Description: "fail on create"},
		"delay":  {Type: cty.String, Optional: true, Description: "sleep this long on apply"},
		"id":     {Type: cty.String, Computed: true, Description: "id"},
		"out":    {Type: cty.String, Computed: true, Description: "copy of value, known after apply"},
	},
}}

// Provider is the in-memory provider. World maps id to the live object.
type Provider struct {
	mu    sync.Mutex
	World map[string]cty.Value
	next  atomic.Int64
	// Log records "create ID", "update ID", "delete ID" in order.
	Log []string
}

var _ providers.Provider = (*Provider)(nil)

// New returns an empty provider.
func New() *Provider { return &Provider{World: map[string]cty.Value{}} }

func (p *Provider) GetSchema(context.Context, providers.GetSchemaRequest) providers.GetSchemaResponse {
	return providers.GetSchemaResponse{Provider: providers.ProviderInfo{Name: "test", Version: "0.0.1"},
		Resources: map[string]*schemas.Resource{TypeName: Schema}}
}

func (p *Provider) Configure(context.Context, providers.ConfigureRequest) providers.ConfigureResponse {
	return providers.ConfigureResponse{}
}

func (p *Provider) ValidateResource(_ context.Context, req providers.ValidateResourceRequest) providers.ValidateResourceResponse {
	var d providers.Diagnostics
	if v := req.Config.GetAttr("value"); v.IsKnown() && !v.IsNull() && v.AsString() == "invalid" {
		d = d.AttributeError(cty.GetAttrPath("value"), "value must not be \"invalid\"", "")
	}
	return providers.ValidateResourceResponse{Diagnostics: d}
}

func (p *Provider) ReadResource(_ context.Context, req providers.ReadResourceRequest) providers.ReadResourceResponse {
	p.mu.Lock()
	defer p.mu.Unlock()
	id := req.Prior.GetAttr("id").AsString()
	v, ok := p.World[id]
	if !ok {
		return providers.ReadResourceResponse{New: cty.NullVal(Schema.Block.ImpliedType())}
	}
	return providers.ReadResourceResponse{New: v, Private: req.Private}
}

func (p *Provider) PlanResourceChange(_ context.Context, req providers.PlanResourceChangeRequest) providers.PlanResourceChangeResponse {
	planned, marks := req.Proposed.UnmarkDeepWithPaths()
	attrs := planned.AsValueMap()
	if req.Prior.IsNull() {
		attrs["id"] = cty.UnknownVal(cty.String)
		attrs["out"] = cty.UnknownVal(cty.String)
	} else if !attrs["value"].RawEquals(req.Prior.GetAttr("value")) {
		attrs["out"] = cty.UnknownVal(cty.String)
	}
	planned = cty.ObjectVal(attrs)
	return providers.PlanResourceChangeResponse{
		Planned:         planned.MarkWithPaths(marks),
		RequiresReplace: providers.RequiresReplace(&Schema.Block, req.Prior, planned),
	}
}

func (p *Provider) ApplyResourceChange(ctx context.Context, req providers.ApplyResourceChangeRequest) providers.ApplyResourceChangeResponse {
	if d := req.Planned; !d.IsNull() {
		if delay := d.GetAttr("delay"); !delay.IsNull() {
			dur, _ := time.ParseDuration(delay.AsString())
			select {
			case <-time.After(dur):
			case <-ctx.Done():
				return providers.ApplyResourceChangeResponse{New: req.Prior, Diagnostics: providers.Diagnostics{}.FromError(ctx.Err())}
			}
		}
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if req.Planned.IsNull() {
		id := req.Prior.GetAttr("id").AsString()
		delete(p.World, id)
		p.Log = append(p.Log, "delete "+id)
		return providers.ApplyResourceChangeResponse{New: req.Planned}
	}
	attrs := req.Planned.AsValueMap()
	op := "update"
	if req.Prior.IsNull() {
		attrs["id"] = cty.StringVal(fmt.Sprintf("t%d", p.next.Add(1)))
		op = "create"
	}
	attrs["out"] = attrs["value"]
	nv := cty.ObjectVal(attrs)
	id := attrs["id"].AsString()
	p.World[id] = nv
	p.Log = append(p.Log, op+" "+id)
	var d providers.Diagnostics
	if f := attrs["fail"]; !f.IsNull() && f.True() && op == "create" {
		d = d.FromError(errors.New("create failed as asked"))
	}
	return providers.ApplyResourceChangeResponse{New: nv, Diagnostics: d}
}

func (p *Provider) ImportResource(_ context.Context, req providers.ImportResourceRequest) providers.ImportResourceResponse {
	p.mu.Lock()
	defer p.mu.Unlock()
	v, ok := p.World[req.ID]
	if !ok {
		return providers.ImportResourceResponse{Diagnostics: providers.Diagnostics{}.Errorf("no object with id %q", req.ID)}
	}
	return providers.ImportResourceResponse{Imported: v}
}

func (p *Provider) Close() error { return nil }
