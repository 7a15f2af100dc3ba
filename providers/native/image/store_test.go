package image

import (
	"context"
	"errors"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/google/go-containerregistry/pkg/name"
	"github.com/google/go-containerregistry/pkg/v1/remote"
)

func TestConcurrentPulls(t *testing.T) {
	requireRoot(t)
	reg := newTestRegistry(t)
	img := threeLayers(t, "linux/amd64")
	reg.push(t, "conc:1", img)
	root := filepath.Join(t.TempDir(), "store")
	// Two Stores on one root stand for two processes: they share no
	// memory, only the lock files.
	var stores []*Store
	for range 2 {
		s, err := Open(root, Options{DefaultPlatform: "linux/amd64"})
		if err != nil {
			t.Fatal(err)
		}
		stores = append(stores, s)
	}
	var wg sync.WaitGroup
	ids := make([]string, 10)
	errs := make([]error, 10)
	for i := range 10 {
		wg.Go(func() {
			got, err := stores[i%2].Pull(context.Background(), reg.ref("conc:1"), PullOptions{})
			errs[i] = err
			if err == nil {
				ids[i] = got.ID
			}
		})
	}
	wg.Wait()
	for i := range 10 {
		if errs[i] != nil || ids[i] != configDigest(t, img) {
			t.Fatalf("pull %d: %v %s", i, errs[i], ids[i])
		}
	}
	layers, _ := img.Layers()
	for _, l := range layers {
		d, _ := l.Digest()
		if n := reg.blobGets("conc", d.String()); n != 1 {
			t.Errorf("layer %s fetched %d times, want once", d, n)
		}
	}
	list, err := stores[0].List()
	if err != nil || len(list) != 1 {
		t.Errorf("List: %v %v", list, err)
	}
	entries, _ := os.ReadDir(filepath.Join(root, layersDir))
	if len(entries) != 3 {
		t.Errorf("layers dir holds %d entries, want 3", len(entries))
	}
}

func TestRemoveAndPrune(t *testing.T) {
	requireRoot(t)
	reg := newTestRegistry(t)
	base := layerOf(t, file("base", "b"))
	a := imageOf(t, "linux/amd64", base, layerOf(t, file("a", "a")))
	b := imageOf(t, "linux/amd64", base, layerOf(t, file("b", "b")))
	reg.push(t, "a:1", a)
	reg.push(t, "b:1", b)
	s := openStore(t, Options{})
	ctx := context.Background()
	ia, err := s.Pull(ctx, reg.ref("a:1"), PullOptions{})
	if err != nil {
		t.Fatal(err)
	}
	ib, err := s.Pull(ctx, reg.ref("b:1"), PullOptions{})
	if err != nil {
		t.Fatal(err)
	}
	// a second tag: removing it only untags
	reg.push(t, "a:latest", a)
	if _, err := s.Pull(ctx, reg.ref("a:latest"), PullOptions{}); err != nil {
		t.Fatal(err)
	}
	if err := s.Remove(reg.ref("a:latest")); err != nil {
		t.Fatal(err)
	}
	if g, err := s.Get(ia.ID); err != nil || slices.Contains(g.RepoTags, reg.ref("a:latest")) {
		t.Fatalf("untag: %v %v", g, err)
	}

	if err := s.Remove(reg.ref("a:1")); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Get(ia.ID); !errors.Is(err, ErrNotFound) {
		t.Errorf("removed image still there: %v", err)
	}
	if _, err := s.LayerDirs(ib); err != nil {
		t.Errorf("b lost a layer (the shared base?): %v", err)
	}
	if _, ok := s.layerComplete(strings.TrimPrefix(ia.Layers[1].DiffID, "sha256:")); ok {
		t.Error("a's own layer survived its image")
	}
	if err := s.Remove(ia.ID); !errors.Is(err, ErrNotFound) {
		t.Errorf("second Remove: %v", err)
	}

	// leftovers of an interrupted unpack and removal
	os.MkdirAll(filepath.Join(s.root, layersDir, tmpPrefix+strings.Repeat("a", 64), layerFS), 0o755)
	os.MkdirAll(filepath.Join(s.root, layersDir, trashPrefix+"x", "fs"), 0o755)
	os.WriteFile(filepath.Join(s.root, locksDir, "layer-dead.lock"), nil, 0o600)

	removed, _, err := s.Prune(nil)
	if err != nil || len(removed) != 0 {
		t.Fatalf("Prune(nil): %v %v", removed, err)
	}
	if _, err := s.LayerDirs(ib); err != nil {
		t.Fatalf("Prune(nil) removed a used layer: %v", err)
	}
	removed, reclaimed, err := s.Prune(func(string) bool { return false })
	if err != nil || !slices.Equal(removed, []string{ib.ID}) || reclaimed <= 0 {
		t.Fatalf("Prune(all): %v %d %v", removed, reclaimed, err)
	}
	assertNoTrace(t, s)
}

func TestBasicAuth(t *testing.T) {
	requireRoot(t)
	t.Setenv("DOCKER_CONFIG", t.TempDir()) // no credentials from the host
	auth := func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if u, p, ok := r.BasicAuth(); !ok || u != "ci" || p != "s3cret" {
				w.Header().Set("WWW-Authenticate", `Basic realm="test"`)
				http.Error(w, "unauthorized", http.StatusUnauthorized)
				return
			}
			next.ServeHTTP(w, r)
		})
	}
	reg := newTestRegistry(t, auth)
	img := threeLayers(t, "linux/amd64")
	ref, _ := name.ParseReference(reg.ref("private:1"), name.Insecure)
	if err := remote.Write(ref, img, remote.WithAuth(basic("ci", "s3cret"))); err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	if _, err := openStore(t, Options{}).Pull(ctx, reg.ref("private:1"), PullOptions{}); err == nil {
		t.Fatal("pulled without credentials")
	}
	s := openStore(t, Options{Registries: map[string]RegistryConfig{reg.host: {Username: "ci", Password: "s3cret"}}})
	got, err := s.Pull(ctx, reg.ref("private:1"), PullOptions{})
	if err != nil || got.ID != configDigest(t, img) {
		t.Fatalf("pull with credentials: %v", err)
	}
}

func TestIncompleteLayerIsRedone(t *testing.T) {
	requireRoot(t)
	reg := newTestRegistry(t)
	img := threeLayers(t, "linux/amd64")
	reg.push(t, "crash:1", img)
	s := openStore(t, Options{})
	cf, _ := img.ConfigFile()
	hex := cf.RootFS.DiffIDs[0].Hex
	// A crash mid-unpack leaves a tmp dir; one by hand a dir without marker.
	os.MkdirAll(filepath.Join(s.root, layersDir, tmpPrefix+cf.RootFS.DiffIDs[1].Hex, layerFS, "half"), 0o755)
	os.MkdirAll(filepath.Join(s.layerPath(hex), layerFS, "half"), 0o755)
	got, err := s.Pull(context.Background(), reg.ref("crash:1"), PullOptions{})
	if err != nil {
		t.Fatal(err)
	}
	dirs, err := s.LayerDirs(got)
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range dirs[:2] {
		if _, err := os.Stat(filepath.Join(d, "half")); err == nil {
			t.Errorf("%s kept the partial content", d)
		}
	}
	mustContent(t, filepath.Join(dirs[0], "top"), "one")
}

func TestPush(t *testing.T) {
	requireRoot(t)
	reg := newTestRegistry(t)
	img := threeLayers(t, "linux/amd64")
	reg.push(t, "src:1", img)
	ctx := context.Background()
	for _, keep := range []bool{false, true} {
		s := openStore(t, Options{KeepLayerBlobs: keep})
		got, err := s.Pull(ctx, reg.ref("src:1"), PullOptions{})
		if err != nil {
			t.Fatal(err)
		}
		dest := reg.ref("dest:kept")
		if !keep {
			dest = reg.ref("dest:fetched")
		}
		if err := s.Push(ctx, got.ID, dest, nil); err != nil {
			t.Fatalf("push (keep %v): %v", keep, err)
		}
		ref, _ := name.ParseReference(dest, name.Insecure)
		desc, err := remote.Head(ref)
		if err != nil || desc.Digest.String() != got.Digest {
			t.Errorf("pushed digest %v (%v), want %s", desc, err, got.Digest)
		}
	}
}

// TestProcessesShareTheStore runs pulls in separate processes (this test
// binary again) on one root: each layer is still fetched once.
func TestProcessesShareTheStore(t *testing.T) {
	if root := os.Getenv("BERTH_IMAGE_TEST_ROOT"); root != "" {
		s, err := Open(root, Options{DefaultPlatform: "linux/amd64"})
		if err == nil {
			_, err = s.Pull(context.Background(), os.Getenv("BERTH_IMAGE_TEST_REF"), PullOptions{})
		}
		if err != nil {
			t.Fatal(err)
		}
		return
	}
	requireRoot(t)
	reg := newTestRegistry(t)
	img := threeLayers(t, "linux/amd64")
	reg.push(t, "procs:1", img)
	root := filepath.Join(t.TempDir(), "store")
	var cmds []*exec.Cmd
	for range 4 {
		cmd := exec.Command(os.Args[0], "-test.run=^TestProcessesShareTheStore$")
		cmd.Env = append(os.Environ(), "BERTH_IMAGE_TEST_ROOT="+root, "BERTH_IMAGE_TEST_REF="+reg.ref("procs:1"))
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		cmds = append(cmds, cmd)
	}
	for _, cmd := range cmds {
		if err := cmd.Wait(); err != nil {
			t.Fatalf("a pulling process failed: %v", err)
		}
	}
	layers, _ := img.Layers()
	for _, l := range layers {
		d, _ := l.Digest()
		if n := reg.blobGets("procs", d.String()); n != 1 {
			t.Errorf("layer %s fetched %d times by 4 processes, want once", d, n)
		}
	}
	s, _ := Open(root, Options{DefaultPlatform: "linux/amd64"})
	if got, err := s.Get(reg.ref("procs:1")); err != nil || got.ID != configDigest(t, img) {
		t.Errorf("Get after the processes: %v %v", got, err)
	}
	if files := storeFiles(t, s); slices.ContainsFunc(files, func(p string) bool { return strings.Contains(p, tmpPrefix) || strings.HasPrefix(p, "locks/") }) {
		t.Errorf("leftovers: %v", files)
	}
}
