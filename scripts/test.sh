#!/usr/bin/env bash
# Quick start, command 2: set up, build, run the whole test suite.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/configure.sh
meson test -C build --print-errorlogs
