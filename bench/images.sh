#!/usr/bin/env bash
# Benchmark: build time of both images, cold and warm, and their sizes. Prints figures;
# it is not a test and asserts nothing.
#
# Usage: bench/images.sh [build-images options]   (default: --base workshop-local/debian:bookworm
#                                                  --cpu-wheelhouse /opt/wheels, as tests use)
#   cold: every layer rebuilt (--no-cache). BuildKit's download caches (uv, apt) are kept,
#         unless BENCH_PRUNE_DOWNLOADS=1, which drops every BuildKit cache mount on this engine
#         (all projects' builds then download again).
#   warm: the same build again, nothing changed (what a re-run of tests/run-all pays).
# The images are built under throw-away tags (…:bench-PID) and those tags are removed at the end;
# the workshop's own tags are not touched.
set -euo pipefail
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
DOCKER=${DOCKER:-/usr/bin/docker}

[ "$#" -gt 0 ] || set -- --base workshop-local/debian:bookworm --cpu-wheelhouse /opt/wheels
suffix=bench-$$
export WORKSHOP_NOTEBOOK_IMAGE=glacier-workshop/notebook:$suffix
export WORKSHOP_HUB_IMAGE=glacier-workshop/hub:$suffix
cleanup() { "$DOCKER" rmi "$WORKSHOP_NOTEBOOK_IMAGE" "$WORKSHOP_HUB_IMAGE" >/dev/null 2>&1 || true; }
trap cleanup EXIT

if [ "${BENCH_PRUNE_DOWNLOADS:-0}" = 1 ]; then
  echo "bench: dropping BuildKit cache mounts (downloads)" >&2
  "$DOCKER" builder prune -f --filter type=exec.cachemount >/dev/null
fi

# build-images.sh prints "build-images: built IMAGE in N s" per image.
seconds() { sed -n "s|^build-images: built $1 in \([0-9.]*\) s$|\1|p"; }
run_builds() { "$repo/tools/build-images.sh" "$@" 2>/dev/null; }

echo "bench: cold build (--no-cache) ..." >&2
cold=$(run_builds "$@" --no-cache)
echo "bench: warm build ..." >&2
warm=$(run_builds "$@")

size() { "$DOCKER" image inspect -f '{{.Size}}' "$1" | awk '{printf "%.2f GB", $1 / 1e9}'; }
printf '%-10s %10s %10s %10s\n' image cold_s warm_s size
for name in notebook hub; do
  var=WORKSHOP_$(echo "$name" | tr a-z A-Z)_IMAGE
  image=${!var}
  printf '%-10s %10s %10s %10s\n' "$name" "$(seconds "$image" <<<"$cold")" \
    "$(seconds "$image" <<<"$warm")" "$(size "$image")"
done
printf 'options: %s; engine: Docker %s; %s cores\n' "$*" \
  "$("$DOCKER" version -f '{{.Server.Version}}')" "$(nproc)"
