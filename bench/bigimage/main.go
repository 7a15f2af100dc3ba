// Command bigimage pushes the pull benchmark's image to a registry on
// loopback: the busybox test image with LAYERS more layers on top, each
// one file of SIZE random (incompressible) bytes, so that a pull moves
// and unpacks about LAYERS x SIZE bytes whatever the compression.
//
//	go run ./bench/bigimage [-layers 10] [-size 20] 127.0.0.1:PORT/bench/big:1
//
// SIZE is in MiB. It prints the image's manifest digest and size.
package main

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"crypto/rand"
	"flag"
	"fmt"
	"io"
	"os"
	"path"
	"strings"
	"time"

	"github.com/berthhq/berth/acceptance/testimage"
	"github.com/google/go-containerregistry/pkg/name"
	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/mutate"
	"github.com/google/go-containerregistry/pkg/v1/remote"
	"github.com/google/go-containerregistry/pkg/v1/tarball"
	"github.com/google/go-containerregistry/pkg/v1/types"
)

func main() {
	layers := flag.Int("layers", 10, "random layers to add")
	size := flag.Int("size", 20, "MiB of random data per layer")
	flag.Parse()
	if flag.NArg() != 1 {
		fmt.Fprintln(os.Stderr, "usage: bigimage [-layers N] [-size MIB] 127.0.0.1:PORT/REPO:TAG")
		os.Exit(2)
	}
	if err := run(flag.Arg(0), *layers, *size<<20); err != nil {
		fmt.Fprintln(os.Stderr, "bigimage:", err)
		os.Exit(1)
	}
}

func run(ref string, layers, size int) error {
	r, err := name.ParseReference(ref, name.Insecure)
	if err != nil {
		return err
	}
	// The benchmark pushes only to the registry it started on loopback.
	if host := r.Context().RegistryStr(); !strings.HasPrefix(host, "127.0.0.1:") && !strings.HasPrefix(host, "localhost:") {
		return fmt.Errorf("refusing to push %s: not a registry on loopback", ref)
	}
	img, err := testimage.Busybox("", nil)
	if err != nil {
		return err
	}
	for i := range layers {
		l, err := randomLayer(fmt.Sprintf("bench/layer%02d", i), size)
		if err != nil {
			return err
		}
		if img, err = mutate.AppendLayers(img, l); err != nil {
			return err
		}
	}
	if err := remote.Write(r, img); err != nil {
		return err
	}
	d, err := img.Digest()
	if err != nil {
		return err
	}
	m, err := img.Manifest()
	if err != nil {
		return err
	}
	var total int64
	for _, l := range m.Layers {
		total += l.Size
	}
	fmt.Printf("pushed %s (%s, %d layers, %.1f MiB compressed)\n", ref, d, len(m.Layers), float64(total)/(1<<20))
	return nil
}

// randomLayer is a gzipped tar holding one file of size random bytes.
// It is compressed once here (at the fastest level: random data does not
// shrink) so that go-containerregistry takes the bytes as they are.
func randomLayer(file string, size int) (v1.Layer, error) {
	var buf bytes.Buffer
	zw, err := gzip.NewWriterLevel(&buf, gzip.BestSpeed)
	if err != nil {
		return nil, err
	}
	tw := tar.NewWriter(zw)
	epoch := time.Unix(0, 0)
	if err := tw.WriteHeader(&tar.Header{Typeflag: tar.TypeDir, Name: path.Dir(file) + "/", Mode: 0o755, ModTime: epoch}); err != nil {
		return nil, err
	}
	if err := tw.WriteHeader(&tar.Header{Typeflag: tar.TypeReg, Name: file, Mode: 0o644, Size: int64(size), ModTime: epoch}); err != nil {
		return nil, err
	}
	if _, err := io.CopyN(tw, rand.Reader, int64(size)); err != nil {
		return nil, err
	}
	if err := tw.Close(); err != nil {
		return nil, err
	}
	if err := zw.Close(); err != nil {
		return nil, err
	}
	data := buf.Bytes()
	return tarball.LayerFromOpener(func() (io.ReadCloser, error) {
		return io.NopCloser(bytes.NewReader(data)), nil
	}, tarball.WithMediaType(types.OCILayer))
}
