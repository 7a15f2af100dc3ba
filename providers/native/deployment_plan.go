package native

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/berthhq/berth/providers"
	"github.com/berthhq/berth/providers/native/deploy"
	"github.com/zclconf/go-cty/cty"
)

// planDeployment fills in what a deployment change will do, on top of
// the generic plan (planned): on create revision 1; on a template change
// the next revision, rolled out replica by replica; on a change of the
// replica count, or replicas found dead, missing, unhealthy or still at
// an older revision, the planned replicas_status entry of each ordinal
// (kept ones unchanged, new ones with what only apply can know
// unknown). The rollout attribute says what will happen in words.
// Scaling is always an in-place update, never a replacement.
func planDeployment(prior, planned cty.Value, private []byte) (cty.Value, providers.Diagnostics) {
	if planned.IsNull() || !planned.IsKnown() {
		return planned, nil
	}
	diags := checkDeployment(planned)
	hist, err := DecodeHistory(private)
	if err != nil {
		diags = diags.FromError(err)
	}
	if diags.HasErrors() {
		return planned, diags
	}
	n, nKnown := knownInt(attr(planned, "replicas"))
	tmpl := attr(planned, "template")
	set := map[string]cty.Value{}
	unknown := func(names ...string) {
		for _, name := range names {
			set[name] = cty.UnknownVal(planned.Type().AttributeType(name))
		}
	}
	switch {
	case prior.IsNull():
		set["revision"] = cty.NumberIntVal(1)
		set["rollout"] = cty.StringVal(fmt.Sprintf("create %d replica(s) of revision 1", n))
		if !nKnown {
			unknown("rollout")
		}
	case !tmpl.IsWhollyKnown():
		unknown("revision", "replicas_status", "addresses", "rollout")
	case !tmpl.RawEquals(attr(prior, "template")):
		next := hist.Next(intOf(attr(prior, "revision")))
		set["revision"] = cty.NumberIntVal(int64(next))
		unknown("replicas_status", "addresses")
		set["rollout"] = cty.StringVal(rollingNote(planned, next, n) + hist.sameAs(tmpl))
	case !nKnown:
		unknown("replicas_status", "addresses", "rollout")
	default:
		name, _ := knownString(attr(planned, "name"))
		list, notes := planReplicas(attr(prior, "replicas_status"), n, intOf(attr(prior, "revision")), name)
		if list.RawEquals(attr(prior, "replicas_status")) {
			return planned, nil
		}
		set["replicas_status"] = list
		unknown("addresses")
		prefix := ""
		if was := intOf(attr(prior, "replicas")); was != n {
			prefix = fmt.Sprintf("scale %d -> %d: ", was, n)
		}
		set["rollout"] = cty.StringVal(prefix + strings.Join(notes, "; "))
	}
	return withAttrs(planned, set), nil
}

// checkDeployment refuses an update strategy that cannot work. (Host
// ports are checked by CheckPlan; placement on nodes is refused by
// ValidateResource, which runs at validate and before every plan.)
func checkDeployment(planned cty.Value) providers.Diagnostics {
	var diags providers.Diagnostics
	if _, err := strategyOf(planned); err != nil {
		diags = diags.AttributeError(cty.GetAttrPath("update"), err.Error(), "")
	}
	return diags
}

// strategy is a deployment's rollout settings.
type strategy struct {
	deploy.Target
	autoRollback bool
}

// strategyOf reads replicas and the update block (all defaults when it
// is absent).
func strategyOf(v cty.Value) (strategy, error) {
	var s strategy
	s.Replicas = intOf(attr(v, "replicas"))
	u := attr(v, "update")
	surge, _ := knownString(attr(u, "max_surge"))
	unavailable, _ := knownString(attr(u, "max_unavailable"))
	b, err := deploy.ResolveBudget(s.Replicas, surge, unavailable)
	if err != nil {
		return s, err
	}
	s.Budget = b
	if s.MinReady, err = durationAttr(u, "min_ready"); err != nil {
		return s, err
	}
	if s.Deadline, err = durationAttr(u, "progress_deadline"); err != nil {
		return s, err
	}
	if s.Deadline == 0 {
		s.Deadline = 10 * time.Minute
	}
	s.autoRollback, _ = knownBool(attr(u, "auto_rollback"))
	return s, nil
}

// rollingNote describes the rolling update to revision of n replicas.
func rollingNote(planned cty.Value, revision, n int) string {
	s, err := strategyOf(planned)
	if err != nil {
		return fmt.Sprintf("rolling update to revision %d", revision)
	}
	return fmt.Sprintf("rolling update to revision %d of %d replica(s): max_surge %d, max_unavailable %d, min_ready %s, progress_deadline %s, auto_rollback %t",
		revision, n, s.Budget.Surge, s.Budget.Unavailable, shortDuration(s.MinReady), shortDuration(s.Deadline), s.autoRollback)
}

// shortDuration prints 10m rather than 10m0s.
func shortDuration(d time.Duration) string {
	s := d.String()
	if strings.HasSuffix(s, "m0s") {
		s = strings.TrimSuffix(s, "0s")
	}
	if strings.HasSuffix(s, "h0m") {
		s = strings.TrimSuffix(s, "0m")
	}
	return s
}

func knownInt(v cty.Value) (int, bool) {
	if _, ok := knownNumber(v); !ok {
		return 0, false
	}
	return intOf(v), true
}

// planReplicas plans replicas_status for n replicas of revision rev from
// the recorded entries, and says in words what changes.
func planReplicas(prior cty.Value, n, rev int, name string) (cty.Value, []string) {
	byOrdinal := map[int][]cty.Value{}
	maxOrdinal := -1
	for _, e := range elements(prior) {
		k := intOf(attr(e, "ordinal"))
		byOrdinal[k] = append(byOrdinal[k], e)
		maxOrdinal = max(maxOrdinal, k)
	}
	label := func(k int) string { return name + "#" + strconv.Itoa(k) }
	var out []cty.Value
	var notes []string
	for k := 0; k < n; k++ {
		entries := byOrdinal[k]
		keep, stopped := pickReplica(entries, rev)
		switch {
		case keep.IsKnown() && !keep.IsNull():
			out = append(out, keep)
			if len(entries) > 1 {
				notes = append(notes, "remove the older replica of "+label(k))
			}
		case !stopped.IsNull():
			out = append(out, withAttrs(stopped, map[string]cty.Value{
				"status": cty.StringVal("running"), "health": cty.UnknownVal(cty.String), "ip": cty.UnknownVal(cty.String)}))
			notes = append(notes, fmt.Sprintf("start %s (%s)", label(k), attrString(stopped, "status")))
		case len(entries) == 0:
			out = append(out, newReplicaEntry(k, rev))
			notes = append(notes, "add "+label(k))
		default:
			out = append(out, newReplicaEntry(k, rev))
			notes = append(notes, fmt.Sprintf("replace %s (%s)", label(k), whyReplace(entries, rev)))
		}
	}
	for k := n; k <= maxOrdinal; k++ {
		if len(byOrdinal[k]) > 0 {
			notes = append(notes, "remove "+label(k))
		}
	}
	if len(out) == 0 {
		return cty.ListValEmpty(replicaStatusType()), notes
	}
	return cty.ListVal(out), notes
}

// pickReplica finds, among an ordinal's entries, one of revision rev
// that runs and is not unhealthy (kept as it is), or else one that is
// stopped (started again in place); cty.NilVal-free nulls otherwise.
func pickReplica(entries []cty.Value, rev int) (keep, stopped cty.Value) {
	keep, stopped = cty.NullVal(replicaStatusType()), cty.NullVal(replicaStatusType())
	for _, e := range entries {
		if intOf(attr(e, "revision")) != rev {
			continue
		}
		switch status := attrString(e, "status"); {
		case (status == "running" || status == "restarting") && attrString(e, "health") != "unhealthy":
			if keep.IsNull() {
				keep = e
			}
		case status == "exited" || status == "dead" || status == "created":
			stopped = e
		}
	}
	return keep, stopped
}

// whyReplace says why an ordinal's replica is replaced.
func whyReplace(entries []cty.Value, rev int) string {
	e := entries[len(entries)-1]
	if r := intOf(attr(e, "revision")); r != rev {
		return fmt.Sprintf("revision %d", r)
	}
	if h := attrString(e, "health"); h == "unhealthy" {
		return h
	}
	return attrString(e, "status")
}

func attrString(v cty.Value, name string) string {
	s, _ := knownString(attr(v, name))
	return s
}

// newReplicaEntry is the planned entry of a replica to be created.
func newReplicaEntry(ordinal, rev int) cty.Value {
	return cty.ObjectVal(map[string]cty.Value{
		"ordinal": cty.NumberIntVal(int64(ordinal)), "revision": cty.NumberIntVal(int64(rev)),
		"node": cty.StringVal(""), "status": cty.StringVal("running"),
		"id": cty.UnknownVal(cty.String), "name": cty.UnknownVal(cty.String),
		"health": cty.UnknownVal(cty.String), "ip": cty.UnknownVal(cty.String),
	})
}
