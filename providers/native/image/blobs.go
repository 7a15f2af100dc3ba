package image

import (
	"crypto/sha256"
	"encoding/hex"
	"os"
	"path/filepath"
)

// keptBlob is the copy of a compressed layer kept with KeepLayerBlobs,
// written while the layer streams and renamed into blobs/ once verified.
type keptBlob struct {
	f     *os.File
	final string
}

func (s *Store) keepBlob(job *layerJob, src *sourceReader) (*keptBlob, error) {
	if !s.opts.KeepLayerBlobs || job.digest == "" {
		return &keptBlob{}, nil
	}
	hex, err := hexOf(job.digest)
	if err != nil {
		return nil, err
	}
	final := s.blobPath(hex)
	if _, err := os.Stat(final); err == nil {
		return &keptBlob{}, nil
	}
	f, err := os.CreateTemp(filepath.Dir(final), tmpPrefix+hex+"-*")
	if err != nil {
		return nil, err
	}
	src.keep = f
	return &keptBlob{f: f, final: final}, nil
}

func (b *keptBlob) commit() error {
	if b.f == nil {
		return nil
	}
	f := b.f
	b.f = nil
	err := f.Sync()
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(f.Name(), b.final)
	}
	if err != nil {
		os.Remove(f.Name())
	}
	return err
}

func (b *keptBlob) discard() {
	if b.f != nil {
		b.f.Close()
		os.Remove(b.f.Name())
	}
}

// putBlob stores data under its sha256 digest, returning the digest.
func (s *Store) putBlob(data []byte) (string, error) {
	sum := sha256.Sum256(data)
	hex := hex.EncodeToString(sum[:])
	path := s.blobPath(hex)
	if _, err := os.Stat(path); err == nil {
		return "sha256:" + hex, nil
	}
	return "sha256:" + hex, writeFileAtomic(path, data, 0o600)
}

func (s *Store) readBlob(digest string) ([]byte, error) {
	hex, err := hexOf(digest)
	if err != nil {
		return nil, err
	}
	return os.ReadFile(s.blobPath(hex))
}

func digestOf(data []byte) string {
	sum := sha256.Sum256(data)
	return "sha256:" + hex.EncodeToString(sum[:])
}
