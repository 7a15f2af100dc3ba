#!/usr/bin/env bash
# Runs the quickstart end to end on this machine: builds berth, then
# validates, plans and applies examples/quickstart.
#
# The native runtime (containers, images, networks) is being built; until
# it lands, this walkthrough stops after the plan, which shows what apply
# will do. Everything it runs is real: the plan is computed by the same
# engine that applies it.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
export PATH="/usr/local/go/bin:$PATH"

echo "== building berth"
(cd "$repo" && go build -o "$repo/bin/berth" ./cmd/berth)
berth="$repo/bin/berth"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
cp "$here"/*.berth.hcl "$work"/

echo "== berth validate"
"$berth" -chdir="$work" validate
echo "== berth plan"
"$berth" -chdir="$work" plan -var greeting="hello from the quickstart"
