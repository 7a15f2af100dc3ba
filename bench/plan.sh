#!/usr/bin/env bash
# Plan time against resource count: `berth plan -refresh=false` of N
# container resources (each referring to an image and, in groups of ten,
# to the container before it), N = 10 … 10,000, through the real binary.
# Prints a Markdown table; with -csv FILE also writes "n,ms" lines.
# Usage: bench/plan.sh [-csv FILE] [SIZES...]
source "$(dirname "$0")/lib.sh"
csv=""
if [ "${1:-}" = "-csv" ]; then csv=$2; shift 2; fi
sizes=("$@")
[ ${#sizes[@]} -gt 0 ] || sizes=(10 100 1000 10000)
build_berth

echo "| resources | plan (median of 5) | validate (median of 5) | per resource |"
echo "|---:|---:|---:|---:|"
[ -z "$csv" ] || : >"$csv"
for n in "${sizes[@]}"; do
	dir="$WORK/plan-$n"
	rm -rf "$dir" && mkdir -p "$dir"
	{
		echo 'image "app" { ref = "registry.example/app:1" }'
		for ((i = 0; i < n; i++)); do
			if ((i % 10 == 0)); then env='{ N = "'$i'" }'; else env="{ N = \"$i\", PREV = container.c$((i - 1)).name }"; fi
			printf 'container "c%d" {\n  image   = image.app.id\n  command = ["sleep", "1000"]\n  env     = %s\n  resources { memory = "64MiB" }\n}\n' "$i" "$env"
		done
	} >"$dir/main.berth.hcl"
	fp=$(mktemp) fv=$(mktemp)
	for _ in 1 2 3 4 5 6; do
		time_once "$BERTH" -chdir="$dir" plan -refresh=false -no-color >>"$fp"
		time_once "$BERTH" -chdir="$dir" validate -no-color >>"$fv"
	done
	read -r mp _ _ < <(tail -n 5 "$fp" | stats)
	read -r mv _ _ < <(tail -n 5 "$fv" | stats)
	rm -f "$fp" "$fv"
	per=$(awk -v m="$mp" -v n="$n" 'BEGIN {printf "%.3f", m/n}')
	printf '| %d | %s ms | %s ms | %s ms |\n' "$n" "$mp" "$mv" "$per"
	[ -z "$csv" ] || echo "$n,$mp" >>"$csv"
	rm -rf "$dir"
done
