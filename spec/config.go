package spec

import (
	"github.com/berthhq/berth/schemas"
	"github.com/berthhq/berth/schemas/addrs"
	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/ext/typeexpr"
	"github.com/zclconf/go-cty/cty"
)

// Config is one module's configuration and, through Children, the modules
// it calls. The root Config has an empty Path.
type Config struct {
	Path addrs.Module
	Dir  string

	Berth       *Berth // root module only; nil when no berth block
	Variables   map[string]*Variable
	Locals      map[string]*Local
	Outputs     map[string]*Output
	Resources   map[string]*Resource // keyed "type.name"
	Nodes       map[string]*Node
	ModuleCalls map[string]*ModuleCall
	Children    map[string]*Config // keyed by module call name

	// Sources maps every file name loaded in the whole tree (root and
	// modules) to its bytes, for diagnostic snippets. Shared by the tree.
	Sources map[string][]byte
	// Hash is a hex SHA-256 over every loaded file's name and content in
	// the whole tree; a saved plan records it and apply compares.
	Hash string

	lookup SchemaLookup // resource schemas, shared by the tree
	root   *Config      // the root module (c itself for the root)
}

// Berth is the root berth block.
type Berth struct {
	RequiredVersion   string         // version constraint, "" when unset
	StatePath         string         // "" when unset
	RuntimeRoot       hcl.Expression // nil when unset; may refer to var/local
	Registries        []*Registry
	RequiredProviders map[string]*ProviderRequirement
	DeclRange         hcl.Range
}

// Registry is one `registry "HOST" { ... }` block; Body is evaluated
// against schemas.Registry by the planner with var/local in scope.
type Registry struct {
	Host      string
	Body      hcl.Body
	DeclRange hcl.Range
}

// ProviderRequirement names a plugin provider and its version constraint.
type ProviderRequirement struct {
	Name      string
	Source    string
	Version   string
	DeclRange hcl.Range
}

// Variable is a `variable` block.
type Variable struct {
	Name         string
	Type         cty.Type // cty.DynamicPseudoType when no type given
	TypeDefaults *typeexpr.Defaults
	Default      cty.Value // cty.NilVal when no default: the variable is required
	Description  string
	Sensitive    bool
	Nullable     bool
	Validations  []*Validation
	DeclRange    hcl.Range

	dir string // the declaring module's directory, for functions in validations
}

// Validation is one `validation` block of a variable.
type Validation struct {
	Condition    hcl.Expression
	ErrorMessage hcl.Expression
	DeclRange    hcl.Range
}

// Local is one entry of a `locals` block.
type Local struct {
	Name      string
	Expr      hcl.Expression
	DeclRange hcl.Range
}

// Output is an `output` block.
type Output struct {
	Name        string
	Expr        hcl.Expression
	Description string
	Sensitive   bool
	DependsOn   []hcl.Traversal
	DeclRange   hcl.Range
}

// Resource is a resource block (container, image, network, volume,
// deployment, or `resource "TYPE" "NAME"` of a plugin type), unexpanded.
type Resource struct {
	Addr    addrs.Resource
	Count   hcl.Expression // nil when absent
	ForEach hcl.Expression // nil when absent
	// Body is the block body without the meta-arguments (count, for_each,
	// depends_on, lifecycle, provider); evaluate it with Scope.EvalBody
	// against Schema.Block.
	Body      hcl.Body
	Schema    *schemas.Resource
	DependsOn []hcl.Traversal
	Lifecycle Lifecycle
	Provider  string    // reserved: the provider attribute, "" when unset
	DeclRange hcl.Range // the block header
	TypeRange hcl.Range

	// bodyRefs are Body's references, found while Load validated it.
	bodyRefs      []hcl.Traversal
	bodyRefsKnown bool
}

// Lifecycle is a resource's `lifecycle` block.
type Lifecycle struct {
	CreateBeforeDestroy bool
	PreventDestroy      bool
	// IgnoreChanges lists attribute paths relative to the resource.
	IgnoreChanges    []hcl.Traversal
	IgnoreAllChanges bool // ignore_changes = all
}

// Node is a `node` block naming a remote host; evaluate Body against
// schemas.Node.
type Node struct {
	Name      string
	Body      hcl.Body
	DeclRange hcl.Range
}

// ModuleCall is a `module "NAME" { source = "./dir" ... }` block. Every
// attribute other than source and depends_on is an input variable of the
// child module.
type ModuleCall struct {
	Name      string
	Source    string
	Inputs    map[string]*hcl.Attribute
	DependsOn []hcl.Traversal
	DeclRange hcl.Range

	sourceRange hcl.Range
}
