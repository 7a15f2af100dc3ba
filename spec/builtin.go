package spec

import "github.com/berthhq/berth/schemas"

// defaultSchemas is the lookup Load uses when LoadOptions.Schemas is nil:
// the built-in resource types.
var defaultSchemas SchemaLookup = func(typ string) (*schemas.Resource, bool) {
	r, ok := builtinSchemas[typ]
	return r, ok
}

var builtinSchemas = schemas.Builtin()

// BuiltinSchemas is a SchemaLookup over the built-in resource types only.
func BuiltinSchemas(typ string) (*schemas.Resource, bool) { return defaultSchemas(typ) }

func nodeSchema() *schemas.Block     { return schemas.Node }
func registrySchema() *schemas.Block { return schemas.Registry }
