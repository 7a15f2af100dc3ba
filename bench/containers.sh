#!/usr/bin/env bash
# Container start-up side by side with Docker, Compose, runc and crun, on
# this machine, in one run:
#   - apply of N containers from a berth file vs N × `docker run -d` and
#     vs `docker-compose up -d` of the same, and destroy of them vs
#     `docker rm -f` and `docker-compose down -t 0`, for each N in SIZES;
#   - `berth run --rm IMG true` vs `docker run --rm`, `runc run`,
#     `crun run` and the floor: `unshare` of the namespaces berth gives a
#     container (mount, uts, ipc, pid, net, cgroup) and `chroot` into the
#     same root filesystem, running /bin/true.
# Prints a Markdown table. RUNS rounds for one container, MANY_RUNS for
# the larger sizes.
# Usage: bench/containers.sh [RUNS [MANY_RUNS [SIZES...]]]
source "$(dirname "$0")/lib.sh"
need_root
RUNS="${1:-10}"
MANY_RUNS="${2:-3}"
SIZES=("${@:3}")
[ ${#SIZES[@]} -gt 0 ] || SIZES=(1 10 100)
install_peers
build_berth
start_dockerd
make_images
IMG=berth-bench/busybox:1

cfg="$WORK/cfg"
rm -rf "$cfg" && mkdir -p "$cfg"
at_exit "rm -rf $cfg"
cat >"$cfg/main.berth.hcl" <<HCL
berth {
  runtime { root = "$WORK/berth-root" }
}
variable "n" { default = 1 }
image "busybox" { ref = "oci-layout:$WORK/image:latest" }
container "c" {
  count   = var.n
  image   = image.busybox.id
  command = ["sleep", "100000"]
  network_mode = "none" # Docker's side runs with --network none too
}
HCL
cat >"$cfg/compose.yml" <<YML
version: "2.4"
services:
  c:
    image: $IMG
    command: ["sleep", "100000"]
    network_mode: none
YML
fresh_root "$WORK/berth-root"
B="$BERTH -chdir=$cfg"
$B apply -auto-approve -var n=0 >/dev/null
max=$(printf '%s\n' "${SIZES[@]}" | sort -n | tail -1)
at_exit "$B destroy -auto-approve -var n=$max >/dev/null 2>&1; docker_clean; fresh_root $WORK/berth-root"

D="/usr/bin/docker -H $DOCKER_SOCK"
compose="DOCKER_HOST=$DOCKER_SOCK docker-compose -p berthbench -f $cfg/compose.yml"
have_compose=0
command -v docker-compose >/dev/null && have_compose=1
berth_clean="$B destroy -auto-approve -target=container.c -var n=$max >/dev/null"
docker_rm_all="docker_reset"
# docker_run N starts N containers, 10 at a time (a script's usual way);
# they are removed ten per docker rm (one docker rm of a hundred wedges
# Debian's dockerd 20.10 now and then; see docker_reset in lib.sh).
docker_run() { echo "seq $1 | xargs -P 10 -I{} $D run -d --network none $IMG sleep 100000"; }

echo "| workload | berth | peer | berth/peer |"
echo "|---|---|---|---|"
for n in "${SIZES[@]}"; do
	runs=$MANY_RUNS what="$n containers" many=" × docker run -d (10 at a time)"
	if [ "$n" = 1 ]; then runs=$RUNS what="1 container" many=" docker run -d"; fi
	[ "$n" = 1 ] || many=" $n$many"
	compare "apply $what vs$many" "$runs" \
		"$berth_clean" "$B apply -auto-approve -var n=$n" \
		"$docker_rm_all" "$(docker_run "$n")"
	[ $have_compose = 0 ] || compare "apply $what vs docker-compose up -d --scale c=$n" "$runs" \
		"$berth_clean" "$B apply -auto-approve -var n=$n" \
		"$docker_rm_all" "$compose up -d --scale c=$n"
done
eval "$docker_rm_all"
for n in "${SIZES[@]}"; do
	runs=$MANY_RUNS what="$n containers"
	if [ "$n" = 1 ]; then runs=$RUNS what="1 container"; fi
	compare "destroy $what vs docker rm -f of $n" "$runs" \
		"$B apply -auto-approve -var n=$n >/dev/null" "$B destroy -auto-approve -target=container.c -var n=$n" \
		"docker_reset; $(docker_run "$n") >/dev/null" "$D ps -aq | timeout 120 xargs -r -n 10 $D rm -f"
	[ $have_compose = 0 ] || compare "destroy $what vs docker-compose down -t 0" "$runs" \
		"$B apply -auto-approve -var n=$n >/dev/null" "$B destroy -auto-approve -target=container.c -var n=$n" \
		"docker_reset; $compose up -d --scale c=$n >/dev/null 2>&1" "timeout 120 env $compose down -t 0"
done
$B destroy -auto-approve -var n="$max" >/dev/null

# One container running `true`, image cached, removed when it exits.
# --network none on both sides: what is measured is the container, not
# bridge plumbing (Docker's daemon here has no bridge at all).
run="$BERTH run --root $WORK/berth-root --rm --network none oci-layout:$WORK/image:latest true"
$run >/dev/null 2>&1 # pulls the image into the store
compare "berth run --rm IMG true vs docker run --rm" "$RUNS" \
	":" "$run" \
	":" "$D run --rm --network none $IMG true"
bundle="$WORK/runc-bundle"
if [ ! -d "$bundle/rootfs" ]; then
	mkdir -p "$bundle/rootfs"
	ctr=$($D create "$IMG" true)
	$D export "$ctr" | tar -C "$bundle/rootfs" -x
	$D rm "$ctr" >/dev/null
fi
# runc spec's configuration with the hardening berth gives the image:
# Docker's capabilities and seccomp profile (bench/runcspec).
(cd "$bundle" && rm -f config.json && runc spec)
(cd "$REPO" && go run ./bench/runcspec "$bundle/config.json")
compare "berth run --rm IMG true vs runc run" "$RUNS" \
	":" "$run" \
	":" "runc run --bundle $bundle bench-\$RANDOM"
if command -v crun >/dev/null; then
	crun="crun"
	# crun 1.8 refuses a hybrid cgroup host (controllers on the cgroup2
	# mount beside v1's): it runs in a mount namespace without that mount,
	# entered with nsenter (about a millisecond more).
	if grep -qs . /sys/fs/cgroup/unified/cgroup.controllers; then
		unshare --mount --propagation private sh -c 'umount /sys/fs/cgroup/unified && exec sleep 100000' &
		holder=$!
		at_exit "kill $holder"
		for _ in $(seq 50); do nsenter -t "$holder" -m test ! -e /sys/fs/cgroup/unified/cgroup.controllers && break; sleep 0.1; done
		crun="nsenter -t $holder -m crun"
	fi
	compare "berth run --rm IMG true vs crun run" "$RUNS" \
		":" "$run" \
		":" "$crun run --bundle $bundle bench-\$RANDOM"
fi
compare "berth run --rm IMG true vs unshare -muipnC + chroot (floor)" "$RUNS" \
	":" "$run" \
	":" "unshare --mount --uts --ipc --pid --net --cgroup --fork chroot $bundle/rootfs /bin/true"
