package main

import (
	"encoding/json"
	"fmt"
	"strconv"

	"github.com/berthhq/berth/providers/native/runtime"
	"github.com/berthhq/berth/schemas"
	"github.com/berthhq/berth/state"
)

// member is one container an operating command works on: a container
// resource instance, one replica of a deployment, or (address "-") a
// container outside the state, such as one made by berth run.
type member struct {
	Addr string          // container.web, deployment.web#1, or "-"
	Res  *state.Resource // the state record; nil outside the state
	// Replica is the replica's ordinal for a deployment, else -1.
	Replica int
	ID      string
	Name    string // from the state, else from the runtime
	Node    string // "" is this machine
	Ports   []portAttr
	// PortText are ports already rendered (a berth run container's).
	PortText []string
	IPs      map[string]string // a container's, by network
	IP       string            // a replica's
	// Status is the runtime's; nil when the runtime does not know the
	// container (removed behind berth's back).
	Status *runtime.Status
}

// label is how logs prefix the member's lines: "web#1" for a replica,
// the address for a container.
func (m *member) label() string {
	if m.Res != nil && m.Replica >= 0 {
		return m.Res.Addr.Name + m.Res.Addr.Key.String() + "#" + strconv.Itoa(m.Replica)
	}
	if m.Addr == "-" {
		return m.Name
	}
	return m.Addr
}

// display names the member in messages: its address, or for a container
// outside the state its name.
func (m *member) display() string {
	if m.Addr == "-" {
		return "container " + m.Name
	}
	return m.Addr
}

// resourceAttrs are the state attributes the operating commands read of
// a container or deployment.
type resourceAttrs struct {
	ID             string            `json:"id"`
	Name           string            `json:"name"`
	IPAddresses    map[string]string `json:"ip_addresses"`
	Port           []portAttr        `json:"port"`
	ReplicasStatus []replicaAttr     `json:"replicas_status"`
	Template       *struct {
		Port []portAttr `json:"port"`
	} `json:"template"`
}

// portAttr is one port block.
type portAttr struct {
	Host      *int   `json:"host"`
	Container int    `json:"container"`
	Protocol  string `json:"protocol"`
	HostIP    string `json:"host_ip"`
}

// String renders the port as Docker does: 0.0.0.0:8080->80/tcp.
func (p portAttr) String() string {
	proto := p.Protocol
	if proto == "" {
		proto = "tcp"
	}
	ctr := strconv.Itoa(p.Container) + "/" + proto
	if p.Host == nil {
		return ctr
	}
	ip := p.HostIP
	if ip == "" {
		ip = "0.0.0.0"
	}
	return ip + ":" + strconv.Itoa(*p.Host) + "->" + ctr
}

// replicaAttr is one entry of a deployment's replicas_status.
type replicaAttr struct {
	Ordinal int    `json:"ordinal"`
	ID      string `json:"id"`
	Name    string `json:"name"`
	Node    string `json:"node"`
	Status  string `json:"status"`
	IP      string `json:"ip"`
}

// isContainerType reports whether resources of type typ run containers.
func isContainerType(typ string) bool {
	return typ == schemas.TypeContainer || typ == schemas.TypeDeployment
}

// membersOf lists the containers of a state record: the container
// itself, or a deployment's replicas by ordinal. Other types have none.
func membersOf(r *state.Resource) ([]*member, error) {
	if !isContainerType(r.Addr.Type) {
		return nil, nil
	}
	var attrs resourceAttrs
	if err := json.Unmarshal(r.Attributes, &attrs); err != nil {
		return nil, fmt.Errorf("read %s from the state: %w", r.Addr, err)
	}
	if r.Addr.Type == schemas.TypeContainer {
		return []*member{{Addr: r.Addr.String(), Res: r, Replica: -1, ID: attrs.ID, Name: attrs.Name, Node: r.Node, Ports: attrs.Port, IPs: attrs.IPAddresses}}, nil
	}
	var ports []portAttr
	if attrs.Template != nil {
		ports = attrs.Template.Port
	}
	out := make([]*member, 0, len(attrs.ReplicasStatus))
	for _, rs := range attrs.ReplicasStatus {
		node := rs.Node
		if node == "" {
			node = r.Node
		}
		name := rs.Name
		if name == "" {
			name = attrs.Name + "-" + strconv.Itoa(rs.Ordinal)
		}
		out = append(out, &member{
			Addr: r.Addr.String() + "#" + strconv.Itoa(rs.Ordinal), Res: r, Replica: rs.Ordinal,
			ID: rs.ID, Name: name, Node: node, Ports: ports, IP: rs.IP,
		})
	}
	return out, nil
}
