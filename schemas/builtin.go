package schemas

import (
	"maps"

	"github.com/zclconf/go-cty/cty"
)

// The built-in resource type names, served by the native provider.
const (
	TypeImage      = "image"
	TypeContainer  = "container"
	TypeNetwork    = "network"
	TypeVolume     = "volume"
	TypeDeployment = "deployment"
	TypeData       = "berth_data"
)

// builtin holds the built-in resource schemas; built once at init.
var builtin = map[string]*Resource{
	TypeImage:      imageSchema,
	TypeContainer:  containerSchema,
	TypeNetwork:    networkSchema,
	TypeVolume:     volumeSchema,
	TypeDeployment: deploymentSchema,
	TypeData:       dataSchema,
}

// Builtin returns the schemas of the built-in resource types by type name.
// The map is a fresh copy; the schemas it points to are shared package
// values that callers must not modify.
func Builtin() map[string]*Resource {
	return maps.Clone(builtin)
}

// nameAttr is the `name` attribute every resource has: what the runtime
// names the object by. It defaults to the block label (web, web-0, web-a);
// the planner fills that in.
func nameAttr(what string, forceNew bool) *Attribute {
	return &Attribute{
		Type:        cty.String,
		Optional:    true,
		Computed:    true,
		ForceNew:    forceNew,
		Description: "Name of the " + what + "; defaults to the block label (web, or web-0, web-a for count/for_each instances).",
	}
}

// idAttr is the computed `id` attribute: the runtime's own identifier.
func idAttr(desc string) *Attribute {
	return &Attribute{Type: cty.String, Computed: true, Description: desc}
}

// stringList and stringMap are the collection types schemas use most.
var (
	stringList = cty.List(cty.String)
	stringMap  = cty.Map(cty.String)
)
