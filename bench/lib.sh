# Shared pieces of berth's benchmark scripts: peers started from Debian's
# packages on their own sockets and data roots, the test images, and
# alternating timing (A B A B ..., warm-up first) with median/min/max.
# Sourced by the scripts beside it; needs root.

set -euo pipefail
BENCH_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO="$(cd "$BENCH_DIR/.." && pwd)"
export PATH="/usr/local/go/bin:$PATH"
WORK="${BENCH_WORK:-/var/tmp/berth-bench}"
DOCKER_SOCK="unix://$WORK/docker.sock"
BERTH="$WORK/bin/berth"
mkdir -p "$WORK/bin"

need_root() { [ "$(id -u)" = 0 ] || { echo "bench: run as root" >&2; exit 1; }; }

# install_peers installs the peers from Debian's packages: the required
# ones, and the optional ones (crun, docker-compose, docker-registry) when
# apt can; a script leaves out the rows of a peer that is missing.
install_peers() {
	[ "${BENCH_SHARED:-}" = 1 ] && return 0
	local required=(docker.io runc busybox-static libseccomp-dev "$@") optional=(crun docker-compose docker-registry)
	local missing=() p
	for p in "${required[@]}" "${optional[@]}"; do
		dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
	done
	[ ${#missing[@]} -gt 0 ] || return 0
	apt-get update -qq
	apt_install "${missing[@]}" && return 0
	for p in "${missing[@]}"; do
		if ! apt_install "$p"; then
			printf '%s\n' "${optional[@]}" | grep -qx "$p" || { echo "bench: cannot install $p" >&2; exit 1; }
			echo "bench: $p is not installable here; its rows are left out" >&2
		fi
	done
}

apt_install() { DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@" >/dev/null 2>&1; }

# at_exit CMD has CMD run when the script exits, the last registered first.
EXIT_CMDS=()
at_exit() {
	EXIT_CMDS=("$1" "${EXIT_CMDS[@]}")
	trap 'for c in "${EXIT_CMDS[@]}"; do eval "$c" || true; done' EXIT
}

# Temporary files of this script (mktemp) go in a directory of its own,
# removed when it exits however it exits.
TMPDIR="$(mktemp -d)"
export TMPDIR
at_exit "rm -rf $TMPDIR"

# With BENCH_SHARED=1 (set by run.sh once it has done them) build_berth,
# start_dockerd and make_images do nothing: the scripts share one build,
# one dockerd and one set of images.
build_berth() {
	[ "${BENCH_SHARED:-}" = 1 ] && return 0
	"$REPO/scripts/build" "$BERTH"
}

# docker runs the Debian docker client against the benchmark's daemon.
docker() { /usr/bin/docker -H "$DOCKER_SOCK" "$@"; }

# start_dockerd starts Debian's dockerd on its own socket and data root,
# with no bridge and no iptables rules (berth's containers have no network
# either, so both sides do the same work), and stops it on exit.
start_dockerd() {
	[ "${BENCH_SHARED:-}" = 1 ] && return 0
	launch_dockerd
	at_exit stop_dockerd
}

# launch_dockerd starts the daemon and waits until it answers; its PID is
# in $WORK/docker.pid (a script of run.sh may restart it: see docker_reset).
launch_dockerd() {
	mkdir -p "$WORK/docker" "$WORK/docker-exec" "$WORK/docker-tmp"
	pgrep -f "$WORK/docker" >/dev/null || rm -f "$WORK/docker.pid" "$WORK/docker-exec/containerd/containerd.pid"
	# Its own TMPDIR: a daemon restarted by one script serves the next
	# ones, after the first script's temporary directory is gone.
	TMPDIR="$WORK/docker-tmp" /usr/sbin/dockerd --host "$DOCKER_SOCK" --data-root "$WORK/docker" --exec-root "$WORK/docker-exec" \
		--pidfile "$WORK/docker.pid" --iptables=false --ip6tables=false --bridge=none \
		>>"$WORK/dockerd.log" 2>&1 &
	for _ in $(seq 100); do timeout 5 /usr/bin/docker -H "$DOCKER_SOCK" info >/dev/null 2>&1 && return 0; sleep 0.2; done
	echo "bench: dockerd did not start; see $WORK/dockerd.log" >&2
	exit 1
}

stop_dockerd() {
	docker_clean
	kill_dockerd TERM
}

# kill_dockerd SIG signals the benchmark's dockerd, its containerd and
# shims (found by their paths under $WORK), and waits for them to go.
kill_dockerd() {
	local sig=$1 pids
	pids=$(pgrep -f "$WORK/docker" || true)
	[ -n "$pids" ] || return 0
	kill -"$sig" $pids 2>/dev/null || true
	for _ in $(seq 100); do pgrep -f "$WORK/docker" >/dev/null || break; sleep 0.1; done
	kill -KILL $(pgrep -f "$WORK/docker") 2>/dev/null || true
}

# docker_clean removes every container of the benchmark's dockerd (which
# runs nothing else).
docker_clean() { docker_reset; }

# docker_reset removes every container of the benchmark's dockerd, ten per
# docker rm. Debian's dockerd 20.10 sometimes wedges while many containers
# are removed at once (a hundred in one docker rm did it twice here)
# (its shims gone, every later call hanging): after two minutes it is
# killed and started again on the same data root, so a wedge costs one
# round rather than the whole run.
docker_reset() {
	local d="/usr/bin/docker -H $DOCKER_SOCK"
	timeout 120 bash -c "$d ps -aq | xargs -r -n 10 $d rm -f" >/dev/null 2>&1 && return 0
	echo "bench: dockerd stopped answering; restarting it" >&2
	kill_dockerd KILL
	# Their PID files would name PIDs the kernel may already have reused:
	# dockerd would then take containerd for running and wait for it.
	rm -f "$WORK/docker.pid" "$WORK/docker-exec/containerd/containerd.pid"
	awk -v w="$WORK/docker" 'index($5, w) == 1 {print $5}' /proc/self/mountinfo | sort -r | xargs -r -n1 umount -l 2>/dev/null || true
	launch_dockerd
	timeout 120 bash -c "$d ps -aq | xargs -r -n 10 $d rm -f" >/dev/null 2>&1 || true
}

# make_layout writes the busybox test image as an OCI layout for berth.
make_layout() {
	[ "${BENCH_SHARED:-}" = 1 ] && return 0
	(cd "$REPO" && go run ./examples/quickstart/mkimage "$WORK/image" latest >/dev/null)
}

# make_images writes the busybox test image as an OCI layout for berth
# and loads the same image into docker.
make_images() {
	[ "${BENCH_SHARED:-}" = 1 ] && return 0
	make_layout
	(cd "$REPO" && go run ./examples/quickstart/mkimage --docker-archive "$WORK/busybox.tar" berth-bench/busybox:1 >/dev/null)
	docker load -i "$WORK/busybox.tar" >/dev/null
}

# time_once CMD... prints the wall time of one run in microseconds.
time_once() { time_eval "$(printf '%q ' "$@")"; }

# time_eval CMDLINE is time_once of a command line, run by this shell
# (eval) rather than by a new bash, whose start-up (about a millisecond)
# would otherwise be timed too.
time_eval() {
	local t0 t1
	t0=${EPOCHREALTIME//[.,]/} # bash's own clock, in µs: no process to time
	eval "$1" >/dev/null 2>&1 || { echo "bench: failed: $1" >&2; return 1; }
	t1=${EPOCHREALTIME//[.,]/}
	echo $((t1 - t0))
}

# stats reads microsecond figures on stdin and prints "median min max" in ms.
stats() {
	sort -n | awk '{a[NR]=$1} END {m=(NR%2)?a[(NR+1)/2]:(a[NR/2]+a[NR/2+1])/2; printf "%.1f %.1f %.1f\n", m/1000, a[1]/1000, a[NR]/1000}'
}

# compare NAME RUNS SETUP_A CMD_A SETUP_B CMD_B: runs A and B alternately
# (one warm-up each), each preceded by its setup (untimed), and prints a
# Markdown row: name | A median (min-max) | B median | ratio A/B.
compare() {
	local name=$1 runs=$2 setup_a=$3 cmd_a=$4 setup_b=$5 cmd_b=$6
	local fa fb
	fa=$(mktemp) fb=$(mktemp)
	eval "$setup_a"; time_eval "$cmd_a" >/dev/null
	eval "$setup_b"; time_eval "$cmd_b" >/dev/null
	for _ in $(seq "$runs"); do
		eval "$setup_a"; time_eval "$cmd_a" >>"$fa"
		eval "$setup_b"; time_eval "$cmd_b" >>"$fb"
	done
	read -r ma mina maxa < <(stats <"$fa")
	read -r mb minb maxb < <(stats <"$fb")
	rm -f "$fa" "$fb"
	local ratio
	ratio=$(awk -v a="$ma" -v b="$mb" 'BEGIN {printf "%.3f", a/b}')
	printf '| %s | %s ms (%s–%s) | %s ms (%s–%s) | %s |\n' "$name" "$ma" "$mina" "$maxa" "$mb" "$minb" "$maxb" "$ratio"
}

# fresh_root DIR empties a berth runtime root left by an earlier,
# interrupted run: its supervisors and containers stopped, mounts gone.
fresh_root() {
	local root=$1 m
	pkill -9 -f "__berth-supervise $root/" 2>/dev/null || true
	sleep 0.5
	for m in $(awk -v r="$root/" 'index($5, r) == 1 {print $5}' /proc/self/mountinfo | sort -r); do
		umount -l "$m" 2>/dev/null || true
	done
	rm -rf "$root"
}
