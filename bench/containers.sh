#!/usr/bin/env bash
# Container start-up side by side with Docker (and runc where it applies),
# on this machine, in one run: apply of 1 and 100 containers from a berth
# file vs `docker run -d`, destroy of the same, and, once `berth run`
# exists, `berth run --rm IMG true` vs `docker run --rm` vs `runc run`.
# Prints a Markdown table. Usage: bench/containers.sh [RUNS]
source "$(dirname "$0")/lib.sh"
need_root
RUNS="${1:-10}"
install_peers
build_berth
start_dockerd
make_images
IMG=berth-bench/busybox:1

cfg="$WORK/cfg"
rm -rf "$cfg" && mkdir -p "$cfg"
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
fresh_root "$WORK/berth-root"
B="$BERTH -chdir=$cfg"
$B apply -auto-approve -var n=0 >/dev/null

berth_clean="$B destroy -auto-approve -target=container.c -var n=100 >/dev/null"
docker_clean="/usr/bin/docker -H $DOCKER_SOCK ps -aq | xargs -r /usr/bin/docker -H $DOCKER_SOCK rm -f >/dev/null"
export DOCKER_SOCK IMG

echo "| workload | berth | docker | berth/docker |"
echo "|---|---|---|---|"
compare "apply 1 container vs docker run -d" "$RUNS" \
	"$berth_clean" "$B apply -auto-approve -var n=1" \
	"$docker_clean" "/usr/bin/docker -H $DOCKER_SOCK run -d --network none $IMG sleep 100000"
compare "apply 100 containers vs 100 × docker run -d (10 at a time)" 3 \
	"$berth_clean" "$B apply -auto-approve -var n=100" \
	"$docker_clean" "seq 100 | xargs -P 10 -I{} /usr/bin/docker -H $DOCKER_SOCK run -d --network none $IMG sleep 100000"
compare "destroy 100 containers vs docker rm -f of 100" 3 \
	"$B apply -auto-approve -var n=100 >/dev/null" "$B destroy -auto-approve -target=container.c -var n=100" \
	"seq 100 | xargs -P 10 -I{} /usr/bin/docker -H $DOCKER_SOCK run -d --network none $IMG sleep 100000 >/dev/null" "/usr/bin/docker -H $DOCKER_SOCK ps -aq | xargs -r /usr/bin/docker -H $DOCKER_SOCK rm -f"

if $BERTH run --help >/dev/null 2>&1; then
	$BERTH run --root "$WORK/berth-root" --rm "oci-layout:$WORK/image:latest" true
	compare "berth run --rm IMG true vs docker run --rm" "$RUNS" \
		":" "$BERTH run --root $WORK/berth-root --rm oci-layout:$WORK/image:latest true" \
		":" "/usr/bin/docker -H $DOCKER_SOCK run --rm --network none $IMG true"
	bundle="$WORK/runc-bundle"
	if [ ! -d "$bundle/rootfs" ]; then
		mkdir -p "$bundle/rootfs"
		/usr/bin/docker -H "$DOCKER_SOCK" export "$(/usr/bin/docker -H "$DOCKER_SOCK" create $IMG true)" | tar -C "$bundle/rootfs" -x
		(cd "$bundle" && runc spec && sed -i 's/"terminal": true/"terminal": false/; s/"sh"/"true"/' config.json)
	fi
	compare "berth run --rm IMG true vs runc run" "$RUNS" \
		":" "$BERTH run --root $WORK/berth-root --rm oci-layout:$WORK/image:latest true" \
		":" "runc run --bundle $bundle bench-\$RANDOM"
fi
$B destroy -auto-approve -var n=100 >/dev/null
