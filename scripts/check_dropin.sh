#!/usr/bin/env bash
# A meson test (see compat/meson.build): unchanged libtorch programs build against tapegrad
# through the drop-in include path, with nothing but
#   g++ -std=c++17 prog.cpp $(pkg-config --cflags --libs tapegrad-torch)
# (the uninstalled module here), run, and print exactly what they print under libtorch 1.13.
# The programs are tests/compat/dropin*.cpp, each with its libtorch output beside it
# (dropin*.expected, from tests/compat/regen.sh): an API walkthrough, an autograd walkthrough,
# a polynomial regression, the MNIST convnet, a DCGAN and a custom image dataset -- the kinds of
# program libtorch's own examples are. Also checks that <torch/script.h> stops with its #error.
# Usage: check_dropin.sh SOURCE_DIR BUILD_DIR SANITIZE CXX...
set -euo pipefail
src=$1 build=$2 sanitize=$3
shift 3
cxx=("$@")
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

flags=$(PKG_CONFIG_PATH="$build/meson-uninstalled" pkg-config --cflags --libs tapegrad-torch)
echo "pkg-config --cflags --libs tapegrad-torch: $flags"
extra=()
[ "$sanitize" = none ] || extra=("-fsanitize=$sanitize")
# Float32 results' last bits depend on which kernels the CPU gets: OpenBLAS's (tapegrad's
# products) and oneDNN's (libtorch's convolutions) are chosen per CPU, and a few GAN training
# steps make a last-bit difference visible. The references were made on AVX-512 machines, where
# tapegrad matches libtorch with OpenBLAS's SkylakeX kernels; OpenBLAS 0.3.21 gives some
# AVX-512 CPUs (AMD Zen 4) its Haswell kernels instead, and some machines set
# OPENBLAS_CORETYPE=Haswell in the environment: on an AVX-512 CPU, SkylakeX it is.
if grep -q avx512vl /proc/cpuinfo 2>/dev/null && grep -q avx512bw /proc/cpuinfo; then
  export OPENBLAS_CORETYPE=SkylakeX
fi
failed=0
for prog in "$src"/tests/compat/dropin*.cpp; do
  name=$(basename "$prog" .cpp)
  # shellcheck disable=SC2086  # $flags is a list of flags
  if ! "${cxx[@]}" -std=c++17 -O0 "${extra[@]}" "$prog" -o "$tmp/$name" $flags; then
    echo "$name: does not build"
    failed=1
    continue
  fi
  if ! "$tmp/$name" >"$tmp/$name.txt"; then
    echo "$name: exited with an error"
    failed=1
  elif ! diff -u "$src/tests/compat/$name.expected" "$tmp/$name.txt"; then
    echo "$name: output differs from libtorch's (tests/compat/$name.expected)"
    failed=1
  else
    echo "$name: output identical to libtorch's ($(wc -l <"$tmp/$name.txt") lines)"
  fi
done
[ "$failed" -eq 0 ] || exit 1

# TorchScript is not part of tapegrad: the header says so instead of failing later.
printf '#include <torch/script.h>\nint main() {}\n' >"$tmp/script.cpp"
# shellcheck disable=SC2086
if "${cxx[@]}" -std=c++17 -fsyntax-only "$tmp/script.cpp" $flags 2>"$tmp/script.err"; then
  echo "dropin: <torch/script.h> compiled; it should stop with #error"
  exit 1
fi
grep -q "tapegrad does not support TorchScript" "$tmp/script.err" || {
  cat "$tmp/script.err"
  exit 1
}
echo "dropin: <torch/script.h> stops with: tapegrad does not support TorchScript"
