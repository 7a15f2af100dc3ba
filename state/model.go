package state

import (
	"encoding/json"

	"github.com/berthhq/berth/schemas/addrs"
)

// CurrentVersion is the state file format version this berth writes.
const CurrentVersion = 1

// State is the recorded world: every resource instance berth manages, with
// the attributes it had after the last change, and the root outputs.
// Resources are kept sorted by address.
type State struct {
	// Version is the file format version the state was read from; New and
	// Store.Write set CurrentVersion. Encode always writes CurrentVersion.
	Version int
	// Serial counts the writes of this state; Store.Write sets the next one.
	Serial uint64
	// Lineage identifies the state across its history (a UUID from New).
	Lineage string
	// BerthVersion is the berth that last wrote the state.
	BerthVersion string
	Resources    []*Resource
	Outputs      map[string]*Output
}

// Resource is one recorded resource instance.
type Resource struct {
	Addr     addrs.Instance
	Provider string // provider name, e.g. "berth"
	Node     string // "" for this machine
	// SchemaVersion is the resource schema version the attributes follow.
	SchemaVersion int
	// Attributes is a JSON object conforming to the resource schema's
	// implied type. Decode with Value; set with SetValue.
	Attributes json.RawMessage
	// SensitivePaths lists attribute paths (as FormatPath renders them)
	// whose values must never print, beyond what the schema marks.
	SensitivePaths []string
	Private        []byte
	Dependencies   []string // instance or resource addresses, sorted
	// CreateBeforeDestroy records the lifecycle setting at last apply, so
	// that a resource removed from configuration is replaced the same way.
	CreateBeforeDestroy bool
	// Tainted marks an instance whose create failed part way: the next
	// plan replaces it.
	Tainted bool
}

// Output is one root module output value.
type Output struct {
	Value     json.RawMessage // JSON of the value
	Type      json.RawMessage // cty type JSON (ctyjson.MarshalType)
	Sensitive bool
}
