package network

import (
	"errors"
	"net/netip"
	"time"
)

// DefaultNetwork is the name of the network containers join when they
// name none. It is reserved: a user network cannot take it.
const DefaultNetwork = "berth"

// defaultSubnet is the default network's subnet, unless something on the
// host already routes it (then one comes from the pool).
var defaultSubnet = netip.MustParsePrefix("10.88.0.0/16")

// Sentinel errors; test with errors.Is.
var (
	ErrNotFound    = errors.New("network not found")
	ErrInUse       = errors.New("network has containers attached")
	ErrInvalid     = errors.New("invalid network configuration")
	ErrExhausted   = errors.New("no free subnet left in the pool")
	ErrAddrInUse   = errors.New("address already in use")
	ErrPortInUse   = errors.New("host port already in use")
	ErrUnsupported = errors.New("berth's networking needs Linux")
)

// Options adjust a Manager; the zero value is right for berth.
type Options struct {
	// RunDir holds host-wide state (a lock, original sysctl values);
	// default /run/berth/network.
	RunDir string
	// HostNetNS is the path of the network namespace to work in (tests
	// use a throwaway one); "" is the calling process's.
	HostNetNS string
	// Pool is where subnets come from; zero: DefaultPool.
	Pool Pool
}

// Config describes a network to create.
type Config struct {
	Name     string
	Subnet   netip.Prefix // zero: allocate from the pool
	Internal bool         // no outbound NAT, no traffic leaves the network
}

// Network is a network as recorded.
type Network struct {
	ID       string       `json:"id"`
	Name     string       `json:"name"`
	Bridge   string       `json:"bridge"`
	Subnet   netip.Prefix `json:"subnet"`
	Gateway  netip.Addr   `json:"gateway"`
	Internal bool         `json:"internal,omitempty"`
	// Allocated is true when the subnet came from the pool.
	Allocated bool      `json:"allocated,omitempty"`
	Created   time.Time `json:"created"`
}

// Attachment joins a container to one network.
type Attachment struct {
	Network string
	IPv4    netip.Addr // zero: the next free address
	Aliases []string   // more names the container answers to there
}

// Port publishes a container port on the host.
type Port struct {
	Protocol      string     `json:"protocol"` // "tcp" or "udp"
	HostIP        netip.Addr `json:"host_ip"`  // 0.0.0.0: every local address
	HostPort      uint16     `json:"host_port"`
	ContainerPort uint16     `json:"container_port"`
}

// Clashes reports whether p and q cannot both be published: the same
// protocol and host port, on addresses that overlap (equal, or one of
// them every address).
func (p Port) Clashes(q Port) bool {
	return p.Protocol == q.Protocol && p.HostPort == q.HostPort &&
		(p.HostIP == q.HostIP || p.HostIP.IsUnspecified() || q.HostIP.IsUnspecified())
}

// EndpointConfig describes one container's networking.
type EndpointConfig struct {
	ContainerID string
	Name        string // its DNS name on every network
	Hostname    string // also resolves to itself in its own /etc/hosts
	// Groups are extra names shared with other containers (a deployment's
	// name): each resolves to every member that carries it.
	Groups      []string
	Attachments []Attachment
	Ports       []Port // HostPort 0: a free port is chosen
	// Transient marks the endpoint of a one-off container (berth run):
	// the default network outlives it, and Detach leaves its veths to go
	// with its namespace (the container must be gone by then).
	Transient bool
}

// Interface is a container's interface on one network.
type Interface struct {
	Network  string     `json:"network"`
	IfName   string     `json:"ifname"` // inside the container: eth0, eth1, ...
	HostVeth string     `json:"host_veth"`
	IP       netip.Addr `json:"ip"`
	MAC      string     `json:"mac"`
}

// Endpoint is what Attach made for a container.
type Endpoint struct {
	ContainerID string      `json:"container_id"`
	Name        string      `json:"name"`
	NetNS       string      `json:"netns"`
	Interfaces  []Interface `json:"interfaces"`
	Ports       []Port      `json:"ports,omitempty"`
	Transient   bool        `json:"transient,omitempty"`
}

// Networks lists the names of the networks the endpoint is on, in order.
func (ep *Endpoint) Networks() []string {
	out := make([]string, len(ep.Interfaces))
	for i, ifc := range ep.Interfaces {
		out[i] = ifc.Network
	}
	return out
}

// HostEntry is one /etc/hosts line.
type HostEntry struct {
	IP    string
	Names []string
}

// PublishedPort is a port published by some berth container on this
// host, as read from the kernel's rules.
type PublishedPort struct {
	Port
	ContainerID string // the container publishing it, or
	ServiceID   string // the service (a deployment) publishing it
	Name        string
}

// owner is the ID of what publishes the port.
func (pp PublishedPort) owner() string {
	if pp.ServiceID != "" {
		return pp.ServiceID
	}
	return pp.ContainerID
}
