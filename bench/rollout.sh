#!/usr/bin/env bash
# Rolling update of a deployment of 10 replicas with max_surge = 2 and
# min_ready = "1s", health checked every 250 ms: the wall time of the
# whole `berth apply` (plan included) that rolls out a new revision,
# against the health-gate bound, waves × (interval + min_ready), a wave
# being the replicas that max_surge + max_unavailable let change at once.
# Target: the bound + 2 s. Docker has no rolling update of its own (Swarm
# aside), so there is no peer. Once with max_unavailable left at its
# default (25%: 3 waves), once with max_unavailable = 0 (5 waves).
# Prints a Markdown table. Usage: bench/rollout.sh [RUNS]
source "$(dirname "$0")/lib.sh"
need_root
RUNS="${1:-5}"
REPLICAS=10 SURGE=2 INTERVAL_MS=250 MIN_READY_MS=1000
install_peers
build_berth
make_layout

cfg="$WORK/rollout"
at_exit "$BERTH -chdir=$cfg destroy -auto-approve >/dev/null 2>&1; fresh_root $WORK/rollout-root; rm -rf $cfg"

# config UNAVAILABLE writes the deployment; "" leaves max_unavailable out.
config() {
	local unavailable=""
	[ -z "$1" ] || unavailable="max_unavailable = $1"
	cat >"$cfg/main.berth.hcl" <<HCL
berth {
  runtime { root = "$WORK/rollout-root" }
}
variable "v" { default = "0" }
image "busybox" { ref = "oci-layout:$WORK/image:latest" }
deployment "web" {
  replicas = $REPLICAS
  template {
    image        = image.busybox.id
    command      = ["sh", "-c", "trap 'exit 0' TERM; sleep 100000 & wait"]
    env          = { V = var.v }
    network_mode = "none"
    health {
      command  = ["true"]
      interval = "${INTERVAL_MS}ms"
      retries  = 2
    }
  }
  update {
    max_surge = $SURGE
    min_ready = "${MIN_READY_MS}ms"
    $unavailable
  }
}
HCL
}

echo "| workload | berth (median, min–max) | bound: waves × (interval + min_ready) | berth − bound | target: bound + 2 s |"
echo "|---|---|---|---|---|"
v=0
for unavailable in "" 0; do
	rm -rf "$cfg" && mkdir -p "$cfg"
	fresh_root "$WORK/rollout-root"
	config "$unavailable"
	"$BERTH" -chdir="$cfg" apply -auto-approve -var v=$v >/dev/null
	f=$(mktemp)
	for _ in $(seq "$RUNS"); do
		v=$((v + 1))
		time_once "$BERTH" -chdir="$cfg" apply -auto-approve -var v=$v >>"$f"
	done
	read -r m lo hi < <(stats <"$f")
	rm -f "$f"
	# Replicas that may be down at once: 25% rounded down by default.
	down=${unavailable:-$((REPLICAS / 4))}
	waves=$(((REPLICAS + SURGE + down - 1) / (SURGE + down)))
	bound=$((waves * (INTERVAL_MS + MIN_READY_MS)))
	printf '| rollout of %d replicas, max_surge %d, max_unavailable %s (%d waves) | %s ms (%s–%s) | %d × (%d + %d) = %d ms | %s ms | %d ms |\n' \
		"$REPLICAS" "$SURGE" "${unavailable:-25% = $down}" "$waves" "$m" "$lo" "$hi" \
		"$waves" "$INTERVAL_MS" "$MIN_READY_MS" "$bound" "$(awk -v m="$m" -v b="$bound" 'BEGIN {printf "%.1f", m-b}')" $((bound + 2000))
	"$BERTH" -chdir="$cfg" destroy -auto-approve >/dev/null
done
