package image

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"slices"
)

// errLayerGone: a layer unpacked for a pull was pruned (by another
// process) before the image was recorded; the pull unpacks it again.
var errLayerGone = errors.New("layer removed while pulling")

// lockStore takes the store-wide lock that guards image records and
// garbage collection (not unpacking, which has per-layer locks).
func (s *Store) lockStore(ctx context.Context) (*fileLock, error) {
	return lockFile(ctx, filepath.Join(s.root, storeLock), false)
}

// commitImage stores the manifest and config blobs and writes the image
// record, adding the names src gives it.
func (s *Store) commitImage(ctx context.Context, img *Image, src *source, res *resolved, rawCfg []byte) error {
	lk, err := s.lockStore(ctx)
	if err != nil {
		return err
	}
	defer lk.unlock()
	if !s.layersComplete(img) {
		return errLayerGone
	}
	if res.manifest != nil {
		if _, err := s.putBlob(res.manifest); err != nil {
			return err
		}
	}
	if _, err := s.putBlob(rawCfg); err != nil {
		return err
	}
	rec, err := s.recordByID(img.ID)
	if err != nil && !errors.Is(err, os.ErrNotExist) {
		return err
	}
	if rec == nil {
		rec = &record{}
	}
	tags, digests := namesFor(src, res)
	img.RepoTags = appendNew(rec.Image.RepoTags, tags...)
	img.RepoDigests = appendNew(rec.Image.RepoDigests, digests...)
	rec.Image, rec.Manifest = *img, res.manifest
	if res.repo != "" {
		rec.Source = res.repo
	}
	if err := s.moveTags(rec, tags); err != nil {
		return err
	}
	return s.writeRecord(rec)
}

// retag records src's tag on the stored image id.
func (s *Store) retag(ctx context.Context, id string, src *source) (*Image, error) {
	lk, err := s.lockStore(ctx)
	if err != nil {
		return nil, err
	}
	defer lk.unlock()
	rec, err := s.recordByID(id)
	if err != nil {
		return nil, err
	}
	rec.Image.Ref = src.asked
	rec.Image.RepoTags = appendNew(rec.Image.RepoTags, src.name)
	if err := s.moveTags(rec, []string{src.name}); err != nil {
		return nil, err
	}
	return &rec.Image, s.writeRecord(rec)
}

func (s *Store) recordByID(id string) (*record, error) {
	hex, err := hexOf(id)
	if err != nil {
		return nil, err
	}
	return s.readRecord(s.recordPath(hex))
}

// moveTags takes tags off every other image of rec's platform: a tag
// names one image per platform.
func (s *Store) moveTags(rec *record, tags []string) error {
	if len(tags) == 0 {
		return nil
	}
	recs, err := s.records()
	if err != nil {
		return err
	}
	for _, other := range recs {
		if other.Image.ID == rec.Image.ID || other.Image.Platform != rec.Image.Platform {
			continue
		}
		kept := slices.DeleteFunc(slices.Clone(other.Image.RepoTags), func(t string) bool { return slices.Contains(tags, t) })
		if len(kept) == len(other.Image.RepoTags) {
			continue
		}
		other.Image.RepoTags = kept
		if err := s.writeRecord(other); err != nil {
			return err
		}
	}
	return nil
}

// namesFor lists the tags and digests a pull of src records.
func namesFor(src *source, res *resolved) (tags, digests []string) {
	switch src.kind {
	case fromRegistry:
		repo := src.ref.Context()
		if src.isDigest() {
			digests = append(digests, src.name)
		} else {
			tags = append(tags, src.name)
		}
		if res.indexDigest != "" {
			digests = append(digests, repo.Digest(res.indexDigest).Name())
		}
		digests = append(digests, repo.Digest(res.manifestDigest).Name())
	case fromLayout:
		if src.digest != "" {
			digests = append(digests, src.name)
		} else {
			tags = append(tags, src.name)
		}
		digests = append(digests, layoutPrefix+src.path+"@"+res.manifestDigest)
	case fromArchive:
		tags = append(tags, src.name)
	}
	return tags, appendNew(nil, digests...)
}

func appendNew(list []string, add ...string) []string {
	out := slices.Clone(list)
	for _, a := range add {
		if !slices.Contains(out, a) {
			out = append(out, a)
		}
	}
	return out
}
