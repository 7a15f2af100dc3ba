package views

import (
	"io"
	"time"

	"github.com/berthhq/berth/planner"
	"github.com/berthhq/berth/schemas"
)

// PlanFormatVersion is the format_version of the plan JSON document.
const PlanFormatVersion = "1.0"

// WritePlanJSON writes p as the plan JSON document described by
// schemas.PlanJSONSchema, on one line.
func WritePlanJSON(w io.Writer, p *planner.Plan, berthVersion string) error {
	return writeJSON(w, PlanJSON(p, berthVersion))
}

// PlanJSON builds the plan JSON document as Go values.
func PlanJSON(p *planner.Plan, berthVersion string) map[string]any {
	vars := map[string]any{}
	for name, v := range p.Variables {
		vars[name] = map[string]any{"value": jsonValue(v)}
	}
	outputs := map[string]any{}
	for _, o := range p.Outputs {
		outputs[o.Name] = outputChangeJSON(o)
	}
	drift := []any{}
	for _, c := range p.Drift {
		drift = append(drift, resourceChangeJSON(c))
	}
	changes := []any{}
	for _, c := range p.Changes {
		changes = append(changes, resourceChangeJSON(c))
	}
	ts := p.Timestamp
	if ts.IsZero() {
		ts = time.Now()
	}
	return map[string]any{
		"format_version":   PlanFormatVersion,
		"berth_version":    berthVersion,
		"variables":        vars,
		"resource_drift":   drift,
		"resource_changes": changes,
		"output_changes":   outputs,
		"errored":          p.Errored,
		"timestamp":        ts.UTC().Format(time.RFC3339),
	}
}

func resourceChangeJSON(c *planner.ResourceChange) map[string]any {
	var block *schemas.Block
	if c.Schema != nil {
		block = &c.Schema.Block
	}
	sens := sensitiveLeaf(block, c.SensitivePaths)
	change := map[string]any{
		"actions":          c.Action.JSONActions(),
		"before":           jsonValue(c.Before),
		"after":            jsonValue(c.After),
		"after_unknown":    mask(c.After, nil, unknownLeaf),
		"before_sensitive": mask(c.Before, nil, sens),
		"after_sensitive":  mask(c.After, nil, sens),
	}
	if len(c.ReplacePaths) > 0 {
		paths := []any{}
		for _, p := range c.ReplacePaths {
			if jp := jsonPath(p); len(jp) > 0 {
				paths = append(paths, jp)
			}
		}
		change["replace_paths"] = paths
	}
	out := map[string]any{
		"address":       c.Addr.String(),
		"type":          c.Addr.Type,
		"name":          c.Addr.Name,
		"provider_name": providerName(c.Provider),
		"change":        change,
	}
	if !c.Addr.Module.IsRoot() {
		out["module_address"] = c.Addr.Module.String()
	}
	if k := c.Addr.Key.Value(); k != nil {
		out["index"] = k
	}
	if c.Node != "" {
		out["node"] = c.Node
	}
	if r := c.Reason.String(); r != "" {
		out["action_reason"] = r
	}
	return out
}

func providerName(name string) string {
	if name == "" {
		return "berth"
	}
	return name
}

func outputChangeJSON(o *planner.OutputChange) map[string]any {
	after := normal(o.After)
	return map[string]any{
		"actions":          o.Action.JSONActions(),
		"before":           jsonValue(o.Before),
		"after":            jsonValue(o.After),
		"after_unknown":    !after.IsWhollyKnown(),
		"before_sensitive": o.Sensitive && !isNull(o.Before),
		"after_sensitive":  o.Sensitive && !isNull(o.After),
	}
}
