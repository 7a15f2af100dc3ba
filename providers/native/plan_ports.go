package native

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"strings"

	"github.com/berthhq/berth/providers"
	"github.com/berthhq/berth/providers/native/network"
	"github.com/berthhq/berth/schemas"
	"github.com/zclconf/go-cty/cty"
)

var _ providers.PlanChecker = (*Provider)(nil)

// portUse is what one planned change does with host ports on this
// machine: the ports its prior object publishes now (held) and those
// its planned object will publish (wants, with known host ports).
type portUse struct {
	providers.PlannedChange
	id    string // the prior object's, which owns its published rules
	held  []network.Port
	wants []portClaim
}

// portClaim is one port block of a planned object.
type portClaim struct {
	port network.Port
	path cty.Path // of its host attribute
}

// CheckPlan checks every host port that a plan's containers and
// deployments publish anew (all of a replacement's; those an update
// adds), with all the plan's changes in view:
//   - two changes publishing one port are refused, each at its port block;
//   - a port that another change gives up (its object deleted, replaced
//     or updated without it) is free for the taker, which waits for it;
//   - a replacement may publish its old object's ports again, unless
//     create_before_destroy keeps the old object until the new one runs;
//   - anything else holding the port (a program listening on it, a berth
//     object outside the plan) is an error naming it.
//
// Every conflict is reported, not only the first. Apply checks again
// under the host lock.
func (p *Provider) CheckPlan(_ context.Context, req providers.CheckPlanRequest) providers.CheckPlanResponse {
	var uses []*portUse
	for _, c := range req.Changes {
		if u := portUseOf(c); u != nil {
			uses = append(uses, u)
		}
	}
	var resp providers.CheckPlanResponse
	for _, u := range uses {
		for _, c := range u.wants {
			if !u.Replace && holds(u.held, c.port) {
				continue // published already: kept as it is
			}
			waits, d := checkClaim(u, c, uses)
			resp.Waits = append(resp.Waits, waits...)
			if d != nil {
				resp.Diagnostics = append(resp.Diagnostics, providers.ChangeDiagnostic{Addr: u.Addr, Diagnostic: *d})
			}
		}
	}
	resp.Diagnostics = append(resp.Diagnostics, waitCycles(resp.Waits, uses)...)
	return resp
}

// checkClaim checks claim c of change u against the other changes and
// the host; it returns the changes u must wait for, or what is wrong.
func checkClaim(u *portUse, c portClaim, uses []*portUse) ([]providers.Wait, *providers.Diagnostic) {
	notFree := func(detail string) *providers.Diagnostic {
		return &providers.Diagnostic{Severity: providers.Error, Attribute: c.path, Detail: detail,
			Summary: fmt.Sprintf("host port %d/%s on %s is not free", c.port.HostPort, c.port.Protocol, c.port.HostIP)}
	}
	if u.Replace && u.CreateBeforeDestroy && holds(u.held, c.port) {
		return nil, notFree("create_before_destroy keeps the object being replaced, which publishes this port, until the new one runs, so both cannot have it; " +
			"choose another host port, or remove create_before_destroy so that the old object goes first")
	}
	owners := []string{u.id}
	if u.Replace && u.CreateBeforeDestroy {
		owners = nil
	}
	var waits []providers.Wait
	for _, o := range uses {
		if o == u {
			continue
		}
		if q, ok := claimOf(o.wants, c.port); ok {
			return nil, notFree(fmt.Sprintf("%s publishes it too (%s); give each a port of its own",
				o.Addr, providers.FormatPath(q.path)))
		}
		if holds(o.held, c.port) {
			waits = append(waits, providers.Wait{Addr: u.Addr, For: o.Addr})
			owners = append(owners, o.id)
		}
	}
	err := network.CheckPort(c.port, owners...)
	if errors.Is(err, network.ErrPortInUse) || errors.Is(err, network.ErrInvalid) {
		return nil, notFree(err.Error() + "; choose another host port, or stop what holds it")
	}
	return waits, nil
}

// portUseOf reads the host ports of a container or deployment change
// on this machine, or nil for any other change.
func portUseOf(c providers.PlannedChange) *portUse {
	path := cty.GetAttrPath("port")
	ports := func(v cty.Value) cty.Value { return attr(v, "port") }
	switch c.TypeName {
	case schemas.TypeContainer:
	case schemas.TypeDeployment:
		path = cty.GetAttrPath("template").GetAttr("port")
		ports = func(v cty.Value) cty.Value { return attr(attr(v, "template"), "port") }
	default:
		return nil
	}
	u := &portUse{PlannedChange: c}
	u.id, _ = knownString(attr(c.Prior, "id"))
	if publishesHere(c.TypeName, c.Prior) {
		for _, p := range elements(ports(c.Prior)) {
			if port, err := portOf(p); err == nil && port.HostPort != 0 {
				u.held = append(u.held, port)
			}
		}
	}
	if publishesHere(c.TypeName, c.Planned) {
		for i, p := range elements(ports(c.Planned)) {
			if _, known := knownNumber(attr(p, "host")); !known {
				continue // chosen at apply
			}
			if port, err := portOf(p); err == nil && port.HostPort != 0 {
				u.wants = append(u.wants, portClaim{port, path.Copy().IndexInt(i).GetAttr("host")})
			}
		}
	}
	return u
}

// publishesHere reports whether object v (of a container or deployment)
// publishes its ports on this machine's bridge networks.
func publishesHere(typ string, v cty.Value) bool {
	if v == cty.NilVal || v.IsNull() || !v.IsKnown() {
		return false
	}
	if typ == schemas.TypeDeployment {
		return networkMode(attr(v, "template")) == modeBridge
	}
	node, _ := knownString(attr(v, "node"))
	return node == "" && networkMode(v) == modeBridge
}

// holds reports whether one of ports clashes with p.
func holds(ports []network.Port, p network.Port) bool {
	for _, q := range ports {
		if q.Clashes(p) {
			return true
		}
	}
	return false
}

// claimOf finds the claim among claims that clashes with p.
func claimOf(claims []portClaim, p network.Port) (portClaim, bool) {
	for _, c := range claims {
		if c.port.Clashes(p) {
			return c, true
		}
	}
	return portClaim{}, false
}

// waitCycles refuses changes that wait for each other in a circle (two
// objects updated in place swapping host ports): none could go first.
// A wait for a deletion, or for a replacement whose old object goes
// first, never closes a circle: that old object goes before anything.
func waitCycles(waits []providers.Wait, uses []*portUse) []providers.ChangeDiagnostic {
	goesFirst := map[string]bool{}
	for _, u := range uses {
		goesFirst[u.Addr] = u.Planned.IsNull() || u.Replace && !u.CreateBeforeDestroy
	}
	next := map[string][]string{}
	for _, w := range waits {
		if !goesFirst[w.For] {
			next[w.Addr] = append(next[w.Addr], w.For)
		}
	}
	var out []providers.ChangeDiagnostic
	for _, start := range sortedKeys(next) {
		if cycle := findCycle(next, start); cycle != nil {
			out = append(out, providers.ChangeDiagnostic{Addr: start, Diagnostic: providers.Diagnostic{
				Severity: providers.Error,
				Summary:  "host ports change hands in a circle: " + strings.Join(cycle, " -> "),
				Detail:   "each takes a port that the next gives up, and none can give its port up first; move one of them to a free host port in a plan of its own first",
			}})
		}
	}
	return out
}

// findCycle returns a path of waits from start back to start, or nil.
func findCycle(next map[string][]string, start string) []string {
	seen := map[string]bool{}
	var walk func(at string, path []string) []string
	walk = func(at string, path []string) []string {
		for _, n := range next[at] {
			if n == start {
				return append(path, n)
			}
			if !seen[n] {
				seen[n] = true
				if c := walk(n, append(path, n)); c != nil {
					return c
				}
			}
		}
		return nil
	}
	return walk(start, []string{start})
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
