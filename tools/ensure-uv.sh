#!/usr/bin/env bash
# Make `python3 -m uv` work: install uv (pinned) into python3's environment if it is missing.
# Debian's own python3 is "externally managed" (PEP 668); there uv goes in with --break-system-packages,
# which touches no Debian package (uv is a single self-contained tool).
set -euo pipefail
UV_VERSION=0.13.9
python3 -m uv --version >/dev/null 2>&1 && exit 0
if ! python3 -m pip --version >/dev/null 2>&1; then
  DEBIAN_FRONTEND=noninteractive apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-pip >/dev/null
fi
python3 -m pip install -q "uv==$UV_VERSION" 2>/dev/null \
  || python3 -m pip install -q --break-system-packages "uv==$UV_VERSION"
python3 -m uv --version >/dev/null
