package image

import (
	"bufio"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"

	"github.com/klauspost/compress/gzip"
	"github.com/klauspost/compress/zstd"
)

// layerJob is one layer to have unpacked.
type layerJob struct {
	diffID    string // "sha256:…" of the uncompressed tar
	digest    string // "sha256:…" of the stream open returns; "" when it is the tar itself
	size      int64  // bytes open returns, 0 when unknown
	mediaType string
	open      func() (io.ReadCloser, error)
}

// name is what progress reports call the layer.
func (j *layerJob) name() string {
	if j.digest != "" {
		return j.digest
	}
	return j.diffID
}

// layerInfo is the completion marker layers/<hex>/layer.json, written
// last: a layer directory without it is incomplete.
type layerInfo struct {
	DiffID       string    `json:"diff_id"`
	Digest       string    `json:"digest,omitempty"`
	MediaType    string    `json:"media_type,omitempty"`
	UnpackedSize int64     `json:"unpacked_size"`
	Unpacked     time.Time `json:"unpacked"`
}

// layerComplete reads the marker of an unpacked layer.
func (s *Store) layerComplete(hex string) (*layerInfo, bool) {
	data, err := os.ReadFile(filepath.Join(s.layerPath(hex), layerMarker))
	if err != nil {
		return nil, false
	}
	var li layerInfo
	if json.Unmarshal(data, &li) != nil {
		return nil, false
	}
	return &li, true
}

// ensureLayer has the layer unpacked, once per diff ID however many
// goroutines (singleflight) and processes (lock file) ask at once.
func (s *Store) ensureLayer(ctx context.Context, job *layerJob, rep *reporter) (int64, error) {
	hex, err := hexOf(job.diffID)
	if err != nil {
		return 0, err
	}
	for {
		v, err, _ := s.flight.Do(hex, func() (any, error) { return s.unpackLayer(ctx, hex, job, rep) })
		if err != nil && errors.Is(err, context.Canceled) && ctx.Err() == nil {
			continue // the goroutine that did the work was cancelled, not us
		}
		if err != nil {
			return 0, err
		}
		return v.(int64), nil
	}
}

func (s *Store) unpackLayer(ctx context.Context, hex string, job *layerJob, rep *reporter) (int64, error) {
	if li, ok := s.layerComplete(hex); ok {
		rep.send(Progress{Layer: job.name(), Done: true, Message: "exists"})
		return li.UnpackedSize, nil
	}
	lk, err := lockFile(ctx, filepath.Join(s.root, locksDir, "layer-"+hex+".lock"), true)
	if err != nil {
		return 0, err
	}
	defer lk.unlock()
	if li, ok := s.layerComplete(hex); ok { // another process did it meanwhile
		rep.send(Progress{Layer: job.name(), Done: true, Message: "exists"})
		return li.UnpackedSize, nil
	}
	// A directory without its marker was left incomplete (by hand, or by a
	// crash of an older layout): start over. A marker that is there but
	// unreadable is an error, never a reason to delete a layer in use.
	marker := filepath.Join(s.layerPath(hex), layerMarker)
	if _, err := os.Lstat(marker); !errors.Is(err, os.ErrNotExist) {
		return 0, fmt.Errorf("layer %s: unreadable completion marker %s: %v", job.diffID, marker, err)
	}
	if err := removeDir(s.layerPath(hex)); err != nil {
		return 0, err
	}
	tmp := filepath.Join(s.root, layersDir, tmpPrefix+hex)
	size, err := s.unpackAttempts(ctx, tmp, job, rep)
	if err != nil {
		return 0, err
	}
	if err := s.commitLayer(tmp, hex, job, size); err != nil {
		os.RemoveAll(tmp)
		return 0, err
	}
	rep.send(Progress{Layer: job.name(), Current: job.size, Total: job.size, Done: true, Message: "unpacked"})
	return size, nil
}

// unpackAttempts unpacks into tmp, starting over after a broken transfer.
// Whatever fails leaves no tmp behind.
func (s *Store) unpackAttempts(ctx context.Context, tmp string, job *layerJob, rep *reporter) (int64, error) {
	delay := s.backoff.Duration
	for attempt := 1; ; attempt++ {
		if err := os.RemoveAll(tmp); err != nil {
			return 0, err
		}
		if err := os.MkdirAll(filepath.Join(tmp, layerFS), 0o755); err != nil {
			return 0, err
		}
		size, err := s.fetchAndExtract(ctx, tmp, job, rep)
		if err == nil {
			return size, nil
		}
		os.RemoveAll(tmp)
		err = fmt.Errorf("layer %s: %w", job.name(), err)
		if !retriable(err) || attempt >= s.attempts {
			return 0, err
		}
		rep.send(Progress{Layer: job.name(), Message: fmt.Sprintf("retrying (%d/%d): %v", attempt, s.attempts-1, err)})
		if err := sleepCtx(ctx, delay); err != nil {
			return 0, err
		}
		delay = time.Duration(float64(delay) * s.backoff.Factor)
	}
}

// fetchAndExtract streams the layer from its source through the
// decompressor into the extractor, hashing both the stream and the tar,
// with no temporary copy of the layer.
func (s *Store) fetchAndExtract(ctx context.Context, dir string, job *layerJob, rep *reporter) (int64, error) {
	rc, err := job.open()
	if err != nil {
		return 0, err
	}
	defer rc.Close()
	src := newSourceReader(ctx, rc, job, rep)
	blob, err := s.keepBlob(job, src)
	if err != nil {
		return 0, err
	}
	defer blob.discard()
	br := bufio.NewReaderSize(src, 1<<20)
	dec, err := decompress(br)
	if err != nil {
		return 0, err
	}
	defer dec.Close()
	diff := sha256.New()
	size, err := extractTar(io.TeeReader(dec, diff), filepath.Join(dir, layerFS))
	if err != nil {
		return 0, blame(err, src, br)
	}
	// Read what the tar reader left (end-of-archive padding) so that both
	// digests cover every byte.
	if _, err := io.Copy(diff, dec); err != nil {
		return 0, err
	}
	if _, err := io.Copy(io.Discard, br); err != nil {
		return 0, err
	}
	if job.digest != "" && src.digest() != job.digest {
		return 0, &DigestError{What: "blob as downloaded", Expected: job.digest, Actual: src.digest()}
	}
	if got := "sha256:" + hex.EncodeToString(diff.Sum(nil)); got != job.diffID {
		return 0, &DigestError{What: "uncompressed content (diff ID)", Expected: job.diffID, Actual: got}
	}
	if err := syncFS(dir); err != nil {
		return 0, err
	}
	return size, blob.commit()
}

// blame explains a layer that failed to unpack: when the stream does not
// hash to its digest, that is the cause (a corrupt or tampered blob reads
// as a broken archive). The rest of the stream is read to know.
func blame(err error, src *sourceReader, rest io.Reader) error {
	var ue *UnsafeEntryError
	var te *transferError
	if src.job.digest == "" || errors.As(err, &ue) || errors.As(err, &te) || src.ctx.Err() != nil {
		return err
	}
	_, derr := io.Copy(io.Discard, rest)
	var de *DigestError
	switch {
	case errors.As(derr, &de):
		return de
	case derr == nil && src.digest() != src.job.digest:
		return &DigestError{What: "blob as downloaded", Expected: src.job.digest, Actual: src.digest()}
	}
	return err
}

var zstdMagic = []byte{0x28, 0xb5, 0x2f, 0xfd}

// decompress recognises gzip and zstd by their magic numbers; anything
// else is read as an uncompressed tar.
func decompress(br *bufio.Reader) (io.ReadCloser, error) {
	magic, err := br.Peek(4)
	if err != nil && err != io.EOF {
		return nil, err
	}
	switch {
	case len(magic) >= 2 && magic[0] == 0x1f && magic[1] == 0x8b:
		return gzip.NewReader(br)
	case bytes.Equal(magic, zstdMagic):
		d, err := zstd.NewReader(br, zstd.WithDecoderConcurrency(1), zstd.WithDecoderMaxMemory(1<<30))
		if err != nil {
			return nil, err
		}
		return d.IOReadCloser(), nil
	}
	return io.NopCloser(br), nil
}

// commitLayer writes the marker last, then renames the finished tree into
// place: layers/<hex> exists only complete.
func (s *Store) commitLayer(tmp, hex string, job *layerJob, size int64) error {
	li := layerInfo{DiffID: job.diffID, Digest: job.digest, MediaType: job.mediaType, UnpackedSize: size, Unpacked: time.Now().UTC()}
	if err := writeJSONAtomic(filepath.Join(tmp, layerMarker), li); err != nil {
		return err
	}
	if err := os.Rename(tmp, s.layerPath(hex)); err != nil {
		return err
	}
	return syncDir(filepath.Join(s.root, layersDir))
}
