package native

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"time"

	"github.com/berthhq/berth/providers"
	"github.com/berthhq/berth/schemas"
	"github.com/zclconf/go-cty/cty"
)

// A named volume is a directory under the runtime root:
// volumes/NAME/_data holds the data, volumes/NAME/volume.json the record.

// volumeNameChars with a length check of its own: a bounded repetition
// ({0,127}) would compile into a large program at every start.
var volumeNameChars = regexp.MustCompile(`^[a-zA-Z0-9][a-zA-Z0-9_.-]*$`)

func validVolumeName(name string) bool { return len(name) <= 128 && volumeNameChars.MatchString(name) }

type volumeRecord struct {
	Name    string            `json:"name"`
	Labels  map[string]string `json:"labels,omitempty"`
	Created time.Time         `json:"created"`
}

// VolumeDir is the host directory holding a volume's data.
func (e *Engine) VolumeDir(name string) string { return filepath.Join(e.Volumes, name, "_data") }

// EnsureVolume creates a named volume if it does not exist yet, and
// returns its data directory.
func (e *Engine) EnsureVolume(name string, labels map[string]string) (string, error) {
	if !validVolumeName(name) {
		return "", fmt.Errorf("volume name %q: use letters, digits, '_', '.' and '-', starting with a letter or digit", name)
	}
	dir := filepath.Join(e.Volumes, name)
	data := filepath.Join(dir, "_data")
	if _, err := os.Stat(data); err == nil {
		return data, nil
	}
	if err := os.MkdirAll(data, 0o755); err != nil {
		return "", fmt.Errorf("create volume %s: %w", name, err)
	}
	rec, _ := json.Marshal(volumeRecord{Name: name, Labels: labels, Created: time.Now().UTC()})
	tmp := filepath.Join(dir, ".volume.json.tmp")
	if err := os.WriteFile(tmp, rec, 0o644); err != nil {
		return "", err
	}
	return data, os.Rename(tmp, filepath.Join(dir, "volume.json"))
}

func applyVolume(e *Engine, req providers.ApplyResourceChangeRequest) providers.ApplyResourceChangeResponse {
	var diags providers.Diagnostics
	if req.Planned.IsNull() {
		name, _ := knownString(attr(req.Prior, "name"))
		if validVolumeName(name) {
			if err := os.RemoveAll(filepath.Join(e.Volumes, name)); err != nil {
				return providers.ApplyResourceChangeResponse{New: req.Prior, Diagnostics: diags.FromError(err)}
			}
		}
		return providers.ApplyResourceChangeResponse{New: req.Planned}
	}
	name, _ := knownString(attr(req.Planned, "name"))
	data, err := e.EnsureVolume(name, stringMap(attr(req.Planned, "labels")))
	if err != nil {
		return providers.ApplyResourceChangeResponse{New: req.Prior, Diagnostics: diags.AttributeError(cty.GetAttrPath("name"), "cannot create the volume", err.Error())}
	}
	return providers.ApplyResourceChangeResponse{New: withAttrs(req.Planned, map[string]cty.Value{
		"id": cty.StringVal(name), "path": cty.StringVal(data),
	})}
}

func readVolume(e *Engine, req providers.ReadResourceRequest) providers.ReadResourceResponse {
	name, _ := knownString(attr(req.Prior, "name"))
	if _, err := os.Stat(e.VolumeDir(name)); errors.Is(err, fs.ErrNotExist) {
		return providers.ReadResourceResponse{New: cty.NullVal(req.Prior.Type())}
	}
	return providers.ReadResourceResponse{New: req.Prior, Private: req.Private}
}

func importVolume(e *Engine, req providers.ImportResourceRequest) providers.ImportResourceResponse {
	var diags providers.Diagnostics
	if !validVolumeName(req.ID) {
		return providers.ImportResourceResponse{Diagnostics: diags.Errorf("%q is not a volume name", req.ID)}
	}
	data := e.VolumeDir(req.ID)
	if _, err := os.Stat(data); err != nil {
		return providers.ImportResourceResponse{Diagnostics: diags.Errorf("no volume %q under %s", req.ID, e.Volumes)}
	}
	ty := schemas.Builtin()[schemas.TypeVolume].Block.ImpliedType()
	attrs := map[string]cty.Value{}
	for name, at := range ty.AttributeTypes() {
		attrs[name] = cty.NullVal(at)
	}
	attrs["name"], attrs["id"], attrs["path"] = cty.StringVal(req.ID), cty.StringVal(req.ID), cty.StringVal(data)
	return providers.ImportResourceResponse{Imported: cty.ObjectVal(attrs)}
}

// stringMap reads a known map(string) value; null gives nil.
func stringMap(v cty.Value) map[string]string {
	if v.IsNull() || !v.IsKnown() {
		return nil
	}
	out := map[string]string{}
	for it := v.ElementIterator(); it.Next(); {
		k, e := it.Element()
		if s, ok := knownString(e); ok {
			out[k.AsString()] = s
		}
	}
	return out
}
