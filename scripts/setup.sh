#!/usr/bin/env bash
# Installs, from Debian 12's own archive, whichever build dependencies are missing.
# A machine that already has them all does no apt work at all (checked with dpkg-query).
# Sourced or run by demo.sh and test.sh; safe to run again.
set -euo pipefail

# lld only speeds up linking (meson.build uses it when present); clang checks the public
# headers (scripts/check_headers.sh).
packages=(g++ clang meson ninja-build pkg-config cmake ccache lld
          libxtensor-dev libxsimd-dev xtl-dev doctest-dev libopenblas-dev libdw-dev)

missing=()
for p in "${packages[@]}"; do
  status=$(dpkg-query -W -f='${db:Status-Status}' "$p" 2>/dev/null || true)
  [ "$status" = installed ] || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

echo "setup: installing ${missing[*]}"
sudo=()
if [ "$(id -u)" -ne 0 ]; then
  command -v sudo >/dev/null || { echo "setup: need root (or sudo) to install: ${missing[*]}" >&2; exit 1; }
  sudo=(sudo)
fi
export DEBIAN_FRONTEND=noninteractive
"${sudo[@]}" apt-get update -q
"${sudo[@]}" apt-get install -y -q --no-install-recommends "${missing[@]}" </dev/null
