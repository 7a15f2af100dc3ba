// Command mkimage writes the quickstart's busybox image, built from
// Debian's busybox-static, to an OCI layout directory, or with
// --docker-archive to a `docker save` tarball:
//
//	go run ./examples/quickstart/mkimage DIR [TAG]
//	go run ./examples/quickstart/mkimage --docker-archive FILE.tar REPO:TAG
package main

import (
	"fmt"
	"os"

	"github.com/berthhq/berth/acceptance/testimage"
)

func main() {
	args := os.Args[1:]
	archive := len(args) > 0 && args[0] == "--docker-archive"
	if archive {
		args = args[1:]
	}
	if len(args) < 1 || archive && len(args) < 2 {
		fmt.Fprintln(os.Stderr, "usage: mkimage DIR [TAG] | mkimage --docker-archive FILE REPO:TAG")
		os.Exit(2)
	}
	img, err := testimage.Busybox("", map[string]string{
		"srv/index.html": "<h1>hello from berth</h1>\n",
	})
	if err != nil {
		fmt.Fprintln(os.Stderr, "mkimage:", err)
		os.Exit(1)
	}
	tag := "latest"
	if len(args) > 1 {
		tag = args[1]
	}
	if archive {
		err = testimage.WriteDockerArchive(args[0], tag, img)
	} else {
		err = testimage.WriteLayout(args[0], tag, img)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "mkimage:", err)
		os.Exit(1)
	}
	// berth names an image by its config digest (its id, as Docker's
	// image ID) and pins it by its manifest digest: print both, named.
	id, _ := img.ConfigName()
	d, _ := img.Digest()
	fmt.Printf("wrote %s (tag %s)\n  id:     %s (the config digest: berth images and image.*.id show this)\n  digest: %s (the manifest digest: image.*.digest)\n", args[0], tag, id, d)
}
