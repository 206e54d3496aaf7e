#!/usr/bin/env bash
# Set-up shared by demo.sh and test.sh: dependencies, then the `build` directory
# (debugoptimized, meson's default here), then a build of everything.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
[ -f build/build.ninja ] || meson setup build --buildtype=debugoptimized
ninja -C build
