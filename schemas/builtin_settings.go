package schemas

import "github.com/zclconf/go-cty/cty"

// Node is the body schema of a `node "NAME" { ... }` block: a remote Linux
// host that berth drives over SSH.
var Node = &Block{
	Description: "A remote Linux host reached over SSH; resources with node = NAME run there through berth itself on that host.",
	Attributes: map[string]*Attribute{
		"name": {
			Type: cty.String, Optional: true,
			Description: "Name resources refer to the node by; defaults to the block label.",
		},
	},
	Blocks: map[string]*NestedBlock{
		"ssh": {
			Nesting: NestingSingle, MinItems: 1, MaxItems: 1,
			Block: Block{
				Description: "How to reach the host over SSH.",
				Attributes: map[string]*Attribute{
					"host": {
						Type: cty.String, Required: true,
						Description: "Host name or IP address.",
					},
					"user": {
						Type: cty.String, Optional: true, Default: cty.StringVal("root"),
						Description: "User to log in as; it must be able to run containers.",
					},
					"port": {
						Type: cty.Number, Optional: true, Default: cty.NumberIntVal(22),
						Description: "TCP port of the host's SSH server.",
					},
					"private_key_file": {
						Type: cty.String, Optional: true,
						Description: "Private key to authenticate with (~ expands); default: the SSH agent, then ~/.ssh/id_*.",
					},
					"known_hosts_file": {
						Type: cty.String, Optional: true,
						Description: "known_hosts file to verify the host key against (~ expands); default: ~/.ssh/known_hosts.",
					},
				},
			},
		},
	},
}

// Registry is the body schema of a `registry "HOST" { ... }` block inside
// the berth block: per-registry settings, like Docker's.
var Registry = &Block{
	Description: "Settings for one registry host, used for pulls and pushes.",
	Attributes: map[string]*Attribute{
		"insecure": {
			Type: cty.Bool, Optional: true, Default: cty.False,
			Description: "Use plain HTTP, or HTTPS without verifying the certificate.",
		},
		"username": {
			Type: cty.String, Optional: true,
			Description: "User name; default: ~/.docker/config.json and its credential helpers.",
		},
		"password": {
			Type: cty.String, Optional: true, Sensitive: true,
			Description: "Password or token for username.",
		},
		"mirrors": {
			Type: stringList, Optional: true,
			Description: "Mirror hosts tried in order before this registry.",
		},
	},
}

// Runtime is the body schema of the `runtime { ... }` block inside the
// berth block: settings of the native runtime.
var Runtime = &Block{
	Description: "Settings of the native runtime.",
	Attributes: map[string]*Attribute{
		"root": {
			Type: cty.String, Optional: true, Default: cty.StringVal("/var/lib/berth"),
			Description: "Directory holding the runtime's images, containers, volumes and logs. The commands that work on images and containers directly (pull, images, run, ...) take -root or BERTH_ROOT over it.",
		},
	},
}
