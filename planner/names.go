package planner

import (
	"fmt"
	"sort"

	"github.com/berthhq/berth/schemas"
	"github.com/berthhq/berth/schemas/addrs"
	"github.com/berthhq/berth/spec"
	"github.com/hashicorp/hcl/v2"
	"github.com/zclconf/go-cty/cty"
)

// nameClaim is one runtime name an instance's configuration takes, with
// where the configuration says so.
type nameClaim struct {
	schemas.NameClaim
	addr addrs.Instance
	rng  hcl.Range // the name attribute, or the block header for a default name
}

// claimNames records the runtime names an instance takes, for
// checkNames. Only the built-in types have runtime names.
func (r *run) claimNames(rc *spec.Resource, addr addrs.Instance, config cty.Value) {
	if _, builtin := schemas.Builtin()[addr.Type]; !builtin {
		return
	}
	claims := schemas.RuntimeNames(addr.Type, config)
	if len(claims) == 0 {
		return
	}
	rng := rc.DeclRange
	if nr, ok := spec.RangeOfPath(rc.Body, &rc.Schema.Block, cty.GetAttrPath("name")); ok {
		rng = nr
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	for _, c := range claims {
		r.names = append(r.names, nameClaim{NameClaim: c, addr: addr, rng: rng})
	}
}

// checkNames reports every runtime name that two instances of the
// configuration take: names are unique per kind on a runtime, and the
// second create would fail, or worse, two would run under one name.
func (r *run) checkNames() hcl.Diagnostics {
	claims := append([]nameClaim(nil), r.names...)
	sort.SliceStable(claims, func(i, j int) bool { return claimBefore(claims[i], claims[j]) })
	first := map[[2]string]nameClaim{}
	var diags hcl.Diagnostics
	for _, c := range claims {
		key := [2]string{c.Kind, c.Name}
		prev, dup := first[key]
		if !dup {
			first[key] = c
			continue
		}
		if prev.addr.String() == c.addr.String() {
			continue
		}
		diags = append(diags, &hcl.Diagnostic{
			Severity: hcl.DiagError,
			Summary:  fmt.Sprintf("Duplicate %s name %q", c.Kind, c.Name),
			Detail: fmt.Sprintf("%s%s and %s%s (at %s) both take the %s name %q; names are unique per kind on a runtime. Give one of them another name.",
				c.addr, describeClaim(c), prev.addr, describeClaim(prev), startOf(prev.rng), c.Kind, c.Name),
			Subject: c.rng.Ptr(),
		})
	}
	return diags
}

// describeClaim says how an instance takes a name other than its own.
func describeClaim(c nameClaim) string {
	if c.Via != "" {
		return " (as " + c.Via + ")"
	}
	return ""
}

// startOf is a range's start as file:line:col.
func startOf(rng hcl.Range) string {
	return fmt.Sprintf("%s:%d:%d", rng.Filename, rng.Start.Line, rng.Start.Column)
}

// claimBefore orders claims by source position, then address, so that
// the later of two blocks is the one reported.
func claimBefore(a, b nameClaim) bool {
	if a.rng.Filename != b.rng.Filename {
		return a.rng.Filename < b.rng.Filename
	}
	if a.rng.Start.Byte != b.rng.Start.Byte {
		return a.rng.Start.Byte < b.rng.Start.Byte
	}
	return a.addr.Less(b.addr)
}
