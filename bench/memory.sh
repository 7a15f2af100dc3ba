#!/usr/bin/env bash
# Idle memory of N running containers: berth's supervisors against
# dockerd + containerd + the shims, summed as PSS (proportional set size:
# shared pages counted once across the processes that share them).
# Usage: bench/memory.sh [N]
source "$(dirname "$0")/lib.sh"
need_root
N="${1:-100}"
install_peers
build_berth
start_dockerd
make_images
IMG=berth-bench/busybox:1

# pss_kb PID... sums the PSS of the given processes in KiB.
pss_kb() {
	local total=0 p v
	for p in "$@"; do
		v=$(awk '/^Pss:/ {print $2}' "/proc/$p/smaps_rollup" 2>/dev/null || echo 0)
		total=$((total + ${v:-0}))
	done
	echo "$total"
}

cfg="$WORK/mem"
rm -rf "$cfg" && mkdir -p "$cfg"
fresh_root "$WORK/mem-root"
cat >"$cfg/main.berth.hcl" <<HCL
berth {
  runtime { root = "$WORK/mem-root" }
}
image "busybox" { ref = "oci-layout:$WORK/image:latest" }
container "c" {
  count   = $N
  image   = image.busybox.id
  command = ["sleep", "100000"]
  network_mode = "none" # Docker's side runs with --network none too
}
HCL
at_exit "$BERTH -chdir=$cfg destroy -auto-approve >/dev/null 2>&1; docker_clean; fresh_root $WORK/mem-root; rm -rf $cfg"
"$BERTH" -chdir="$cfg" apply -auto-approve >/dev/null
seq "$N" | xargs -P 10 -I{} /usr/bin/docker -H "$DOCKER_SOCK" run -d --network none "$IMG" sleep 100000 >/dev/null
sleep 5 # let both settle
mapfile -t sup < <(pgrep -f "__berth-supervise $WORK/mem-root")
mapfile -t dk < <(pgrep -f "dockerd --host $DOCKER_SOCK"; pgrep -f "containerd --config $WORK/docker-exec" ; pgrep -f "containerd.*$WORK/docker-exec")
mapfile -t dk < <(printf '%s\n' "${dk[@]}" | sort -u)
b=$(pss_kb "${sup[@]}") d=$(pss_kb "${dk[@]}")
echo "| workload | berth | docker | berth/docker |"
echo "|---|---|---|---|"
printf '| idle memory of %d containers (PSS) | %.1f MiB (%d supervisors) | %.1f MiB (%d daemon and shim processes) | %s |\n' \
	"$N" "$(awk -v k="$b" 'BEGIN{print k/1024}')" "${#sup[@]}" "$(awk -v k="$d" 'BEGIN{print k/1024}')" "${#dk[@]}" \
	"$(awk -v a="$b" -v b="$d" 'BEGIN {printf "%.3f", a/b}')"
"$BERTH" -chdir="$cfg" destroy -auto-approve >/dev/null
