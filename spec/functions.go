package spec

import (
	"maps"
	"sync"

	"github.com/hashicorp/go-cty-funcs/cidr"
	"github.com/hashicorp/go-cty-funcs/collection"
	"github.com/hashicorp/go-cty-funcs/crypto"
	"github.com/hashicorp/go-cty-funcs/encoding"
	"github.com/hashicorp/go-cty-funcs/filesystem"
	"github.com/hashicorp/go-cty-funcs/uuid"
	"github.com/hashicorp/hcl/v2/ext/tryfunc"
	"github.com/zclconf/go-cty/cty"
	"github.com/zclconf/go-cty/cty/function"
	"github.com/zclconf/go-cty/cty/function/stdlib"
)

// Functions returns the function library of expressions in a module whose
// directory is baseDir (file, templatefile and fileexists resolve relative
// paths against it). The map is the caller's to change.
func Functions(baseDir string) map[string]function.Function {
	return maps.Clone(functionsFor(baseDir))
}

var funcCache sync.Map // baseDir -> map[string]function.Function

// functionsFor is Functions shared per directory; callers must not change
// the map.
func functionsFor(baseDir string) map[string]function.Function {
	if f, ok := funcCache.Load(baseDir); ok {
		return f.(map[string]function.Function)
	}
	fns := maps.Clone(pureFunctions)
	fns["file"] = filesystem.MakeFileFunc(baseDir, false)
	fns["filebase64"] = filesystem.MakeFileFunc(baseDir, true)
	fns["fileexists"] = filesystem.MakeFileExistsFunc(baseDir)
	fns["fileset"] = filesystem.MakeFileSetFunc(baseDir)
	// templatefile's templates may call every function but templatefile.
	inner := maps.Clone(fns)
	fns["templatefile"] = makeTemplateFileFunc(baseDir, inner)
	f, _ := funcCache.LoadOrStore(baseDir, fns)
	return f.(map[string]function.Function)
}

// pureFunctions are the functions that do not depend on the directory.
var pureFunctions = map[string]function.Function{
	// numeric
	"abs": stdlib.AbsoluteFunc, "ceil": stdlib.CeilFunc, "floor": stdlib.FloorFunc,
	"log": stdlib.LogFunc, "max": stdlib.MaxFunc, "min": stdlib.MinFunc,
	"parseint": stdlib.ParseIntFunc, "pow": stdlib.PowFunc, "signum": stdlib.SignumFunc,
	"sum": sumFunc,
	// string
	"chomp": stdlib.ChompFunc, "format": stdlib.FormatFunc, "formatlist": stdlib.FormatListFunc,
	"indent": stdlib.IndentFunc, "join": stdlib.JoinFunc, "lower": stdlib.LowerFunc,
	"regex": stdlib.RegexFunc, "regexall": stdlib.RegexAllFunc, "replace": replaceFunc,
	"split": stdlib.SplitFunc, "strrev": stdlib.ReverseFunc, "substr": stdlib.SubstrFunc,
	"title": stdlib.TitleFunc, "trim": stdlib.TrimFunc, "trimprefix": stdlib.TrimPrefixFunc,
	"trimsuffix": stdlib.TrimSuffixFunc, "trimspace": stdlib.TrimSpaceFunc, "upper": stdlib.UpperFunc,
	"startswith": startsWithFunc, "endswith": endsWithFunc, "strcontains": strContainsFunc,
	// collection
	"alltrue": allTrueFunc, "anytrue": anyTrueFunc, "chunklist": stdlib.ChunklistFunc,
	"coalesce": collection.CoalesceFunc, "coalescelist": stdlib.CoalesceListFunc, "compact": stdlib.CompactFunc,
	"concat": stdlib.ConcatFunc, "contains": stdlib.ContainsFunc, "distinct": stdlib.DistinctFunc,
	"element": stdlib.ElementFunc, "flatten": stdlib.FlattenFunc, "index": indexFunc,
	"keys": stdlib.KeysFunc, "length": lengthFunc, "lookup": stdlib.LookupFunc,
	"merge": stdlib.MergeFunc, "one": oneFunc, "range": stdlib.RangeFunc,
	"reverse": stdlib.ReverseListFunc, "setintersection": stdlib.SetIntersectionFunc,
	"setproduct": stdlib.SetProductFunc, "setsubtract": stdlib.SetSubtractFunc,
	"setunion": stdlib.SetUnionFunc, "slice": stdlib.SliceFunc, "sort": stdlib.SortFunc,
	"transpose": transposeFunc, "values": stdlib.ValuesFunc, "zipmap": stdlib.ZipmapFunc,
	// encoding
	"csvdecode": stdlib.CSVDecodeFunc, "jsondecode": stdlib.JSONDecodeFunc, "jsonencode": stdlib.JSONEncodeFunc,
	"base64encode": encoding.Base64EncodeFunc, "base64decode": encoding.Base64DecodeFunc,
	"urlencode": encoding.URLEncodeFunc,
	// type conversion
	"tostring": stdlib.MakeToFunc(cty.String), "tonumber": stdlib.MakeToFunc(cty.Number),
	"tobool": stdlib.MakeToFunc(cty.Bool), "tolist": stdlib.MakeToFunc(cty.List(cty.DynamicPseudoType)),
	"toset": stdlib.MakeToFunc(cty.Set(cty.DynamicPseudoType)), "tomap": stdlib.MakeToFunc(cty.Map(cty.DynamicPseudoType)),
	"try": tryfunc.TryFunc, "can": tryfunc.CanFunc,
	// date and time
	"formatdate": stdlib.FormatDateFunc, "timeadd": stdlib.TimeAddFunc, "timestamp": timestampFunc,
	// hash and crypto
	"sha1": crypto.Sha1Func, "sha256": crypto.Sha256Func, "sha512": crypto.Sha512Func,
	"md5": crypto.Md5Func, "bcrypt": crypto.BcryptFunc,
	"uuid": uuid.V4Func, "uuidv5": uuid.V5Func,
	// network
	"cidrhost": cidr.HostFunc, "cidrnetmask": cidr.NetmaskFunc,
	"cidrsubnet": cidr.SubnetFunc, "cidrsubnets": cidr.SubnetsFunc,
	// filesystem paths
	"abspath": filesystem.AbsPathFunc, "basename": filesystem.BasenameFunc,
	"dirname": filesystem.DirnameFunc, "pathexpand": filesystem.PathExpandFunc,
}
