package image

import (
	"archive/tar"
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"golang.org/x/sys/unix"
)

// tree is a snapshot of a directory: path → type, mode, owner, size,
// content hash or link target, and xattrs.
func tree(t *testing.T, root string, skip string) map[string]string {
	t.Helper()
	out := map[string]string{}
	filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			t.Fatal(err)
		}
		if p == skip {
			return filepath.SkipDir
		}
		var st unix.Stat_t
		if err := unix.Lstat(p, &st); err != nil {
			t.Fatal(err)
		}
		desc := fmt.Sprintf("mode=%o uid=%d gid=%d size=%d", st.Mode, st.Uid, st.Gid, st.Size)
		switch {
		case d.Type()&fs.ModeSymlink != 0:
			target, _ := os.Readlink(p)
			desc += " -> " + target
		case d.Type().IsRegular():
			data, _ := os.ReadFile(p)
			sum := sha256.Sum256(data)
			desc += " sha256=" + hex.EncodeToString(sum[:])
		}
		if d.Type()&fs.ModeSymlink == 0 {
			buf := make([]byte, 64)
			if n, err := unix.Lgetxattr(p, overlayOpaque, buf); err == nil {
				desc += " opaque=" + string(buf[:n])
			}
		}
		out[p] = desc
		return nil
	})
	return out
}

func uniqueName(t *testing.T) string {
	var b [6]byte
	rand.Read(b[:])
	return "berth-test-" + hex.EncodeToString(b[:])
}

type maliciousCase struct {
	name    string
	entries func(sentinel, host string) []entry // host: a fresh name for /etc/<host>
	unsafe  bool                                // the pull must fail with ErrUnsafeLayer
	check   func(t *testing.T, fs, sentinel, host string)
}

// up leads from a layer's fs directory (<base>/store/layers/<dir>/fs) to
// <base>, where the sentinel lives.
const up = "../../../../"

var maliciousCases = []maliciousCase{
	{name: "dotdot traversal to sentinel", unsafe: true, entries: func(s, h string) []entry {
		return []entry{file(up+"sentinel/pwned", "x")}
	}},
	{name: "dotdot traversal to /etc", unsafe: true, entries: func(s, h string) []entry {
		return []entry{file(strings.Repeat("../", 30)+"etc/"+h, "x")}
	}},
	{name: "dotdot inside path", unsafe: true, entries: func(s, h string) []entry {
		return []entry{dir("a"), file("a/../../x", "x")}
	}},
	{name: "absolute path is confined", entries: func(s, h string) []entry {
		return []entry{file("/etc/"+h, "x"), file(s+"/pwned", "y")}
	}, check: func(t *testing.T, fs, s, h string) {
		mustContent(t, filepath.Join(fs, "etc", h), "x")
		mustContent(t, filepath.Join(fs, s, "pwned"), "y")
	}},
	{name: "symlink to absolute dir then write through it", unsafe: true, entries: func(s, h string) []entry {
		return []entry{symlink("evil", s), file("evil/pwned", "x")}
	}},
	{name: "symlink to dotdot then write through it", unsafe: true, entries: func(s, h string) []entry {
		return []entry{symlink("up", "../../../.."), file("up/sentinel/pwned", "x")}
	}},
	{name: "symlink deeper in the path", unsafe: true, entries: func(s, h string) []entry {
		return []entry{dir("a"), symlink("a/b", s), file("a/b/c/pwned", "x")}
	}},
	{name: "symlink to /etc then directory through it", unsafe: true, entries: func(s, h string) []entry {
		return []entry{symlink("etc", "/etc"), dir("etc/" + h)}
	}},
	{name: "directory replaced by symlink then write", unsafe: true, entries: func(s, h string) []entry {
		return []entry{dir("d"), file("d/f", "x"), symlink("d", s), file("d/pwned", "x")}
	}},
	{name: "file over a symlink replaces the symlink", entries: func(s, h string) []entry {
		return []entry{symlink("evil", s+"/file"), file("evil", "overwritten")}
	}, check: func(t *testing.T, fs, s, h string) {
		mustContent(t, filepath.Join(fs, "evil"), "overwritten")
	}},
	{name: "directory over a symlink replaces the symlink", entries: func(s, h string) []entry {
		return []entry{symlink("evil", s), dir("evil"), file("evil/inside", "x")}
	}, check: func(t *testing.T, fs, s, h string) {
		mustContent(t, filepath.Join(fs, "evil", "inside"), "x")
	}},
	{name: "hardlink to /etc/passwd", unsafe: true, entries: func(s, h string) []entry {
		return []entry{hardlink("passwd", "/etc/passwd")}
	}},
	{name: "hardlink to sentinel by absolute path", unsafe: true, entries: func(s, h string) []entry {
		return []entry{hardlink("f", s+"/file")}
	}},
	{name: "hardlink with dotdot", unsafe: true, entries: func(s, h string) []entry {
		return []entry{hardlink("x", "../../x")}
	}},
	{name: "hardlink with dotdot to sentinel", unsafe: true, entries: func(s, h string) []entry {
		return []entry{hardlink("x", up+"sentinel/file")}
	}},
	{name: "hardlink through a symlinked dir", unsafe: true, entries: func(s, h string) []entry {
		return []entry{symlink("d", s), hardlink("h", "d/file")}
	}},
	{name: "hardlink to absolute symlink then chmod", unsafe: true, entries: func(s, h string) []entry {
		return []entry{symlink("s", s+"/file"), hardlink("h", "s")}
	}},
	{name: "hardlink to escaping relative symlink then chmod", unsafe: true, entries: func(s, h string) []entry {
		return []entry{dir("a"), symlink("a/s", "../"+up+"sentinel/file"), hardlink("h", "a/s")}
	}},
	{name: "hardlink to inner symlink is kept, not chmodded", entries: func(s, h string) []entry {
		return []entry{file("target", "t"), symlink("s", "target"), hardlink("h", "s")}
	}, check: func(t *testing.T, fs, s, h string) {
		if got, _ := os.Readlink(filepath.Join(fs, "h")); got != "target" {
			t.Errorf("h -> %q, want target", got)
		}
		mustMode(t, filepath.Join(fs, "target"), 0o644)
	}},
	{name: "hardlink replaced by a file leaves its target alone", entries: func(s, h string) []entry {
		return []entry{file("a", "orig"), hardlink("b", "a"), file("b", "new")}
	}, check: func(t *testing.T, fs, s, h string) {
		mustContent(t, filepath.Join(fs, "a"), "orig")
		mustContent(t, filepath.Join(fs, "b"), "new")
	}},
	{name: "whiteout with dotdot", unsafe: true, entries: func(s, h string) []entry {
		return []entry{file(".wh.../../x", "")}
	}},
	{name: "whiteout of dotdot", unsafe: true, entries: func(s, h string) []entry {
		return []entry{dir("a"), file("a/.wh...", "")}
	}},
	{name: "whiteout traversal to sentinel", unsafe: true, entries: func(s, h string) []entry {
		return []entry{file(up+"sentinel/.wh.file", "")}
	}},
	{name: "whiteout through a symlink", unsafe: true, entries: func(s, h string) []entry {
		return []entry{symlink("evil", s), file("evil/.wh.file", "")}
	}},
	{name: "opaque marker through a symlink", unsafe: true, entries: func(s, h string) []entry {
		return []entry{symlink("evil", s), file("evil/.wh..wh..opq", "")}
	}},
	{name: "overlay xattrs from the tar are dropped", entries: func(s, h string) []entry {
		e := dir("d")
		e.xattrs = map[string]string{"trusted.overlay.redirect": "/etc", "trusted.overlay.opaque": "y"}
		return []entry{e}
	}, check: func(t *testing.T, fs, s, h string) {
		buf := make([]byte, 64)
		for _, x := range []string{"trusted.overlay.redirect", "trusted.overlay.opaque"} {
			if _, err := unix.Lgetxattr(filepath.Join(fs, "d"), x, buf); err == nil {
				t.Errorf("%s was applied from the tar", x)
			}
		}
	}},
	{name: "symlinks are stored as written", entries: func(s, h string) []entry {
		return []entry{symlink("abs", s), symlink("rel", "../../../../.."), symlink("etc/localtime", "/usr/share/zoneinfo/UTC")}
	}, check: func(t *testing.T, fs, s, h string) {
		for name, want := range map[string]string{"abs": s, "rel": "../../../../..", "etc/localtime": "/usr/share/zoneinfo/UTC"} {
			if got, err := os.Readlink(filepath.Join(fs, name)); err != nil || got != want {
				t.Errorf("%s -> %q (%v), want %q", name, got, err, want)
			}
		}
	}},
	{name: "device node named through a symlink", unsafe: true, entries: func(s, h string) []entry {
		return []entry{symlink("evil", s), {name: "evil/null", typ: tar.TypeChar, major: 1, mode: 0o666}}
	}},
}

func TestMaliciousLayers(t *testing.T) {
	requireRoot(t)
	reg := newTestRegistry(t)
	for i, tc := range maliciousCases {
		t.Run(tc.name, func(t *testing.T) {
			base := t.TempDir()
			sentinel := filepath.Join(base, "sentinel")
			if err := os.Mkdir(sentinel, 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(filepath.Join(sentinel, "file"), []byte("original"), 0o600); err != nil {
				t.Fatal(err)
			}
			host := uniqueName(t)
			s, err := Open(filepath.Join(base, "store"), Options{DefaultPlatform: "linux/amd64"})
			if err != nil {
				t.Fatal(err)
			}
			img := imageOf(t, "linux/amd64", layerOf(t, tc.entries(sentinel, host)...))
			repo := fmt.Sprintf("evil/case%d", i)
			reg.push(t, repo+":latest", img)
			before := tree(t, base, s.root)

			got, err := s.Pull(context.Background(), reg.ref(repo+":latest"), PullOptions{})

			if after := tree(t, base, s.root); !mapsEqual(before, after) {
				t.Errorf("files outside the store changed:\nbefore %v\nafter  %v", before, after)
			}
			for _, p := range []string{"/etc/" + host, "/" + host} {
				if _, err := os.Lstat(p); err == nil {
					os.RemoveAll(p)
					t.Errorf("%s was created on the host", p)
				}
			}
			if tc.unsafe {
				if !errors.Is(err, ErrUnsafeLayer) {
					t.Fatalf("pull: got %v, want an unsafe layer error", err)
				}
				t.Logf("refused: %v", err)
				assertNoTrace(t, s)
				return
			}
			if err != nil {
				t.Fatalf("pull: %v", err)
			}
			dirs, err := s.LayerDirs(got)
			if err != nil {
				t.Fatal(err)
			}
			if tc.check != nil {
				tc.check(t, dirs[0], sentinel, host)
			}
		})
	}
}

// assertNoTrace checks that a failed pull left nothing in the store but
// its empty directories.
func assertNoTrace(t *testing.T, s *Store) {
	t.Helper()
	want := []string{"blobs", "blobs/sha256", "images", "layers", "locks"}
	if got := storeFiles(t, s); !slices.Equal(got, want) {
		t.Errorf("store holds %v after a failed pull, want only %v", got, want)
	}
}

func mapsEqual(a, b map[string]string) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if b[k] != v {
			return false
		}
	}
	return true
}

func mustContent(t *testing.T, path, want string) {
	t.Helper()
	fi, err := os.Lstat(path)
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	if !fi.Mode().IsRegular() {
		t.Fatalf("%s is %v, want a regular file", path, fi.Mode())
	}
	got, _ := os.ReadFile(path)
	if string(got) != want {
		t.Errorf("%s holds %q, want %q", path, got, want)
	}
}

func mustMode(t *testing.T, path string, want os.FileMode) {
	t.Helper()
	fi, err := os.Lstat(path)
	if err != nil {
		t.Fatal(err)
	}
	if fi.Mode().Perm() != want {
		t.Errorf("%s mode %v, want %v", path, fi.Mode().Perm(), want)
	}
}
