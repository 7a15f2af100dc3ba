//go:build linux && cgo

package main

// A container start waits for an RCU grace period (5 to 15 ms) when its
// first process is moved into its cgroups, unless the cgroup lock was
// taken shortly before (see runtime.PrimeStart). The runtime primes it
// when it creates a container, but Go reaches main only some 3 ms after
// exec (this binary initialises many packages), so the C constructor
// below primes it earlier still, for "berth [global flags] CMD ..." where
// CMD is run, apply, exec, start, restart or rollback: before Go starts,
// a thread of its own writes the process's PID into the cgroup it is
// already in (a no-op move that takes the lock), and the grace period
// passes while Go starts and berth plans and prepares the container.
//
// It never runs for the processes the runtime re-executes this binary as
// (a container's init, a supervisor), nor for other commands.

/*
#define _GNU_SOURCE
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/vfs.h>
#include <unistd.h>

#define BERTH_CGROUP2_MAGIC 0x63677270

static char berth_procs[4096];

static void *berth_prime_thread(void *arg) {
	(void)arg;
	int fd = open(berth_procs, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return NULL;
	char pid[32];
	int n = snprintf(pid, sizeof pid, "%d", (int)getpid());
	if (write(fd, pid, n) < 0) {
		// nothing to do: the start just waits for the grace period itself
	}
	close(fd);
	return NULL;
}

// berth_find_procs sets berth_procs to the cgroup.procs file of this
// process's cgroup: in the unified hierarchy, or the first v1 one.
static int berth_find_procs(void) {
	struct statfs fs;
	int unified = statfs("/sys/fs/cgroup", &fs) == 0 && (unsigned long)fs.f_type == BERTH_CGROUP2_MAGIC;
	FILE *f = fopen("/proc/self/cgroup", "re");
	if (!f)
		return 0;
	char line[2048];
	int found = 0;
	while (!found && fgets(line, sizeof line, f)) {
		line[strcspn(line, "\n")] = 0;
		char *c1 = strchr(line, ':'), *c2 = c1 ? strchr(c1 + 1, ':') : NULL;
		if (!c2)
			continue;
		*c1 = *c2 = 0;
		const char *ctrls = c1 + 1, *rel = c2 + 1;
		if (unified && strcmp(line, "0") == 0 && *ctrls == 0) {
			snprintf(berth_procs, sizeof berth_procs, "/sys/fs/cgroup%s/cgroup.procs", rel);
			found = 1;
		} else if (!unified && *ctrls && !strchr(ctrls, '=')) {
			int k = (int)strcspn(ctrls, ",");
			snprintf(berth_procs, sizeof berth_procs, "/sys/fs/cgroup/%.*s%s/cgroup.procs", k, ctrls, rel);
			found = access(berth_procs, W_OK) == 0;
		}
	}
	fclose(f);
	return found;
}

// berth_runs_container: the first argument that is not a flag (or a
// global flag's value) is a command that usually starts a container or a
// process in one. For an apply that ends up starting nothing, the primed
// lock cost a no-op write.
static int berth_runs_container(int argc, char **argv) {
	static const char *const cmds[] = {"run", "apply", "exec", "start", "restart", "rollback", NULL};
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		if (a[0] != '-') {
			for (int k = 0; cmds[k]; k++)
				if (strcmp(a, cmds[k]) == 0)
					return 1;
			return 0;
		}
		if (!strcmp(a, "-root") || !strcmp(a, "--root") || !strcmp(a, "-chdir") || !strcmp(a, "--chdir"))
			i++;
	}
	return 0;
}

__attribute__((constructor)) static void berth_prime(int argc, char **argv) {
	if (getenv("_LIBCONTAINER_INITPIPE") || !berth_runs_container(argc, argv) || !berth_find_procs())
		return;
	// The thread takes no signals: they stay Go's.
	sigset_t all, old;
	sigfillset(&all);
	pthread_sigmask(SIG_SETMASK, &all, &old);
	pthread_attr_t attr;
	pthread_t t;
	if (pthread_attr_init(&attr) == 0) {
		pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
		pthread_create(&t, &attr, berth_prime_thread, NULL);
		pthread_attr_destroy(&attr);
	}
	pthread_sigmask(SIG_SETMASK, &old, NULL);
}
*/
import "C"
