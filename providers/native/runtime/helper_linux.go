//go:build cgo

package runtime

import (
	"os"
	"path/filepath"
	"strings"
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
	path := filepath.Join(filepath.Dir(r.root), helperDir, helperPrefix+helper.digest[:16])
	if fi, err := os.Stat(path); err == nil && fi.Mode().IsRegular() && fi.Size() == int64(len(helper.data)) {
		return path
	}
	if err := writeHelper(path, helper.data); err != nil {
		return selfExe
	}
	pruneHelpers(filepath.Dir(path), filepath.Base(path))
	return path
}

// helperPrefix starts the name of every helper file.
const helperPrefix = "berth-runtime-"

// pruneHelpers removes the helpers in dir that earlier versions of berth
// wrote (6 MiB each, one per upgrade), except keep and any that a
// process still runs: a supervisor's execs and health checks re-execute
// its own binary, which libcontainer can seal in place only while the
// file is there. It runs when a new helper is written, so once per
// upgrade.
func pruneHelpers(dir, keep string) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return
	}
	var stale []string
	for _, e := range entries {
		if name := e.Name(); strings.HasPrefix(name, helperPrefix) && name != keep && e.Type().IsRegular() {
			stale = append(stale, filepath.Join(dir, name))
		}
	}
	if len(stale) == 0 {
		return
	}
	inUse := map[string]bool{}
	exes, _ := filepath.Glob("/proc/[0-9]*/exe")
	for _, exe := range exes {
		if target, err := os.Readlink(exe); err == nil {
			inUse[target] = true
		}
	}
	for _, p := range stale {
		if !inUse[p] {
			_ = os.Remove(p)
		}
	}
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
