package image

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"
)

// Remove takes an image out of the store. Named by a tag that is one of
// several, it only removes that tag (like `docker rmi`); otherwise the
// record goes, with every layer and blob no other image uses.
//
// The store does not know which containers run on an image's layers:
// callers check that first (removing a layer under a mounted overlay is
// undefined behaviour).
func (s *Store) Remove(idOrRef string) error {
	ctx := context.Background()
	lk, err := s.lockStore(ctx)
	if err != nil {
		return err
	}
	defer lk.unlock()
	rec, byTag, err := s.lookup(idOrRef)
	if err != nil {
		return err
	}
	if byTag && len(rec.Image.RepoTags) > 1 {
		src, err := s.parseSource(idOrRef)
		if err != nil {
			return err
		}
		rec.Image.RepoTags = slices.DeleteFunc(rec.Image.RepoTags, func(t string) bool { return t == src.name })
		return s.writeRecord(rec)
	}
	if err := s.deleteRecord(rec); err != nil {
		return err
	}
	_, err = s.collect()
	return err
}

// Prune removes every image keep does not want (keep == nil keeps them
// all), then every layer, blob and leftover (interrupted unpacks, stale
// lock files) no remaining image uses. It returns the IDs of the removed
// images and the bytes freed. The same caveat as Remove applies: keep
// must want every image a container uses.
func (s *Store) Prune(keep func(id string) bool) (removed []string, reclaimed int64, err error) {
	lk, err := s.lockStore(context.Background())
	if err != nil {
		return nil, 0, err
	}
	defer lk.unlock()
	if keep != nil {
		recs, err := s.records()
		if err != nil {
			return nil, 0, err
		}
		for _, r := range recs {
			if keep(r.Image.ID) {
				continue
			}
			if err := s.deleteRecord(r); err != nil {
				return removed, 0, err
			}
			removed = append(removed, r.Image.ID)
		}
	}
	reclaimed, err = s.collect()
	return removed, reclaimed, err
}

func (s *Store) deleteRecord(rec *record) error {
	hex, err := hexOf(rec.Image.ID)
	if err != nil {
		return err
	}
	if err := os.Remove(s.recordPath(hex)); err != nil && !errors.Is(err, os.ErrNotExist) {
		return err
	}
	return syncDir(filepath.Join(s.root, imagesDir))
}

// collect removes what no image record refers to. The caller holds the
// store lock, so no record appears meanwhile; a layer being unpacked is
// protected by its own lock, and a pull whose fresh layer is collected
// before its record is written unpacks it again (errLayerGone).
func (s *Store) collect() (int64, error) {
	recs, err := s.records()
	if err != nil {
		return 0, err
	}
	layers, blobs := map[string]bool{}, map[string]bool{}
	for _, r := range recs {
		blobs[strings.TrimPrefix(r.Image.ID, "sha256:")] = true
		blobs[strings.TrimPrefix(r.Image.Digest, "sha256:")] = true
		for _, l := range r.Image.Layers {
			layers[strings.TrimPrefix(l.DiffID, "sha256:")] = true
			blobs[strings.TrimPrefix(l.Digest, "sha256:")] = true
		}
	}
	n, err := s.collectLayers(layers)
	if err != nil {
		return n, err
	}
	m, err := s.collectBlobs(blobs)
	s.collectLocks()
	return n + m, err
}

func (s *Store) collectLayers(used map[string]bool) (int64, error) {
	dir := filepath.Join(s.root, layersDir)
	entries, err := os.ReadDir(dir)
	if err != nil {
		return 0, err
	}
	var freed int64
	for _, e := range entries {
		n, path := e.Name(), filepath.Join(dir, e.Name())
		switch {
		case strings.HasPrefix(n, trashPrefix): // an interrupted removal
			freed += dirSize(path)
			os.RemoveAll(path)
		case strings.HasPrefix(n, tmpPrefix): // an unpack in progress, or interrupted
			lk, ok, err := tryLock(filepath.Join(s.root, locksDir, "layer-"+strings.TrimPrefix(n, tmpPrefix)+".lock"), true)
			if err != nil || !ok {
				continue
			}
			freed += dirSize(path)
			err = os.RemoveAll(path)
			lk.unlock()
			if err != nil {
				return freed, err
			}
		case !used[n]:
			size := dirSize(path)
			if err := removeDir(path); err != nil {
				return freed, fmt.Errorf("remove layer %s: %w", n, err)
			}
			freed += size
		}
	}
	return freed, nil
}

func (s *Store) collectBlobs(used map[string]bool) (int64, error) {
	dir := filepath.Join(s.root, blobsDir)
	entries, err := os.ReadDir(dir)
	if err != nil {
		return 0, err
	}
	var freed int64
	for _, e := range entries {
		fi, err := e.Info()
		if err != nil || used[e.Name()] {
			continue
		}
		// A temporary file may belong to a write in progress elsewhere;
		// one untouched for an hour was abandoned.
		if strings.HasPrefix(e.Name(), ".") && time.Since(fi.ModTime()) < time.Hour {
			continue
		}
		if err := os.Remove(filepath.Join(dir, e.Name())); err != nil && !errors.Is(err, os.ErrNotExist) {
			return freed, err
		}
		freed += fi.Size()
	}
	return freed, nil
}

// collectLocks removes lock files left by processes that died holding
// them (a live holder keeps its lock).
func (s *Store) collectLocks() {
	dir := filepath.Join(s.root, locksDir)
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		if lk, ok, err := tryLock(filepath.Join(dir, e.Name()), true); err == nil && ok {
			lk.unlock()
		}
	}
}
