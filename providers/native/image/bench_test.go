package image

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"testing"

	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/random"
	"github.com/google/go-containerregistry/pkg/v1/types"
)

// BenchmarkPullUnpack pulls a 50 MB, 5-layer image of random (so
// incompressible) content from a registry on loopback into a fresh store
// each time: download, gunzip, hashing, extraction and syncfs.
func BenchmarkPullUnpack(b *testing.B) {
	requireRoot(b)
	const layers, layerSize = 5, 10 << 20
	var ls []v1.Layer
	for range layers {
		l, err := random.Layer(layerSize, types.DockerLayer)
		if err != nil {
			b.Fatal(err)
		}
		ls = append(ls, l)
	}
	img := imageOf(b, "linux/amd64", ls...)
	reg := newTestRegistry(b)
	reg.push(b, "bench:1", img)
	base := b.TempDir()
	b.SetBytes(layers * layerSize)
	b.ResetTimer()
	for i := range b.N {
		root := filepath.Join(base, fmt.Sprint(i))
		s, err := Open(root, Options{DefaultPlatform: "linux/amd64"})
		if err != nil {
			b.Fatal(err)
		}
		if _, err := s.Pull(context.Background(), reg.ref("bench:1"), PullOptions{}); err != nil {
			b.Fatal(err)
		}
		b.StopTimer()
		os.RemoveAll(root)
		b.StartTimer()
	}
}
