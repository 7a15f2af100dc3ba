package network

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/netip"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/berthhq/berth/internal/fsatomic"
)

// recordVersion is the version of the record files' format.
const recordVersion = 1

// member is one container on a network, as its record keeps it.
type member struct {
	Name     string     `json:"name"`
	Hostname string     `json:"hostname,omitempty"`
	Aliases  []string   `json:"aliases,omitempty"`
	Groups   []string   `json:"groups,omitempty"`
	IP       netip.Addr `json:"ip"`
	MAC      string     `json:"mac"`
	Veth     string     `json:"veth"`
}

// netRecord is <root>/networks/<name>.json.
type netRecord struct {
	Version int `json:"version"`
	Network
	Default bool               `json:"default,omitempty"`
	Last    netip.Addr         `json:"last,omitzero"` // last address handed out
	Members map[string]*member `json:"members"`       // by container ID
}

// endpointRecord is <root>/networks/endpoints/<container id>.json.
type endpointRecord struct {
	Version int `json:"version"`
	Endpoint
}

// store reads and writes the records under <root>/networks. The caller
// holds the root lock around every read-modify-write.
type store struct {
	dir string
}

func (s store) netPath(name string) string { return filepath.Join(s.dir, name+".json") }
func (s store) epPath(id string) string    { return filepath.Join(s.dir, "endpoints", id+".json") }
func (s store) lockPath() string           { return filepath.Join(s.dir, "lock") }

func (s store) readNet(name string) (*netRecord, error) {
	if !ValidName(name) {
		return nil, fmt.Errorf("%w: %q", ErrNotFound, name)
	}
	var rec netRecord
	if err := readJSON(s.netPath(name), &rec); err != nil {
		if errors.Is(err, os.ErrNotExist) {
			return nil, fmt.Errorf("%w: %s", ErrNotFound, name)
		}
		return nil, err
	}
	if rec.Members == nil {
		rec.Members = map[string]*member{}
	}
	return &rec, nil
}

func (s store) writeNet(rec *netRecord) error {
	rec.Version = recordVersion
	return writeJSON(s.netPath(rec.Name), rec)
}

func (s store) removeNet(name string) error {
	err := os.Remove(s.netPath(name))
	if errors.Is(err, os.ErrNotExist) {
		return nil
	}
	return err
}

// listNets reads every network record, sorted by name.
func (s store) listNets() ([]*netRecord, error) {
	entries, err := os.ReadDir(s.dir)
	if err != nil && !errors.Is(err, os.ErrNotExist) {
		return nil, err
	}
	var out []*netRecord
	for _, e := range entries {
		name, ok := strings.CutSuffix(e.Name(), ".json")
		if !ok || e.IsDir() || !ValidName(name) {
			continue
		}
		rec, err := s.readNet(name)
		if errors.Is(err, ErrNotFound) {
			continue
		}
		if err != nil {
			return nil, err
		}
		out = append(out, rec)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out, nil
}

func (s store) readEndpoint(id string) (*Endpoint, error) {
	var rec endpointRecord
	if err := readJSON(s.epPath(id), &rec); err != nil {
		return nil, err
	}
	return &rec.Endpoint, nil
}

// listEndpoints reads every endpoint record, sorted by container ID; a
// record removed while listing is left out.
func (s store) listEndpoints() ([]*Endpoint, error) {
	entries, err := os.ReadDir(filepath.Join(s.dir, "endpoints"))
	if err != nil && !errors.Is(err, os.ErrNotExist) {
		return nil, err
	}
	var out []*Endpoint
	for _, e := range entries {
		id, ok := strings.CutSuffix(e.Name(), ".json")
		if !ok || e.IsDir() || !validContainerID.MatchString(id) {
			continue
		}
		ep, err := s.readEndpoint(id)
		if errors.Is(err, os.ErrNotExist) {
			continue
		}
		if err != nil {
			return nil, err
		}
		out = append(out, ep)
	}
	return out, nil // ReadDir sorts by name
}

func (s store) writeEndpoint(ep *Endpoint) error {
	return writeJSON(s.epPath(ep.ContainerID), endpointRecord{Version: recordVersion, Endpoint: *ep})
}

func (s store) removeEndpoint(id string) error {
	err := os.Remove(s.epPath(id))
	if errors.Is(err, os.ErrNotExist) {
		return nil
	}
	return err
}

func readJSON(path string, v any) error {
	data, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	if err := json.Unmarshal(data, v); err != nil {
		return fmt.Errorf("read %s: %w", path, err)
	}
	return nil
}

// writeJSON replaces path atomically: a temp file in the same directory,
// written and renamed over it. Not synced: these records describe
// kernel state (namespaces, veths, rules) that a crash of the machine
// loses anyway, and they change under a lock on every container create,
// where a sync would cost more than the rest of the networking.
func writeJSON(path string, v any) error {
	data, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		return err
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return err
	}
	if err := fsatomic.WriteFile(path, append(data, '\n'), 0o600, ".tmp-*", fsatomic.NoSync); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	return nil
}
