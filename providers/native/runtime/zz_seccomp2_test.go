//go:build cgo && seccomp

package runtime

import (
	"encoding/binary"
	"io"
	"os"
	"testing"

	libseccomp "github.com/seccomp/libseccomp-golang"
)

func TestZZX32(t *testing.T) {
	f, _ := libseccomp.NewFilter(libseccomp.ActErrno.SetReturnCode(1))
	id, _ := libseccomp.GetSyscallFromName("read")
	f.AddRule(id, libseccomp.ActAllow)
	r, w, _ := os.Pipe()
	f.ExportBPF(w)
	w.Close()
	b, _ := io.ReadAll(r)
	for i := 0; i+8 <= len(b); i += 8 {
		code := binary.LittleEndian.Uint16(b[i:])
		jt, jf := b[i+2], b[i+3]
		k := binary.LittleEndian.Uint32(b[i+4:])
		t.Logf("%3d code=%#04x jt=%d jf=%d k=%#x", i/8, code, jt, jf, k)
	}
	a, _ := f.GetBadArchAction()
	t.Logf("badarch %v", a)
}
