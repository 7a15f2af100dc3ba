package native

import (
	"math/big"
	"sort"
	"strconv"

	"github.com/berthhq/berth/providers/native/deploy"
	"github.com/berthhq/berth/providers/native/network"
	"github.com/berthhq/berth/schemas"
	"github.com/zclconf/go-cty/cty"
)

// Labels on every replica container: the deployment's ID (how refresh
// and apply find its replicas, recorded or not), its name, and the
// replica's ordinal and revision.
const (
	labelDeployment     = "berth.deployment"
	labelDeploymentName = "berth.deployment.name"
	labelOrdinal        = "berth.ordinal"
	labelRevision       = "berth.revision"
)

// replicaName is the usual container name of a replica: NAME-ORDINAL.
func replicaName(deployment string, ordinal int) string {
	return schemas.ReplicaName(deployment, ordinal)
}

// replicaValue is the container value a replica is made from: the
// template, named name, with the ordinal's name as hostname (unless the
// template sets one), berth's labels, and on every network the
// deployment's name and the ordinal's name as aliases, so that the
// deployment's name resolves to all its replicas and NAME-ORDINAL to
// the replica whatever its container is called. A bridge-mode template
// without network blocks joins berth's default network explicitly, to
// carry the aliases. Port blocks are left out: the deployment publishes
// them, balanced over its replicas (deployment_ports.go).
func replicaValue(tmpl cty.Value, dep, depID, name string, ordinal, revision int) cty.Value {
	ty := schemas.Builtin()[schemas.TypeContainer].Block.ImpliedType()
	vals := map[string]cty.Value{}
	for n, at := range ty.AttributeTypes() {
		if v := attr(tmpl, n); !v.IsNull() {
			vals[n] = v
		} else {
			vals[n] = cty.NullVal(at)
		}
	}
	base := replicaName(dep, ordinal)
	vals["name"] = cty.StringVal(name)
	vals["port"] = cty.NullVal(ty.AttributeType("port"))
	if vals["hostname"].IsNull() {
		vals["hostname"] = cty.StringVal(base)
	}
	labels := stringMap(vals["labels"])
	if labels == nil {
		labels = map[string]string{}
	}
	labels[labelDeployment], labels[labelDeploymentName] = depID, dep
	labels[labelOrdinal], labels[labelRevision] = strconv.Itoa(ordinal), strconv.Itoa(revision)
	vals["labels"] = stringMapVal(labels)
	if networkMode(tmpl) == modeBridge {
		vals["network"] = replicaNetworks(vals["network"], ty.AttributeType("network").ElementType(), dep, base)
	}
	return cty.ObjectVal(vals)
}

// replicaNetworks adds the aliases to every network block.
func replicaNetworks(list cty.Value, elem cty.Type, dep, base string) cty.Value {
	nets := elements(list)
	if len(nets) == 0 {
		nets = []cty.Value{cty.ObjectVal(map[string]cty.Value{
			"name": cty.StringVal(network.DefaultNetwork), "aliases": cty.NullVal(cty.List(cty.String)), "ipv4": cty.NullVal(cty.String),
		})}
	}
	out := make([]cty.Value, len(nets))
	for i, n := range nets {
		aliases := append(stringList(attr(n, "aliases")), dep, base)
		out[i] = withAttrs(n, map[string]cty.Value{"aliases": stringListVal(aliases)})
	}
	return cty.ListVal(out)
}

func stringListVal(ss []string) cty.Value {
	if len(ss) == 0 {
		return cty.ListValEmpty(cty.String)
	}
	vals := make([]cty.Value, len(ss))
	for i, s := range ss {
		vals[i] = cty.StringVal(s)
	}
	return cty.ListVal(vals)
}

func stringMapVal(m map[string]string) cty.Value {
	if len(m) == 0 {
		return cty.MapValEmpty(cty.String)
	}
	vals := make(map[string]cty.Value, len(m))
	for k, s := range m {
		vals[k] = cty.StringVal(s)
	}
	return cty.MapVal(vals)
}

// replicaStatusType is the element type of replicas_status.
func replicaStatusType() cty.Type {
	return schemas.Builtin()[schemas.TypeDeployment].Block.ImpliedType().AttributeType("replicas_status").ElementType()
}

// statusValue is one replicas_status entry.
func statusValue(r deploy.Replica) cty.Value {
	return cty.ObjectVal(map[string]cty.Value{
		"ordinal": cty.NumberIntVal(int64(r.Ordinal)), "revision": cty.NumberIntVal(int64(r.Revision)),
		"id": cty.StringVal(r.ID), "name": cty.StringVal(r.Name), "node": cty.StringVal(r.Node),
		"status": cty.StringVal(r.State), "health": cty.StringVal(healthOrNone(r.Health)), "ip": cty.StringVal(r.IP),
	})
}

func healthOrNone(h string) string {
	if h == "" {
		return "none"
	}
	return h
}

// statusList is replicas_status for reps, by ordinal then revision.
func statusList(reps []deploy.Replica) cty.Value {
	sorted := append([]deploy.Replica(nil), reps...)
	sort.SliceStable(sorted, func(i, j int) bool {
		if sorted[i].Ordinal != sorted[j].Ordinal {
			return sorted[i].Ordinal < sorted[j].Ordinal
		}
		return sorted[i].Revision < sorted[j].Revision
	})
	if len(sorted) == 0 {
		return cty.ListValEmpty(replicaStatusType())
	}
	vals := make([]cty.Value, len(sorted))
	for i, r := range sorted {
		vals[i] = statusValue(r)
	}
	return cty.ListVal(vals)
}

// addressesOf lists the IPs of the replicas that run, by ordinal, then
// the ports tmpl publishes as host:port.
func addressesOf(reps []deploy.Replica, tmpl cty.Value) cty.Value {
	var out []string
	for _, r := range reps {
		if r.IP != "" && r.Up() {
			out = append(out, r.IP)
		}
	}
	return stringListVal(append(out, portAddresses(tmpl)...))
}

// recordedReplicas reads replicas_status back; unknown entries are skipped.
func recordedReplicas(list cty.Value) []deploy.Replica {
	var out []deploy.Replica
	for _, e := range elements(list) {
		if !e.IsWhollyKnown() || e.IsNull() {
			continue
		}
		r := deploy.Replica{Ordinal: intOf(attr(e, "ordinal")), Revision: intOf(attr(e, "revision"))}
		r.ID, _ = knownString(attr(e, "id"))
		r.Name, _ = knownString(attr(e, "name"))
		r.Node, _ = knownString(attr(e, "node"))
		r.State, _ = knownString(attr(e, "status"))
		r.IP, _ = knownString(attr(e, "ip"))
		if h, _ := knownString(attr(e, "health")); h != "none" {
			r.Health = h
		}
		out = append(out, r)
	}
	return out
}

// intOf is a known whole number as an int, else 0.
func intOf(v cty.Value) int {
	f, ok := knownNumber(v)
	if !ok {
		return 0
	}
	i, acc := f.Int64()
	if acc != big.Exact {
		return 0
	}
	return int(i)
}
