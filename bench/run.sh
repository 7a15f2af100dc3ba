#!/usr/bin/env bash
# berth's benchmarks side by side with its peers, in one run on this
# machine, written to bench/RESULTS.md and bench/RESULTS.png.
#   bench/run.sh           the full run (about ten minutes on 2 cores)
#   bench/run.sh --quick   under three minutes: fewer runs, smaller sizes
#   bench/run.sh --chart   draw RESULTS.png again from RESULTS.md
# Peers come from Debian's packages and run on their own sockets and data
# roots (see lib.sh); one dockerd, one berth build and one set of images
# serve every script. Numbers are reported, never asserted.
source "$(dirname "$0")/lib.sh"
need_root
# draw_chart RESULTS_MD draws RESULTS.png from the tables of RESULTS_MD
# alone, so that a chart can be drawn again without measuring again.
draw_chart() {
	local md=$1 dir
	dir=$(mktemp -d)
	# section TITLE prints "first cell,second cell" of the table under
	# "## TITLE", numbers only (units dropped).
	section() {
		awk -F'|' -v t="## $1" '/^## / {on = ($0 == t)} on && $2 ~ /^ *[0-9]/ {
			a=$2; b=$3; gsub(/[^0-9.]/, "", a); gsub(/[^0-9.]/, "", b); print a "," b}' "$md"
	}
	# cell ROW COLUMN prints a cell of the row whose first cell is ROW.
	cell() {
		awk -F'|' -v row="$1" -v col="$2" '{n=$2; gsub(/^ +| +$/, "", n)} n == row {v=$(col+1); gsub(/^ +| +$/, "", v); print v; exit}' "$md"
	}
	# ratio ROW LABEL TARGET adds a row's berth/peer ratio.
	ratio() {
		local r
		r=$(cell "$1" 4)
		[ -z "$r" ] || echo "$2,$r,$3" >>"$dir/ratios.csv"
	}
	section "Plan time against resource count" >"$dir/plan.csv"
	: >"$dir/ratios.csv"
	ratio "apply 1 container vs docker run -d" "apply 1 vs docker run -d" 0.2
	ratio "apply 100 containers vs 100 × docker run -d (10 at a time)" "apply 100 vs docker run -d" 0.1
	ratio "berth run --rm IMG true vs docker run --rm" "run --rm vs docker run --rm" 0.1
	ratio "berth run --rm IMG true vs runc run" "run --rm vs runc run" 1
	ratio "berth exec container.c -- true vs docker exec CTR true" "exec vs docker exec" 0.25
	ratio "pull 200 MiB in 10 layers from a loopback registry vs docker pull" "pull 200 MiB vs docker pull" 0.8
	local mem
	mem=$(awk -F'|' '$2 ~ /^ *idle memory of/ {v=$5; gsub(/ /, "", v); print v; exit}' "$md")
	[ -z "$mem" ] || echo "idle memory vs docker,$mem,0.33" >>"$dir/ratios.csv"
	# Not ratios: the refresh of 1,000 containers in seconds against its
	# 1 s target, and each rollout's time over its bound + 2 s (target 1).
	section "No-op plan with refresh of running containers" |
		awk -F, '$1 == 1000 {printf "plan refresh of 1000 (s),%.3f,1\n", $2/1000}' >>"$dir/ratios.csv"
	local u row t target
	for u in "25% = 2 (3 waves)" "0 (5 waves)"; do
		row="rollout of 10 replicas, max_surge 2, max_unavailable $u"
		t=$(cell "$row" 2) target=$(cell "$row" 5)
		[ -z "$t" ] || awk -v t="${t%% *}" -v b="${target%% *}" -v w="${u##*(}" \
			'BEGIN {printf "rollout %s / (bound + 2 s),%.3f,1\n", substr(w, 1, length(w)-1), t/b}' >>"$dir/ratios.csv"
	done
	(cd "$REPO" && go run ./bench/chart -plan "$dir/plan.csv" -ratios "$dir/ratios.csv" -out "$BENCH_DIR/RESULTS.png")
	rm -rf "$dir"
}

if [ "${1:-}" = "--chart" ]; then
	draw_chart "$BENCH_DIR/RESULTS.md"
	echo "drew $BENCH_DIR/RESULTS.png from $BENCH_DIR/RESULTS.md"
	exit 0
fi
quick=0
[ "${1:-}" = "--quick" ] && quick=1
if [ $quick = 1 ]; then
	RUNS=5 MANY_RUNS=2 CSIZES=(1 10) EXEC_RUNS=10 PULL_RUNS=2 MEMN=20 REFRESH=(100) SIZES=(10 100 1000) ROLLOUT_RUNS=1
else
	RUNS=20 MANY_RUNS=3 CSIZES=(1 10 100) EXEC_RUNS=20 PULL_RUNS=5 MEMN=100 REFRESH=(100 1000) SIZES=(10 100 1000 10000) ROLLOUT_RUNS=5
fi

out="$BENCH_DIR/RESULTS.md"
tmp="$(mktemp -d)"
install_peers
build_berth
start_dockerd
make_images
export BENCH_SHARED=1

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
	echo "| crun | $(crun --version 2>/dev/null | head -1) |"
	echo "| docker-compose | $(docker-compose version --short 2>/dev/null) |"
	echo "| docker-registry | $(dpkg-query -W -f='${Version}' docker-registry 2>/dev/null) |"
	echo "| go | $(go version | awk '{print $3}') |"
	echo
	echo "Each row alternates the two tools (A B A B …) after one warm-up of each;"
	echo "figures are the median with the minimum and maximum in brackets; the"
	echo "ratio is berth's median over the peer's (lower is better)."
	echo
	echo "## Containers"
	echo
	"$BENCH_DIR/containers.sh" "$RUNS" "$MANY_RUNS" "${CSIZES[@]}"
	echo
	echo "## Exec"
	echo
	"$BENCH_DIR/exec.sh" "$EXEC_RUNS"
	echo
	echo "## Pull"
	echo
	"$BENCH_DIR/pull.sh" "$PULL_RUNS"
	echo
	echo "## Idle memory"
	echo
	"$BENCH_DIR/memory.sh" "$MEMN"
	echo
	echo "## No-op plan with refresh of running containers"
	echo
	"$BENCH_DIR/refresh.sh" "${REFRESH[@]}"
	echo
	echo "## Plan time against resource count"
	echo
	"$BENCH_DIR/plan.sh" "${SIZES[@]}"
	echo
	echo "## Rolling update"
	echo
	"$BENCH_DIR/rollout.sh" "$ROLLOUT_RUNS"
	echo
	echo "![plan time and ratios](RESULTS.png)"
} | tee "$tmp/results.md"

cp "$tmp/results.md" "$out"
draw_chart "$out"
echo "wrote $out and $BENCH_DIR/RESULTS.png"
