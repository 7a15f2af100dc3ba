package image

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"hash"
	"io"
	"net"
	"sync"
	"syscall"
)

// reporter serialises Progress callbacks of one Pull.
type reporter struct {
	mu  sync.Mutex
	ref string
	fn  func(Progress)
}

func newReporter(ref string, fn func(Progress)) *reporter {
	return &reporter{ref: ref, fn: fn}
}

func (r *reporter) send(p Progress) {
	if r == nil || r.fn == nil {
		return
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	p.Ref = r.ref
	r.fn(p)
}

const reportEvery = 1 << 20 // bytes between progress reports of a layer

// sourceReader reads a layer as distributed: it counts and hashes the
// bytes, keeps a copy when asked, honours ctx, reports progress, and
// marks read errors as transfer errors (worth another attempt) unless the
// bytes were all there and hash to the wrong digest.
type sourceReader struct {
	ctx    context.Context
	r      io.Reader
	hash   hash.Hash
	keep   io.Writer
	n      int64
	last   int64
	job    *layerJob
	report *reporter
}

func newSourceReader(ctx context.Context, r io.Reader, job *layerJob, rep *reporter) *sourceReader {
	return &sourceReader{ctx: ctx, r: r, hash: sha256.New(), job: job, report: rep}
}

func (s *sourceReader) Read(p []byte) (int, error) {
	if err := s.ctx.Err(); err != nil {
		return 0, err
	}
	n, err := s.r.Read(p)
	if n > 0 {
		s.hash.Write(p[:n])
		if s.keep != nil {
			if _, werr := s.keep.Write(p[:n]); werr != nil {
				return n, werr
			}
		}
		s.n += int64(n)
		if s.n-s.last >= reportEvery {
			s.last = s.n
			s.report.send(Progress{Layer: s.job.name(), Current: s.n, Total: s.job.size, Message: "downloading"})
		}
	}
	if err != nil && err != io.EOF {
		if s.job.digest != "" && s.n == s.job.size && s.digest() != s.job.digest {
			return n, &DigestError{What: "blob as downloaded", Expected: s.job.digest, Actual: s.digest()}
		}
		return n, &transferError{err}
	}
	return n, err
}

func (s *sourceReader) digest() string { return "sha256:" + hex.EncodeToString(s.hash.Sum(nil)) }

// transferError is a failure while reading a layer from its source.
type transferError struct{ err error }

func (e *transferError) Error() string { return e.err.Error() }
func (e *transferError) Unwrap() error { return e.err }

// retriable reports whether a failed layer transfer is worth another
// attempt: the connection broke, not the content.
func retriable(err error) bool {
	var te *transferError
	if !errors.As(err, &te) || errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return false
	}
	var ne net.Error
	return errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, syscall.ECONNRESET) ||
		errors.Is(err, syscall.EPIPE) || errors.Is(err, net.ErrClosed) || errors.As(err, &ne)
}
