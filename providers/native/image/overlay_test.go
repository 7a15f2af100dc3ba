package image

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"golang.org/x/sys/unix"
)

// TestOverlayMount stacks the layer directories with overlayfs, as the
// runtime will, and checks that whiteouts and opaque directories hide
// what the lower layers hold.
func TestOverlayMount(t *testing.T) {
	requireRoot(t)
	reg := newTestRegistry(t)
	base := layerOf(t, dir("etc"), file("etc/keep", "base"), file("etc/gone", "x"),
		dir("var"), dir("var/cache"), file("var/cache/old", "x"), file("top", "base"))
	upper := layerOf(t, dir("etc"), file("etc/.wh.gone", ""), dir("var"), dir("var/cache"),
		file("var/cache/.wh..wh..opq", ""), file("var/cache/new", "y"), file("top", "upper"))
	reg.push(t, "ovl:1", imageOf(t, "linux/amd64", base, upper))
	s := openStore(t, Options{})
	img, err := s.Pull(context.Background(), reg.ref("ovl:1"), PullOptions{})
	if err != nil {
		t.Fatal(err)
	}
	dirs, err := s.LayerDirs(img)
	if err != nil {
		t.Fatal(err)
	}
	slices.Reverse(dirs) // lowerdir= lists the uppermost first
	mnt := t.TempDir()
	if err := unix.Mount("overlay", mnt, "overlay", unix.MS_RDONLY, "lowerdir="+strings.Join(dirs, ":")); err != nil {
		t.Skipf("cannot mount overlayfs here: %v", err)
	}
	t.Cleanup(func() { unix.Unmount(mnt, unix.MNT_DETACH) })

	mustContent(t, filepath.Join(mnt, "etc/keep"), "base")
	mustContent(t, filepath.Join(mnt, "top"), "upper")
	mustContent(t, filepath.Join(mnt, "var/cache/new"), "y")
	for _, hidden := range []string{"etc/gone", "var/cache/old"} {
		if _, err := os.Lstat(filepath.Join(mnt, hidden)); !os.IsNotExist(err) {
			t.Errorf("%s is visible through the overlay: %v", hidden, err)
		}
	}
}
