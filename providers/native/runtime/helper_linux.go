//go:build cgo

package runtime

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sync"
)

// A supervisor is this binary re-executed, unless the program embeds a
// runtime helper (UseHelper): a build of this package alone (see
// cmd/berth-runtime), a third of the size of berth, which starts in half
// the time and keeps a third less memory per container, having none of
// the CLI's packages to initialise. A supervisor's libcontainer inits
// are re-executions of the supervisor's own binary, so every process of
// a detached container, and every exec and health check in it, is the
// helper. The helper is written once under the runtime root, named by
// its digest, and run from there.

var helper struct {
	mu     sync.Mutex
	data   []byte
	digest string
}

// UseHelper registers the runtime helper embedded in the program, and
// its SHA-256 digest (hex), computed when it was built.
func UseHelper(data []byte, digest string) {
	helper.mu.Lock()
	defer helper.mu.Unlock()
	helper.data, helper.digest = data, digest
}

// helperDir holds the helpers, beside the containers' directory (in the
// engine's runtime root, beside images/ and containers/).
const helperDir = "bin"

// supervisorPath is the program a new supervisor runs: the helper,
// written out first if this root does not have it yet, else (no helper,
// or it cannot be written) this very binary.
func (r *Runtime) supervisorPath() string {
	helper.mu.Lock()
	defer helper.mu.Unlock()
	if len(helper.data) == 0 || len(helper.digest) < 16 {
		return selfExe
	}
	path := filepath.Join(filepath.Dir(r.root), helperDir, "berth-runtime-"+helper.digest[:16])
	if fi, err := os.Stat(path); err == nil && fi.Mode().IsRegular() && fi.Size() == int64(len(helper.data)) {
		return path
	}
	if err := writeHelper(path, helper.data); err != nil {
		return selfExe
	}
	return path
}

// selfExe is this very binary, even if it has been replaced on disk.
const selfExe = "/proc/self/exe"

// writeHelper writes data to path, executable by root alone, atomically:
// a crash leaves no partial helper under the final name.
func writeHelper(path string, data []byte) (err error) {
	dir := filepath.Dir(path)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return err
	}
	f, err := os.CreateTemp(dir, ".tmp-")
	if err != nil {
		return err
	}
	defer func() {
		if err != nil {
			f.Close()
			os.Remove(f.Name())
		}
	}()
	if err := f.Chmod(0o700); err != nil {
		return err
	}
	if n, err := f.Write(data); err != nil || n != len(data) {
		return errors.Join(err, fmt.Errorf("short write of %s", path))
	}
	if err := f.Sync(); err != nil {
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	return os.Rename(f.Name(), path)
}
