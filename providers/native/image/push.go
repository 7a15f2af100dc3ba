package image

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/google/go-containerregistry/pkg/name"
	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/partial"
	"github.com/google/go-containerregistry/pkg/v1/remote"
	"github.com/google/go-containerregistry/pkg/v1/types"
)

// Push sends a stored image to dest (a registry ref) with its manifest
// unchanged, so the digest at dest is the stored Digest. Layer blobs come
// from the store when kept (Options.KeepLayerBlobs), else from where the
// image was pulled: its registry repository (mounted across repositories
// when the registry is the same) or its OCI layout. Images without a
// manifest (docker-archive) cannot be pushed yet.
//
// progress, when not nil, is told the bytes sent so far and the total, as
// the push goes; it is called from another goroutine.
func (s *Store) Push(ctx context.Context, idOrRef, dest string, progress func(done, total int64)) error {
	rec, _, err := s.lookup(idOrRef)
	if err != nil {
		return err
	}
	if rec.Image.Digest == "" {
		return fmt.Errorf("push %s: the image has no manifest (loaded from a docker-archive): %w", idOrRef, ErrBlobUnavailable)
	}
	// The blob holds the manifest's exact bytes (the record's copy is
	// re-encoded JSON), so the digest is kept.
	manifest, err := s.readBlob(rec.Image.Digest)
	if err != nil {
		return fmt.Errorf("push %s: %w", idOrRef, err)
	}
	if got := digestOf(manifest); got != rec.Image.Digest {
		return &DigestError{What: "stored manifest of " + rec.Image.ID, Expected: rec.Image.Digest, Actual: got}
	}
	ref, err := s.registry.parseRef(dest)
	if err != nil {
		return fmt.Errorf("push destination %q: %w", dest, err)
	}
	img, err := partial.CompressedToImage(&storedImage{s: s, rec: rec, manifest: manifest, ctx: ctx})
	if err != nil {
		return err
	}
	opts := s.remoteOptions(ctx)
	var relayed chan struct{}
	if progress != nil {
		updates := make(chan v1.Update, 16)
		relayed = make(chan struct{})
		go func() {
			defer close(relayed)
			for u := range updates { // closed by remote.Write
				if u.Error == nil { // the error itself comes back from Write
					progress(u.Complete, u.Total)
				}
			}
		}()
		opts = append(opts, remote.WithProgress(updates))
	}
	err = remote.Write(ref, img, opts...)
	if relayed != nil {
		// remote.Write closes updates once it has pushed (or failed to);
		// an error in its options would leave them open.
		select {
		case <-relayed:
		case <-time.After(time.Second):
		}
	}
	if err != nil {
		return fmt.Errorf("push %s to %s: %w", idOrRef, dest, err)
	}
	return nil
}

// storedImage is a stored image as go-containerregistry's
// partial.CompressedImageCore.
type storedImage struct {
	s        *Store
	rec      *record
	manifest []byte
	ctx      context.Context
}

func (i *storedImage) RawConfigFile() ([]byte, error) {
	data, err := i.s.readBlob(i.rec.Image.ID)
	if err == nil && digestOf(data) != i.rec.Image.ID {
		return nil, &DigestError{What: "stored config", Expected: i.rec.Image.ID, Actual: digestOf(data)}
	}
	return data, err
}

func (i *storedImage) RawManifest() ([]byte, error) { return i.manifest, nil }

func (i *storedImage) MediaType() (types.MediaType, error) {
	m, err := v1.ParseManifest(bytes.NewReader(i.manifest))
	if err != nil {
		return "", err
	}
	if m.MediaType == "" {
		return types.OCIManifestSchema1, nil
	}
	return m.MediaType, nil
}

func (i *storedImage) LayerByDigest(h v1.Hash) (partial.CompressedLayer, error) {
	for _, l := range i.rec.Image.Layers {
		if l.Digest != h.String() {
			continue
		}
		if path := i.s.blobPath(h.Hex); fileExists(path) {
			return &blobLayer{path: path, digest: h, size: l.Size, mediaType: types.MediaType(l.MediaType)}, nil
		}
		if i.rec.Source == "" {
			break
		}
		if dir, ok := strings.CutPrefix(i.rec.Source, layoutPrefix); ok {
			// The layout pulled from, if its blob is still there; the
			// registry checks what it is sent against the digest.
			if path := filepath.Join(dir, "blobs", h.Algorithm, h.Hex); fileExists(path) {
				return &blobLayer{path: path, digest: h, size: l.Size, mediaType: types.MediaType(l.MediaType)}, nil
			}
			break
		}
		repo, err := name.NewRepository(i.rec.Source)
		if err != nil {
			return nil, err
		}
		if i.s.registry.allowPlain(repo.RegistryStr()) {
			repo, _ = name.NewRepository(i.rec.Source, name.Insecure)
		}
		return remote.Layer(repo.Digest(h.String()), i.s.remoteOptions(i.ctx)...)
	}
	return nil, fmt.Errorf("layer %s of %s is neither kept nor fetchable from where it was pulled: %w", h, i.rec.Image.ID, ErrBlobUnavailable)
}

// blobLayer is a compressed layer kept in blobs/.
type blobLayer struct {
	path      string
	digest    v1.Hash
	size      int64
	mediaType types.MediaType
}

func (b *blobLayer) Digest() (v1.Hash, error)            { return b.digest, nil }
func (b *blobLayer) Size() (int64, error)                { return b.size, nil }
func (b *blobLayer) MediaType() (types.MediaType, error) { return b.mediaType, nil }
func (b *blobLayer) Compressed() (io.ReadCloser, error)  { return os.Open(b.path) }

func fileExists(p string) bool {
	_, err := os.Stat(p)
	return err == nil
}
