package network

import (
	"fmt"
	"hash/fnv"
	"net/netip"
	"slices"
	"strings"
)

// Service is a set of host ports, each balanced over several containers:
// how a deployment publishes a port. The service owns the port, not its
// containers: each port is one DNAT rule that sends every new connection
// to one of the port's backends, picked at random; a connection already
// made keeps the backend conntrack recorded for it, whatever the rule
// says later.
type Service struct {
	ID    string // the owner's ID (a deployment's), in every rule's comment
	Name  string // the owner's name, for messages
	Ports []ServicePort
}

// ServicePort is one published port of a service and the containers
// that take its new connections now.
type ServicePort struct {
	Port // HostPort 0: a free port is chosen
	// Backends take the port's new connections: the containers that are
	// ready, and none that is about to stop.
	Backends []Backend
}

// Backend is one container behind a service port.
type Backend struct {
	ContainerID string
	// Port is the container port; 0 is the service port's ContainerPort.
	// (During a rolling update old and new replicas may listen on
	// different ports.)
	Port uint16
}

// target is a backend as the DNAT rule sees it.
type target struct {
	addr netip.Addr
	port uint16
}

// sortTargets orders targets by address and port, so that the rule and
// its digest do not depend on the order backends came in.
func sortTargets(ts []target) {
	slices.SortFunc(ts, func(a, b target) int {
		if c := a.addr.Compare(b.addr); c != 0 {
			return c
		}
		return int(a.port) - int(b.port)
	})
}

// digest names a set of targets in a rule's comment: comparing comments
// tells whether a rule already sends to exactly these targets.
func digest(ts []target) string {
	if len(ts) == 0 {
		return "0"
	}
	var b strings.Builder
	for _, t := range ts {
		fmt.Fprintf(&b, "%s:%d,", t.addr, t.port)
	}
	h := fnv.New32a()
	h.Write([]byte(b.String()))
	return fmt.Sprintf("%d-%08x", len(ts), h.Sum32())
}

// svcComment tags a service port's rule: the owner, the port (so that
// others see it is taken, as with a container's port) and the digest of
// its targets.
func svcComment(id, name string, p Port, ts []target) string {
	return fmt.Sprintf("berth svc=%s name=%s port=%s/%s:%d eps=%s", id, name, p.Protocol, p.HostIP, p.HostPort, digest(ts))
}

// svcTag is the prefix of every rule comment of a service.
func svcTag(id string) string { return "berth svc=" + id + " " }
