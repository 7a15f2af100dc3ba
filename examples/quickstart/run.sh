#!/usr/bin/env bash
# Runs the quickstart end to end on this machine, as root: builds berth,
# makes the busybox image from Debian's busybox-static, then validates,
# plans, applies, checks the web server answers, shows that a second plan
# has nothing to do, and destroys everything.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
export PATH="/usr/local/go/bin:$PATH"
[ "$(id -u)" = 0 ] || { echo "run.sh: run as root (containers need it)" >&2; exit 1; }

"$repo/scripts/install-test-deps"
echo "== building berth"
"$repo/scripts/build" "$repo/bin/berth"
berth="$repo/bin/berth"

work="$(mktemp -d /tmp/berth-quickstart.XXXXXX)"
cleanup() {
	"$berth" -chdir="$work" destroy -auto-approve >/dev/null 2>&1 || true
	rm -rf "$work"
}
trap cleanup EXIT
cp "$here"/*.berth.hcl "$work"/
(cd "$repo" && go run ./examples/quickstart/mkimage "$work/image" latest)

echo "== berth validate"
"$berth" -chdir="$work" validate
echo "== berth plan"
"$berth" -chdir="$work" plan -out=quickstart.plan
echo "== berth apply"
"$berth" -chdir="$work" apply quickstart.plan

url="$("$berth" -chdir="$work" output -raw web_url)"
echo "== the web server answers on $url"
page=""
for _ in $(seq 50); do
	if page="$(curl -sf "$url" 2>/dev/null)" && [ -n "$page" ]; then
		break
	fi
	sleep 0.1
done
echo "$page"
[ -n "$page" ] || { echo "run.sh: the web server did not answer" >&2; exit 1; }

echo "== the web server's health check passes"
health=""
for _ in $(seq 100); do
	health="$("$berth" -chdir="$work" ps --format json | grep -o '"address":"container.web"[^}]*"health":"[a-z]*"' | grep -o '"health":"[a-z]*"' || true)"
	[ "$health" = '"health":"healthy"' ] && break
	sleep 0.1
done
"$berth" -chdir="$work" ps
[ "$health" = '"health":"healthy"' ] || { echo "run.sh: container.web is not healthy ($health)" >&2; exit 1; }

echo "== a second plan has nothing to do"
"$berth" -chdir="$work" plan -detailed-exitcode
echo "== berth destroy"
"$berth" -chdir="$work" destroy -auto-approve
echo "== quickstart done"
