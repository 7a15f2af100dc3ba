// Package network gives berth's native containers their networks, without
// a daemon: Linux bridges made with netlink, addresses managed in files
// under the runtime root, a network namespace per container joined to its
// networks by veth pairs, and kernel NAT and filtering with nftables in
// berth's own tables. It is a leaf library: it imports nothing of berth,
// and the provider glue translates between resources and these types.
//
// # API
//
//	m, _ := network.Open("/var/lib/berth", network.Options{})
//	n, err := m.Create(ctx, network.Config{Name: "backend"})     // subnet from the pool
//	ep, err := m.Attach(ctx, network.EndpointConfig{              // netns, veths, ports
//		ContainerID: id, Name: "db",
//		Attachments: []network.Attachment{{Network: "backend", Aliases: []string{"database"}}},
//	})
//	// start the container in ep.NetNS, then:
//	m.SyncHosts(ctx, ep.Networks(), write)  // every member's /etc/hosts entries
//	m.Restore(ctx, id)                      // after a reboot: make it all again from the records
//	m.Detach(ctx, id)                       // everything Attach made, idempotent
//	m.Remove(ctx, "backend", exists)        // bridge, rules, record
//	network.CheckPort(port, owners...)      // is a host port free (plan time)?
//	m.SetService(ctx, network.Service{...}) // a deployment's ports, balanced over its ready replicas
//	m.RemoveService(ctx, deploymentID)
//
// An attachment to DefaultNetwork creates that network on first use, and
// the last Detach from it removes it again, unless that endpoint was
// Transient (berth run's): then it stays for the next one-off container,
// as Docker keeps docker0, until Remove; and its veths are not deleted
// one by one but go with its namespace. m.Endpoints() lists every
// endpoint recorded.
//
// # On disk
//
// Under <root>/networks: lock (flock, held while records change),
// <name>.json per network (its subnet, bridge and members with their
// addresses and names), endpoints/<container id>.json per attached
// container (its namespace, interfaces and published ports). Under
// <root>/netns: one file per container, a bind mount of its network
// namespace, so that the namespace outlives the processes in it and the
// supervisor can join it by path.
//
// Host-wide state lives under Options.RunDir (default /run/berth/network,
// a tmpfs that a reboot clears together with the kernel state it
// describes): lock (flock; exclusive while tables or sysctls change,
// shared while one container's rules change), and sysctl.json, the
// values berth found before it changed a global sysctl, restored when the
// last berth network on the host is gone.
//
// # Kernel objects
//
//   - bridge "berth" + 10 hex digits of the network ID, with a fixed MAC
//     (so that it never changes as ports come and go), the gateway
//     address, and route_localnet (so that published ports answer on
//     127.0.0.1; see the guard rule below);
//   - veth "vb" + 12 hex digits of the container ID + the attachment
//     index on the host, created with its peer (eth0, eth1, ...) directly
//     inside the container's namespace;
//   - table "ip berth": NAT for published ports (prerouting and output;
//     a service's port picks one of its targets at random from a map
//     svc-ID-PROTO-ADDR-PORT),
//     masquerade (outbound, hairpin, loopback), isolation between
//     networks, internal networks, and a guard dropping packets for
//     127.0.0.0/8 that arrive on a berth bridge;
//   - table "netdev berth": per network a map from container MAC to host
//     veth, and per host veth an ingress chain that hands frames for
//     another container on the same network straight to its veth. Such
//     traffic then never reaches the bridge, and so never reaches
//     br_netfilter and the host's iptables FORWARD chain, where Docker's
//     DROP policy would otherwise drop it;
//   - where the host has the iptables filter table's FORWARD chain (Docker
//     makes it, with policy DROP): chain BERTH-FORWARD there, accepting
//     what leaves berth's bridges and what returns or is DNATed to them,
//     and one jump to it in FORWARD; made with the host's iptables
//     command, looked for at each network setup and attach, removed with
//     berth's tables. Docker's chains are never touched.
//
// Every nftables rule carries a comment naming what it belongs to
// ("berth net=ID", "berth ctr=ID ..." or "berth svc=ID ..."), so teardown
// removes exactly its own.
package network
