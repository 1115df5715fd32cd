#!/usr/bin/env bash
# Provisioning benchmark (prints figures; not a test).
#
#   bench/provision.sh            time an unchanged re-run of ./deploy local (non-destructive)
#   bench/provision.sh --cold-images  ALSO time a no-cache build of all four images under a
#                                 throwaway tag (the deployment is not touched; tags removed after)
#   bench/provision.sh --fresh    ALSO time fresh -> ready hub with a cold image build: removes the
#                                 workshop's containers, volumes (all hub data, homes, gradebook!),
#                                 /etc/workshop and the workshop images first. Only on a machine
#                                 that holds nothing worth keeping; asks for confirmation unless --yes.
#
# "Ready" means site.yml finished: the hub answered its health check, the grader is registered,
# the proxy serves HTTPS. Figures go to stdout as `name: seconds`; the deploy logs to /tmp.
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
cd "$repo"
DOCKER=/usr/bin/docker
fresh=0 yes=0 cold_images=0
for arg in "$@"; do
  case "$arg" in
    --fresh) fresh=1 ;;
    --yes) yes=1 ;;
    --cold-images) cold_images=1 ;;
    *) echo "usage: bench/provision.sh [--cold-images] [--fresh [--yes]]" >&2; exit 2 ;;
  esac
done
extra=()
[ ! -f tests/e2e/deploy-vars.yml ] || extra=(-e @tests/e2e/deploy-vars.yml)
tag=$(tr -d '[:space:]' <images/VERSION)

timed_deploy() { # LABEL
  local log start end
  log=$(mktemp "/tmp/bench-provision-$(printf '%s' "$1" | tr -cs 'a-z0-9' '-').XXXXXX.log")
  start=$(date +%s%N)
  if ! ./deploy local "${extra[@]}" >"$log" 2>&1; then
    tail -n 40 "$log" >&2
    echo "bench: ./deploy local failed ($1); log $log" >&2
    exit 1
  fi
  end=$(date +%s%N)
  local tenths=$(( (end - start) / 100000000 ))
  printf '%s: %d.%d s  (%s; log %s)\n' "$1" $((tenths / 10)) $((tenths % 10)) \
    "$(grep -Eo 'ok=[0-9]+ +changed=[0-9]+' "$log" | tail -n 1 | tr -s ' ')" "$log"
}

seconds_since() { # START_NS
  local tenths=$(( ($(date +%s%N) - $1) / 100000000 ))
  printf '%d.%d' $((tenths / 10)) $((tenths % 10))
}

if [ "$cold_images" = 1 ]; then
  bench_tag=bench-$$
  trap 'for i in hub notebook gradebook proxy; do "$DOCKER" rmi "glacier-workshop/$i:$bench_tag" >/dev/null 2>&1 || true; done' EXIT
  start=$(date +%s%N)
  WORKSHOP_NOTEBOOK_IMAGE=glacier-workshop/notebook:$bench_tag WORKSHOP_HUB_IMAGE=glacier-workshop/hub:$bench_tag \
    tools/build-images.sh --no-cache --base workshop-local/debian:bookworm --cpu-wheelhouse /opt/wheels >/tmp/bench-provision-cold-images.log 2>&1
  for image in gradebook proxy; do
    DOCKER_BUILDKIT=1 "$DOCKER" build --quiet --no-cache -f "images/$image/Dockerfile" \
      --build-arg BASE_IMAGE=workshop-local/debian:bookworm -t "glacier-workshop/$image:$bench_tag" . \
      >>/tmp/bench-provision-cold-images.log 2>&1
  done
  printf 'cold build of hub, notebook, gradebook, proxy images (no layer cache): %s s  (log /tmp/bench-provision-cold-images.log)\n' \
    "$(seconds_since "$start")"
  grep -E '^build-images: built' /tmp/bench-provision-cold-images.log | sed 's/^/  /'
fi

if [ "$fresh" = 1 ]; then
  if [ "$yes" != 1 ]; then
    read -r -p "Remove every workshop container, volume, image and /etc/workshop on $(hostname)? [y/N] " answer
    [ "$answer" = y ] || exit 1
  fi
  "$DOCKER" ps -aq --filter name='^workshop-' | xargs -r "$DOCKER" rm -f >/dev/null
  "$DOCKER" volume ls -q --filter name='^workshop-' | xargs -r "$DOCKER" volume rm >/dev/null
  for image in hub notebook gradebook proxy; do "$DOCKER" rmi "glacier-workshop/$image:$tag" >/dev/null 2>&1 || true; done
  # BuildKit's layer cache too, so the build is cold (downloads stay in their cache mounts).
  "$DOCKER" builder prune -af >/dev/null 2>&1 || true
  rm -rf /etc/workshop
  timed_deploy "fresh machine -> ready hub (cold image build)"
fi

# The deployment must exist for an unchanged re-run; make sure it does, untimed.
if ! "$DOCKER" container inspect workshop-hub >/dev/null 2>&1; then
  ./deploy local "${extra[@]}" >/tmp/bench-provision-setup.log 2>&1
fi
timed_deploy "unchanged re-run"
