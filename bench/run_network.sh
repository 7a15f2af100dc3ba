#!/usr/bin/env bash
# berth run --rm on berth's default network against docker run --rm on a
# Docker bridge: what a container costs with its veth, address and
# namespace on both sides. containers.sh compares the containers alone
# (--network none); this is the default path of each tool.
#
# Docker gets its own daemon here (socket, data root) on a bridge this
# script makes, with --iptables=false: Docker then adds no rule per
# container and the host's firewall is left alone (berth's rules are per
# network, made once, so neither side pays for rules per run).
# Usage: bench/run_network.sh [RUNS]
source "$(dirname "$0")/lib.sh"
need_root
RUNS="${1:-20}"
install_peers
build_berth
make_layout
(cd "$REPO" && go run ./examples/quickstart/mkimage --docker-archive "$WORK/busybox.tar" berth-bench/busybox:1 >/dev/null)

BR=bbench0
SOCK="unix://$WORK/docker-br.sock"
D="/usr/bin/docker -H $SOCK"
stop_bridged() {
	pkill -f "$WORK/docker-br" 2>/dev/null || true
	for _ in $(seq 100); do pgrep -f "$WORK/docker-br" >/dev/null || break; sleep 0.1; done
	pkill -9 -f "$WORK/docker-br" 2>/dev/null || true
	awk -v w="$WORK/docker-br" 'index($5, w) == 1 {print $5}' /proc/self/mountinfo | sort -r | xargs -r -n1 umount -l 2>/dev/null || true
	ip link del "$BR" 2>/dev/null || true
}
stop_bridged
ip link add "$BR" type bridge
ip addr add 172.31.254.1/24 dev "$BR"
ip link set "$BR" up
mkdir -p "$WORK/docker-br" "$WORK/docker-br-exec" "$WORK/docker-br-tmp"
TMPDIR="$WORK/docker-br-tmp" /usr/sbin/dockerd --host "$SOCK" --data-root "$WORK/docker-br" --exec-root "$WORK/docker-br-exec" \
	--pidfile "$WORK/docker-br.pid" --iptables=false --ip6tables=false --bridge="$BR" \
	>>"$WORK/dockerd-br.log" 2>&1 &
at_exit stop_bridged
for _ in $(seq 100); do timeout 5 $D info >/dev/null 2>&1 && break; sleep 0.2; done
$D load -i "$WORK/busybox.tar" >/dev/null

fresh_root "$WORK/berth-root-net"
at_exit "$BERTH --root $WORK/berth-root-net prune -f >/dev/null 2>&1; fresh_root $WORK/berth-root-net"

echo "| workload | berth | docker | berth/docker |"
echo "|---|---|---|---|"
compare "run --rm IMG true, default network (docker: its bridge)" "$RUNS" \
	":" "$BERTH run --root $WORK/berth-root-net --rm oci-layout:$WORK/image:latest true" \
	":" "$D run --rm berth-bench/busybox:1 true"
compare "run --rm IMG true, --network none on both" "$RUNS" \
	":" "$BERTH run --root $WORK/berth-root-net --rm --network none oci-layout:$WORK/image:latest true" \
	":" "$D run --rm --network none berth-bench/busybox:1 true"
