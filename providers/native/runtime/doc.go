// Package runtime runs containers for berth's native provider, without a
// daemon: runc's libcontainer in process, an overlayfs root filesystem,
// and a small supervisor process per container that outlives the CLI. It
// is a leaf library: it imports nothing of berth, and the provider glue
// translates between resources and Spec/Status.
//
// # Entry points
//
// The binary is re-executed in two roles, so main (and TestMain) must
// call Main first thing:
//
//	func main() {
//		if runtime.Main() { return }
//		...
//	}
//
// "<binary> init" with libcontainer's pipes in the environment is a
// container's init; an init() in this package takes it over before main
// runs (a plain "berth init" is left alone). "<binary> __berth-supervise
// ROOT ID" is a supervisor; Main runs it and exits.
//
// Building needs cgo and the seccomp tag with libseccomp-dev installed:
//
//	CGO_ENABLED=1 go build -tags seccomp ./cmd/berth
//
// Without the tag, Create refuses with ErrNoSeccomp rather than run
// containers without the default seccomp profile (the tests skip).
//
// # API
//
//	rt, _ := runtime.New("/var/lib/berth/containers")
//	st, err := rt.Create(ctx, spec)     // returns when running, or the start error (nothing left behind)
//	st, err = rt.Status(id)             // ErrNotFound once removed
//	list, _ := rt.List()
//	rt.Stop(ctx, id, timeout)           // stop signal, SIGKILL after timeout; no restart
//	rt.Start(ctx, id)                   // again, same rootfs
//	rt.Kill(id, syscall.SIGHUP)
//	rt.Update(ctx, id, runtime.Update{...}) // resources, restart, health, stop signal/timeout, live
//	rt.WriteHosts(id, entries); rt.WriteResolvConf(id, rc) // for networks, seen live
//	paths, _ := rt.Logs(id)             // oldest first
//	rt.Remove(ctx, id, force)           // idempotent; leaves no mount, cgroup or process
//	code, err := rt.RunForeground(ctx, spec, runtime.ForegroundIO{...}) // docker run without -d
//
// RunForeground runs a container in the calling process, without a
// supervisor: same spec, same hardening, the main process's streams
// connected to the caller (pipes, or a pseudo-terminal with Tty whose
// size follows the caller's terminal), signals forwarded, and its exit
// code returned. While it runs the caller holds the supervisor lock and
// answers stop and kill on the control socket, so Status, List, Stop,
// Kill and Remove treat it like any other container. Afterwards it is
// gone (Spec.AutoRemove) or recorded as exited, without logs. A command
// that cannot be found or executed is an *ExecError (127 or 126, as in
// Docker), from Create too. Spec.AutoRemove makes a supervisor remove
// its container once it has exited for good. PrimeStart, called early,
// takes the cgroup attach's RCU grace period off a start's critical path.
//
// MergeImageConfig combines an image's config with a container's
// settings by Docker's rules into Spec's process fields.
//
// Operating a running container (the CLI's exec, top, stats, cp, logs
// and attach):
//
//	code, err := rt.Exec(ctx, id, runtime.ExecOptions{Args: ...}) // an extra process, the container's hardening
//	procs, _ := rt.Top(id)             // the processes in its cgroup
//	s, _ := rt.Stats(id)               // cgroup (v1 or v2) and netns counters
//	rt.CopyFrom(id, "/etc", "out")     // paths resolved inside its root
//	rt.CopyTo(id, "file", "/tmp/")
//	l, _ := rt.OpenLogs(id)            // l.ReadAll(), then l.Follow(ctx, fn)
//	detached, err := rt.Attach(ctx, id, runtime.AttachOptions{...}) // its terminal, or its log and stdin
//
// # On disk
//
// Each container has <root>/<id>/ (mode 0700): config.json (the
// normalised Spec), status.json (Status, written atomically by the
// supervisor), supervisor.lock, control.sock, attach.sock (while the
// main process runs: the supervisor relays its terminal, or the input
// for a stdin kept open with OpenStdin, to berth attach), supervisor.log (the supervisor's stderr), rootfs/ (overlay
// mount point), upper/ and work/, etc/ (hostname, hosts, resolv.conf,
// bind-mounted into the container), logs/ and libcontainer/
// (libcontainer's state). Its cgroup is
// /berth/<id> in every hierarchy (libcontainer's fs driver on cgroup v1
// and hybrid hosts, fs2 on unified ones). Directory, cgroup and labels
// carry the ID, so a crash halfway through Create leaves a directory that
// List reports (state dead or created) and Remove cleans up.
//
// # Supervisor
//
// Create and Start run the binary again as a supervisor (setsid, stdin
// and stdout /dev/null, stderr to supervisor.log, GOGC=50,
// GOMEMLIMIT=16MiB, GOMAXPROCS=1) and wait on a pipe for its report: the
// main process runs, or why it could not start. The supervisor then:
//
//   - holds an open-file-description lock on supervisor.lock for its
//     whole life. Status asks the kernel whether the lock is held
//     (F_OFD_GETLK), so a supervisor killed with SIGKILL shows at once:
//     a container recorded running or restarting without one is dead;
//   - creates a libcontainer container per run, copies stdout and stderr
//     to the log files and records the exit code in status.json;
//   - restarts by policy (no, always, on-failure, unless-stopped) after a
//     back-off of 100 ms doubling to 10 s, reset by a run of 10 s;
//   - runs the health check as an extra process in the container every
//     Interval, with Timeout, Retries and StartPeriod as in Docker, and
//     keeps the last 5 results;
//   - answers the control socket (one JSON request, one JSON reply):
//     stop {timeout} (reply once the process has exited and been cleaned
//     up; the supervisor then exits), kill {signal}, reload (re-read
//     config.json after Update). SIGTERM to the supervisor (a host
//     shutdown) stops the container without restarting it, but without
//     setting Status.Stopped either, which Stop and Kill with SIGKILL or
//     the stop signal set (and which unless-stopped honours).
//
// The container's init asks for SIGKILL when its parent dies, and the
// supervisor forks it from a thread that lives as long as it does, so a
// container never runs unwatched after its supervisor is gone. There is
// no daemon to restart containers after a reboot: a refresh finds them
// exited (or dead) and Start brings them back.
//
// # Logs
//
// logs/container.log, rotated at 10 MiB to container.log.1 and .2 (three
// files at most). One JSON object per line, Docker's json-file format:
//
//	{"log":"hello\n","stream":"stdout","time":"2025-01-02T03:04:05.123456789Z"}
//
// See LogEntry for the details.
//
// # Hardening (Docker's defaults)
//
// Docker's 14 default capabilities (CapEff 00000000a80425fb) in the
// bounding, effective and permitted sets, none inheritable or ambient,
// changed by CapAdd/CapDrop ("ALL" supported); moby's default seccomp
// profile, less the x32 ABI and, for images without 32-bit programs, the
// 32-bit one (killed rather than filtered; see trimArchitectures);
// no_new_privs; masked /proc and /sys paths and read-only /proc
// paths; /sys read-only; the default device allow-list and device nodes;
// mount, UTS, IPC, PID and cgroup namespaces, and a network namespace
// unless the network mode is host; only stdin, stdout and stderr open in
// the container; RLIMIT_NOFILE 1024:524288 (the hard limit capped at
// berth's own without CAP_SYS_RESOURCE); a pids limit of 4096 unless
// set (DefaultPidsLimit; Docker sets none). runc's sealed copy of the
// binary guards it against CVE-2019-5736.
package runtime
