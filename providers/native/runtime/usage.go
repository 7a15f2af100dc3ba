package runtime

import (
	"io/fs"
	"path/filepath"
)

// FilesSize is the bytes of the regular files a container wrote to its
// own filesystem (the overlay's upper layer): what removing it frees
// besides its image. A missing container has 0.
func (r *Runtime) FilesSize(id string) int64 {
	if !ValidID(id) {
		return 0
	}
	var n int64
	_ = filepath.WalkDir(filepath.Join(r.dir(id), upperDir), func(_ string, d fs.DirEntry, err error) error {
		if err == nil && d.Type().IsRegular() {
			if fi, err := d.Info(); err == nil {
				n += fi.Size()
			}
		}
		return nil
	})
	return n
}
