package views

import (
	"encoding/json"
	"io"

	"github.com/berthhq/berth/providers/native/runtime"
	"github.com/berthhq/berth/state"
)

// InspectContainer is one container in berth inspect's output.
type InspectContainer struct {
	Address string `json:"address"` // "-" outside the state
	ID      string `json:"id"`
	Name    string `json:"name"`
	Node    string `json:"node,omitempty"`
	// Missing: the state records the container, the runtime does not
	// have it (removed behind berth's back).
	Missing bool `json:"missing,omitempty"`
	// Runtime is the runtime's record: state, pid, times, exit code,
	// restarts, health and its log, labels and the full spec (mounts,
	// resources, process).
	Runtime *runtime.Status `json:"runtime,omitempty"`
	// Mounts are the container's own mounts (Runtime.Spec.Mounts), here
	// for convenience.
	Mounts []runtime.Mount `json:"mounts"`
	// IPAddresses are a container's addresses by network; IP a
	// replica's (from the state). Ports are its published ports.
	IPAddresses map[string]string `json:"ip_addresses,omitempty"`
	IP          string            `json:"ip,omitempty"`
	Ports       []string          `json:"ports"`
	// Logs are its log files, oldest first.
	Logs []string `json:"log_paths,omitempty"`
}

// InspectDoc is berth inspect's output for one address.
type InspectDoc struct {
	Address string `json:"address"`
	// Resource is the state record as berth show -json prints it
	// (values, sensitive_values, ...) with the record's own fields; nil
	// for a container outside the state.
	Resource   map[string]any     `json:"resource,omitempty"`
	Containers []InspectContainer `json:"containers"`
}

// InspectResource is the state record r as berth show -json prints it,
// plus what the state keeps beside the values.
func InspectResource(r *state.Resource, lookup SchemaLookup) (map[string]any, error) {
	doc, err := resourceJSON(r, lookup)
	if err != nil {
		return nil, err
	}
	deps := r.Dependencies
	if deps == nil {
		deps = []string{}
	}
	doc["dependencies"] = deps
	doc["tainted"] = r.Tainted
	doc["create_before_destroy"] = r.CreateBeforeDestroy
	return doc, nil
}

// WriteInspect prints doc as indented JSON.
func WriteInspect(w io.Writer, doc InspectDoc) error {
	if doc.Containers == nil {
		doc.Containers = []InspectContainer{}
	}
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	return enc.Encode(doc)
}
