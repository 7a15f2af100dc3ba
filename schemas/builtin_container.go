package schemas

import "github.com/zclconf/go-cty/cty"

// containerSchema is the `container` resource. A container is immutable
// once created, as in Docker: what defines its process, filesystem and
// network (image, command, env, mounts, networks, ports, ...) forces a
// replacement. What the runtime can change on a live container updates in
// place: cgroup limits (resources), and what the per-container supervisor
// re-reads (restart, health, stop_signal, stop_timeout).
var containerSchema = &Resource{
	Type: TypeContainer,
	Block: Block{
		Description: "A container run by berth's native runtime (or on a node), supervised so that it restarts, health-checks and logs without a daemon.",
		Attributes:  containerAttributes(),
		Blocks:      containerBlocks(),
	},
}

func containerAttributes() map[string]*Attribute {
	return map[string]*Attribute{
		"name": nameAttr("container; also its DNS name on its networks", true),
		"image": {
			Type: cty.String, Required: true, ForceNew: true,
			Description: "Image to run: usually image.NAME.id, or a reference the runtime pulls if missing.",
		},
		"command": {
			Type: stringList, Optional: true, ForceNew: true,
			Description: "Arguments replacing the image's CMD.",
		},
		"entrypoint": {
			Type: stringList, Optional: true, ForceNew: true,
			Description: "Executable and arguments replacing the image's ENTRYPOINT.",
		},
		"env": {
			Type: stringMap, Optional: true, ForceNew: true,
			Description: "Environment variables, added to and overriding the image's.",
		},
		"working_dir": {
			Type: cty.String, Optional: true, ForceNew: true,
			Description: "Working directory of the process; default: the image's WORKDIR.",
		},
		"user": {
			Type: cty.String, Optional: true, ForceNew: true,
			Description: "User (and group) to run as: name, uid, name:group or uid:gid; default: the image's USER.",
		},
		"hostname": {
			Type: cty.String, Optional: true, ForceNew: true,
			Description: "Hostname inside the container; default: the container's name.",
		},
		"restart": {
			Type: cty.String, Optional: true, Default: cty.StringVal("no"),
			OneOf:       []string{"no", "always", "on-failure", "unless-stopped"},
			Description: "Restart policy applied by the supervisor: no, always, on-failure (non-zero exit) or unless-stopped (always, except after berth stop).",
		},
		"read_only": {
			Type: cty.Bool, Optional: true, ForceNew: true, Default: cty.False,
			Description: "Mount the container's root filesystem read-only.",
		},
		"tty": {
			Type: cty.Bool, Optional: true, ForceNew: true, Default: cty.False,
			Description: "Run the main process on a pseudo-terminal, like docker run -t; berth attach then connects to it (Ctrl-P Ctrl-Q detaches). Its output still goes to the log, as one stdout stream.",
		},
		"stdin_open": {
			Type: cty.Bool, Optional: true, ForceNew: true, Default: cty.False,
			Description: "Keep the main process's stdin open, like docker run -i: without tty it reads a pipe that berth attach writes what you type to, so a shell waits for input instead of exiting. With tty its stdin is the terminal, open either way.",
		},
		"node": {
			Type: cty.String, Optional: true, ForceNew: true,
			Description: "Name of the node (node block) to run on; default: the machine running berth. Remote nodes are not supported yet: setting it is an error at validate.",
		},
		"network_mode": {
			Type: cty.String, Optional: true, ForceNew: true, Default: cty.StringVal("bridge"),
			OneOf:       []string{"bridge", "none", "host"},
			Description: "bridge: the container's own network namespace on its network blocks' networks, or on berth's default network when it has none; none: only loopback; host: the host's network namespace (no network or port blocks).",
		},
		"labels": {
			Type: stringMap, Optional: true, ForceNew: true,
			Description: "Labels recorded with the container (berth adds its own under berth.*).",
		},
		"stop_signal": {
			Type: cty.String, Optional: true,
			Description: "Signal that asks the process to stop (e.g. SIGQUIT); default: the image's STOPSIGNAL, else SIGTERM.",
		},
		"stop_timeout": {
			Type: cty.String, Optional: true, Format: "duration", Default: cty.StringVal("10s"),
			Description: "How long to wait after the stop signal before killing the process.",
		},
		"id":            idAttr("Container ID assigned by the runtime."),
		"status":        {Type: cty.String, Computed: true, Description: "Runtime status: created, running, restarting, exited or stopped."},
		"pid":           {Type: cty.Number, Computed: true, Description: "Host PID of the container's main process; 0 when not running."},
		"ip_addresses":  {Type: stringMap, Computed: true, Description: "The container's IPv4 address on each network, by network name."},
		"started_at":    {Type: cty.String, Computed: true, Description: "When the main process last started (RFC 3339)."},
		"exit_code":     {Type: cty.Number, Computed: true, Description: "Exit code of the last run of the main process; null while it has never exited."},
		"health_status": {Type: cty.String, Computed: true, Description: "Health as the supervisor last found it: starting, healthy, unhealthy, or none without a health block."},
	}
}

func containerBlocks() map[string]*NestedBlock {
	return map[string]*NestedBlock{
		"network":      networkAttachmentBlock(),
		"port":         portBlock(),
		"mount":        mountBlock(),
		"resources":    resourcesBlock(),
		"health":       healthBlock(),
		"capabilities": capabilitiesBlock(),
	}
}

func networkAttachmentBlock() *NestedBlock {
	return &NestedBlock{
		Nesting: NestingList, ForceNew: true,
		Block: Block{
			Description: "Attach the container to a network; repeat for several. Without any, a container with network_mode bridge joins berth's default network.",
			Attributes: map[string]*Attribute{
				"name": {
					Type: cty.String, Required: true, ForceNew: true,
					Description: "Name of the network (network.NAME.name).",
				},
				"aliases": {
					Type: stringList, Optional: true, ForceNew: true,
					Description: "Extra DNS names the container answers to on this network.",
				},
				"ipv4": {
					Type: cty.String, Optional: true, ForceNew: true, Format: "ipv4",
					Description: "Fixed IPv4 address inside the network's subnet; default: the next free one.",
				},
			},
		},
	}
}

func portBlock() *NestedBlock {
	return &NestedBlock{
		Nesting: NestingList, ForceNew: true,
		Block: Block{
			Description: "Publish a container port on the host; repeat for several.",
			Attributes: map[string]*Attribute{
				"host": {
					Type: cty.Number, Optional: true, Computed: true, ForceNew: true,
					Description: "Host port (1-65535); when unset a free port is chosen and recorded.",
				},
				"container": {
					Type: cty.Number, Required: true, ForceNew: true,
					Description: "Port inside the container (1-65535).",
				},
				"protocol": {
					Type: cty.String, Optional: true, ForceNew: true, Default: cty.StringVal("tcp"),
					OneOf:       []string{"tcp", "udp"},
					Description: "Transport protocol: tcp or udp.",
				},
				"host_ip": {
					Type: cty.String, Optional: true, ForceNew: true, Default: cty.StringVal("0.0.0.0"),
					Description: "Host address to listen on; 0.0.0.0 means every address.",
				},
			},
		},
	}
}

func mountBlock() *NestedBlock {
	return &NestedBlock{
		Nesting: NestingList, ForceNew: true,
		Block: Block{
			Description: "Mount a volume, a host path or a tmpfs into the container; repeat for several.",
			Attributes: map[string]*Attribute{
				"type": {
					Type: cty.String, Required: true, ForceNew: true, OneOf: []string{"volume", "bind", "tmpfs"},
					Description: "volume (a volume resource), bind (a host path) or tmpfs (memory).",
				},
				"source": {
					Type: cty.String, Optional: true, ForceNew: true,
					Description: "Volume name for type volume, absolute host path for bind; not set for tmpfs.",
				},
				"target": {
					Type: cty.String, Required: true, ForceNew: true,
					Description: "Absolute path inside the container to mount on.",
				},
				"read_only": {
					Type: cty.Bool, Optional: true, ForceNew: true, Default: cty.False,
					Description: "Mount read-only: the container cannot write through this mount.",
				},
				"size": {
					Type: cty.String, Optional: true, ForceNew: true, Format: "size",
					Description: "Size limit of a tmpfs mount (e.g. 64MiB); only for type tmpfs.",
				},
			},
		},
	}
}

func resourcesBlock() *NestedBlock {
	return &NestedBlock{
		Nesting: NestingSingle, MaxItems: 1,
		Block: Block{
			Description: "Resource limits, enforced with cgroups; changes apply to the running container.",
			Attributes: map[string]*Attribute{
				"memory": {
					Type: cty.String, Optional: true, Format: "size",
					Description: "Memory limit (e.g. 256MiB, 1GiB).",
				},
				"cpus": {
					Type: cty.Number, Optional: true,
					Description: "CPU limit in cores; fractions allowed (0.5 is half a core).",
				},
				"pids": {
					Type: cty.Number, Optional: true,
					Description: "Maximum number of processes and threads.",
				},
			},
		},
	}
}

func healthBlock() *NestedBlock {
	return &NestedBlock{
		Nesting: NestingSingle, MaxItems: 1,
		Block: Block{
			Description: "Health check run inside the container by the supervisor; changes apply without recreating the container.",
			Attributes: map[string]*Attribute{
				"command": {
					Type: stringList, Required: true,
					Description: "Command to run (exec form); exit code 0 means healthy.",
				},
				"interval": {
					Type: cty.String, Optional: true, Format: "duration", Default: cty.StringVal("30s"),
					Description: "Time between checks.",
				},
				"timeout": {
					Type: cty.String, Optional: true, Format: "duration", Default: cty.StringVal("30s"),
					Description: "How long one check may run before it counts as failed.",
				},
				"retries": {
					Type: cty.Number, Optional: true, Default: cty.NumberIntVal(3),
					Description: "Consecutive failures after which the container is unhealthy.",
				},
				"start_period": {
					Type: cty.String, Optional: true, Format: "duration", Default: cty.StringVal("0s"),
					Description: "Grace period after start during which failures do not count.",
				},
			},
		},
	}
}

func capabilitiesBlock() *NestedBlock {
	return &NestedBlock{
		Nesting: NestingSingle, MaxItems: 1, ForceNew: true,
		Block: Block{
			Description: "Linux capabilities to add to or drop from the runtime's default set.",
			Attributes: map[string]*Attribute{
				"add": {
					Type: stringList, Optional: true, ForceNew: true,
					Description: "Capabilities to add (e.g. NET_ADMIN, or ALL).",
				},
				"drop": {
					Type: stringList, Optional: true, ForceNew: true,
					Description: "Capabilities to drop (e.g. CHOWN, or ALL).",
				},
			},
		},
	}
}
