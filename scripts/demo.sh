#!/usr/bin/env bash
# Quick start, command 1: set up, build, run the seed example (examples/seed.cpp).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/configure.sh
build/examples/seed
