//go:build cgo

package runtime

import (
	"crypto/sha256"
	"io"
	"os"
	"regexp"
	"strings"
	"testing"
	"time"
)

// TestHardening checks Docker's defaults from inside a container.
func TestHardening(t *testing.T) {
	rt := newRuntime(t)
	s := shSpec(`
grep -E "^(CapEff|CapBnd|CapPrm|CapInh|CapAmb|Seccomp|NoNewPrivs|SigIgn|SigBlk):" /proc/self/status
echo 1 > /proc/sys/kernel/domainname 2>/dev/null && echo WROTE-PROC-SYS
echo 1 > /sys/kernel/profiling 2>/dev/null && echo WROTE-SYS
touch /sys/x 2>/dev/null && echo WROTE-SYS-DIR
echo "kcore=[$(head -c 16 /proc/kcore 2>/dev/null | od -An -c | tr -d ' \n')]"
echo "keys=[$(cat /proc/keys 2>/dev/null)]"
echo "fds=[$(ls /proc/self/fd | tr '\n' ' ')]"
echo "devs=[$(ls /dev | tr '\n' ' ')]"
mknod /dev/sda1 b 8 1 2>/dev/null && (head -c 1 /dev/sda1 >/dev/null 2>&1 && echo READ-BLOCK-DEVICE)
unshare -U true 2>/dev/null && echo UNSHARED
echo "hostname=$(hostname) etc=$(cat /etc/hostname)"
echo "net=[$(cat /proc/net/dev | tail -n +3 | cut -d: -f1 | tr -d ' ' | tr '\n' ' ')]"
mount -t tmpfs none /mnt 2>/dev/null && echo MOUNTED
true
`)
	out, st := runToExit(t, rt, s)
	t.Logf("output:\n%s", out)
	if st.ExitCode != 0 {
		t.Errorf("exit code %d", st.ExitCode)
	}
	for _, want := range []string{
		"CapEff:\t00000000a80425fb", "CapBnd:\t00000000a80425fb", "CapPrm:\t00000000a80425fb",
		"CapInh:\t0000000000000000", "CapAmb:\t0000000000000000",
		"Seccomp:\t2", "NoNewPrivs:\t1", "SigIgn:\t0000000000000000", "SigBlk:\t0000000000000000",
		"kcore=[]", "keys=[]",
		"devs=[fd full mqueue null ptmx pts random shm stderr stdin stdout tty urandom zero ]",
		"hostname=" + s.Name + " etc=" + s.Name,
		"net=[lo ]",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q", want)
		}
	}
	for _, bad := range []string{"WROTE", "READ-BLOCK-DEVICE", "UNSHARED", "MOUNTED"} {
		if strings.Contains(out, bad) {
			t.Errorf("output has %q", bad)
		}
	}
	// ls's own directory fd is the only one beyond stdio.
	if m := regexp.MustCompile(`fds=\[([^\]]*)\]`).FindStringSubmatch(out); m == nil || strings.Fields(m[1])[len(strings.Fields(m[1]))-1] != "3" || len(strings.Fields(m[1])) != 4 {
		t.Errorf("open fds: %v", m)
	}
}

// TestCVE2019_5736: a container cannot overwrite the binary that runs
// containers, through /proc/self/exe as its entrypoint nor through the
// /proc/PID/exe of health-check processes joining it.
func TestCVE2019_5736(t *testing.T) {
	rt := newRuntime(t)
	before := selfHash(t)

	// Entrypoint /proc/self/exe: resolves to libcontainer's sealed copy
	// of this binary, which then runs as a (failing) supervisor.
	s := shSpec("")
	s.Args = []string{"/proc/self/exe", "__berth-supervise", "/nonexistent", "x"}
	runToExit(t, rt, s)

	attack := shSpec(`
while :; do
  for f in /proc/[0-9]*/exe; do
    (cp /bin/busybox "$f" && echo "OVERWROTE $f") 2>/dev/null
    (echo x >> "$f" && echo "APPENDED $f") 2>/dev/null
  done
done`)
	attack.Health = &Health{Command: []string{"true"}, Interval: 50 * time.Millisecond}
	create(t, rt, attack)
	waitFor(t, rt, attack.ID, "health checks", func(st *Status) bool { return len(st.HealthLog) >= 5 })
	if out := logText(t, rt, attack.ID, ""); out != "" {
		t.Errorf("attack output: %.2000s", out)
	}
	if after := selfHash(t); after != before {
		t.Fatal("the test binary was modified from inside a container")
	}
}

func selfHash(t *testing.T) [32]byte {
	t.Helper()
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	f, err := os.Open(exe)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		t.Fatal(err)
	}
	var sum [32]byte
	copy(sum[:], h.Sum(nil))
	return sum
}
