package acceptance

import (
	"io"
	"path/filepath"
	"strings"
	"testing"

	"github.com/berthhq/berth/acceptance/testimage"
	"github.com/google/go-containerregistry/pkg/name"
	"github.com/google/go-containerregistry/pkg/v1/remote"
)

// TestPush: berth push sends a stored image to a registry with its
// digest unchanged, its layers read from the OCI layout it was pulled
// from or from the registry it came from; what cannot be pushed is
// refused, saying why.
func TestPush(t *testing.T) {
	w := newWorkspace(t)
	w.config("")
	img, err := testimage.Busybox("", map[string]string{"srv/pushed": "pushed-by-berth"})
	if err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(t.TempDir(), "layout")
	if err := testimage.WriteLayout(dir, "v1", img); err != nil {
		t.Fatal(err)
	}
	layoutRef := "oci-layout:" + dir + ":v1"
	w.ok("pull", "-q", layoutRef)

	// From the layout to the registry: the digest is the store's.
	dest := registryHost + "/test/pushed:1"
	res := w.ok("push", layoutRef, dest)
	want, err := img.Digest()
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(res.stdout, dest+": digest: "+want.String()) {
		t.Errorf("push output %q, want the digest %s", res.stdout, want)
	}
	checkRemote(t, dest, want.String())

	// From the registry to another repository of it, by the image's ID.
	w.ok("pull", "-q", dest)
	res = w.ok("images", "-q")
	id := strings.Fields(res.stdout)[0]
	copyRef := registryHost + "/test/copy:2"
	w.ok("push", id, copyRef)
	checkRemote(t, copyRef, want.String())

	// A run of the pushed image, pulled back, sees its file.
	w.ok("rmi", dest, layoutRef)
	res = w.ok("run", "--rm", "--network", "none", copyRef, "cat", "/srv/pushed")
	if res.stdout != "pushed-by-berth" {
		t.Errorf("the pushed image's file reads %q", res.stdout)
	}

	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"push", registryHost + "/test/absent:1"}, "is not in the store: pull it first"},
		{[]string{"push", copyRef, "oci-layout:/tmp/x:1"}, "the destination must be a registry ref"},
		{[]string{"push", copyRef, "UPPER/Case:1"}, "UPPER/Case"},
	} {
		if res := w.berth(tc.args...); res.code != 1 || !strings.Contains(res.stderr, tc.want) {
			t.Errorf("berth %s: %s; want exit 1 and %q", strings.Join(tc.args, " "), res, tc.want)
		}
	}
}

// checkRemote reads ref back from the registry: its manifest digest must
// be want and every layer must be there, whole.
func checkRemote(t *testing.T, ref, want string) {
	t.Helper()
	r, err := name.ParseReference(ref, name.Insecure)
	if err != nil {
		t.Fatal(err)
	}
	img, err := remote.Image(r)
	if err != nil {
		t.Fatalf("%s is not in the registry: %v", ref, err)
	}
	if got, _ := img.Digest(); got.String() != want {
		t.Errorf("%s has digest %s, want %s", ref, got, want)
	}
	layers, err := img.Layers()
	if err != nil {
		t.Fatal(err)
	}
	for _, l := range layers {
		rc, err := l.Compressed()
		if err == nil {
			_, err = io.Copy(io.Discard, rc) // verifies the digest at EOF
			rc.Close()
		}
		if err != nil {
			t.Errorf("%s: a layer cannot be read back: %v", ref, err)
		}
	}
}
