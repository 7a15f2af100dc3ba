package spec

// This file lists the package API the rest of berth codes against. The
// implementations live in the other files of the package.

import (
	"github.com/berthhq/berth/schemas"
	"github.com/berthhq/berth/schemas/addrs"
	"github.com/hashicorp/hcl/v2"
	"github.com/zclconf/go-cty/cty"
)

// SchemaLookup finds the schema of a resource type (built-in or plugin).
type SchemaLookup func(typ string) (*schemas.Resource, bool)

// LoadOptions tune Load.
type LoadOptions struct {
	// Schemas finds resource schemas; nil means schemas.Builtin only.
	Schemas SchemaLookup
}

// VarArg is one -var or -var-file flag, kept in command-line order.
type VarArg struct {
	File  bool // true: -var-file PATH; false: -var NAME=VALUE
	Value string
}

// VarOptions are the sources of root variable values besides defaults.
type VarOptions struct {
	Args []VarArg
	// Env is the environment (os.Environ form); BERTH_VAR_<name> values
	// are read from it.
	Env []string
}

// RepetitionData is count.index or each.key/each.value for one instance.
type RepetitionData struct {
	CountIndex cty.Value // cty.NilVal when not counted
	EachKey    cty.Value // cty.NilVal when not for_each
	EachValue  cty.Value
}

// Data answers the references an expression makes. The planner implements
// it over planned values, the executor's re-evaluation over new state.
// Every method returns an unknown value of the right type when the value
// is not known yet.
type Data interface {
	Variable(mod addrs.Module, name string, rng hcl.Range) (cty.Value, hcl.Diagnostics)
	Local(mod addrs.Module, name string, rng hcl.Range) (cty.Value, hcl.Diagnostics)
	// Resource returns all instances of a resource: an object for a single
	// instance, a tuple for count, an object keyed by for_each key.
	Resource(r addrs.Resource, rng hcl.Range) (cty.Value, hcl.Diagnostics)
	// ModuleOutputs returns an object of the child module's outputs.
	ModuleOutputs(child addrs.Module, rng hcl.Range) (cty.Value, hcl.Diagnostics)
	Node(name string, rng hcl.Range) (cty.Value, hcl.Diagnostics)
}

// Scope evaluates expressions in one module, optionally for one instance
// of a repeated resource.
type Scope struct {
	Module  addrs.Module
	BaseDir string // the module's directory: path.module, file(), templatefile()
	RootDir string // path.root
	Data    Data
	Repeat  RepetitionData
}

// ReferenceKind is what a reference points at.
type ReferenceKind byte

const (
	RefVariable ReferenceKind = iota + 1 // var.NAME
	RefLocal                             // local.NAME
	RefResource                          // TYPE.NAME (container.web, resource types of plugins too)
	RefModule                            // module.NAME
	RefNode                              // node.NAME
	RefCount                             // count.index
	RefEach                              // each.key / each.value
	RefPath                              // path.module, path.root, path.cwd
	RefSelf                              // self (reserved)
)

// Reference is one reference found in an expression.
type Reference struct {
	Kind ReferenceKind
	// Name is the variable, local, module, node or path name, the count/each
	// attribute, or for RefResource the resource name.
	Name string
	// Type is the resource type for RefResource.
	Type string
	// Remaining is the traversal after the referenced object (e.g. [0].id).
	Remaining   hcl.Traversal
	SourceRange hcl.Range
}

// Resource returns the referenced resource address in module mod.
func (r *Reference) Resource(mod addrs.Module) addrs.Resource {
	return addrs.Resource{Module: mod, Type: r.Type, Name: r.Name}
}
