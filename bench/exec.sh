#!/usr/bin/env bash
# A command in a running container: `berth exec ADDR -- true` against
# `docker exec CTR true`, each on one idle container of the same image.
# Prints a Markdown table row. Usage: bench/exec.sh [RUNS]
source "$(dirname "$0")/lib.sh"
need_root
RUNS="${1:-20}"
install_peers
build_berth
start_dockerd
make_images
IMG=berth-bench/busybox:1

cfg="$WORK/exec"
rm -rf "$cfg" && mkdir -p "$cfg"
fresh_root "$WORK/exec-root"
cat >"$cfg/main.berth.hcl" <<HCL
berth {
  runtime { root = "$WORK/exec-root" }
}
image "busybox" { ref = "oci-layout:$WORK/image:latest" }
container "c" {
  image   = image.busybox.id
  command = ["sleep", "100000"]
  network_mode = "none" # Docker's side runs with --network none too
}
HCL
D="/usr/bin/docker -H $DOCKER_SOCK"
at_exit "$BERTH -chdir=$cfg destroy -auto-approve >/dev/null 2>&1; $D rm -f berth-bench-exec >/dev/null 2>&1; rm -rf $cfg $WORK/exec-root"
"$BERTH" -chdir="$cfg" apply -auto-approve >/dev/null
$D run -d --name berth-bench-exec --network none "$IMG" sleep 100000 >/dev/null

echo "| workload | berth | peer | berth/peer |"
echo "|---|---|---|---|"
compare "berth exec container.c -- true vs docker exec CTR true" "$RUNS" \
	":" "$BERTH -chdir=$cfg exec container.c -- true" \
	":" "$D exec berth-bench-exec true"
