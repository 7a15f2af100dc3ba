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
	"time"

	"github.com/cyphar/filepath-securejoin/pathrs-lite"
	"github.com/opencontainers/runc/libcontainer"
	"golang.org/x/sys/unix"
)

// Exec runs a process in the running container id, as docker exec does,
// and returns its exit code (128+N when killed by signal N). The process
// joins the container's namespaces and cgroup and gets its hardening:
// capabilities, seccomp profile, no_new_privs and rlimits. It dies when
// the caller does. Cancelling ctx kills it.
//
// A container that is not running gives ErrNotRunning; a command that
// cannot be found or executed, 127 or 126 and an *ExecError.
func (r *Runtime) Exec(ctx context.Context, id string, o ExecOptions) (int, error) {
	if len(o.Args) == 0 {
		return -1, errors.New("exec: no command")
	}
	PrimeStart()
	st, err := r.Status(id)
	if err != nil {
		return -1, err
	}
	if st.State == StateRunning {
		code, err := r.execBySupervisor(ctx, st, o)
		if !errors.Is(err, errExecUnsupported) {
			return code, err
		}
	}
	c, pid, err := r.loadRunning(st)
	if err != nil {
		return -1, err
	}
	p, err := execProcess(st.Spec, pid, o)
	if err != nil {
		return -1, err
	}
	streams, err := attachForeground(p, o.IO)
	if err != nil {
		return -1, err
	}
	defer streams.close()
	onForkThread(func() { err = c.Run(p) })
	if err != nil {
		return -1, classifyExecError(o.Args, id, err)
	}
	if err := streams.started(); err != nil {
		_ = p.Signal(unix.SIGKILL)
	}
	code := waitExec(ctx, p, o.IO.Signals)
	streams.drain(2 * time.Second)
	return code, nil
}

// loadRunning loads the libcontainer container of a running container
// and returns it with the host PID of its init.
func (r *Runtime) loadRunning(st *Status) (*libcontainer.Container, int, error) {
	if st.State != StateRunning {
		return nil, 0, fmt.Errorf("%w: %s is %s", ErrNotRunning, st.ID, st.State)
	}
	c, err := libcontainer.Load(filepath.Join(r.dir(st.ID), libcontainerDir), st.ID)
	if err != nil {
		return nil, 0, fmt.Errorf("%w: %s (%v)", ErrNotRunning, st.ID, err)
	}
	if cs, err := c.Status(); err != nil || cs != libcontainer.Running {
		return nil, 0, fmt.Errorf("%w: %s", ErrNotRunning, st.ID)
	}
	state, err := c.State()
	if err != nil {
		return nil, 0, err
	}
	return c, state.InitProcessPid, nil
}

// execProcess builds the extra process: the container's user,
// environment and working directory unless o says otherwise. The user is
// looked up in the container's own root, through its init's /proc entry.
func execProcess(s Spec, initPid int, o ExecOptions) (*libcontainer.Process, error) {
	user := o.User
	if user == "" {
		user = s.User
	}
	u, err := lookupUser("/proc/"+strconv.Itoa(initPid)+"/root", user)
	if err != nil {
		return nil, err
	}
	env, err := overrideEnv(s.Env, o.Env)
	if err != nil {
		return nil, err
	}
	s.Env, s.Tty = env, o.IO.Tty
	cwd := o.WorkingDir
	if cwd == "" {
		cwd = s.WorkingDir
	} else if err := dirInRoot("/proc/"+strconv.Itoa(initPid)+"/root", cwd); err != nil {
		return nil, fmt.Errorf("working directory %s: %w", cwd, err)
	}
	return &libcontainer.Process{
		Args: o.Args, Env: processEnv(s, u), Cwd: cwd,
		UID: u.uid, GID: u.gid, AdditionalGroups: u.groups,
		LogLevel: initLogLevel,
	}, nil
}

// dirInRoot checks that dir is a directory inside rootfs.
func dirInRoot(rootfs, dir string) error {
	h, err := pathrs.OpenInRoot(rootfs, dir)
	if err != nil {
		if errors.Is(err, os.ErrNotExist) {
			return errors.New("no such directory in the container")
		}
		return err
	}
	defer h.Close()
	fi, err := h.Stat()
	if err == nil && !fi.IsDir() {
		err = errors.New("not a directory")
	}
	return err
}

// overrideEnv adds NAME=VALUE pairs to base, replacing the same names.
func overrideEnv(base, extra []string) ([]string, error) {
	over := map[string]string{}
	for _, kv := range extra {
		k, v, ok := strings.Cut(kv, "=")
		if !ok || k == "" {
			return nil, fmt.Errorf("environment variable %q: want NAME=VALUE", kv)
		}
		over[k] = v
	}
	return mergeEnv(base, over), nil
}

// classifyExecError names a command that could not be run (ExecError)
// and a container that stopped meanwhile.
func classifyExecError(args []string, id string, err error) error {
	err = classifyStartError(args, err)
	var ee *ExecError
	if errors.As(err, &ee) {
		return err
	}
	if errors.Is(err, libcontainer.ErrNotRunning) {
		return fmt.Errorf("%w: %s", ErrNotRunning, id)
	}
	return fmt.Errorf("exec in container %s: %w", id, err)
}

// waitExec forwards signals until the process exits, killing it when ctx
// ends, and returns its exit code.
func waitExec(ctx context.Context, p *libcontainer.Process, sigs <-chan os.Signal) int {
	type result struct {
		ps  *os.ProcessState
		err error
	}
	done := make(chan result, 1)
	go func() {
		ps, err := p.Wait()
		done <- result{ps, err}
	}()
	ctxDone := ctx.Done()
	for {
		select {
		case res := <-done:
			return exitStatus(res.ps, res.err)
		case sig := <-sigs:
			_ = p.Signal(toSyscallSignal(sig))
		case <-ctxDone:
			ctxDone = nil
			_ = p.Signal(unix.SIGKILL)
		}
	}
}
