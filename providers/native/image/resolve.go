package image

import (
	"context"
	"errors"
	"fmt"
	"sort"

	"github.com/google/go-containerregistry/pkg/name"
	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/layout"
	"github.com/google/go-containerregistry/pkg/v1/remote"
	"github.com/google/go-containerregistry/pkg/v1/tarball"
)

// ociRefName is the annotation an OCI layout names its images by.
const ociRefName = "org.opencontainers.image.ref.name"

// resolved is the one image a ref names for a platform, not yet stored.
type resolved struct {
	img            v1.Image
	manifest       []byte // nil for docker-archive (it has none; computing one would recompress every layer)
	manifestDigest string
	indexDigest    string // the index the image was picked from, if any
	repo           string // registry repository it came from, or oci-layout:PATH; "" for a docker-archive
	picked         bool   // chosen from an index by its platform (else the config's is checked)
	compressed     bool   // read layers as distributed (else uncompressed)
}

func (s *Store) resolve(ctx context.Context, src *source, want v1.Platform) (*resolved, error) {
	switch src.kind {
	case fromLayout:
		return resolveLayout(src, want)
	case fromArchive:
		img, err := resolveArchive(src)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", src.asked, err)
		}
		return img, nil
	}
	ref := src.ref
	if src.pin != nil {
		ref = src.pin
	}
	return s.resolveRemote(ctx, ref, src.asked, want)
}

// resolveRemote asks the ref's mirrors, then its registry.
func (s *Store) resolveRemote(ctx context.Context, ref name.Reference, asked string, want v1.Platform) (*resolved, error) {
	var errs []error
	for _, cand := range s.registry.candidates(ref) {
		desc, err := remote.Get(cand, s.remoteOptions(ctx)...)
		if err != nil {
			errs = append(errs, fmt.Errorf("%s: %w", cand.Context().RegistryStr(), err))
			if ctx.Err() != nil {
				break
			}
			continue
		}
		return fromDescriptor(desc, cand, want, asked)
	}
	return nil, fmt.Errorf("pull %s: %w", asked, errors.Join(errs...))
}

func fromDescriptor(desc *remote.Descriptor, ref name.Reference, want v1.Platform, asked string) (*resolved, error) {
	r := &resolved{repo: ref.Context().Name(), compressed: true}
	var err error
	switch {
	case desc.MediaType.IsIndex():
		idx, ierr := desc.ImageIndex()
		if ierr != nil {
			return nil, fmt.Errorf("%s: %w", asked, ierr)
		}
		r.indexDigest = desc.Digest.String()
		r.img, r.picked, err = imageFromIndex(idx, want, asked)
	case desc.MediaType.IsImage():
		r.img, err = desc.Image()
	default:
		return nil, fmt.Errorf("%s: media type %s: %w (not an image or image index)", asked, desc.MediaType, ErrUnsupported)
	}
	if err != nil {
		return nil, err
	}
	return r, r.readManifest(asked, "")
}

// imageFromIndex picks want's image from an index; picked says it was
// chosen by a platform the index names.
func imageFromIndex(idx v1.ImageIndex, want v1.Platform, asked string) (v1.Image, bool, error) {
	im, err := idx.IndexManifest()
	if err != nil {
		return nil, false, fmt.Errorf("%s: read index: %w", asked, err)
	}
	d, err := selectPlatform(im.Manifests, want, asked)
	if err != nil {
		return nil, false, err
	}
	img, err := idx.Image(d.Digest)
	if err != nil {
		return nil, false, fmt.Errorf("%s: image %s: %w", asked, d.Digest, err)
	}
	return img, d.Platform != nil, nil
}

// readManifest fetches the raw manifest and checks it against the digest
// its parent named (want, when known).
func (r *resolved) readManifest(asked, want string) error {
	raw, err := r.img.RawManifest()
	if err != nil {
		return fmt.Errorf("%s: read manifest: %w", asked, err)
	}
	r.manifest, r.manifestDigest = raw, digestOf(raw)
	if want != "" && want != r.manifestDigest {
		return &DigestError{What: asked + ": manifest", Expected: want, Actual: r.manifestDigest}
	}
	return nil
}

func resolveArchive(src *source) (*resolved, error) {
	var tag *name.Tag
	if src.tag != "" {
		t, err := name.NewTag(src.tag)
		if err != nil {
			return nil, err
		}
		tag = &t
	}
	img, err := tarball.ImageFromPath(src.path, tag)
	if err != nil {
		return nil, err
	}
	return &resolved{img: img}, nil
}

func resolveLayout(src *source, want v1.Platform) (*resolved, error) {
	wrap := func(err error) error { return fmt.Errorf("%s: %w", src.asked, err) }
	lp, err := layout.FromPath(src.path)
	if err != nil {
		return nil, wrap(err)
	}
	idx, err := lp.ImageIndex()
	if err != nil {
		return nil, wrap(err)
	}
	im, err := idx.IndexManifest()
	if err != nil {
		return nil, wrap(err)
	}
	r := &resolved{compressed: true, repo: layoutPrefix + src.path}
	d, whole, err := pickLayoutManifest(im, src, want)
	switch {
	case err != nil:
		return nil, err
	case whole: // index.json is itself a multi-platform index
		r.picked = d.Platform != nil
		r.img, err = idx.Image(d.Digest)
	case d.MediaType.IsIndex():
		child, cerr := idx.ImageIndex(d.Digest)
		if cerr != nil {
			return nil, wrap(cerr)
		}
		r.indexDigest = d.Digest.String()
		if r.img, r.picked, err = imageFromIndex(child, want, src.asked); err != nil {
			return nil, err
		}
		return r, r.readManifest(src.asked, "")
	case d.MediaType.IsImage():
		r.img, err = idx.Image(d.Digest)
	default:
		return nil, wrap(fmt.Errorf("media type %s: %w", d.MediaType, ErrUnsupported))
	}
	if err != nil {
		return nil, wrap(err)
	}
	return r, r.readManifest(src.asked, d.Digest.String())
}

// pickLayoutManifest finds the descriptor a layout ref names: by digest,
// by ref.name annotation, the only one, or (whole = true) by platform when
// index.json lists one image per platform and names none.
func pickLayoutManifest(im *v1.IndexManifest, src *source, want v1.Platform) (v1.Descriptor, bool, error) {
	var names []string
	for _, d := range im.Manifests {
		switch {
		case src.digest != "" && d.Digest.String() == src.digest:
			return d, false, nil
		case src.tag != "" && d.Annotations[ociRefName] == src.tag:
			return d, false, nil
		}
		if n := d.Annotations[ociRefName]; n != "" {
			names = append(names, n)
		}
	}
	sort.Strings(names)
	switch {
	case src.digest != "":
		return v1.Descriptor{}, false, fmt.Errorf("%s: no manifest %s in the layout: %w", src.asked, src.digest, ErrNotFound)
	case src.tag != "":
		return v1.Descriptor{}, false, fmt.Errorf("%s: no image named %q in the layout (names: %s): %w", src.asked, src.tag, joinOrNone(names), ErrNotFound)
	case len(im.Manifests) == 1:
		return im.Manifests[0], false, nil
	case len(im.Manifests) == 0:
		return v1.Descriptor{}, false, fmt.Errorf("%s: the layout holds no image: %w", src.asked, ErrNotFound)
	case len(names) == 0:
		d, err := selectPlatform(im.Manifests, want, src.asked)
		return d, true, err
	}
	return v1.Descriptor{}, false, fmt.Errorf("%s: the layout holds %d images; name one with %sPATH:NAME (names: %s): %w",
		src.asked, len(im.Manifests), layoutPrefix, joinOrNone(names), ErrAmbiguous)
}
