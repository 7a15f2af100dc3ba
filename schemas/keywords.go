package schemas

import "github.com/zclconf/go-cty/cty"

// The blocks of the language itself (berth, variable, output, module and
// the meta-arguments every resource takes) are decoded by spec with
// hcl.BodySchemas of its own, because their bodies are expressions or
// type constraints rather than values of a resource. The values below
// describe the same blocks as data for the language reference; spec's
// tests check that they name exactly the attributes and blocks spec
// decodes. Attributes whose value is an expression of any type (a
// variable's default, an output's value) have type cty.DynamicPseudoType.

// references is the type of depends_on and ignore_changes: a list of
// references written without quotes.
var references = cty.List(cty.DynamicPseudoType)

// Berth is the body schema of the `berth { ... }` settings block of the
// root module.
var Berth = &Block{
	Description: "Settings of the whole configuration: the berth version it needs, where its state lives, the native runtime, registries and plugin providers. Only in the root module, at most once.",
	Attributes: map[string]*Attribute{
		"required_version": {
			Type: cty.String, Optional: true,
			Description: `Version constraint berth must satisfy to run this configuration (e.g. ">= 0.1", "~> 0.1.0"); another version refuses it before doing anything.`,
		},
	},
	Blocks: map[string]*NestedBlock{
		"state": {
			Nesting: NestingSingle, MaxItems: 1,
			Block: Block{
				Description: "Where the state file lives; default: berth.state in the configuration directory.",
				Attributes: map[string]*Attribute{
					"path": {
						Type: cty.String, Required: true,
						Description: "Path of the state file, relative to the configuration directory; the backup is PATH.backup and the lock PATH.lock beside it.",
					},
				},
			},
		},
		"runtime":  {Nesting: NestingSingle, MaxItems: 1, Block: *Runtime},
		"registry": {Nesting: NestingMap, Block: *Registry},
		"required_providers": {
			Nesting: NestingSingle, MaxItems: 1,
			Block: Block{
				Description: `Plugin providers the configuration uses: one attribute per provider name, set to an object with an optional source and a version constraint, e.g. certs = { version = ">= 1.2, < 2.0" }. berth finds berth-provider-NAME in ./.berth/plugins or ~/.berth/plugins.`,
			},
		},
	},
}

// Variable is the body schema of a `variable "NAME" { ... }` block: an
// input of the module, set with -var, -var-file, berth.auto.vars.hcl,
// BERTH_VAR_NAME or a module block's argument.
var Variable = &Block{
	Description: "An input of the module, referred to as var.NAME. Root variables are set with -var NAME=VALUE, -var-file FILE, berth.auto.vars.hcl or BERTH_VAR_NAME (the later source wins, as in Terraform); a module's by the arguments of its module block.",
	Attributes: map[string]*Attribute{
		"type": {
			Type: cty.DynamicPseudoType, Optional: true,
			Description: "Type constraint the value is converted to: string, number, bool, list(T), set(T), map(T), object({...}), tuple([...]) or any; default: any.",
		},
		"default": {
			Type: cty.DynamicPseudoType, Optional: true,
			Description: "Value used when none is given; without a default the variable is required.",
		},
		"description": {
			Type: cty.String, Optional: true,
			Description: "What the variable is for, for people reading the configuration.",
		},
		"sensitive": {
			Type: cty.Bool, Optional: true, Default: cty.False,
			Description: "Hide the value in plans and output; whatever is computed from it is hidden too.",
		},
		"nullable": {
			Type: cty.Bool, Optional: true, Default: cty.True,
			Description: "Whether null is an acceptable value; with false an explicit null takes the default, and is an error without one.",
		},
	},
	Blocks: map[string]*NestedBlock{
		"validation": {
			Nesting: NestingList,
			Block: Block{
				Description: "A rule the value must satisfy; repeat for several. A failed rule is an error at the variable's definition before anything runs.",
				Attributes: map[string]*Attribute{
					"condition": {
						Type: cty.Bool, Required: true,
						Description: "Expression over var.NAME that is true when the value is acceptable.",
					},
					"error_message": {
						Type: cty.String, Required: true,
						Description: "Message shown when condition is false; say what a valid value looks like.",
					},
				},
			},
		},
	},
}

// Output is the body schema of an `output "NAME" { ... }` block.
var Output = &Block{
	Description: "A value the module exports: the root module's are recorded in the state after apply and printed by berth output; a child module's are read as module.NAME.OUTPUT.",
	Attributes: map[string]*Attribute{
		"value": {
			Type: cty.DynamicPseudoType, Required: true,
			Description: "Expression whose value is exported.",
		},
		"description": {
			Type: cty.String, Optional: true,
			Description: "What the output is, for people reading the configuration.",
		},
		"sensitive": {
			Type: cty.Bool, Optional: true, Default: cty.False,
			Description: "Show <sensitive> instead of the value in plans and in berth output's list; berth output NAME and -json still print it.",
		},
		"depends_on": {
			Type: references, Optional: true,
			Description: "Resources or modules (references like container.db, without quotes) the output waits for besides those its value refers to.",
		},
	},
}

// ModuleCall is the body schema of a `module "NAME" { ... }` block; every
// attribute besides these sets the module's variable of that name.
var ModuleCall = &Block{
	Description: "Loads a directory of *.berth.hcl files as a child module, with its own variables and outputs; its resources are addressed as module.NAME.TYPE.NAME. Every other attribute sets the module's variable of that name. count, for_each, providers and version are not supported on module blocks yet.",
	Attributes: map[string]*Attribute{
		"source": {
			Type: cty.String, Required: true,
			Description: "Directory of the module, relative to this module and starting with ./ or ../.",
		},
		"depends_on": {
			Type: references, Optional: true,
			Description: "Resources or modules every resource of the module waits for.",
		},
	},
}

// ResourceMeta holds the meta-arguments every resource block takes besides
// its type's own attributes: repetition, ordering, the provider and the
// lifecycle block.
var ResourceMeta = &Block{
	Description: "Meta-arguments every resource block takes, whatever its type.",
	Attributes: map[string]*Attribute{
		"count": {
			Type: cty.Number, Optional: true,
			Description: "Number of instances to make (a whole number, 0 or more), addressed TYPE.NAME[INDEX]; count.index is the instance's index. Not with for_each.",
		},
		"for_each": {
			Type: cty.DynamicPseudoType, Optional: true,
			Description: `A map, or a set of strings: one instance per key, addressed TYPE.NAME["KEY"]; each.key and each.value are the instance's key and value. Not with count.`,
		},
		"depends_on": {
			Type: references, Optional: true,
			Description: "Resources or modules (references like container.migrate, without quotes) to create before this one and destroy after it, besides those its attributes refer to.",
		},
		"provider": {
			Type: cty.String, Optional: true,
			Description: "Reserved for choosing a provider configuration; accepted and recorded, with no effect yet: the provider serving the type serves the resource.",
		},
	},
	Blocks: map[string]*NestedBlock{
		"lifecycle": {
			Nesting: NestingSingle, MaxItems: 1,
			Block: Block{
				Description: "How berth replaces, destroys and diffs the resource.",
				Attributes: map[string]*Attribute{
					"create_before_destroy": {
						Type: cty.Bool, Optional: true, Default: cty.False,
						Description: "On a replacement, create the new object before destroying the old one (+/- in the plan) instead of after.",
					},
					"prevent_destroy": {
						Type: cty.Bool, Optional: true, Default: cty.False,
						Description: "Refuse any plan that would destroy or replace the resource, with an error naming it.",
					},
					"ignore_changes": {
						Type: references, Optional: true,
						Description: "Attributes (like env or port[0].host, without quotes) whose changes in the configuration are ignored after create; the keyword all ignores every attribute.",
					},
				},
			},
		},
	},
}
