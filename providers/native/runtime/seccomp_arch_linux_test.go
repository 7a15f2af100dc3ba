//go:build cgo

package runtime

import (
	"bytes"
	"encoding/binary"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	goruntime "runtime"
	"syscall"
	"testing"
)

// exit42 is a static i386 program doing exit(42) through int 0x80: an
// ELF header, one program header, and the code.
func exit42() []byte {
	const base, hdrs = 0x08048000, 52 + 32
	code := []byte{0xb8, 1, 0, 0, 0, 0xbb, 42, 0, 0, 0, 0xcd, 0x80} // mov eax,1; mov ebx,42; int 0x80
	var b bytes.Buffer
	b.Write([]byte{0x7f, 'E', 'L', 'F', 1, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0})
	le := func(v ...any) {
		for _, x := range v {
			_ = binary.Write(&b, binary.LittleEndian, x)
		}
	}
	size := uint32(hdrs + len(code))
	le(uint16(2), uint16(3), uint32(1), uint32(base+hdrs), uint32(52), uint32(0), uint32(0),
		uint16(52), uint16(32), uint16(1), uint16(0), uint16(0), uint16(0))
	le(uint32(1), uint32(0), uint32(base), uint32(base), size, size, uint32(5), uint32(0x1000))
	b.Write(code)
	return b.Bytes()
}

func writeFiles(t *testing.T, files map[string][]byte) string {
	dir := t.TempDir()
	for name, data := range files {
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if data == nil {
			if err := os.MkdirAll(p, 0o755); err != nil {
				t.Fatal(err)
			}
			continue
		}
		if err := os.WriteFile(p, data, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func TestMayRun32Bit(t *testing.T) {
	elf64 := []byte{0x7f, 'E', 'L', 'F', 2, 1, 1, 0}
	tests := []struct {
		name  string
		files map[string][]byte
		args  []string
		want  bool
	}{
		{"64-bit image", map[string][]byte{"bin/sh": elf64}, []string{"sh"}, false},
		{"32-bit shell", map[string][]byte{"bin/sh": exit42()}, []string{"true"}, true},
		{"32-bit command", map[string][]byte{"bin/sh": elf64, "opt/app": exit42()}, []string{"/opt/app"}, true},
		{"multilib", map[string][]byte{"bin/sh": elf64, "usr/lib32": nil}, []string{"sh"}, true},
		{"no shell", map[string][]byte{}, []string{"/app"}, false},
	}
	markers := map[string]string{"amd64": "usr/lib32", "arm64": "lib/arm-linux-gnueabihf"}
	if _, ok := markers[goruntime.GOARCH]; !ok {
		t.Skip("the 32-bit ABI is only trimmed on amd64 and arm64")
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			files := map[string][]byte{}
			for k, v := range tc.files {
				if k == "usr/lib32" {
					k = markers[goruntime.GOARCH]
				}
				files[k] = v
			}
			if got := mayRun32Bit(writeFiles(t, files), tc.args); got != tc.want {
				t.Errorf("mayRun32Bit = %v, want %v", got, tc.want)
			}
		})
	}
}

// A 32-bit program runs when the image has signs of 32-bit programs, and
// is killed by the filter (SIGSYS) when it has none.
func TestCompat32Filter(t *testing.T) {
	if goruntime.GOARCH != "amd64" {
		t.Skip("the test program is i386 code")
	}
	app := writeFiles(t, map[string][]byte{"opt/exit42": exit42()})
	if err := exec.Command(filepath.Join(app, "opt/exit42")).Run(); errors.Is(err, syscall.ENOEXEC) {
		// Kernels built with IA32 emulation may still have it off (the
		// ia32_emulation= boot switch, some hypervisors' guests).
		t.Skip("this kernel does not run i386 programs:", err)
	}
	rt := newRuntime(t)
	multilib := writeFiles(t, map[string][]byte{"usr/lib32": nil})
	tests := []struct {
		name   string
		layers []string
		args   []string
		code   int
	}{
		{"direct", []string{lowerDir, app}, []string{"/opt/exit42"}, 42},
		{"multilib image", []string{lowerDir, app, multilib}, []string{"/bin/sh", "-c", "/opt/exit42"}, 42},
		{"64-bit image", []string{lowerDir, app}, []string{"/bin/sh", "-c", "/opt/exit42"}, 128 + 31},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s := shSpec("")
			s.LowerDirs, s.Args, s.AutoRemove = tc.layers, tc.args, true
			code, _, _, err := runFg(t, rt, s, ForegroundIO{})
			if err != nil || code != tc.code {
				t.Errorf("exit code %d (%v), want %d", code, err, tc.code)
			}
		})
	}
}
