package image

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/empty"
	"github.com/google/go-containerregistry/pkg/v1/mutate"
	"github.com/google/go-containerregistry/pkg/v1/types"
)

// threeLayers is an image whose layers each add a file naming the layer
// and overwrite "top" (so the order of LayerDirs shows).
func threeLayers(t testing.TB, platform string) v1.Image {
	var layers []v1.Layer
	for _, n := range []string{"one", "two", "three"} {
		layers = append(layers, layerOf(t, dir("etc"), file("etc/"+n, n), file("top", n)))
	}
	return imageOf(t, platform, layers...)
}

func TestPullByTagAndDigest(t *testing.T) {
	requireRoot(t)
	reg := newTestRegistry(t)
	img := threeLayers(t, "linux/amd64")
	digest := reg.push(t, "app:1", img)
	s := openStore(t, Options{})
	ctx := context.Background()

	got, err := s.Pull(ctx, reg.ref("app:1"), PullOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if got.ID != configDigest(t, img) || got.Digest != digest {
		t.Errorf("pulled ID %s digest %s, want %s %s", got.ID, got.Digest, configDigest(t, img), digest)
	}
	if got.Platform != "linux/amd64" || !slices.Equal(got.Config.Cmd, []string{"/bin/true"}) || len(got.Layers) != 3 {
		t.Errorf("pulled %+v", got)
	}
	if !slices.Contains(got.RepoTags, reg.ref("app:1")) || !slices.Contains(got.RepoDigests, reg.ref("app@"+digest)) {
		t.Errorf("names %v %v", got.RepoTags, got.RepoDigests)
	}
	dirs, err := s.LayerDirs(got)
	if err != nil {
		t.Fatal(err)
	}
	for i, n := range []string{"one", "two", "three"} {
		mustContent(t, filepath.Join(dirs[i], "etc", n), n)
		mustContent(t, filepath.Join(dirs[i], "top"), n)
	}

	byDigest, err := s.Pull(ctx, reg.ref("app@"+digest), PullOptions{Policy: PullAlways})
	if err != nil || byDigest.ID != got.ID {
		t.Fatalf("pull by digest: %v %v", byDigest, err)
	}
	id := strings.TrimPrefix(got.ID, "sha256:")
	for _, q := range []string{got.ID, id, id[:12], "sha256:" + id[:16], digest, reg.ref("app:1"), reg.ref("app@" + digest)} {
		if g, err := s.Get(q); err != nil || g.ID != got.ID {
			t.Errorf("Get(%q) = %v, %v", q, g, err)
		}
	}
	if _, err := s.Get(reg.ref("app:2")); !errors.Is(err, ErrNotFound) {
		t.Errorf("Get of an unknown tag: %v", err)
	}
}

func TestPlatformSelection(t *testing.T) {
	requireRoot(t)
	reg := newTestRegistry(t)
	amd := threeLayers(t, "linux/amd64")
	arm := imageOf(t, "linux/arm64/v8", layerOf(t, file("arch", "arm64")))
	idx := mutate.AppendManifests(empty.Index,
		mutate.IndexAddendum{Add: amd, Descriptor: v1.Descriptor{Platform: &v1.Platform{OS: "linux", Architecture: "amd64"}}},
		mutate.IndexAddendum{Add: arm, Descriptor: v1.Descriptor{Platform: &v1.Platform{OS: "linux", Architecture: "arm64", Variant: "v8"}}},
	)
	idxDigest := reg.pushIndex(t, "multi:1", idx)
	s := openStore(t, Options{})
	ctx := context.Background()

	got, err := s.Pull(ctx, reg.ref("multi:1"), PullOptions{Platform: "linux/arm64"})
	if err != nil {
		t.Fatal(err)
	}
	if got.ID != configDigest(t, arm) || got.Platform != "linux/arm64/v8" {
		t.Errorf("arm64 pull gave %s (%s)", got.ID, got.Platform)
	}
	if !slices.Contains(got.RepoDigests, reg.ref("multi@"+idxDigest)) {
		t.Errorf("index digest not recorded: %v", got.RepoDigests)
	}
	def, err := s.Pull(ctx, reg.ref("multi:1"), PullOptions{})
	if err != nil || def.ID != configDigest(t, amd) {
		t.Fatalf("default platform pull: %v %v", def, err)
	}
	if g, err := s.Get(reg.ref("multi:1")); err != nil || g.ID != def.ID {
		t.Errorf("Get of a two-platform tag should prefer the default platform: %v %v", g, err)
	}

	_, err = s.Pull(ctx, reg.ref("multi:1"), PullOptions{Platform: "linux/s390x"})
	var pe *PlatformError
	if !errors.As(err, &pe) || !slices.Equal(pe.Available, []string{"linux/amd64", "linux/arm64/v8"}) {
		t.Fatalf("missing platform: %v", err)
	}
	t.Logf("missing platform: %v", err)

	// A single-platform image for another platform is refused too.
	reg.push(t, "armonly:1", arm)
	if _, err := s.Pull(ctx, reg.ref("armonly:1"), PullOptions{}); !errors.Is(err, ErrNoPlatform) {
		t.Errorf("single arm64 image on amd64: %v", err)
	}
}

func TestPullPolicies(t *testing.T) {
	requireRoot(t)
	reg := newTestRegistry(t)
	first := threeLayers(t, "linux/amd64")
	reg.push(t, "pol:latest", first)
	s := openStore(t, Options{})
	ctx := context.Background()
	ref := reg.ref("pol:latest")

	if _, err := s.Pull(ctx, ref, PullOptions{Policy: PullNever}); !errors.Is(err, ErrNotFound) {
		t.Fatalf("never on an empty store: %v", err)
	}
	n := reg.requests()
	img, err := s.Pull(ctx, ref, PullOptions{Policy: PullMissing})
	if err != nil || reg.requests() == n {
		t.Fatalf("first pull: %v (requests %d)", err, reg.requests()-n)
	}

	n = reg.requests()
	for _, p := range []Policy{PullMissing, PullNever, ""} {
		again, err := s.Pull(ctx, ref, PullOptions{Policy: p})
		if err != nil || again.ID != img.ID {
			t.Fatalf("policy %q on a stored image: %v", p, err)
		}
	}
	if _, err := s.Pull(ctx, reg.ref("pol@"+img.Digest), PullOptions{}); err != nil {
		t.Fatal(err)
	}
	if got := reg.requests() - n; got != 0 {
		t.Errorf("missing/never on a stored image made %d requests, want 0", got)
	}

	// always with an unchanged tag: a HEAD, no blob.
	blobsBefore := reg.blobGets("pol", img.Layers[0].Digest)
	if again, err := s.Pull(ctx, ref, PullOptions{Policy: PullAlways}); err != nil || again.ID != img.ID {
		t.Fatalf("always, unchanged: %v", err)
	}
	if reg.blobGets("pol", img.Layers[0].Digest) != blobsBefore {
		t.Error("always with an unchanged tag fetched a layer again")
	}

	// always after the tag moved: the new image, and the tag moves too.
	second := imageOf(t, "linux/amd64", layerOf(t, file("v2", "yes")))
	reg.push(t, "pol:latest", second)
	if got, err := s.Pull(ctx, ref, PullOptions{Policy: PullMissing}); err != nil || got.ID != img.ID {
		t.Fatalf("missing after the tag moved should keep the stored image: %v", err)
	}
	moved, err := s.Pull(ctx, ref, PullOptions{Policy: PullAlways})
	if err != nil || moved.ID != configDigest(t, second) {
		t.Fatalf("always after the tag moved: %v %v", moved, err)
	}
	if g, _ := s.Get(ref); g == nil || g.ID != moved.ID {
		t.Errorf("the tag still names the old image")
	}
	if old, err := s.Get(img.ID); err != nil || slices.Contains(old.RepoTags, ref) {
		t.Errorf("old image keeps the moved tag: %v %v", old, err)
	}
	if _, err := s.Pull(ctx, ref, PullOptions{Policy: "sometimes"}); err == nil {
		t.Error("an unknown policy was accepted")
	}
}

func TestCompressionsAndOverlayForm(t *testing.T) {
	requireRoot(t)
	reg := newTestRegistry(t)
	capability := string([]byte{1, 0, 0, 2, 0, 4, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0}) // v2, effective, CAP_NET_BIND_SERVICE
	su := entry{name: "bin/su", typ: '0', body: "#!", mode: 0o4755, uid: 0, gid: 0,
		xattrs: map[string]string{"security.capability": capability, "user.note": "kept"}}
	owned := entry{name: "home/u/f", typ: '0', body: "u", mode: 0o640, uid: 1000, gid: 2000}
	base := layerOf(t, dir("bin"), dir("home"), dir("home/u"), file("gone", "x"), dir("opq"), file("opq/old", "x"))
	upper := layerOf(t, su, owned, file(".wh.gone", ""), dir("opq"), file("opq/.wh..wh..opq", ""),
		entry{name: "dev/null", typ: '3', major: 1, minor: 3, mode: 0o666},
		entry{name: "fifo", typ: '6', mode: 0o600},
		entry{name: "home/.wh..wh.plnk", typ: '0'})
	zlayer := staticZstdLayer(t, tarBytes(t, file("zstd", "z")))
	plain := staticUncompressedLayer(tarBytes(t, file("plain", "p")))
	img := imageOf(t, "linux/amd64", base, upper, zlayer, plain)
	reg.push(t, "form:1", img)
	s := openStore(t, Options{})
	got, err := s.Pull(context.Background(), reg.ref("form:1"), PullOptions{})
	if err != nil {
		t.Fatal(err)
	}
	dirs, _ := s.LayerDirs(got)
	up := dirs[1]
	checkStat(t, filepath.Join(up, "gone"), unixChar, 0, 0)
	checkStat(t, filepath.Join(up, "dev/null"), unixChar, 1, 3)
	if v := getXattr(t, filepath.Join(up, "opq"), overlayOpaque); v != "y" {
		t.Errorf("opq not opaque: %q", v)
	}
	fi, _ := os.Lstat(filepath.Join(up, "bin/su"))
	if fi.Mode()&os.ModeSetuid == 0 {
		t.Errorf("setuid bit lost: %v", fi.Mode())
	}
	if v := getXattr(t, filepath.Join(up, "bin/su"), "security.capability"); v != capability {
		t.Errorf("capability %q", v)
	}
	if v := getXattr(t, filepath.Join(up, "bin/su"), "user.note"); v != "kept" {
		t.Errorf("user xattr %q", v)
	}
	checkOwner(t, filepath.Join(up, "home/u/f"), 1000, 2000)
	if _, err := os.Lstat(filepath.Join(up, "home/.wh..wh.plnk")); err == nil {
		t.Error("AUFS metadata was unpacked")
	}
	mustContent(t, filepath.Join(dirs[2], "zstd"), "z")
	mustContent(t, filepath.Join(dirs[3], "plain"), "p")
	if got.Layers[2].MediaType != string(types.OCILayerZStd) {
		t.Errorf("zstd layer media type %s", got.Layers[2].MediaType)
	}
}
