#!/usr/bin/env bash
# Ensure a Docker engine is installed and answering, on a machine with or without systemd.
# Idempotent: safe to run again; starts dockerd only when `docker info` does not answer.
set -euo pipefail

# /usr/local/bin/docker (if present) lacks buildx; Debian's CLI has BuildKit built in.
DOCKER=/usr/bin/docker

if ! command -v dockerd >/dev/null 2>&1 || [ ! -x "$DOCKER" ]; then
  echo "docker-engine: installing docker.io from Debian" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq docker.io >/dev/null
fi

if "$DOCKER" info >/dev/null 2>&1; then
  exit 0
fi

if command -v systemctl >/dev/null 2>&1 && [ -d /run/systemd/system ]; then
  systemctl start docker
else
  echo "docker-engine: starting dockerd (no systemd here); log in /var/log/dockerd.log" >&2
  setsid nohup dockerd >/var/log/dockerd.log 2>&1 < /dev/null &
fi

for _ in $(seq 1 60); do
  if "$DOCKER" info >/dev/null 2>&1; then
    exit 0
  fi
  sleep 1
done
echo "docker-engine: the Docker engine did not answer within 60 s; see /var/log/dockerd.log" >&2
tail -n 20 /var/log/dockerd.log >&2 || true
exit 1
