#!/bin/sh
# Regenerates the libtorch reference rows, tests/compat/<program>.expected, by building each
# program here against libtorch 1.13 (Debian 12: apt-get install libtorch-dev) and running it.
#
#   tests/compat/regen.sh                 # every program
#   tests/compat/regen.sh ops_reduce sgd  # just these
#
# The .expected files are committed data: the test suite compares against them and never
# needs libtorch. Rerun this only when a program changes, then review the diff. A program that
# throws under libtorch (a "NAME: threw: ..." line on stderr) is a bug in the program, so the
# script stops. Compiling one program takes 30-60 s and ~0.8 GB (JOBS=2 by default).
set -eu
here=$(cd "$(dirname "$0")" && pwd)
cd "$here"
programs=${*:-"seed ops_elementwise ops_reduce ops_shape ops_linalg autograd tensor_api conventions losses sgd custom_function layers optim rnn random tutorial print graph dtypes indexing data pool_pad modes resample activations losses_aten containers norm_embed transformer rnn_pack clone"}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
CXX=${CXX:-g++}
TORCH_INC=${TORCH_INC:-/usr/include/torch/csrc/api/include}

build() {
  "$CXX" -std=c++17 -O1 -I"$TORCH_INC" "$1.cpp" -o "$tmp/$1" -ltorch -ltorch_cpu -lc10 \
    || { echo "regen: $1.cpp does not build against libtorch" >&2; return 1; }
}

# Build (JOBS at a time), then run each and keep stdout as the reference.
JOBS=${JOBS:-2}
pids=""
n=0
for p in $programs; do
  build "$p" &
  pids="$pids $!"
  n=$((n + 1))
  if [ "$n" -ge "$JOBS" ]; then
    for pid in $pids; do wait "$pid"; done
    pids=""
    n=0
  fi
done
for pid in $pids; do wait "$pid"; done

for p in $programs; do
  "$tmp/$p" > "$tmp/$p.out" 2> "$tmp/$p.err"
  if grep -q ': threw: ' "$tmp/$p.err"; then
    grep ': threw: ' "$tmp/$p.err" >&2
    echo "regen: $p threw under libtorch; fix the program" >&2
    exit 1
  fi
  mv "$tmp/$p.out" "$p.expected"
  echo "regen: $p.expected ($(wc -l < "$p.expected") rows)"
done
