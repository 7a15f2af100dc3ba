package schemas

import (
	"slices"

	"github.com/zclconf/go-cty/cty"
)

// deploymentSchema is the `deployment` resource: N replicas of a container
// template, replaced by rolling updates. Template changes never replace the
// deployment itself; they roll out a new revision, so nothing in it is
// ForceNew.
var deploymentSchema = &Resource{
	Type: TypeDeployment,
	Block: Block{
		Description: "Replicas of one container template, spread over nodes and changed by rolling updates.",
		Attributes: map[string]*Attribute{
			"name": nameAttr("deployment; replicas are named NAME-ORDINAL and the name resolves to all of them on their networks", true),
			"replicas": {
				Type: cty.Number, Optional: true, Default: cty.NumberIntVal(1),
				Description: "Number of replicas to run (a whole number, 0 or more).",
			},
			"id":       idAttr("Deployment ID assigned by the runtime."),
			"revision": {Type: cty.Number, Computed: true, Description: "Revision of the template now rolled out; increases with every template change."},
			"replicas_status": {
				Type: cty.List(replicaStatusType), Computed: true,
				Description: "One entry per replica container, by ordinal: its ordinal, container id and name, node, status (the runtime's: running, restarting, exited, dead; missing once deleted), health (starting, healthy, unhealthy, or none), ip and the revision it runs. During a rolling update, or after one that stopped halfway, an ordinal may have two entries (old and new revision).",
			},
			"rollout": {
				Type: cty.String, Computed: true,
				Description: "What the last change to the replicas did, or in a plan will do: the revision rolled out and the strategy (max_surge, max_unavailable, min_ready), the replicas added or removed, the replicas restored.",
			},
			"addresses": {Type: stringList, Computed: true, Description: "Addresses the deployment answers on: the replicas' IPs, and host:port for published ports."},
		},
		Blocks: map[string]*NestedBlock{
			"template": {
				Nesting: NestingSingle, MinItems: 1, MaxItems: 1,
				Block: templateBlock(&containerSchema.Block),
			},
			"update":    updateBlock(),
			"placement": placementBlock(),
		},
	},
}

// replicaStatusType is the element type of deployment.replicas_status.
var replicaStatusType = cty.Object(map[string]cty.Type{
	"ordinal":  cty.Number,
	"id":       cty.String,
	"name":     cty.String,
	"node":     cty.String,
	"status":   cty.String,
	"health":   cty.String,
	"ip":       cty.String,
	"revision": cty.Number,
})

// templateBlock derives the deployment template from the container schema:
// every attribute and block except node, name and computed-only
// attributes, with ForceNew cleared everywhere (the deployment rolls
// template changes out instead of being replaced). Replicas restart
// "always" unless the template says otherwise, as Kubernetes' pods and
// Swarm's tasks do: a replica is a service, not a job.
func templateBlock(container *Block) Block {
	b := copyBlock(container)
	for name, a := range b.Attributes {
		if name == "node" || name == "name" || (a.Computed && !a.Optional) {
			delete(b.Attributes, name)
		}
	}
	if r := b.Attributes["restart"]; r != nil {
		r.Default = cty.StringVal("always")
		r.Description += " Default for deployment replicas: always."
	}
	if p := b.Blocks["port"]; p != nil {
		p.Block.Description = "Publish a container port on the host once for the deployment, balanced over its ready replicas (each new connection goes to one of them); repeat for several."
	}
	b.Description = "The container every replica runs: any attribute and block of a container except node and lifecycle. A change rolls out a new revision."
	return b
}

// copyBlock deep-copies a block, clearing ForceNew on every attribute and
// nested block.
func copyBlock(src *Block) Block {
	dst := Block{
		Description: src.Description,
		Attributes:  make(map[string]*Attribute, len(src.Attributes)),
		Blocks:      make(map[string]*NestedBlock, len(src.Blocks)),
	}
	for name, a := range src.Attributes {
		c := *a
		c.ForceNew = false
		c.OneOf = slices.Clone(a.OneOf)
		dst.Attributes[name] = &c
	}
	for name, nb := range src.Blocks {
		c := *nb
		c.ForceNew = false
		c.Block = copyBlock(&nb.Block)
		dst.Blocks[name] = &c
	}
	return dst
}

func updateBlock() *NestedBlock {
	return &NestedBlock{
		Nesting: NestingSingle, MaxItems: 1,
		Block: Block{
			Description: "How a new revision rolls out, replica by replica.",
			Attributes: map[string]*Attribute{
				"max_surge": {
					Type: cty.String, Optional: true, Default: cty.StringVal("25%"),
					Description: `Replicas that may run above the desired count during an update: a whole number ("2", or 2) or a percentage of replicas ("25%", rounded up).`,
				},
				"max_unavailable": {
					Type: cty.String, Optional: true, Default: cty.StringVal("25%"),
					Description: `Replicas that may be unavailable during an update: a whole number ("0", or 0) or a percentage of replicas ("25%", rounded down). max_surge and max_unavailable cannot both be zero.`,
				},
				"min_ready": {
					Type: cty.String, Optional: true, Format: "duration", Default: cty.StringVal("0s"),
					Description: "How long a new replica must be running and healthy before it counts as available.",
				},
				"progress_deadline": {
					Type: cty.String, Optional: true, Format: "duration", Default: cty.StringVal("10m"),
					Description: "How long the update may go without progress before it fails.",
				},
				"auto_rollback": {
					Type: cty.Bool, Optional: true, Default: cty.False,
					Description: "On a failed update, roll back to the previous revision.",
				},
			},
		},
	}
}

func placementBlock() *NestedBlock {
	return &NestedBlock{
		Nesting: NestingSingle, MaxItems: 1,
		Block: Block{
			Description: "Where replicas run; default: all on the machine running berth.",
			Attributes: map[string]*Attribute{
				"nodes": {
					Type: stringList, Optional: true,
					Description: "Node names to spread replicas over evenly. Remote nodes are not supported yet: setting it is an error at validate.",
				},
			},
		},
	}
}
