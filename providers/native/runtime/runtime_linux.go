//go:build cgo

package runtime

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"syscall"
	"time"

	"github.com/opencontainers/runc/libcontainer/seccomp"
)

// Runtime runs containers under one root directory. Its methods are safe
// for concurrent use on different containers; the caller serialises
// operations on one container.
type Runtime struct {
	root string
}

// New returns a runtime keeping its containers in root (created 0700).
func New(root string) (*Runtime, error) {
	if !filepath.IsAbs(root) {
		return nil, fmt.Errorf("runtime root %q is not an absolute path", root)
	}
	if err := os.MkdirAll(root, 0o700); err != nil {
		return nil, fmt.Errorf("runtime root: %w", err)
	}
	return &Runtime{root: filepath.Clean(root)}, nil
}

// Root is the directory holding one directory per container.
func (r *Runtime) Root() string { return r.root }

// Create makes the container and starts it: the overlay rootfs, the
// /etc files, then a supervisor process that outlives the caller. It
// returns once the main process runs, or with the start error, in which
// case nothing of the container is left.
func (r *Runtime) Create(ctx context.Context, s Spec) (*Status, error) {
	if !seccomp.Enabled {
		return nil, ErrNoSeccomp
	}
	PrimeStart()
	s, err := s.withDefaults()
	if err != nil {
		return nil, err
	}
	dir, err := r.claim(s)
	if err != nil {
		return nil, err
	}
	if err := r.create(ctx, dir, s); err != nil {
		_ = r.Remove(context.WithoutCancel(ctx), s.ID, true)
		return nil, fmt.Errorf("create container %s: %w", s.ID, classifyStartError(s.Args, err))
	}
	return r.Status(s.ID)
}

// claim makes the container's directory and its records under the name
// lock, after checking that no other container has its name: from then
// on the name is taken for every other Create on this root.
func (r *Runtime) claim(s Spec) (string, error) {
	unlock, err := r.lockNames()
	if err != nil {
		return "", err
	}
	defer unlock()
	if err := r.checkName(s.ID, s.Name); err != nil {
		return "", err
	}
	dir := r.dir(s.ID)
	if err := os.Mkdir(dir, 0o700); err != nil {
		if errors.Is(err, os.ErrExist) {
			return "", fmt.Errorf("%w: %s", ErrExists, s.ID)
		}
		return "", fmt.Errorf("create container %s: %w", s.ID, err)
	}
	err = writeSpec(dir, s)
	if err == nil {
		st := &Status{ID: s.ID, Name: s.Name, Labels: s.Labels, State: StateCreated, CreatedAt: time.Now().UTC(), Spec: s}
		err = writeStatus(dir, st)
	}
	if err != nil {
		_ = os.RemoveAll(dir)
		return "", fmt.Errorf("create container %s: %w", s.ID, err)
	}
	return dir, nil
}

func (r *Runtime) create(ctx context.Context, dir string, s Spec) error {
	if err := writeEtcFiles(dir, s); err != nil {
		return fmt.Errorf("write /etc files: %w", err)
	}
	if err := mountRootfs(dir, s.LowerDirs); err != nil {
		return err
	}
	return r.spawn(ctx, s.ID)
}

// Start starts a stopped container again, with the same rootfs. Starting
// a running one does nothing.
func (r *Runtime) Start(ctx context.Context, id string) error {
	st, err := r.Status(id)
	if err != nil {
		return err
	}
	switch st.State {
	case StateRunning, StateRestarting:
		return nil
	case StateDead:
		r.reap(id)
	}
	if err := r.spawn(ctx, id); err != nil {
		return fmt.Errorf("start container %s: %w", id, err)
	}
	return nil
}

// spawn starts a supervisor for id and waits for its report.
func (r *Runtime) spawn(ctx context.Context, id string) error {
	dir := r.dir(id)
	rd, wr, err := os.Pipe()
	if err != nil {
		return err
	}
	defer rd.Close()
	logf, err := openSupervisorLog(dir)
	if err != nil {
		wr.Close()
		return err
	}
	start := func(path string) (*exec.Cmd, error) {
		cmd := &exec.Cmd{
			Path:        path,
			Args:        []string{os.Args[0], supervisorArg, r.root, id},
			Env:         supervisorEnv(),
			Dir:         "/",
			Stderr:      logf,
			ExtraFiles:  []*os.File{wr},
			SysProcAttr: &syscall.SysProcAttr{Setsid: true},
		}
		return cmd, cmd.Start()
	}
	path := r.supervisorPath()
	cmd, err := start(path)
	if err != nil && path != selfExe { // a runtime root on a noexec mount, say
		cmd, err = start(selfExe)
	}
	wr.Close()
	logf.Close()
	if err != nil {
		return fmt.Errorf("start supervisor: %w", err)
	}
	go func() { _ = cmd.Wait() }() // reap it should it exit while we live
	return readReport(ctx, rd, filepath.Join(dir, supervisorLog))
}

// openSupervisorLog opens supervisor.log for appending, starting afresh
// once it has grown past 1 MiB.
func openSupervisorLog(dir string) (*os.File, error) {
	path := filepath.Join(dir, supervisorLog)
	flags := os.O_WRONLY | os.O_APPEND | os.O_CREATE
	if fi, err := os.Stat(path); err == nil && fi.Size() > 1<<20 {
		flags |= os.O_TRUNC
	}
	return os.OpenFile(path, flags, 0o600)
}

// supervisorEnv keeps the supervisor's environment small and its Go
// runtime frugal: one P (an idle supervisor waits in syscalls; a second P
// costs some 300 KiB of caches and threads per container).
func supervisorEnv() []string {
	env := []string{"GOGC=50", "GOMEMLIMIT=16MiB", "GOMAXPROCS=1"}
	if p := os.Getenv("PATH"); p != "" {
		env = append(env, "PATH="+p)
	}
	return env
}

func readReport(ctx context.Context, rd *os.File, logPath string) error {
	got := make(chan report, 1)
	go func() {
		var rep report
		data, _ := io.ReadAll(rd)
		if len(data) == 0 || json.Unmarshal(data, &rep) != nil {
			rep.Error = "supervisor exited without reporting; see " + logPath
		}
		got <- rep
	}()
	select {
	case rep := <-got:
		if rep.Error != "" {
			return errors.New(rep.Error)
		}
		return nil
	case <-ctx.Done():
		_ = rd.SetReadDeadline(time.Now())
		return ctx.Err()
	}
}

// Status reads the container's status and checks it against its
// supervisor: a container recorded as running or restarting whose
// supervisor has gone is dead.
func (r *Runtime) Status(id string) (*Status, error) {
	if !ValidID(id) {
		return nil, fmt.Errorf("%w: %s", ErrNotFound, id)
	}
	dir := r.dir(id)
	st, err := readStatus(dir)
	if errors.Is(err, os.ErrNotExist) {
		if _, serr := os.Stat(dir); serr != nil {
			return nil, fmt.Errorf("%w: %s", ErrNotFound, id)
		}
		// Left by a crash between making the directory and the status.
		spec, _ := readSpec(dir)
		return &Status{ID: id, Name: spec.Name, Labels: spec.Labels, State: StateDead, Error: "incomplete container", Spec: spec}, nil
	}
	if errors.As(err, new(*json.SyntaxError)) || errors.Is(err, io.ErrUnexpectedEOF) {
		// Records are not fsynced (see writeFileAtomic): after a power
		// loss one may be empty. The container is dead either way.
		spec, _ := readSpec(dir)
		return &Status{ID: id, Name: spec.Name, Labels: spec.Labels, State: StateDead, Error: "unreadable status record: " + err.Error(), Spec: spec}, nil
	}
	if err != nil {
		return nil, err
	}
	alive, err := supervisorAlive(dir)
	if err != nil {
		return nil, err
	}
	if !alive && (st.State == StateRunning || st.State == StateRestarting) {
		st.Error = fmt.Sprintf("supervisor (pid %d) exited unexpectedly while the container was %s", st.SupervisorPid, st.State)
		st.State, st.Pid, st.SupervisorPid, st.Health = StateDead, 0, 0, HealthNone
	}
	return st, nil
}

// List returns the status of every container under the root.
func (r *Runtime) List() ([]*Status, error) {
	entries, err := os.ReadDir(r.root)
	if err != nil {
		return nil, err
	}
	var out []*Status
	for _, e := range entries {
		if !e.IsDir() || !ValidID(e.Name()) {
			continue
		}
		st, err := r.Status(e.Name())
		if errors.Is(err, ErrNotFound) {
			continue
		}
		if err != nil {
			return nil, fmt.Errorf("status of %s: %w", e.Name(), err)
		}
		out = append(out, st)
	}
	return out, nil
}

// Logs lists the container's log files, oldest first (see LogEntry for
// their format).
func (r *Runtime) Logs(id string) ([]string, error) {
	if _, err := os.Stat(r.dir(id)); err != nil || !ValidID(id) {
		return nil, fmt.Errorf("%w: %s", ErrNotFound, id)
	}
	return logPaths(r.dir(id))
}
