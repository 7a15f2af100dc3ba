// Package state owns berth's record of the world it manages: the State
// model (every resource instance with its attributes, and the root
// outputs), the state file format with its versions and upgrades, and the
// Store that reads and writes the file with a lock, a lineage check, a
// growing serial, a backup and atomic writes.
//
// # Model
//
// A State is created by New (fresh lineage, serial 0) or read by
// Store.Read. Resources are kept sorted by address; Set, Remove, Resource,
// ResourcesIn and Move edit and query them. Attributes are cty values
// stored as JSON (Resource.Value, Resource.SetValue).
//
// # File format
//
// The file is JSON, 2-space indented, keys in a fixed order, ending in a
// newline:
//
//	{
//	  "version": 1,
//	  "serial": 3,
//	  "lineage": "<uuid>",
//	  "berth_version": "0.1.0",
//	  "resources": [ {"address": "module.a.container.web[0]", "module": "module.a",
//	    "type": "container", "name": "web", "index": 0, "provider": "berth",
//	    "node": "n1", "schema_version": 0, "attributes": {...},
//	    "sensitive_paths": [], "private": "<base64>", "dependencies": [],
//	    "create_before_destroy": false, "tainted": false} ],
//	  "outputs": { "name": {"value": ..., "type": <cty type JSON>, "sensitive": false} }
//	}
//
// "module" is omitted for the root module, "index" for a resource without
// count or for_each (else a number or a string), "node" for this machine,
// "private" when empty. The JSON Schema is schemas/state.schema.json
// (schemas.StateJSONSchema).
//
// # Versions and the upgrade chain
//
// The file's "version" selects a reader in the readers table (format.go).
// Each version lives in its own file: version1.go holds version 1's file
// types, readV1 and writeV1. Only the current version has a writer; berth
// never writes an older format, and refuses to read (or overwrite) a file
// from a newer berth.
//
// To introduce version 2:
//
//  1. add version2.go with the new file types, readV2 and writeV2, and make
//     Encode call writeV2; raise CurrentVersion to 2;
//  2. add version1_upgrade.go with upgradeV1(*fileV1) (*fileV2, error),
//     turning a decoded version 1 file into a version 2 one;
//  3. change readV1 to decode fileV1, upgrade it and hand the result to
//     the same conversion readV2 uses, and delete writeV1;
//  4. register 2: readV2 in readers, and add round-trip pairs for both
//     versions under testdata/roundtrip (a v1 input whose output is v2).
//
// Each later version adds one upgrade step, so a version N file climbs
// upgradeVN, upgradeVN+1, ... to the current version.
//
// # Store
//
// Store.Write replaces the file atomically (temp file, fsync, rename,
// directory fsync) after keeping the old file as <state>.backup, gives the
// state the next serial, and refuses a state of another lineage. Store.Lock
// takes an exclusive flock(2) on <state>.lock for a whole operation and
// records the holder in <state>.lock.info; the kernel drops a flock when
// its process dies, so a stale lock info never blocks anyone.
// Store.ForceUnlock removes both files when the operator says the holder is
// gone.
package state
