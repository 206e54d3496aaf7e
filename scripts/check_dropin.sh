#!/usr/bin/env bash
# A meson test (see compat/meson.build): an unchanged libtorch program builds against tapegrad
# through the drop-in include path, with nothing but
#   g++ -std=c++20 prog.cpp $(pkg-config --cflags --libs tapegrad-torch)
# (the uninstalled module here), runs, and prints exactly what it prints under libtorch 1.13
# (tests/compat/dropin.expected). Also checks that <torch/script.h> stops with its #error.
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
# shellcheck disable=SC2086  # $flags is a list of flags
"${cxx[@]}" -std=c++20 -O0 "${extra[@]}" "$src/tests/compat/dropin.cpp" -o "$tmp/dropin" $flags
"$tmp/dropin" >"$tmp/out.txt"
if ! diff -u "$src/tests/compat/dropin.expected" "$tmp/out.txt"; then
  echo "dropin: output differs from libtorch's (tests/compat/dropin.expected)"
  exit 1
fi
echo "dropin: output identical to libtorch's ($(wc -l <"$tmp/out.txt") lines)"

# TorchScript is not part of tapegrad: the header says so instead of failing later.
printf '#include <torch/script.h>\nint main() {}\n' >"$tmp/script.cpp"
# shellcheck disable=SC2086
if "${cxx[@]}" -std=c++20 -fsyntax-only "$tmp/script.cpp" $flags 2>"$tmp/script.err"; then
  echo "dropin: <torch/script.h> compiled; it should stop with #error"
  exit 1
fi
grep -q "tapegrad does not support TorchScript" "$tmp/script.err" || {
  cat "$tmp/script.err"
  exit 1
}
echo "dropin: <torch/script.h> stops with: tapegrad does not support TorchScript"
