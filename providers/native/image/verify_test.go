package image

import (
	"bytes"
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/mutate"
)

// TestBrokenTransfer cuts the first download of a layer half way: the
// pull starts that layer over and succeeds.
func TestBrokenTransfer(t *testing.T) {
	requireRoot(t)
	img := threeLayers(t, "linux/amd64")
	layers, _ := img.Layers()
	d, _ := layers[1].Digest()
	var once sync.Once
	cut := func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			cutNow := false
			if r.Method == http.MethodGet && strings.HasSuffix(r.URL.Path, "/blobs/"+d.String()) {
				once.Do(func() { cutNow = true })
			}
			if !cutNow {
				next.ServeHTTP(w, r)
				return
			}
			rec := httptest.NewRecorder()
			next.ServeHTTP(rec, r)
			body := rec.Body.Bytes()
			w.Header().Set("Content-Length", rec.Header().Get("Content-Length"))
			w.WriteHeader(rec.Code)
			w.Write(body[:len(body)/2]) // the server closes the connection: short body
		})
	}
	reg := newTestRegistry(t, cut)
	reg.push(t, "flaky:1", img)
	s := openStore(t, Options{})
	var retried bool
	got, err := s.Pull(context.Background(), reg.ref("flaky:1"), PullOptions{Progress: func(p Progress) {
		retried = retried || strings.HasPrefix(p.Message, "retrying")
	}})
	if err != nil || got.ID != configDigest(t, img) {
		t.Fatalf("pull: %v", err)
	}
	if n := reg.blobGets("flaky", d.String()); n != 2 || !retried {
		t.Errorf("layer fetched %d times (retried %v), want 2", n, retried)
	}
}

func TestTamperedLayers(t *testing.T) {
	requireRoot(t)
	gz := layerOf(t, file("gz", "gzip content that is long enough to flip a byte in"))
	plain := staticUncompressedLayer(tarBytes(t, file("plain", "plain content that is long enough")))
	cases := map[string]*struct {
		layer      func() (string, error)
		wantDigest bool
	}{
		"gzip blob": {wantDigest: true, layer: func() (string, error) { d, err := gz.Digest(); return d.String(), err }},
		"uncompressed blob": {wantDigest: true, layer: func() (string, error) {
			d, err := plain.Digest()
			return d.String(), err
		}},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			digest, err := tc.layer()
			if err != nil {
				t.Fatal(err)
			}
			tamper := func(next http.Handler) http.Handler {
				return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
					if r.Method != http.MethodGet || !strings.HasSuffix(r.URL.Path, "/blobs/"+digest) {
						next.ServeHTTP(w, r)
						return
					}
					rec := httptest.NewRecorder()
					next.ServeHTTP(rec, r)
					body := rec.Body.Bytes()
					if i := bytes.Index(body, []byte("content")); i >= 0 {
						body[i] ^= 0x20 // inside a file's content: the tar stays well-formed
					} else {
						body[len(body)/2] ^= 0x55
					}
					w.WriteHeader(rec.Code)
					w.Write(body)
				})
			}
			reg := newTestRegistry(t, tamper)
			reg.push(t, "tampered:1", imageOf(t, "linux/amd64", layerOf(t, file("ok", "ok")), gz, plain))
			s := openStore(t, Options{})
			_, err = s.Pull(context.Background(), reg.ref("tampered:1"), PullOptions{})
			if err == nil || (tc.wantDigest && !errors.Is(err, ErrDigestMismatch)) {
				t.Fatalf("pull of a tampered layer: %v", err)
			}
			t.Logf("refused: %v", err)
			hex := digest[len("sha256:"):]
			for _, p := range storeFiles(t, s) {
				if strings.Contains(p, tmpPrefix) || strings.HasPrefix(p, "images/") || strings.Contains(p, hex) {
					t.Errorf("the failed pull left %s", p)
				}
			}
		})
	}
}

// TestDiffIDMismatch serves honest blobs under a config that lies about
// the uncompressed content.
func TestDiffIDMismatch(t *testing.T) {
	requireRoot(t)
	img := threeLayers(t, "linux/amd64")
	cf, _ := img.ConfigFile()
	cf = cf.DeepCopy()
	cf.RootFS.DiffIDs[1] = v1.Hash{Algorithm: "sha256", Hex: strings.Repeat("ab", 32)}
	lying, err := mutate.ConfigFile(img, cf)
	if err != nil {
		t.Fatal(err)
	}
	reg := newTestRegistry(t)
	reg.push(t, "liar:1", lying)
	s := openStore(t, Options{})
	_, err = s.Pull(context.Background(), reg.ref("liar:1"), PullOptions{})
	if !errors.Is(err, ErrDigestMismatch) {
		t.Fatalf("pull: %v", err)
	}
	t.Logf("refused: %v", err)
	for _, p := range storeFiles(t, s) {
		if strings.Contains(p, tmpPrefix) || strings.HasPrefix(p, "images/") {
			t.Errorf("the failed pull left %s", p)
		}
	}
}
