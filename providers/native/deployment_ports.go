package native

// A deployment's published ports. The template's port blocks are
// published once, for the deployment as a whole, by a network.Service
// that carries the deployment's ID: one DNAT rule per port whose targets
// are the replicas that are ready. The replicas themselves publish
// nothing (replicaValue drops their port blocks). During a rollout the
// deploy engine keeps the targets current through portBalancer (a
// deploy.Balancer): a new replica joins once ready, an old one leaves
// before it is stopped. Refresh (readDeployment) sets the targets again
// from the replicas' health, so that an unhealthy replica leaves at the
// next plan, refresh or apply -watch round.

import (
	"context"
	"fmt"
	"net"
	"strconv"
	"time"

	"github.com/berthhq/berth/providers/native/deploy"
	"github.com/berthhq/berth/providers/native/network"
	"github.com/zclconf/go-cty/cty"
)

// portDrain is how long a replica that took connections keeps running
// once it no longer gets new ones, before it is stopped: time for the
// requests in flight to finish (established connections keep their
// replica through conntrack until it stops).
const portDrain = time.Second

var _ deploy.Balancer = (*portBalancer)(nil)

// portBalancer publishes a deployment's ports over its ready replicas.
type portBalancer struct {
	e        *Engine
	id, name string
	revision int            // whose template's ports are published
	ports    []network.Port // host ports as published once Serve ran
	// templates finds the template of another revision, to know which
	// container port its replicas listen on.
	templates func(revision int) (cty.Value, bool)
}

// newPortBalancer is the balancer of the ports of tmpl (the template of
// revision), or nil when it publishes none.
func newPortBalancer(e *Engine, id, name string, revision int, tmpl cty.Value, templates func(int) (cty.Value, bool)) (*portBalancer, error) {
	ports, err := templatePorts(tmpl)
	if err != nil || len(ports) == 0 {
		return nil, err
	}
	return &portBalancer{e: e, id: id, name: name, revision: revision, ports: ports, templates: templates}, nil
}

// templatePorts reads a template's port blocks; a host port not known
// yet is 0 (one is chosen when first published).
func templatePorts(tmpl cty.Value) ([]network.Port, error) {
	var out []network.Port
	for _, p := range elements(attr(tmpl, "port")) {
		port, err := portOf(p)
		if err != nil {
			return nil, err
		}
		out = append(out, port)
	}
	return out, nil
}

// Serve publishes the ports with reps as their targets.
func (b *portBalancer) Serve(ctx context.Context, reps []deploy.Replica) error {
	svc := network.Service{ID: b.id, Name: b.name}
	for _, p := range b.ports {
		sp := network.ServicePort{Port: p}
		for _, r := range reps {
			if cp, ok := b.containerPort(r.Revision, p); ok {
				sp.Backends = append(sp.Backends, network.Backend{ContainerID: r.ID, Port: cp})
			}
		}
		svc.Ports = append(svc.Ports, sp)
	}
	ports, err := b.e.Networks.SetService(ctx, svc)
	if err != nil {
		return err
	}
	b.ports = ports
	return nil
}

// containerPort is the port a replica of revision listens on for the
// published port p: the same host port in its own template (an update
// may have changed the container port); false when its template does
// not publish p at all.
func (b *portBalancer) containerPort(revision int, p network.Port) (uint16, bool) {
	if revision == b.revision {
		return p.ContainerPort, true
	}
	tmpl, ok := b.templates(revision)
	if !ok {
		return p.ContainerPort, true // not recorded: assume it did not change
	}
	ports, _ := templatePorts(tmpl)
	for _, q := range ports {
		if q.Protocol == p.Protocol && q.HostIP == p.HostIP && q.HostPort == p.HostPort {
			return q.ContainerPort, true
		}
	}
	return 0, false
}

// withHosts records the host ports as published in tmpl's port blocks
// (those chosen by berth were unknown until now).
func (b *portBalancer) withHosts(tmpl cty.Value) cty.Value {
	list := elements(attr(tmpl, "port"))
	if len(list) != len(b.ports) || len(list) == 0 {
		return tmpl
	}
	for i, p := range list {
		list[i] = withAttrs(p, map[string]cty.Value{"host": cty.NumberIntVal(int64(b.ports[i].HostPort))})
	}
	return withAttrs(tmpl, map[string]cty.Value{"port": cty.ListVal(list)})
}

// knownTemplate is tmpl with what is still unknown (a host port berth
// was to choose but did not publish: no replica wanted, or the rollout
// failed first) made null, to be chosen when the port is published.
func knownTemplate(tmpl cty.Value) cty.Value {
	v, _ := cty.Transform(tmpl, func(_ cty.Path, v cty.Value) (cty.Value, error) {
		if !v.IsKnown() {
			return cty.NullVal(v.Type()), nil
		}
		return v, nil
	})
	return v
}

// readyReplicas are the replicas that take connections.
func readyReplicas(reps []deploy.Replica) []deploy.Replica {
	var out []deploy.Replica
	for _, r := range reps {
		if r.Ready() && r.ID != "" {
			out = append(out, r)
		}
	}
	return out
}

// historyTemplates finds templates in the planned change or the history.
func historyTemplates(known map[int]cty.Value, hist *History) func(int) (cty.Value, bool) {
	return func(rev int) (cty.Value, bool) {
		if t, ok := known[rev]; ok {
			return t, true
		}
		rec, err := hist.Find(rev)
		if err != nil {
			return cty.NilVal, false
		}
		t, err := rec.TemplateValue()
		return t, err == nil
	}
}

// publishFinal sets the published ports to what the rollout left: the
// ready replicas of out, under the ports of the revision it ended on
// (the previous one after a rollback); none when no replica is wanted
// or that revision publishes no port. It returns the balancer of the
// ports left, nil if none.
func (d *deploymentChange) publishFinal(ctx context.Context, lb *portBalancer, out deploy.Outcome) (*portBalancer, error) {
	if out.Revision != d.plan.Revision {
		var err error
		lb, err = newPortBalancer(d.e, d.id, d.name, out.Revision, d.tmpls[out.Revision], historyTemplates(d.tmpls, d.hist))
		if err != nil {
			return nil, err
		}
	}
	if lb == nil || d.plan.Replicas == 0 {
		return nil, d.e.Networks.RemoveService(ctx, d.id)
	}
	if err := lb.Serve(ctx, readyReplicas(out.Replicas)); err != nil {
		return nil, err
	}
	return lb, nil
}

// portAddresses lists the published ports of tmpl as host:port.
func portAddresses(tmpl cty.Value) []string {
	ports, _ := templatePorts(tmpl)
	var out []string
	for _, p := range ports {
		if p.HostPort != 0 {
			out = append(out, net.JoinHostPort(p.HostIP.String(), strconv.Itoa(int(p.HostPort))))
		}
	}
	return out
}

// refreshPorts sets a deployment's published ports from its replicas as
// they are now, on refresh: an unhealthy or stopped replica leaves, one
// healthy again comes back, and rules lost (a reboot, a deleted table)
// are made again. Failing is a warning: refresh still reports the
// replicas.
func refreshPorts(e *Engine, prior cty.Value, private []byte, reps []deploy.Replica) error {
	tmpl := attr(prior, "template")
	id, _ := knownString(attr(prior, "id"))
	name, _ := knownString(attr(prior, "name"))
	if id == "" || intOf(attr(prior, "replicas")) == 0 {
		return nil
	}
	hist, err := DecodeHistory(private)
	if err != nil {
		return err
	}
	rev := intOf(attr(prior, "revision"))
	lb, err := newPortBalancer(e, id, name, rev, tmpl, historyTemplates(map[int]cty.Value{rev: tmpl}, hist))
	if err != nil || lb == nil {
		return err
	}
	if err := lb.Serve(context.Background(), readyReplicas(reps)); err != nil {
		return fmt.Errorf("set the replicas of the published ports of %s: %w", name, err)
	}
	return nil
}
