package runtime

import (
	"fmt"
	"os"
	"path/filepath"

	"golang.org/x/sys/unix"
)

// namesLock is the file under the runtime root whose lock Create holds
// from the check that a container's name is free until the container's
// status record, which carries the name, is written: two berth processes
// creating one name on one root cannot both pass the check.
const namesLock = ".names.lock"

// lockNames takes the runtime root's name lock, waiting for it; the
// returned function releases it.
func (r *Runtime) lockNames() (func(), error) {
	f, err := os.OpenFile(filepath.Join(r.root, namesLock), os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return nil, fmt.Errorf("name lock: %w", err)
	}
	for {
		err = unix.Flock(int(f.Fd()), unix.LOCK_EX)
		if err != unix.EINTR {
			break
		}
	}
	if err != nil {
		f.Close()
		return nil, fmt.Errorf("name lock: %w", err)
	}
	return func() { f.Close() }, nil
}

// checkName fails with a *NameTakenError when another container under
// the root is called name. The caller holds the name lock.
func (r *Runtime) checkName(id, name string) error {
	if name == "" {
		return nil
	}
	all, err := r.List()
	if err != nil {
		return err
	}
	for _, st := range all {
		if st.Name == name && st.ID != id {
			return &NameTakenError{Name: name, Holder: st}
		}
	}
	return nil
}
