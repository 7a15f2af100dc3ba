package schemas

import "github.com/zclconf/go-cty/cty"

// imageSchema is the `image` resource: an OCI image pulled from a registry
// (ref) or built from a Dockerfile (build), pinned to a digest.
var imageSchema = &Resource{
	Type: TypeImage,
	Block: Block{
		Description: "An OCI image, pulled by reference, pinned to a digest. (Building from a Dockerfile, the build block, is not supported yet.)",
		Attributes: map[string]*Attribute{
			"name": nameAttr("image in berth's own listings", false),
			"ref": {
				Type: cty.String, Optional: true, ForceNew: true,
				Description: "Reference to pull: registry/repository with a :tag or @sha256 digest. Set ref or build, not both.",
			},
			"platform": {
				Type: cty.String, Optional: true, ForceNew: true,
				Description: "Platform to pull or build for, as os/arch[/variant] (e.g. linux/amd64); default: this machine's.",
			},
			"pull": {
				Type: cty.String, Optional: true, OneOf: []string{"missing", "always", "never"},
				Default:     cty.StringVal("missing"),
				Description: "When to contact the registry: missing (only if the image is not stored yet), always (resolve the tag again at every plan; a moved tag shows as a change), never (the image must already be stored).",
			},
			"tag": {
				Type:        cty.String,
				Optional:    true,
				Description: "Reference to give a built image, and to push it to when push is true.",
			},
			"push": {
				Type: cty.Bool, Optional: true, Default: cty.False,
				Description: "Push the built image to tag after building it.",
			},
			"id":     idAttr("Image ID: the digest of the image configuration."),
			"digest": {Type: cty.String, Computed: true, Description: "Manifest digest the image is pinned to (sha256:...)."},
			"size":   {Type: cty.Number, Computed: true, Description: "Total size of the image's compressed layers, in bytes."},
			"labels": {Type: stringMap, Computed: true, Description: "Labels from the image configuration."},
		},
		Blocks: map[string]*NestedBlock{
			"build": {
				Nesting: NestingSingle, MaxItems: 1, ForceNew: true,
				Block: Block{
					Description: "Build the image from a Dockerfile without a daemon, instead of pulling ref. Not supported yet: a build block is an error at validate; build elsewhere and set ref.",
					Attributes: map[string]*Attribute{
						"context": {
							Type: cty.String, Required: true, ForceNew: true,
							Description: "Build context directory, relative to the configuration directory.",
						},
						"dockerfile": {
							Type: cty.String, Optional: true, ForceNew: true, Default: cty.StringVal("Dockerfile"),
							Description: "Path of the Dockerfile, relative to context.",
						},
						"args": {
							Type: stringMap, Optional: true, ForceNew: true,
							Description: "Build arguments (ARG values) by name.",
						},
						"target": {
							Type: cty.String, Optional: true, ForceNew: true,
							Description: "Build stage to stop at, for multi-stage Dockerfiles; default: the last.",
						},
					},
				},
			},
		},
	},
}

// networkSchema is the `network` resource: a bridge network with its own
// subnet, DNS for the containers on it, and outbound NAT unless internal.
var networkSchema = &Resource{
	Type: TypeNetwork,
	Block: Block{
		Description: "A bridge network: containers on it reach each other by name; outbound traffic is NATed unless internal.",
		Attributes: map[string]*Attribute{
			"name": nameAttr("network (and the name containers join it by)", true),
			"subnet": {
				Type: cty.String, Optional: true, Computed: true, ForceNew: true, Format: "cidr",
				Description: "IPv4 subnet in CIDR notation (e.g. 10.89.0.0/24); allocated from berth's pool when unset.",
			},
			"internal": {
				Type: cty.Bool, Optional: true, ForceNew: true, Default: cty.False,
				Description: "Isolate the network: no outbound NAT, only containers on it can talk to each other.",
			},
			"id":      idAttr("Network ID assigned by the runtime."),
			"gateway": {Type: cty.String, Computed: true, Description: "Gateway address of the subnet, held by the bridge."},
			"bridge":  {Type: cty.String, Computed: true, Description: "Name of the host's bridge interface."},
		},
	},
}

// volumeSchema is the `volume` resource: a named directory kept by the
// runtime that containers mount.
var volumeSchema = &Resource{
	Type: TypeVolume,
	Block: Block{
		Description: "A named volume: a directory kept by the runtime, independent of any container, that containers mount.",
		Attributes: map[string]*Attribute{
			"name": nameAttr("volume (and the source containers mount it by)", true),
			"labels": {
				Type: stringMap, Optional: true, ForceNew: true,
				Description: "Labels recorded with the volume.",
			},
			"id":   idAttr("Volume ID assigned by the runtime."),
			"path": {Type: cty.String, Computed: true, Description: "Host directory holding the volume's data."},
		},
	},
}

// dataSchema is `berth_data`: a resource that only holds a value, like
// Terraform's terraform_data, for plans without containers.
var dataSchema = &Resource{
	Type: TypeData,
	Block: Block{
		Description: "A resource that only holds a value: output follows input after apply, and a change of triggers_replace replaces it. Useful to tie lifecycles together and to try plan/apply without containers.",
		Attributes: map[string]*Attribute{
			"name": nameAttr("data resource", false),
			"input": {
				Type: cty.DynamicPseudoType, Optional: true,
				Description: "Any value; copied to output at apply.",
			},
			"triggers_replace": {
				Type: cty.DynamicPseudoType, Optional: true, ForceNew: true,
				Description: "Any value; when it changes the resource is replaced (gets a new id).",
			},
			"output": {
				Type: cty.DynamicPseudoType, Computed: true,
				Description: "The value of input after the last apply.",
			},
			"id": idAttr("Random UUID assigned at create."),
		},
	},
}
