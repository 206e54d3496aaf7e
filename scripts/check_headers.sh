#!/usr/bin/env bash
# A meson test: the public headers compile cleanly (-Wall -Wextra -Werror) as C++17, libtorch
# programs' standard, and as C++20, with GCC and with Clang where Clang is installed. Both
# <tapegrad.hpp> and the drop-in <torch/torch.h> are checked, with the TORCH_CHECK family
# used with and without a message. Only the headers are compiled (-fsyntax-only): templates a
# program instantiates are checked by the compat programs, which are built as C++17.
# Usage: check_headers.sh SOURCE_DIR
set -euo pipefail
src=$1
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cat >"$tmp/tg.cpp" <<'CPP'
#include <tapegrad.hpp>
int main() {
  TORCH_CHECK(1 > 0);
  TORCH_CHECK(1 > 0, "a message ", 2);
  TORCH_WARN_ONCE("once");
  return 0;
}
CPP
cat >"$tmp/torch.cpp" <<'CPP'
#include <torch/torch.h>
int main() {
  torch::Tensor t = torch::ones({2});
  TORCH_INTERNAL_ASSERT(t.defined());
  return 0;
}
CPP
compilers=()
for c in g++ clang++; do command -v "$c" >/dev/null && compilers+=("$c"); done
failed=0
for cxx in "${compilers[@]}"; do
  for std in c++17 c++20; do
    for f in tg torch; do
      if "$cxx" -std="$std" -Wall -Wextra -Werror -fsyntax-only -I"$src" -I"$src/compat/include" \
        "$tmp/$f.cpp" 2>"$tmp/err"; then
        echo "ok: $cxx -std=$std $f"
      else
        echo "FAILED: $cxx -std=$std $f"
        head -20 "$tmp/err"
        failed=1
      fi
    done
  done
done
exit $failed
