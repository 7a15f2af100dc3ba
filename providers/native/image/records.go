package image

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"

	v1 "github.com/google/go-containerregistry/pkg/v1"
)

const recordVersion = 1

// record is images/<config-hex>.json.
type record struct {
	Version int   `json:"version"`
	Image   Image `json:"image"`
	// Manifest is for reading; encoding/json re-encodes it, so the exact
	// bytes (the ones Image.Digest names) are in blobs/.
	Manifest json.RawMessage `json:"manifest,omitempty"`
	// Source is the registry repository the image was pulled from, or
	// oci-layout:PATH for a layout: where Push reads the layer blobs the
	// store does not keep.
	Source string `json:"source,omitempty"`
}

func (s *Store) readRecord(path string) (*record, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var rec record
	if err := json.Unmarshal(data, &rec); err != nil {
		return nil, fmt.Errorf("image record %s: %w", path, err)
	}
	if rec.Version != recordVersion {
		return nil, fmt.Errorf("image record %s: version %d, want %d", path, rec.Version, recordVersion)
	}
	return &rec, nil
}

func (s *Store) writeRecord(rec *record) error {
	hex, err := hexOf(rec.Image.ID)
	if err != nil {
		return err
	}
	rec.Version = recordVersion
	return writeJSONAtomic(s.recordPath(hex), rec)
}

// records reads every image record. A record removed while listing is
// skipped.
func (s *Store) records() ([]*record, error) {
	entries, err := os.ReadDir(filepath.Join(s.root, imagesDir))
	if err != nil {
		return nil, err
	}
	var out []*record
	for _, e := range entries {
		n := e.Name()
		if strings.HasPrefix(n, ".") || !strings.HasSuffix(n, ".json") {
			continue
		}
		rec, err := s.readRecord(filepath.Join(s.root, imagesDir, n))
		if errors.Is(err, os.ErrNotExist) {
			continue
		}
		if err != nil {
			return nil, err
		}
		out = append(out, rec)
	}
	return out, nil
}

// List returns every image in the store, newest first.
func (s *Store) List() ([]*Image, error) {
	recs, err := s.records()
	if err != nil {
		return nil, err
	}
	out := make([]*Image, len(recs))
	for i, r := range recs {
		out[i] = &r.Image
	}
	sort.Slice(out, func(i, j int) bool {
		if !out[i].Created.Equal(out[j].Created) {
			return out[i].Created.After(out[j].Created)
		}
		return out[i].ID < out[j].ID
	})
	return out, nil
}

// Get finds an image by ID ("sha256:…" or bare hex), unique ID prefix of
// 12 or more hex digits, manifest digest, or a ref recorded at pull
// ("alpine:3", "registry/repo@sha256:…", "oci-layout:/path:tag"). It
// never touches the network.
func (s *Store) Get(idOrRef string) (*Image, error) {
	rec, _, err := s.lookup(idOrRef)
	if err != nil {
		return nil, err
	}
	return &rec.Image, nil
}

// lookup finds the record q names; byTag says q matched a RepoTags entry.
func (s *Store) lookup(q string) (rec *record, byTag bool, err error) {
	recs, err := s.records()
	if err != nil {
		return nil, false, err
	}
	if hex := strings.TrimPrefix(q, "sha256:"); isHex(hex) && len(hex) >= 12 {
		if r, err := lookupDigest(recs, q, hex); r != nil || err != nil {
			return r, false, err
		}
	}
	src, err := s.parseSource(q)
	if err != nil {
		return nil, false, fmt.Errorf("%s: %w", q, ErrNotFound)
	}
	var matches []*record
	for _, r := range recs {
		if slices.Contains(r.Image.RepoTags, src.name) || slices.Contains(r.Image.RepoDigests, src.name) {
			matches = append(matches, r)
		}
	}
	r, err := s.pickPlatform(matches, q)
	if err != nil {
		return nil, false, err
	}
	return r, slices.Contains(r.Image.RepoTags, src.name), nil
}

func lookupDigest(recs []*record, q, hex string) (*record, error) {
	var matches []*record
	for _, r := range recs {
		id := strings.TrimPrefix(r.Image.ID, "sha256:")
		switch {
		case len(hex) == 64 && (id == hex || r.Image.Digest == "sha256:"+hex):
			return r, nil
		case strings.HasPrefix(id, hex):
			matches = append(matches, r)
		}
	}
	switch len(matches) {
	case 0:
		return nil, nil
	case 1:
		return matches[0], nil
	}
	return nil, fmt.Errorf("%s: %d images have this ID prefix: %w", q, len(matches), ErrAmbiguous)
}

// pickPlatform chooses among the images a ref names (one per platform):
// the only one, else the one for the store's default platform.
func (s *Store) pickPlatform(matches []*record, q string) (*record, error) {
	switch len(matches) {
	case 0:
		return nil, fmt.Errorf("%s: %w", q, ErrNotFound)
	case 1:
		return matches[0], nil
	}
	var plats []string
	for _, r := range matches {
		if recordPlatformMatches(r, s.platform) {
			return r, nil
		}
		plats = append(plats, r.Image.Platform)
	}
	return nil, fmt.Errorf("%s names images for %s, none for %s: %w", q, joinOrNone(plats), s.platform.String(), ErrAmbiguous)
}

func recordPlatformMatches(r *record, want v1.Platform) bool {
	if r.Image.Platform == "" {
		return true
	}
	have, err := v1.ParsePlatform(r.Image.Platform)
	return err == nil && platformMatches(*have, want)
}

// findLocal returns the stored image that src names for want, with every
// layer unpacked; ErrNotFound otherwise.
func (s *Store) findLocal(src *source, want v1.Platform) (*Image, error) {
	recs, err := s.records()
	if err != nil {
		return nil, err
	}
	for _, r := range recs {
		named := slices.Contains(r.Image.RepoTags, src.name) || slices.Contains(r.Image.RepoDigests, src.name)
		if named && recordPlatformMatches(r, want) && s.layersComplete(&r.Image) {
			return &r.Image, nil
		}
	}
	return nil, fmt.Errorf("%s: %w", src.asked, ErrNotFound)
}

func (s *Store) layersComplete(img *Image) bool {
	for _, l := range img.Layers {
		hex, err := hexOf(l.DiffID)
		if err != nil {
			return false
		}
		if _, ok := s.layerComplete(hex); !ok {
			return false
		}
	}
	return true
}

// LayerDirs returns the unpacked layer directories of img, lowest first.
// overlayfs lists lowerdir= uppermost first: reverse them there.
func (s *Store) LayerDirs(img *Image) ([]string, error) {
	out := make([]string, 0, len(img.Layers))
	for _, l := range img.Layers {
		hex, err := hexOf(l.DiffID)
		if err != nil {
			return nil, fmt.Errorf("image %s: %w", img.ID, err)
		}
		if _, ok := s.layerComplete(hex); !ok {
			return nil, fmt.Errorf("image %s: layer %s is not unpacked (pull the image again): %w", img.ID, l.DiffID, ErrNotFound)
		}
		out = append(out, filepath.Join(s.layerPath(hex), layerFS))
	}
	return out, nil
}
