//go:build cgo

package runtime

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"golang.org/x/sys/unix"
)

func TestHealth(t *testing.T) {
	rt := newRuntime(t)
	healthy := shSpec(`while :; do sleep 1; done`)
	healthy.Health = &Health{Command: []string{"CMD-SHELL", "echo ok; test -e /bin/sh"}, Interval: 100 * time.Millisecond}
	st := create(t, rt, healthy)
	if st.Health != HealthStarting {
		t.Errorf("health right after start = %q", st.Health)
	}
	st = waitFor(t, rt, healthy.ID, "healthy", func(st *Status) bool { return st.Health == HealthHealthy })
	if last := st.HealthLog[len(st.HealthLog)-1]; last.ExitCode != 0 || last.Output != "ok\n" {
		t.Errorf("last health result %+v", last)
	}
	st = waitFor(t, rt, healthy.ID, "7 checks", func(st *Status) bool {
		return len(st.HealthLog) == maxHealthLog && st.HealthLog[0].Start.Sub(st.StartedAt) > 300*time.Millisecond
	})
	if len(st.HealthLog) != maxHealthLog {
		t.Errorf("health log has %d entries", len(st.HealthLog))
	}

	unhealthy := shSpec(`while :; do sleep 1; done`)
	unhealthy.Health = &Health{Command: []string{"sh", "-c", "echo bad >&2; exit 4"}, Interval: 100 * time.Millisecond, Retries: 2}
	create(t, rt, unhealthy)
	st = waitFor(t, rt, unhealthy.ID, "unhealthy", func(st *Status) bool { return st.Health == HealthUnhealthy })
	if st.FailingStreak < 2 || st.HealthLog[0].ExitCode != 4 || st.HealthLog[0].Output != "bad\n" {
		t.Errorf("unhealthy status %+v", st)
	}

	slow := shSpec(`while :; do sleep 1; done`)
	slow.Health = &Health{Command: []string{"sleep", "10"}, Interval: 100 * time.Millisecond, Timeout: 100 * time.Millisecond, Retries: 1}
	create(t, rt, slow)
	st = waitFor(t, rt, slow.ID, "unhealthy by timeout", func(st *Status) bool { return st.Health == HealthUnhealthy })
	if !strings.Contains(st.HealthLog[0].Output, "timeout") {
		t.Errorf("timed-out check: %+v", st.HealthLog[0])
	}

	// Update turns health checks off on the running container.
	if err := rt.Update(context.Background(), slow.ID, Update{Restart: RestartNo}); err != nil {
		t.Fatal(err)
	}
	if st, _ := rt.Status(slow.ID); st.Health != HealthNone || st.Spec.Health != nil {
		t.Errorf("after removing the health check: %+v", st)
	}
}

func TestHealthStartPeriod(t *testing.T) {
	rt := newRuntime(t)
	s := shSpec(`while :; do sleep 1; done`)
	s.Health = &Health{Command: []string{"false"}, Interval: 50 * time.Millisecond, Retries: 1, StartPeriod: time.Hour}
	create(t, rt, s)
	st := waitFor(t, rt, s.ID, "3 checks", func(st *Status) bool { return len(st.HealthLog) >= 3 })
	if st.Health != HealthStarting || st.FailingStreak != 0 {
		t.Errorf("failures counted during the start period: %+v", st)
	}
}

func TestResources(t *testing.T) {
	rt := newRuntime(t)
	s := shSpec(`cat /sys/fs/cgroup/memory/memory.limit_in_bytes /sys/fs/cgroup/memory.max /sys/fs/cgroup/pids/pids.max /sys/fs/cgroup/pids.max 2>/dev/null; while :; do sleep 1; done`)
	s.Resources = Resources{Memory: 64 << 20, CPUs: 0.5, Pids: 100}
	create(t, rt, s)
	waitFor(t, rt, s.ID, "limits in log", func(*Status) bool { return strings.Count(logText(t, rt, s.ID, ""), "\n") >= 2 })
	if out := logText(t, rt, s.ID, ""); out != "67108864\n100\n" {
		t.Errorf("limits seen inside: %q", out)
	}
	if got := hostCgroupValue(t, s.ID, "memory", "memory.limit_in_bytes", "memory.max"); got != "67108864" {
		t.Errorf("host memory limit %q", got)
	}
	if got := hostCgroupValue(t, s.ID, "cpu", "cpu.cfs_quota_us", "cpu.max"); got != "50000" && got != "50000 100000" {
		t.Errorf("host cpu quota %q", got)
	}

	u := Update{Resources: Resources{Memory: 128 << 20}}
	if err := rt.Update(context.Background(), s.ID, u); err != nil {
		t.Fatalf("Update: %v", err)
	}
	if got := hostCgroupValue(t, s.ID, "memory", "memory.limit_in_bytes", "memory.max"); got != "134217728" {
		t.Errorf("memory limit after Update %q", got)
	}
	if got := hostCgroupValue(t, s.ID, "pids", "pids.max", "pids.max"); got != "4096" {
		t.Errorf("pids limit after Update (default) %q", got)
	}
	if got := hostCgroupValue(t, s.ID, "cpu", "cpu.cfs_quota_us", "cpu.max"); got != "-1" && !strings.HasPrefix(got, "max") {
		t.Errorf("cpu quota after Update %q", got)
	}
	if st, _ := rt.Status(s.ID); st.Spec.Resources.Memory != 128<<20 {
		t.Errorf("recorded spec %+v", st.Spec.Resources)
	}
}

// hostCgroupValue reads a file of the container's cgroup: v1 (controller
// hierarchy) or v2 (unified).
func hostCgroupValue(t *testing.T, id, controller, v1, v2 string) string {
	t.Helper()
	for _, p := range []string{
		filepath.Join("/sys/fs/cgroup", controller, "berth", id, v1),
		filepath.Join("/sys/fs/cgroup/berth", id, v2),
	} {
		if data, err := os.ReadFile(p); err == nil {
			return strings.TrimSpace(string(data))
		}
	}
	t.Errorf("no %s/%s for %s", v1, v2, id)
	return ""
}

func TestMountsUserAndReadOnly(t *testing.T) {
	rt := newRuntime(t)
	host := t.TempDir()
	if err := os.WriteFile(filepath.Join(host, "in.txt"), []byte("from host"), 0o644); err != nil {
		t.Fatal(err)
	}
	vol := t.TempDir()
	if err := os.Chmod(vol, 0o777); err != nil {
		t.Fatal(err)
	}
	s := shSpec(`
cat /data/in.txt; echo
touch /data/x 2>/dev/null && echo BIND-WRITABLE
echo vol > /vol/out.txt
echo tmp > /scratch/t && cat /scratch/t
touch /rootfile 2>/dev/null && echo ROOT-WRITABLE
id -u; id -g; id -G
echo "home=$HOME pwd=$(pwd) path=$PATH"
`)
	s.ReadOnly = true
	s.User = "app"
	s.WorkingDir = "/work/dir"
	s.Mounts = []Mount{
		{Type: MountBind, Source: host, Target: "/data", ReadOnly: true},
		{Type: MountVolume, Source: vol, Target: "/vol"},
		{Type: MountTmpfs, Target: "/scratch", Size: 1 << 20},
	}
	out, st := runToExit(t, rt, s)
	want := "from host\ntmp\n1000\n1000\n1000 2000\nhome=/home/app pwd=/work/dir path=/bin\n"
	if out != want || st.ExitCode != 0 {
		t.Errorf("output %q (exit %d), want %q", out, st.ExitCode, want)
	}
	if data, _ := os.ReadFile(filepath.Join(vol, "out.txt")); string(data) != "vol\n" {
		t.Errorf("volume file %q", data)
	}
}

func TestTty(t *testing.T) {
	rt := newRuntime(t)
	s := shSpec(`test -t 1 && echo "tty $TERM"`)
	s.Tty = true
	out, _ := runToExit(t, rt, s)
	if out != "tty xterm\r\n" {
		t.Errorf("tty output %q", out)
	}
}

func TestWriteHostsAndResolvConf(t *testing.T) {
	rt := newRuntime(t)
	s := shSpec(`while :; do sleep 1; done`)
	create(t, rt, s)
	if err := rt.WriteHosts(s.ID, []HostEntry{{IP: "10.0.0.5", Names: []string{"db", "db.backend"}}}); err != nil {
		t.Fatal(err)
	}
	if err := rt.WriteResolvConf(s.ID, ResolvConf{Nameservers: []string{"10.0.0.1"}, Search: []string{"backend"}}); err != nil {
		t.Fatal(err)
	}
	// The running container sees both through its bind mounts.
	st, _ := rt.Status(s.ID)
	hosts, _ := os.ReadFile(filepath.Join("/proc", strconv.Itoa(st.Pid), "root/etc/hosts"))
	resolv, _ := os.ReadFile(filepath.Join("/proc", strconv.Itoa(st.Pid), "root/etc/resolv.conf"))
	if !strings.Contains(string(hosts), "10.0.0.5\tdb db.backend\n") || string(resolv) != "nameserver 10.0.0.1\nsearch backend\n" {
		t.Errorf("inside: hosts %q resolv %q", hosts, resolv)
	}
}

func TestHostNetwork(t *testing.T) {
	rt := newRuntime(t)
	before := netDevNames(t)
	s := shSpec(`tail -n +3 /proc/net/dev | cut -d: -f1`)
	s.Network = NetworkMode{Mode: NetworkHost}
	out, st := runToExit(t, rt, s)
	after := netDevNames(t)
	seen := map[string]bool{}
	for _, n := range strings.Fields(out) {
		seen[n] = true
	}
	// Other tests create and delete interfaces meanwhile: every interface
	// the host had both before and after must be visible in the container.
	for n := range before {
		if after[n] && !seen[n] {
			t.Errorf("host interface %s not seen in a host-network container (saw %q, exit %d)", n, out, st.ExitCode)
		}
	}
}

// netDevNames lists the host's network interfaces.
func netDevNames(t *testing.T) map[string]bool {
	t.Helper()
	b, err := os.ReadFile("/proc/net/dev")
	if err != nil {
		t.Fatal(err)
	}
	names := map[string]bool{}
	for _, line := range strings.Split(string(b), "\n")[2:] {
		if name, _, ok := strings.Cut(line, ":"); ok {
			names[strings.TrimSpace(name)] = true
		}
	}
	return names
}

// TestManyLayers: more layers than fit in one page of mount options go
// through fsconfig's lowerdir+, in order (upper layers win).
func TestManyLayers(t *testing.T) {
	rt := newRuntime(t)
	base := filepath.Join(t.TempDir(), strings.Repeat("long-directory-name-", 4))
	layers := []string{lowerDir}
	for i := range 40 {
		d := filepath.Join(base, strconv.Itoa(i), strings.Repeat("x", 40))
		if err := os.MkdirAll(filepath.Join(d, "layers"), 0o755); err != nil {
			t.Fatal(err)
		}
		_ = os.WriteFile(filepath.Join(d, "layers", strconv.Itoa(i)), nil, 0o644)
		_ = os.WriteFile(filepath.Join(d, "top"), []byte(strconv.Itoa(i)), 0o644)
		layers = append(layers, d)
	}
	s := shSpec(`ls /layers | wc -l; cat /top`)
	s.LowerDirs = layers
	out, _ := runToExit(t, rt, s)
	if out != "40\n39" {
		t.Errorf("output %q", out)
	}
}

// TestNetworkPath: the container joins the network namespace at a path
// (as `ip netns add` makes them).
func TestNetworkPath(t *testing.T) {
	rt := newRuntime(t)
	ns := filepath.Join(t.TempDir(), "netns")
	if err := os.WriteFile(ns, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = unix.Unmount(ns, unix.MNT_DETACH) })
	if out, err := exec.Command("unshare", "--net="+ns, "true").CombinedOutput(); err != nil {
		t.Skipf("cannot make a network namespace with unshare: %v: %s", err, out)
	}
	var fi unix.Stat_t
	if err := unix.Stat(ns, &fi); err != nil {
		t.Fatal(err)
	}
	s := shSpec(`readlink /proc/self/ns/net`)
	s.Network = NetworkMode{Mode: NetworkPath, NetNSPath: ns}
	out, _ := runToExit(t, rt, s)
	if want := "net:[" + strconv.FormatUint(fi.Ino, 10) + "]\n"; out != want {
		t.Errorf("network namespace %q, want %q", out, want)
	}
}
