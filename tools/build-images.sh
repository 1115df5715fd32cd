#!/usr/bin/env bash
# Build the workshop's Docker images with BuildKit: glacier-workshop/notebook and
# glacier-workshop/hub, tagged with images/VERSION.
#
# Usage: tools/build-images.sh [--base IMAGE] [--cpu-wheelhouse DIR] [--only notebook|hub] [--no-cache]
#   --base IMAGE          base image for both (default: the Dockerfiles' pinned official Debian)
#   --cpu-wheelhouse DIR  notebook image with ACCELERATOR=cpu: torch==2.13.0+cpu (and xgboost-cpu
#                         when present) installed from DIR's wheels; default is ACCELERATOR=cuda
#   --only NAME           build one image
#   --no-cache            rebuild every layer (cold build; the download caches stay)
# Environment: WORKSHOP_NOTEBOOK_IMAGE, WORKSHOP_HUB_IMAGE override the image names;
#   BASE_IMAGE, CPU_WHEELHOUSE are the same as the options.
# Tests and this machine: tools/build-images.sh --base workshop-local/debian:bookworm --cpu-wheelhouse /opt/wheels
set -euo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# Debian's CLI: /usr/local/bin/docker (first on PATH here) has no BuildKit support.
DOCKER=${DOCKER:-/usr/bin/docker}
CA_BUNDLE=${CA_BUNDLE:-/etc/ssl/certs/ca-certificates.crt}

die() { printf 'build-images: error: %s\n' "$*" >&2; exit 1; }
usage() { sed -n '2,14p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; }

base=${BASE_IMAGE:-}
wheelhouse=${CPU_WHEELHOUSE:-}
only=
cache_flags=()
while [ "$#" -gt 0 ]; do
  case "$1" in
    --base) [ "$#" -ge 2 ] || die "--base needs an image name"; base=$2; shift 2 ;;
    --base=*) base=${1#*=}; shift ;;
    --cpu-wheelhouse) [ "$#" -ge 2 ] || die "--cpu-wheelhouse needs a folder"; wheelhouse=$2; shift 2 ;;
    --cpu-wheelhouse=*) wheelhouse=${1#*=}; shift ;;
    --only) [ "$#" -ge 2 ] || die "--only needs notebook or hub"; only=$2; shift 2 ;;
    --no-cache) cache_flags=(--no-cache); shift ;;
    -h|--help) usage; exit 0 ;;
    *) usage >&2; die "unknown option '$1'" ;;
  esac
done
case "$only" in ''|notebook|hub) ;; *) die "--only takes notebook or hub, not '$only'" ;; esac

[ -x "$DOCKER" ] || die "$DOCKER not found; run tools/docker-engine.sh (installs docker.io)"
if ! "$DOCKER" info >/dev/null 2>&1; then
  die "the Docker engine does not answer ($DOCKER info failed); start it with tools/docker-engine.sh"
fi
[ -r "$CA_BUNDLE" ] || die "CA bundle $CA_BUNDLE not readable (builds reach PyPI through it)"
if [ -n "$base" ] && ! "$DOCKER" image inspect "$base" >/dev/null 2>&1; then
  printf 'build-images: base image %s is not local; the build will try to pull it\n' "$base" >&2
fi

tag=$(tr -d '[:space:]' <"$repo/images/VERSION")
[ -n "$tag" ] || die "images/VERSION is empty"
notebook_image=${WORKSHOP_NOTEBOOK_IMAGE:-glacier-workshop/notebook:$tag}
hub_image=${WORKSHOP_HUB_IMAGE:-glacier-workshop/hub:$tag}

accelerator=cuda
if [ -n "$wheelhouse" ]; then
  accelerator=cpu
  [ -d "$wheelhouse" ] || die "--cpu-wheelhouse $wheelhouse is not a folder"
  compgen -G "$wheelhouse/torch-2.13.0+cpu-*.whl" >/dev/null \
    || die "no torch-2.13.0+cpu wheel in $wheelhouse"
  # Stage the wheels inside the build context (BuildKit here has no named contexts): hard
  # links when on the same file system, else copies; stale wheels removed.
  stage="$repo/images/notebook/wheelhouse"
  mkdir -p "$stage"
  for whl in "$stage"/*.whl; do
    [ -e "$whl" ] && [ ! -e "$wheelhouse/${whl##*/}" ] && rm -f "$whl"
  done
  for whl in "$wheelhouse"/*.whl; do
    [ -e "$stage/${whl##*/}" ] || ln "$whl" "$stage/" 2>/dev/null || cp -p "$whl" "$stage/"
  done
fi

build() { # NAME IMAGE [extra docker build args...]
  local name=$1 image=$2 start elapsed
  shift 2
  local args=(-f "$repo/images/$name/Dockerfile" -t "$image" --progress plain
              --secret "id=ca,src=$CA_BUNDLE" "${cache_flags[@]}" "$@")
  [ -z "$base" ] || args+=(--build-arg "BASE_IMAGE=$base")
  printf 'build-images: building %s (%s)\n' "$image" "$name" >&2
  start=$(date +%s%N)
  local log
  log=$(mktemp "/tmp/build-$name.XXXXXX.log")
  if ! DOCKER_BUILDKIT=1 "$DOCKER" build "${args[@]}" "$repo" >"$log" 2>&1; then
    tail -n 40 "$log" >&2
    die "building the $name image ($image) failed; full log: $log"
  fi
  elapsed=$(( ($(date +%s%N) - start) / 100000000 ))
  rm -f "$log"
  printf 'build-images: built %s in %d.%d s\n' "$image" $((elapsed / 10)) $((elapsed % 10))
}

[ "$only" = hub ] || build notebook "$notebook_image" --build-arg "ACCELERATOR=$accelerator"
[ "$only" = notebook ] || build hub "$hub_image"
