package schemas

import (
	"strconv"

	"github.com/zclconf/go-cty/cty"
)

// A NameClaim is a name that a resource takes on its runtime. Names are
// unique per Kind on one runtime: two containers, or a container and a
// deployment's replica, cannot share one.
type NameClaim struct {
	Kind string // TypeContainer, TypeNetwork or TypeVolume
	Name string
	Via  string // how the resource takes it when not as its own name, e.g. "replica 0"
}

// ReplicaName is the name of a deployment's replica: NAME-ORDINAL.
func ReplicaName(deployment string, ordinal int) string {
	return deployment + "-" + strconv.Itoa(ordinal)
}

// maxReplicaClaims bounds the replica names listed for one deployment.
const maxReplicaClaims = 1000

// RuntimeNames lists the names a resource of type typ with configuration
// v takes on its runtime. A deployment takes its own name (it resolves
// to its replicas on their networks) and its replicas' names. Names not
// known yet are left out: the runtime checks them when it creates.
func RuntimeNames(typ string, v cty.Value) []NameClaim {
	if v.IsNull() || !v.IsKnown() || !v.Type().IsObjectType() || !v.Type().HasAttribute("name") {
		return nil
	}
	n := v.GetAttr("name")
	if !n.IsKnown() || n.IsNull() || n.Type() != cty.String {
		return nil
	}
	name := n.AsString()
	switch typ {
	case TypeContainer, TypeNetwork, TypeVolume:
		return []NameClaim{{Kind: typ, Name: name}}
	case TypeDeployment:
		out := []NameClaim{{Kind: TypeContainer, Name: name, Via: "the name its replicas answer to"}}
		for i := 0; i < replicasOf(v) && i < maxReplicaClaims; i++ {
			out = append(out, NameClaim{Kind: TypeContainer, Name: ReplicaName(name, i), Via: "replica " + strconv.Itoa(i)})
		}
		return out
	}
	return nil
}

// replicasOf is a deployment's known replica count (the default when
// unset, 0 when unknown or invalid).
func replicasOf(v cty.Value) int {
	r := v.GetAttr("replicas")
	if r.IsNull() {
		r = Builtin()[TypeDeployment].Block.Attributes["replicas"].Default
	}
	if !r.IsKnown() || r.IsNull() || r.Type() != cty.Number {
		return 0
	}
	n, acc := r.AsBigFloat().Int64()
	if acc != 0 || n < 0 {
		return 0
	}
	return int(n)
}
