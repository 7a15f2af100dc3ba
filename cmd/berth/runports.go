package main

import (
	"fmt"
	"net/netip"
	"strconv"
	"strings"

	"github.com/berthhq/berth/providers/native/network"
	"github.com/berthhq/berth/providers/native/runtime"
)

// networkBridge is docker run's name for the network a container joins
// by default; in berth it is the default network (network.DefaultNetwork).
const networkBridge = "bridge"

// labelPorts, on a berth run container, lists its published ports as
// berth ps shows them (0.0.0.0:8080->80/tcp), comma-separated.
const labelPorts = "berth.ports"

// parsePublish reads one -p value, as docker run takes it:
// [[HOST_IP:]HOST_PORT:]CONTAINER_PORT[/tcp|/udp]. A missing or empty
// HOST_PORT lets berth choose a free one.
func parsePublish(s string) (network.Port, error) {
	p := network.Port{Protocol: "tcp", HostIP: netip.IPv4Unspecified()}
	rest := s
	if i := strings.LastIndexByte(rest, '/'); i >= 0 {
		p.Protocol, rest = rest[i+1:], rest[:i]
		if p.Protocol != "tcp" && p.Protocol != "udp" {
			return p, fmt.Errorf("-p %s: protocol %q: want tcp or udp", s, p.Protocol)
		}
	}
	parts := strings.Split(rest, ":")
	var hostIP, hostPort, ctrPort string
	switch len(parts) {
	case 1:
		ctrPort = parts[0]
	case 2:
		hostPort, ctrPort = parts[0], parts[1]
	case 3:
		hostIP, hostPort, ctrPort = parts[0], parts[1], parts[2]
	default:
		return p, fmt.Errorf("-p %s: want [[HOST_IP:]HOST_PORT:]CONTAINER_PORT[/PROTOCOL] (IPv4 only)", s)
	}
	if hostIP != "" {
		ip, err := netip.ParseAddr(hostIP)
		if err != nil || !ip.Is4() {
			return p, fmt.Errorf("-p %s: host address %q is not an IPv4 address", s, hostIP)
		}
		p.HostIP = ip
	}
	port := func(what, v string, zero bool) (uint16, error) {
		if strings.Contains(v, "-") {
			return 0, fmt.Errorf("-p %s: port ranges are not supported; give one -p per port", s)
		}
		n, err := strconv.ParseUint(v, 10, 16)
		if err != nil || (n == 0 && !zero) {
			return 0, fmt.Errorf("-p %s: %s port %q: want a number from 1 to 65535", s, what, v)
		}
		return uint16(n), nil
	}
	var err error
	if p.ContainerPort, err = port("container", ctrPort, false); err != nil {
		return p, err
	}
	if hostPort != "" {
		if p.HostPort, err = port("host", hostPort, true); err != nil {
			return p, err
		}
	}
	return p, nil
}

// portText is a published port as berth ps shows it.
func portText(p network.Port) string {
	return fmt.Sprintf("%s:%d->%d/%s", p.HostIP, p.HostPort, p.ContainerPort, p.Protocol)
}

// bridged reports whether the container joins a network (rather than
// having only loopback, or the host's), and which.
func (f *runFlags) bridged() (string, bool) {
	switch f.network {
	case runtime.NetworkNone, runtime.NetworkHost:
		return "", false
	case networkBridge:
		return network.DefaultNetwork, true
	}
	return f.network, true
}

// ports parses the -p flags.
func (f *runFlags) ports() ([]network.Port, error) {
	out := make([]network.Port, 0, len(f.publish))
	for _, s := range f.publish {
		p, err := parsePublish(s)
		if err != nil {
			return nil, err
		}
		out = append(out, p)
	}
	return out, nil
}
