#!/usr/bin/env bash
# berth's benchmarks side by side with its peers, in one run on this
# machine, written to bench/RESULTS.md and bench/RESULTS.png.
#   bench/run.sh           the full run (tens of minutes)
#   bench/run.sh --quick   a few minutes: fewer runs, smaller sizes
# Peers come from Debian's packages and run on their own sockets and data
# roots (see lib.sh). Numbers are reported, never asserted.
source "$(dirname "$0")/lib.sh"
need_root
quick=0
[ "${1:-}" = "--quick" ] && quick=1
if [ $quick = 1 ]; then RUNS=5 MEMN=20 SIZES=(10 100 1000); else RUNS=20 MEMN=100 SIZES=(10 100 1000 10000); fi

out="$BENCH_DIR/RESULTS.md"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
install_peers
build_berth

{
	echo "# berth benchmark results"
	echo
	echo "Produced by \`bench/run.sh$([ $quick = 1 ] && echo " --quick")\` on $(date -u +%Y-%m-%d)."
	echo
	echo "| | |"
	echo "|---|---|"
	echo "| kernel | $(uname -r) |"
	echo "| cores, memory | $(nproc), $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo) |"
	echo "| berth | $(cd "$REPO" && git describe --always --dirty 2>/dev/null || echo unknown) |"
	echo "| docker | $(/usr/sbin/dockerd --version 2>/dev/null) |"
	echo "| containerd | $(containerd --version 2>/dev/null | awk '{print $3}') |"
	echo "| runc | $(runc --version 2>/dev/null | head -1) |"
	echo "| go | $(go version | awk '{print $3}') |"
	echo
	echo "Each row alternates the two tools (A B A B …) after one warm-up of each;"
	echo "figures are the median with the minimum and maximum in brackets; the"
	echo "ratio is berth's median over the peer's (lower is better)."
	echo
	echo "## Containers"
	echo
	"$BENCH_DIR/containers.sh" "$RUNS"
	echo
	echo "## Idle memory"
	echo
	"$BENCH_DIR/memory.sh" "$MEMN"
	echo
	echo "## Plan time against resource count"
	echo
	"$BENCH_DIR/plan.sh" -csv "$tmp/plan.csv" "${SIZES[@]}"
	echo
	echo "![plan time and ratios](RESULTS.png)"
} | tee "$tmp/results.md"

# Ratios with their targets for the chart.
awk -F'|' '/vs docker run -d/ && /apply 1/ {gsub(/ /,"",$5); print "apply 1 vs docker run -d," $5 ",0.2"}
	/apply 100/ {gsub(/ /,"",$5); print "apply 100 vs docker run -d," $5 ",0.1"}
	/berth run --rm IMG true vs docker/ {gsub(/ /,"",$5); print "run --rm vs docker run --rm," $5 ",0.1"}
	/vs runc run/ {gsub(/ /,"",$5); print "run --rm vs runc run," $5 ",1"}
	/idle memory/ {gsub(/ /,"",$5); print "idle memory vs docker," $5 ",0.33"}' "$tmp/results.md" >"$tmp/ratios.csv"
cp "$tmp/results.md" "$out"
(cd "$REPO" && go run ./bench/chart -plan "$tmp/plan.csv" -ratios "$tmp/ratios.csv" -out "$BENCH_DIR/RESULTS.png")
echo "wrote $out and $BENCH_DIR/RESULTS.png"
