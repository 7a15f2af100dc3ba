//go:build cgo

package runtime

import (
	"os"
	"path"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/cyphar/filepath-securejoin/pathrs-lite"
	"golang.org/x/sys/unix"
)

// fakeRoot is a directory standing for a container's root, with links
// that point out of it in every way, and a host directory beside it
// holding a secret.
func fakeRoot(t *testing.T) (root *os.File, rootDir, hostDir string) {
	t.Helper()
	base := t.TempDir()
	rootDir, hostDir = filepath.Join(base, "root"), filepath.Join(base, "host")
	for _, d := range []string{rootDir + "/etc", rootDir + "/data/sub", rootDir + "/tmp", hostDir} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	write(t, rootDir+"/etc/marker", "inside\n", 0o640)
	write(t, rootDir+"/data/sub/file", "data\n", 0o600)
	write(t, hostDir+"/secret", "secret\n", 0o600)
	for link, target := range map[string]string{
		"rootlink": "/", "uplink": "../../../../../../..", "hostlink": hostDir,
		"data/toroot": "/etc/marker", "data/up": "../../../..",
	} {
		if err := os.Symlink(target, filepath.Join(rootDir, link)); err != nil {
			t.Fatal(err)
		}
	}
	f, err := os.OpenFile(rootDir, unix.O_PATH|unix.O_DIRECTORY, 0)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { f.Close() })
	return f, rootDir, hostDir
}

func write(t *testing.T, p, content string, mode os.FileMode) {
	t.Helper()
	if err := os.WriteFile(p, []byte(content), mode); err != nil {
		t.Fatal(err)
	}
}

func read(t *testing.T, p string) string {
	t.Helper()
	data, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	return string(data)
}

// copyOut and copyIn are CopyFrom and CopyTo on a fake root.
func copyOut(root *os.File, src, dst string) error {
	from, err := openSource(root, src, func(p string) (*os.File, error) { return pathrs.OpenatInRoot(root, p) })
	if err != nil {
		return err
	}
	defer from.close()
	open := func(p string) (*os.File, error) { return os.OpenFile(p, unix.O_PATH|unix.O_CLOEXEC, 0) }
	return (&copier{}).to(from, src, filepath.Clean(dst), strings.HasSuffix(dst, "/"), open)
}

func copyIn(root *os.File, src, dst string) error {
	from, err := openSource(nil, src, func(p string) (*os.File, error) { return os.OpenFile(p, unix.O_PATH|unix.O_CLOEXEC, 0) })
	if err != nil {
		return err
	}
	defer from.close()
	open := func(p string) (*os.File, error) { return pathrs.OpenatInRoot(root, p) }
	return (&copier{}).to(from, src, path.Clean("/"+dst), strings.HasSuffix(dst, "/"), open)
}

func TestCopyOutStaysInsideTheRoot(t *testing.T) {
	root, _, hostDir := fakeRoot(t)
	out := t.TempDir()
	for _, src := range []string{"/rootlink/etc/marker", "/uplink/etc/marker", "/data/up/etc/marker", "/../../etc/marker"} {
		dst := filepath.Join(out, "m")
		if err := copyOut(root, src, dst); err != nil {
			t.Fatalf("%s: %v", src, err)
		}
		if got := read(t, dst); got != "inside\n" {
			t.Errorf("%s gave %q", src, got)
		}
	}
	// A host path through a link is looked up inside the root: not there.
	for _, src := range []string{"/uplink" + hostDir + "/secret", "/hostlink/secret", "/rootlink" + hostDir + "/secret"} {
		if err := copyOut(root, src, filepath.Join(out, "stolen")); err == nil {
			t.Errorf("%s: copied %q", src, read(t, filepath.Join(out, "stolen")))
		}
	}
	// A symlink is copied as itself, never followed.
	if err := copyOut(root, "/hostlink", filepath.Join(out, "link")); err != nil {
		t.Fatal(err)
	}
	if target, err := os.Readlink(filepath.Join(out, "link")); err != nil || target != hostDir {
		t.Errorf("link copied as %q, %v", target, err)
	}
}

func TestCopyInStaysInsideTheRoot(t *testing.T) {
	root, rootDir, hostDir := fakeRoot(t)
	src := filepath.Join(t.TempDir(), "new.txt")
	write(t, src, "new\n", 0o644)
	for _, dst := range []string{"/uplink/tmp/a.txt", "/rootlink/tmp/b.txt", "/data/up/tmp/c.txt"} {
		if err := copyIn(root, src, dst); err != nil {
			t.Fatalf("%s: %v", dst, err)
		}
		if got := read(t, filepath.Join(rootDir, "tmp", path.Base(dst))); got != "new\n" {
			t.Errorf("%s: %q inside", dst, got)
		}
	}
	// A link in the way is replaced, not written through.
	if err := copyIn(root, src, "/hostlink"); err != nil {
		t.Fatal(err)
	}
	if got := read(t, hostDir+"/secret"); got != "secret\n" {
		t.Errorf("host file now %q", got)
	}
	if fi, err := os.Lstat(rootDir + "/hostlink"); err != nil || !fi.Mode().IsRegular() {
		t.Errorf("hostlink is now %v, %v", fi.Mode(), err)
	}
	// Into a directory that a link of the host's name stands for: the
	// root's own (missing) directory, so an error.
	if err := copyIn(root, src, "/uplink"+hostDir+"/"); err == nil {
		t.Error("copied into a host directory")
	}
	if _, err := os.Stat(hostDir + "/new.txt"); err == nil {
		t.Error("wrote a host file")
	}
}

func TestCopyDirectoryKeepsModesAndTimes(t *testing.T) {
	root, rootDir, _ := fakeRoot(t)
	when := time.Date(2020, 1, 2, 3, 4, 5, 0, time.UTC)
	if err := os.Chtimes(rootDir+"/data/sub/file", when, when); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(rootDir+"/data/sub", 0o750); err != nil {
		t.Fatal(err)
	}
	out := t.TempDir()
	if err := copyOut(root, "/data", out); err != nil {
		t.Fatal(err)
	}
	fi, err := os.Stat(out + "/data/sub/file")
	if err != nil {
		t.Fatal(err)
	}
	if fi.Mode().Perm() != 0o600 || !fi.ModTime().Equal(when) {
		t.Errorf("file %v %v", fi.Mode(), fi.ModTime())
	}
	if di, err := os.Stat(out + "/data/sub"); err != nil || di.Mode().Perm() != 0o750 {
		t.Errorf("directory %v %v", di.Mode(), err)
	}
	// Copying again over the result merges; a host symlink where a
	// directory goes is not followed.
	if err := os.RemoveAll(out + "/data/sub"); err != nil {
		t.Fatal(err)
	}
	outside := t.TempDir()
	if err := os.Symlink(outside, out+"/data/sub"); err != nil {
		t.Fatal(err)
	}
	if err := copyOut(root, "/data", out); err == nil {
		t.Error("copied through a symlink in the destination")
	}
	if entries, _ := os.ReadDir(outside); len(entries) != 0 {
		t.Errorf("wrote %d entries outside", len(entries))
	}
	// Contents with "/.", and a directory onto a file is an error.
	merged := t.TempDir()
	if err := copyOut(root, "/data/.", merged); err != nil {
		t.Fatal(err)
	}
	if got := read(t, merged+"/sub/file"); got != "data\n" {
		t.Errorf("merged file %q", got)
	}
	if err := copyOut(root, "/data", merged+"/sub/file"); err == nil {
		t.Error("copied a directory onto a file")
	}
}
