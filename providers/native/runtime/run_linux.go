//go:build cgo

package runtime

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/opencontainers/runc/libcontainer"
	"github.com/opencontainers/runc/libcontainer/utils"
	"github.com/sirupsen/logrus"
	"golang.org/x/sys/unix"
)

// run is one life of the container's main process: a libcontainer
// container created for it and destroyed after it.
type run struct {
	c       *libcontainer.Container
	p       *libcontainer.Process
	pid     int
	started time.Time
	user    execUser
	env     []string
	cwd     string

	ctx    context.Context // cancelled when the process has exited
	cancel context.CancelFunc
	done   chan struct{} // closed once exitCode and finished are set

	exitCode int
	finished time.Time

	attach *attachServer // serves berth attach while the process runs

	healthMu     sync.Mutex
	healthCancel context.CancelFunc
	healthyOnce  bool
}

// startRun mounts the rootfs if needed, creates the libcontainer
// container and starts the main process with its output going to logs.
func startRun(dir string, s Spec, logs *logWriter) (*run, error) {
	r, err := newRun(dir, s)
	if err != nil {
		return nil, err
	}
	out, err := attachOutput(r.p, s)
	if err != nil {
		_ = r.c.Destroy()
		return nil, err
	}
	if err := r.runProcess(r.p); err != nil {
		out.close()
		_ = r.c.Destroy()
		return nil, fmt.Errorf("start %s: %w", strings.Join(s.Args, " "), err)
	}
	r.started = time.Now()
	r.pid, _ = r.p.Pid()
	if err := out.started(); err != nil {
		_ = r.p.Signal(unix.SIGKILL)
	}
	r.attach = out.serveAttach(dir, s.Tty)
	r.ctx, r.cancel = context.WithCancel(context.Background())
	go r.waitExit(out, logs)
	return r, nil
}

// newRun mounts the rootfs if needed and creates the libcontainer
// container with its main process, not started yet. The supervisor and
// RunForeground share it, and with it every piece of hardening.
func newRun(dir string, s Spec) (*run, error) {
	rootfs := filepath.Join(dir, rootfsDir)
	if err := mountRootfs(dir, s.LowerDirs); err != nil {
		return nil, err
	}
	u, err := lookupUser(rootfs, s.User)
	if err != nil {
		return nil, err
	}
	if err := ensureWorkdir(rootfs, s.WorkingDir, u); err != nil {
		return nil, err
	}
	cfg, err := containerConfig(dir, s, u)
	if err != nil {
		return nil, err
	}
	lcRoot := filepath.Join(dir, libcontainerDir)
	destroyLeftover(lcRoot, s.ID)
	c, err := libcontainer.Create(lcRoot, s.ID, cfg)
	if err != nil {
		return nil, fmt.Errorf("create container: %w", err)
	}
	r := &run{c: c, user: u, env: processEnv(s, u), cwd: s.WorkingDir, done: make(chan struct{})}
	r.p = r.process(s.Args, true)
	return r, nil
}

// process is a libcontainer process of this run's user, environment and
// working directory.
func (r *run) process(args []string, init bool) *libcontainer.Process {
	return &libcontainer.Process{
		Args: args, Env: r.env, Cwd: r.cwd,
		UID: r.user.uid, GID: r.user.gid, AdditionalGroups: r.user.groups,
		Init: init, LogLevel: initLogLevel,
	}
}

// initLogLevel is the level libcontainer's init logs at: warnings and
// errors (errors reach us as the start's error too). Left unset, its C
// part logs every step at debug level into a pipe that this process
// then reads and decodes line by line, about 3 KB per start, only to
// drop it.
var initLogLevel = strconv.Itoa(int(logrus.WarnLevel))

// runProcess starts p in the container from the fork thread.
func (r *run) runProcess(p *libcontainer.Process) error {
	var err error
	onForkThread(func() { err = r.c.Run(p) })
	return err
}

// processEnv adds what Docker adds when missing: PATH, HOSTNAME, HOME,
// and TERM with a TTY.
func processEnv(s Spec, u execUser) []string {
	env := append([]string(nil), s.Env...)
	has := func(k string) bool {
		for _, kv := range env {
			if strings.HasPrefix(kv, k+"=") {
				return true
			}
		}
		return false
	}
	add := map[string]string{"PATH": defaultPathEnv[len("PATH="):], "HOSTNAME": s.Hostname, "HOME": u.home}
	if s.Tty {
		add["TERM"] = "xterm"
	}
	for _, k := range []string{"PATH", "HOSTNAME", "HOME", "TERM"} {
		if v, ok := add[k]; ok && !has(k) {
			env = append(env, k+"="+v)
		}
	}
	return env
}

// waitExit waits for the main process, drains its output and records
// the exit.
func (r *run) waitExit(out *outputs, logs *logWriter) {
	copied := out.copyTo(logs)
	ps, err := r.p.Wait()
	r.exitCode = exitStatus(ps, err)
	r.finished = time.Now()
	r.cancel()
	select {
	case <-copied:
	case <-time.After(2 * time.Second): // something still holds the pipe
	}
	out.close()
	r.attach.close()
	close(r.done)
}

func exitStatus(ps *os.ProcessState, err error) int {
	if ps == nil {
		var ee interface{ ExitCode() int }
		if errors.As(err, &ee) {
			return ee.ExitCode()
		}
		return -1
	}
	if ws, ok := ps.Sys().(syscall.WaitStatus); ok {
		return utils.ExitStatus(unix.WaitStatus(ws))
	}
	return ps.ExitCode()
}

func (r *run) pidOrZero() int {
	if r == nil {
		return 0
	}
	return r.pid
}

// signal sends sig to the main process (SIGKILL takes the whole PID
// namespace with it).
func (r *run) signal(sig syscall.Signal) error {
	err := r.c.Signal(sig)
	if errors.Is(err, libcontainer.ErrNotRunning) {
		return nil
	}
	return err
}

// destroy removes the stopped container's cgroups and libcontainer state.
func (r *run) destroy() error {
	r.stopHealth()
	return r.c.Destroy()
}

// setResources applies new cgroup limits to the running container.
func (r *run) setResources(res Resources) error {
	cfg := r.c.Config()
	want := resources(res)
	cr := cfg.Cgroups.Resources
	cr.Memory, cr.CpuQuota, cr.CpuPeriod = -1, -1, 0 // -1: no limit
	if want.Memory != nil {
		cr.Memory = *want.Memory.Limit
	}
	if want.CPU != nil {
		cr.CpuQuota, cr.CpuPeriod = *want.CPU.Quota, *want.CPU.Period
	}
	cr.PidsLimit = want.Pids.Limit
	if err := r.c.Set(cfg); err != nil {
		return fmt.Errorf("update resources: %w", err)
	}
	return nil
}

// destroyLeftover removes the libcontainer state a dead supervisor left,
// killing whatever still runs in it.
func destroyLeftover(lcRoot, id string) {
	c, err := libcontainer.Load(lcRoot, id)
	if err != nil {
		_ = os.RemoveAll(filepath.Join(lcRoot, id))
		return
	}
	_ = c.Signal(unix.SIGKILL)
	for range 50 {
		if st, err := c.Status(); err != nil || st == libcontainer.Stopped {
			break
		}
		time.Sleep(20 * time.Millisecond)
	}
	_ = c.Destroy()
}
