#!/usr/bin/env bash
# Installs, with apt, every Debian package that building and testing Rapport needs, plus any
# extra packages named as arguments (scripts/install-bench-deps.sh uses that).
# Idempotent: packages already present are left alone; apt-get update runs only when needed.
set -euo pipefail

packages=(
  build-essential cmake ninja-build pkg-config
  libsqlite3-dev libsimdjson-dev libcli11-dev libfmt-dev libtomlplusplus-dev
  libgmime-3.0-dev libpugixml-dev libeigen3-dev libcpp-httplib-dev
  libgtest-dev libgmock-dev libbenchmark-dev
  clang libclang-rt-14-dev libomp-14-dev
  sqlite3 python3 python3-networkx time
  chromium chromium-driver libpng-dev wrk curl
  openmpi-bin libopenmpi-dev
  "$@"
)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi
echo "install-deps: installing ${missing[*]}"
SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
