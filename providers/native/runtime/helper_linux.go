//go:build cgo

package runtime

import (
	"os"
	"path/filepath"
	"sync"
)

// A supervisor is this binary re-executed, unless the program embeds a
// runtime helper (UseHelper): a build of this package alone (see
// cmd/berth/helper), a third of the size of berth, which starts in half
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

// writeHelper writes data to path, executable by root alone, atomically
// and durably: a crash leaves no partial helper under the final name
// (and supervisorPath checks the size of what it finds).
func writeHelper(path string, data []byte) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return err
	}
	return writeFileAtomicSync(path, data, 0o700, true)
}
