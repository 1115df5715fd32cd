#!/usr/bin/env bash
# Make a local Debian base image when no registry is reachable (tests, air-gapped sites):
# debootstrap a minimal bookworm and `docker import` it. Skips the work if the image exists.
# Usage: tools/base-image.sh [IMAGE_NAME]   (default: workshop-local/debian:bookworm)
set -euo pipefail
IMAGE=${1:-workshop-local/debian:bookworm}
SUITE=${SUITE:-bookworm}
MIRROR=${MIRROR:-http://deb.debian.org/debian}
DOCKER=/usr/bin/docker

if "$DOCKER" image inspect "$IMAGE" >/dev/null 2>&1; then
  echo "base-image: $IMAGE already present"
  exit 0
fi
command -v debootstrap >/dev/null 2>&1 || {
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq debootstrap >/dev/null
}
root=$(mktemp -d /tmp/base-image.XXXXXX)
trap 'rm -rf "$root"' EXIT
echo "base-image: debootstrap $SUITE into $root" >&2
debootstrap --variant=minbase "$SUITE" "$root" "$MIRROR" >/tmp/debootstrap.log 2>&1 || {
  tail -n 30 /tmp/debootstrap.log >&2; exit 1; }
# Keep apt lean inside images, as the official Debian images do.
rm -rf "$root"/var/cache/apt/archives/*.deb "$root"/var/lib/apt/lists/*
tar -C "$root" -c . | "$DOCKER" import -c 'CMD ["bash"]' - "$IMAGE" >/dev/null
echo "base-image: imported $IMAGE"
