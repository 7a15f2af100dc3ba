#!/usr/bin/env bash
# Pull and unpack of a big image from a registry on loopback: `berth pull`
# against `docker pull` into the benchmark's dockerd, both from Debian's
# docker-registry on 127.0.0.1 (plain HTTP: Docker trusts 127.0.0.0/8 as
# an insecure registry by default, berth trusts loopback). The image is
# the busybox test image plus LAYERS layers of SIZE MiB of random,
# incompressible data each (bench/bigimage). Every round starts from an
# empty store on both sides: a fresh berth root, and `docker rmi` of the
# image (its layers go with it; it shares none with other images).
# Prints a Markdown table row. Usage: bench/pull.sh [RUNS [LAYERS [SIZE]]]
source "$(dirname "$0")/lib.sh"
need_root
RUNS="${1:-5}"
LAYERS="${2:-10}"
SIZE="${3:-20}"
install_peers
command -v docker-registry >/dev/null || { echo "bench: docker-registry is not installed; pull left out" >&2; exit 0; }
build_berth
start_dockerd

# free_port prints a TCP port on 127.0.0.1 that nothing listens on.
free_port() {
	local p
	for p in $(seq 5701 5799); do
		[ -n "$(ss -ltnH "sport = :$p")" ] || { echo "$p"; return 0; }
	done
	echo "bench: no free port in 5701-5799" >&2
	exit 1
}

reg="$WORK/registry"
rm -rf "$reg" && mkdir -p "$reg"
port=$(free_port)
cat >"$reg/config.yml" <<YML
version: 0.1
log:
  level: error
  accesslog:
    disabled: true
storage:
  filesystem:
    rootdirectory: $reg/data
http:
  addr: 127.0.0.1:$port
YML
docker-registry serve "$reg/config.yml" >"$reg/log" 2>&1 &
reg_pid=$!
REF="127.0.0.1:$port/bench/big:1"
D="/usr/bin/docker -H $DOCKER_SOCK"
at_exit "kill $reg_pid; wait $reg_pid 2>/dev/null; $D rmi -f $REF >/dev/null 2>&1; fresh_root $WORK/pull-root; rm -rf $reg"
for _ in $(seq 50); do [ -n "$(ss -ltnH "sport = :$port")" ] && break; sleep 0.1; done
(cd "$REPO" && go run ./bench/bigimage -layers "$LAYERS" -size "$SIZE" "$REF" >/dev/null)

echo "| workload | berth | peer | berth/peer |"
echo "|---|---|---|---|"
compare "pull $((LAYERS * SIZE)) MiB in $LAYERS layers from a loopback registry vs docker pull" "$RUNS" \
	"fresh_root $WORK/pull-root" "$BERTH pull -q --root $WORK/pull-root $REF" \
	"$D rmi -f $REF >/dev/null 2>&1 || true" "$D pull -q $REF"
# Both sides must have unpacked the whole image for the row to mean anything.
want=$((LAYERS * SIZE))
got_b=$(du -sm "$WORK/pull-root" | cut -f1)
got_d=$(($($D image inspect -f '{{.Size}}' "$REF") >> 20))
if [ "$got_b" -lt "$want" ] || [ "$got_d" -lt "$want" ]; then
	echo "bench: after the pulls berth's store holds $got_b MiB and docker's image is $got_d MiB, want at least $want MiB each" >&2
	exit 1
fi
