#!/usr/bin/env bash
# No-op plan with refresh: `berth plan -detailed-exitcode` of N running
# containers that match their configuration, so that the plan asks the
# runtime about every one of them and finds nothing to do (an exit code
# other than 0 fails the run). Target: at most 1 s at N = 1,000.
# Prints a Markdown table; with -csv FILE also writes "n,ms" lines.
# Usage: bench/refresh.sh [-csv FILE] [SIZES...]
source "$(dirname "$0")/lib.sh"
need_root
csv=""
if [ "${1:-}" = "-csv" ]; then csv=$2; shift 2; fi
sizes=("$@")
[ ${#sizes[@]} -gt 0 ] || sizes=(100 1000)
install_peers
build_berth
make_layout

cfg="$WORK/refresh"
at_exit "fresh_root $WORK/refresh-root; rm -rf $cfg"
echo "| running containers | plan with refresh (median of 5) | min–max | per container |"
echo "|---:|---:|---:|---:|"
[ -z "$csv" ] || : >"$csv"
for n in "${sizes[@]}"; do
	rm -rf "$cfg" && mkdir -p "$cfg"
	fresh_root "$WORK/refresh-root"
	cat >"$cfg/main.berth.hcl" <<HCL
berth {
  runtime { root = "$WORK/refresh-root" }
}
image "busybox" { ref = "oci-layout:$WORK/image:latest" }
container "c" {
  count   = $n
  image   = image.busybox.id
  command = ["sleep", "100000"]
  network_mode = "none"
}
HCL
	"$BERTH" -chdir="$cfg" apply -auto-approve >/dev/null
	f=$(mktemp)
	for _ in 1 2 3 4 5 6; do
		time_once "$BERTH" -chdir="$cfg" plan -detailed-exitcode -no-color >>"$f"
	done
	read -r m lo hi < <(tail -n 5 "$f" | stats)
	rm -f "$f"
	printf '| %d | %s ms | %s–%s ms | %s ms |\n' "$n" "$m" "$lo" "$hi" "$(awk -v m="$m" -v n="$n" 'BEGIN {printf "%.3f", m/n}')"
	[ -z "$csv" ] || echo "$n,$m" >>"$csv"
	"$BERTH" -chdir="$cfg" destroy -auto-approve >/dev/null
done
