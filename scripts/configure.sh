#!/usr/bin/env bash
# Set-up shared by demo.sh and test.sh: dependencies, then the `build` directory
# (debugoptimized, meson's default here), then a build of everything.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
# ccache (meson uses it when installed): paths relative to the checkout and no working
# directory in the hash, so a fresh clone in another folder reuses earlier compilations.
export CCACHE_BASEDIR="$PWD" CCACHE_NOHASHDIR=true
# The library and the doctest suite use precompiled headers; ccache caches them only with this
# sloppiness (ccache(1), "Precompiled headers"): no __TIME__/__DATE__ is used anywhere.
export CCACHE_SLOPPINESS=pch_defines,time_macros,include_file_mtime,include_file_ctime
[ -f build/build.ninja ] || meson setup build --buildtype=debugoptimized
ninja -C build
