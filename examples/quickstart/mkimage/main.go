// Command mkimage writes the quickstart's busybox image, built from
// Debian's busybox-static, to an OCI layout directory:
//
//	go run ./examples/quickstart/mkimage DIR [TAG]
package main

import (
	"fmt"
	"os"

	"github.com/berthhq/berth/acceptance/testimage"
)

func main() {
	if len(os.Args) < 2 {
		fmt.Fprintln(os.Stderr, "usage: mkimage DIR [TAG]")
		os.Exit(2)
	}
	tag := "latest"
	if len(os.Args) > 2 {
		tag = os.Args[2]
	}
	img, err := testimage.Busybox("", map[string]string{
		"srv/index.html": "<h1>hello from berth</h1>\n",
	})
	if err == nil {
		err = testimage.WriteLayout(os.Args[1], tag, img)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "mkimage:", err)
		os.Exit(1)
	}
	d, _ := img.Digest()
	fmt.Printf("wrote %s:%s (%s)\n", os.Args[1], tag, d)
}
