package image

import (
	"context"
	"errors"
	"path/filepath"
	"slices"
	"testing"

	"github.com/google/go-containerregistry/pkg/name"
	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/empty"
	"github.com/google/go-containerregistry/pkg/v1/layout"
	"github.com/google/go-containerregistry/pkg/v1/mutate"
	"github.com/google/go-containerregistry/pkg/v1/tarball"
)

func writeLayout(t *testing.T, dir string, imgs map[string]v1.Image) {
	t.Helper()
	lp, err := layout.Write(dir, empty.Index)
	if err != nil {
		t.Fatal(err)
	}
	for tag, img := range imgs {
		var opts []layout.Option
		if tag != "" {
			opts = append(opts, layout.WithAnnotations(map[string]string{ociRefName: tag}))
		}
		if err := lp.AppendImage(img, opts...); err != nil {
			t.Fatal(err)
		}
	}
}

func TestOCILayout(t *testing.T) {
	requireRoot(t)
	ctx := context.Background()
	v1img := threeLayers(t, "linux/amd64")
	v2img := imageOf(t, "linux/amd64", layerOf(t, file("v2", "2")))
	dir := filepath.Join(t.TempDir(), "lay:out") // a colon in the path too
	writeLayout(t, dir, map[string]v1.Image{"v1": v1img, "v2": v2img})
	s := openStore(t, Options{})

	got, err := s.Pull(ctx, "oci-layout:"+dir+":v2", PullOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if got.ID != configDigest(t, v2img) {
		t.Errorf("tag v2 gave %s", got.ID)
	}
	d1, _ := v1img.Digest()
	got, err = s.Pull(ctx, "oci-layout:"+dir+"@"+d1.String(), PullOptions{})
	if err != nil || got.ID != configDigest(t, v1img) {
		t.Fatalf("by digest: %v %v", got, err)
	}
	if _, err := s.Pull(ctx, "oci-layout:"+dir, PullOptions{}); !errors.Is(err, ErrAmbiguous) {
		t.Errorf("no tag in a two-image layout: %v", err)
	} else {
		t.Logf("no tag: %v", err)
	}
	if _, err := s.Pull(ctx, "oci-layout:"+dir+":v3", PullOptions{}); !errors.Is(err, ErrNotFound) {
		t.Errorf("unknown tag: %v", err)
	}
	if g, err := s.Get("oci-layout:" + dir + ":v2"); err != nil || g.ID != configDigest(t, v2img) {
		t.Errorf("Get by layout ref: %v %v", g, err)
	}

	single := filepath.Join(t.TempDir(), "single")
	writeLayout(t, single, map[string]v1.Image{"": v1img})
	if got, err := s.Pull(ctx, "oci-layout:"+single, PullOptions{}); err != nil || got.ID != configDigest(t, v1img) {
		t.Errorf("single-image layout: %v %v", got, err)
	}
}

func TestOCILayoutPlatforms(t *testing.T) {
	requireRoot(t)
	amd := threeLayers(t, "linux/amd64")
	arm := imageOf(t, "linux/arm64", layerOf(t, file("arch", "arm64")))
	idx := mutate.AppendManifests(empty.Index,
		mutate.IndexAddendum{Add: amd, Descriptor: v1.Descriptor{Platform: &v1.Platform{OS: "linux", Architecture: "amd64"}}},
		mutate.IndexAddendum{Add: arm, Descriptor: v1.Descriptor{Platform: &v1.Platform{OS: "linux", Architecture: "arm64"}}},
	)
	s := openStore(t, Options{})
	ctx := context.Background()

	// index.json lists one image per platform (crane pull --format=oci).
	flat := filepath.Join(t.TempDir(), "flat")
	if _, err := layout.Write(flat, idx); err != nil {
		t.Fatal(err)
	}
	if got, err := s.Pull(ctx, "oci-layout:"+flat, PullOptions{Platform: "linux/arm64"}); err != nil || got.ID != configDigest(t, arm) {
		t.Errorf("flat multi-platform layout: %v %v", got, err)
	}
	// index.json names a nested multi-platform index.
	nested := filepath.Join(t.TempDir(), "nested")
	lp, err := layout.Write(nested, empty.Index)
	if err != nil {
		t.Fatal(err)
	}
	if err := lp.AppendIndex(idx, layout.WithAnnotations(map[string]string{ociRefName: "multi"})); err != nil {
		t.Fatal(err)
	}
	got, err := s.Pull(ctx, "oci-layout:"+nested+":multi", PullOptions{})
	if err != nil || got.ID != configDigest(t, amd) {
		t.Fatalf("nested index: %v %v", got, err)
	}
	if _, err := s.Pull(ctx, "oci-layout:"+nested+":multi", PullOptions{Platform: "windows/amd64"}); !errors.Is(err, ErrNoPlatform) {
		t.Errorf("missing platform in a layout: %v", err)
	}
}

func TestDockerArchive(t *testing.T) {
	requireRoot(t)
	img := threeLayers(t, "linux/amd64")
	other := imageOf(t, "linux/amd64", layerOf(t, file("other", "o")))
	path := filepath.Join(t.TempDir(), "save.tar")
	tag1, _ := name.NewTag("example.com/app:1")
	tag2, _ := name.NewTag("example.com/other:2")
	if err := tarball.MultiWriteToFile(path, map[name.Tag]v1.Image{tag1: img, tag2: other}); err != nil {
		t.Fatal(err)
	}
	s := openStore(t, Options{})
	ctx := context.Background()

	got, err := s.Pull(ctx, "docker-archive:"+path+":example.com/app:1", PullOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if got.ID != configDigest(t, img) || len(got.Layers) != 3 || got.Digest != "" {
		t.Errorf("docker-archive pull: %+v", got)
	}
	dirs, err := s.LayerDirs(got)
	if err != nil {
		t.Fatal(err)
	}
	mustContent(t, filepath.Join(dirs[2], "top"), "three")
	if _, err := s.Pull(ctx, "docker-archive:"+path, PullOptions{}); err == nil {
		t.Error("a two-image archive without a tag was accepted")
	}
	if !slices.Contains(got.RepoTags, "docker-archive:"+path+":example.com/app:1") {
		t.Errorf("tags %v", got.RepoTags)
	}

	one := filepath.Join(t.TempDir(), "one.tar")
	if err := tarball.WriteToFile(one, tag2, other); err != nil {
		t.Fatal(err)
	}
	if got, err := s.Pull(ctx, "docker-archive:"+one, PullOptions{}); err != nil || got.ID != configDigest(t, other) {
		t.Errorf("single-image archive: %v %v", got, err)
	}
}
