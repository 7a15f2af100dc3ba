package native

import (
	"context"
	"errors"
	"fmt"
	"net/netip"
	"os"

	"github.com/berthhq/berth/providers"
	"github.com/berthhq/berth/providers/native/network"
	"github.com/berthhq/berth/providers/native/runtime"
	"github.com/zclconf/go-cty/cty"
)

// Network modes of a container (the network_mode attribute).
const (
	modeBridge = "bridge"
	modeNone   = "none"
	modeHost   = "host"
)

// labelNetGroup, on a container, names a group it shares with others
// (a deployment labels its replicas with its name): on every network the
// group's name resolves to all of them.
const labelNetGroup = "berth.network.group"

// envResolvConf names a file whose content every container on a berth
// network gets as /etc/resolv.conf instead of the host's resolvers.
const envResolvConf = "BERTH_RESOLV_CONF"

// networkMode is a container value's network_mode ("bridge" when unset).
func networkMode(v cty.Value) string {
	if m, ok := knownString(attr(v, "network_mode")); ok && m != "" {
		return m
	}
	return modeBridge
}

// endpointConfig reads a container's network and port blocks; a
// container without network blocks joins the default network.
func endpointConfig(v cty.Value, id string) (network.EndpointConfig, error) {
	name, _ := knownString(attr(v, "name"))
	hostname, _ := knownString(attr(v, "hostname"))
	cfg := network.EndpointConfig{ContainerID: id, Name: name, Hostname: hostname}
	for _, n := range elements(attr(v, "network")) {
		a := network.Attachment{Aliases: stringList(attr(n, "aliases"))}
		a.Network, _ = knownString(attr(n, "name"))
		if s, ok := knownString(attr(n, "ipv4")); ok && s != "" {
			ip, err := netip.ParseAddr(s)
			if err != nil {
				return cfg, fmt.Errorf("network %s: ipv4: %w", a.Network, err)
			}
			a.IPv4 = ip
		}
		cfg.Attachments = append(cfg.Attachments, a)
	}
	if len(cfg.Attachments) == 0 {
		cfg.Attachments = []network.Attachment{{Network: network.DefaultNetwork}}
	}
	for _, p := range elements(attr(v, "port")) {
		port, err := portOf(p)
		if err != nil {
			return cfg, err
		}
		cfg.Ports = append(cfg.Ports, port)
	}
	return cfg, nil
}

// portOf reads one port block; an unset host port is 0 (choose one).
func portOf(p cty.Value) (network.Port, error) {
	var port network.Port
	port.Protocol, _ = knownString(attr(p, "protocol"))
	if port.Protocol == "" {
		port.Protocol = "tcp"
	}
	ip, _ := knownString(attr(p, "host_ip"))
	if ip == "" {
		ip = "0.0.0.0"
	}
	addr, err := netip.ParseAddr(ip)
	if err != nil || !addr.Is4() {
		return port, fmt.Errorf("port host_ip %q is not an IPv4 address", ip)
	}
	port.HostIP = addr
	if n, ok := knownNumber(attr(p, "host")); ok {
		h, _ := n.Int64()
		port.HostPort = uint16(h)
	}
	if n, ok := knownNumber(attr(p, "container")); ok {
		c, _ := n.Int64()
		port.ContainerPort = uint16(c)
	}
	return port, nil
}

// attachContainer gives a container its networking before it starts:
// for network_mode bridge an endpoint on its networks, with spec's
// namespace, /etc/hosts and resolv.conf set to match. groups are extra
// names it shares with others (a deployment's replicas pass the
// deployment's name, which then resolves to all of them).
func attachContainer(ctx context.Context, e *Engine, v cty.Value, spec *runtime.Spec, groups ...string) (*network.Endpoint, error) {
	switch networkMode(v) {
	case modeHost:
		spec.Network = runtime.NetworkMode{Mode: runtime.NetworkHost}
		return nil, nil
	case modeNone:
		spec.Network = runtime.NetworkMode{Mode: runtime.NetworkNone}
		return nil, nil
	}
	cfg, err := endpointConfig(v, spec.ID)
	if err != nil {
		return nil, err
	}
	if cfg.Hostname == "" {
		cfg.Hostname = spec.Hostname
	}
	cfg.Groups = groups
	if g := stringMap(attr(v, "labels"))[labelNetGroup]; g != "" {
		cfg.Groups = append(cfg.Groups, g)
	}
	ep, err := e.Networks.Attach(ctx, cfg)
	if err != nil {
		return nil, err
	}
	return ep, useEndpoint(e, spec, ep)
}

// useEndpoint points spec at an endpoint: its namespace, and the
// /etc/hosts and resolv.conf that go with it.
func useEndpoint(e *Engine, spec *runtime.Spec, ep *network.Endpoint) error {
	spec.Network = runtime.NetworkMode{Mode: runtime.NetworkPath, NetNSPath: ep.NetNS}
	entries, err := e.Networks.HostsFor(spec.ID)
	if err != nil {
		return err
	}
	spec.Hosts = hostEntries(entries)
	rc, err := containerResolvConf()
	if err != nil {
		return err
	}
	spec.ResolvConf = &rc
	return nil
}

// containerResolvConf is the host's upstream resolvers, or the file
// BERTH_RESOLV_CONF names.
func containerResolvConf() (runtime.ResolvConf, error) {
	path := os.Getenv(envResolvConf)
	if path == "" {
		return runtime.HostResolvConf(), nil
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return runtime.ResolvConf{}, fmt.Errorf("%s: %w", envResolvConf, err)
	}
	return runtime.ParseResolvConf(data), nil
}

func hostEntries(in []network.HostEntry) []runtime.HostEntry {
	out := make([]runtime.HostEntry, len(in))
	for i, e := range in {
		out[i] = runtime.HostEntry{IP: e.IP, Names: e.Names}
	}
	return out
}

// syncHosts rewrites /etc/hosts of every container on the networks.
func syncHosts(ctx context.Context, e *Engine, nets []string) error {
	if len(nets) == 0 {
		return nil
	}
	return e.Networks.SyncHosts(ctx, nets, func(id string, entries []network.HostEntry) error {
		err := e.Runtime.WriteHosts(id, hostEntries(entries))
		if errors.Is(err, runtime.ErrNotFound) || errors.Is(err, os.ErrNotExist) {
			return nil // being created or removed; its own sync follows
		}
		return err
	})
}

// detachContainer removes a container's networking and updates the
// /etc/hosts of the containers it shared networks with (as well as it
// can: one failing there keeps a stale line, which is no reason to keep
// this container).
func detachContainer(ctx context.Context, e *Engine, id string) error {
	nets, err := e.Networks.Detach(ctx, id)
	if err != nil {
		return fmt.Errorf("remove the networking of container %s: %w", id, err)
	}
	_ = syncHosts(ctx, e, nets)
	return nil
}

// withNetworkAttrs fills ip_addresses, and the host ports chosen at
// create, from the container's endpoint.
func withNetworkAttrs(e *Engine, v cty.Value, id string) cty.Value {
	ips := map[string]cty.Value{}
	ep, err := e.Networks.Endpoint(id)
	if err != nil || ep == nil {
		return withAttrs(v, map[string]cty.Value{"ip_addresses": cty.MapValEmpty(cty.String)})
	}
	for _, ifc := range ep.Interfaces {
		ips[ifc.Network] = cty.StringVal(ifc.IP.String())
	}
	set := map[string]cty.Value{"ip_addresses": cty.MapVal(ips)}
	if ports := attr(v, "port"); len(elements(ports)) == len(ep.Ports) && len(ep.Ports) > 0 {
		list := elements(ports)
		for i, p := range list {
			list[i] = withAttrs(p, map[string]cty.Value{"host": cty.NumberIntVal(int64(ep.Ports[i].HostPort))})
		}
		set["port"] = cty.ListVal(list)
	}
	return withAttrs(v, set)
}

// joinedHosts tells the containers on a new container's networks its
// name (and it theirs, should one have joined after its own hosts file
// was written); a failure is a warning: the container runs.
func joinedHosts(ctx context.Context, e *Engine, ep *network.Endpoint) providers.Diagnostics {
	var diags providers.Diagnostics
	if ep == nil {
		return nil
	}
	if err := syncHosts(ctx, e, ep.Networks()); err != nil {
		return append(diags, providers.Diagnostic{Severity: providers.Warning,
			Summary: "could not update /etc/hosts of every container on its networks", Detail: err.Error()})
	}
	return nil
}

// forgetNetworking removes what berth made for the networking of a
// container removed behind its back, so that its networks can go.
func forgetNetworking(e *Engine, id string) {
	if runtime.ValidID(id) {
		_ = detachContainer(context.Background(), e, id)
	}
}

// knownIPs is v's ip_addresses when known, else an empty map (a
// container on no network).
func knownIPs(v cty.Value) cty.Value {
	ips := attr(v, "ip_addresses")
	if !ips.IsKnown() || ips.IsNull() || !ips.Type().Equals(cty.Map(cty.String)) {
		return cty.MapValEmpty(cty.String)
	}
	return ips
}
