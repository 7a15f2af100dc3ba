package image

import (
	"bytes"
	"context"
	"errors"
	"fmt"

	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/remote"
	"github.com/google/go-containerregistry/pkg/v1/types"
	"golang.org/x/sync/errgroup"
)

// layerJobs is how many layers of one image are fetched at once.
const layerJobs = 3

// Pull makes the image ref names (for the platform) present in the store
// and returns it. See Policy for when it goes to the source.
func (s *Store) Pull(ctx context.Context, ref string, o PullOptions) (*Image, error) {
	policy, want, src, err := s.pullArgs(ref, o)
	if err != nil {
		return nil, err
	}
	rep := newReporter(ref, o.Progress)
	// A digest names immutable content: "always" has nothing to re-check.
	if policy != PullAlways || src.isDigest() {
		img, err := s.findLocal(src, want)
		switch {
		case err == nil:
			img.Ref = ref
			rep.send(Progress{Done: true, Message: "exists"})
			return img, nil
		case !errors.Is(err, ErrNotFound):
			return nil, err
		case policy == PullNever:
			return nil, fmt.Errorf("%s for %s: %w in the store, and the pull policy is never", ref, want.String(), ErrNotFound)
		}
	}
	if policy == PullAlways && src.kind == fromRegistry {
		if img := s.pinTag(ctx, src, want); img != nil {
			rep.send(Progress{Done: true, Message: "up to date"})
			return img, nil
		}
	}
	rep.send(Progress{Message: "resolving"})
	res, err := s.resolve(ctx, src, want)
	if err != nil {
		return nil, err
	}
	img, err := s.materialize(ctx, src, res, want, rep)
	if err != nil {
		return nil, err
	}
	rep.send(Progress{Done: true, Message: "pulled " + img.ID})
	return img, nil
}

func (s *Store) pullArgs(ref string, o PullOptions) (Policy, v1.Platform, *source, error) {
	policy := o.Policy
	if policy == "" {
		policy = PullMissing
	}
	if err := policy.valid(); err != nil {
		return "", v1.Platform{}, nil, err
	}
	want, err := s.wantPlatform(o.Platform)
	if err != nil {
		return "", v1.Platform{}, nil, err
	}
	src, err := s.parseSource(ref)
	return policy, want, src, err
}

// pinTag resolves a tag with HEAD requests (mirrors first). When the
// digest it names is already stored, the tag is recorded on that image
// and it is returned; otherwise src is pinned to the digest, so that the
// pull that follows gets what HEAD saw even if the tag moves meanwhile.
func (s *Store) pinTag(ctx context.Context, src *source, want v1.Platform) *Image {
	for _, cand := range s.registry.candidates(src.ref) {
		d, err := remote.Head(cand, s.remoteOptions(ctx)...)
		if err != nil {
			continue
		}
		pinned := src.ref.Context().Digest(d.Digest.String())
		if img, err := s.findLocal(&source{kind: fromRegistry, name: pinned.Name()}, want); err == nil {
			if img, err := s.retag(ctx, img.ID, src); err == nil {
				return img
			}
		}
		src.pin = pinned
		return nil
	}
	return nil
}

// materialize unpacks a resolved image's layers and records it.
func (s *Store) materialize(ctx context.Context, src *source, res *resolved, want v1.Platform, rep *reporter) (*Image, error) {
	rawCfg, err := res.img.RawConfigFile()
	if err != nil {
		return nil, fmt.Errorf("%s: read config: %w", src.asked, err)
	}
	img := &Image{ID: digestOf(rawCfg), Digest: res.manifestDigest, Ref: src.asked}
	var m *v1.Manifest
	if res.manifest != nil {
		if m, err = v1.ParseManifest(bytes.NewReader(res.manifest)); err != nil {
			return nil, fmt.Errorf("%s: parse manifest: %w", src.asked, err)
		}
		if err := checkManifest(src.asked, m, img.ID); err != nil {
			return nil, err
		}
	}
	cf, err := v1.ParseConfigFile(bytes.NewReader(rawCfg))
	if err != nil {
		return nil, fmt.Errorf("%s: parse config: %w", src.asked, err)
	}
	img.Platform, img.Created, img.Config = platformOf(cf), cf.Created.Time, configFrom(cf.Config)
	if img.Platform != "" && !res.picked {
		have, _ := v1.ParsePlatform(img.Platform)
		if have == nil || !platformMatches(*have, want) {
			return nil, &PlatformError{Ref: src.asked, Want: want.String(), Available: []string{img.Platform}}
		}
	}
	jobs, err := makeJobs(src.asked, res, m, cf)
	if err != nil {
		return nil, err
	}
	for attempt := 0; ; attempt++ {
		if err := s.unpackAll(ctx, jobs, img, rep); err != nil {
			return nil, err
		}
		err := s.commitImage(ctx, img, src, res, rawCfg)
		if !errors.Is(err, errLayerGone) || attempt == 2 {
			return img, err
		}
	}
}

func checkManifest(asked string, m *v1.Manifest, id string) error {
	if m.Config.Digest.String() != id {
		return &DigestError{What: asked + ": config", Expected: m.Config.Digest.String(), Actual: id}
	}
	switch m.Config.MediaType {
	case types.OCIConfigJSON, types.DockerConfigJSON, "":
	default:
		return fmt.Errorf("%s: config media type %s: %w (not a container image)", asked, m.Config.MediaType, ErrUnsupported)
	}
	for _, l := range m.Layers {
		switch l.MediaType {
		case types.OCILayer, types.OCILayerZStd, types.OCIUncompressedLayer, types.DockerLayer,
			types.DockerUncompressedLayer, types.DockerForeignLayer, types.OCIRestrictedLayer,
			types.OCIUncompressedRestrictedLayer, "":
		default:
			return fmt.Errorf("%s: layer media type %s: %w", asked, l.MediaType, ErrUnsupported)
		}
	}
	return nil
}

// makeJobs pairs each layer with its diff ID from the config, which is
// what the unpacked tar is verified against.
func makeJobs(asked string, res *resolved, m *v1.Manifest, cf *v1.ConfigFile) ([]*layerJob, error) {
	layers, err := res.img.Layers()
	if err != nil {
		return nil, fmt.Errorf("%s: layers: %w", asked, err)
	}
	diffIDs := cf.RootFS.DiffIDs
	if len(layers) != len(diffIDs) || (m != nil && len(m.Layers) != len(diffIDs)) {
		return nil, fmt.Errorf("%s: %d layers but %d diff IDs in the config: %w", asked, len(layers), len(diffIDs), ErrUnsupported)
	}
	jobs := make([]*layerJob, len(layers))
	for i, l := range layers {
		j := &layerJob{diffID: diffIDs[i].String(), open: l.Uncompressed, mediaType: string(types.DockerUncompressedLayer)}
		if m != nil {
			d := m.Layers[i]
			j.digest, j.size, j.mediaType = d.Digest.String(), d.Size, string(d.MediaType)
		}
		if res.compressed {
			j.open = l.Compressed
		} else {
			j.digest, j.size = "", 0 // the stream is the tar itself: only the diff ID applies
		}
		jobs[i] = j
	}
	return jobs, nil
}

// unpackAll unpacks the layers, a few at a time, and fills img.Layers.
func (s *Store) unpackAll(ctx context.Context, jobs []*layerJob, img *Image, rep *reporter) error {
	sizes := make([]int64, len(jobs))
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(layerJobs)
	for i, j := range jobs {
		g.Go(func() error {
			n, err := s.ensureLayer(gctx, j, rep)
			sizes[i] = n
			return err
		})
	}
	if err := g.Wait(); err != nil {
		return err
	}
	img.Layers, img.Size = make([]Layer, len(jobs)), 0
	for i, j := range jobs {
		img.Layers[i] = Layer{DiffID: j.diffID, Digest: j.digest, Size: j.size, MediaType: j.mediaType, UnpackedSize: sizes[i]}
		img.Size += sizes[i]
	}
	return nil
}
