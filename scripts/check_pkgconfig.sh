#!/usr/bin/env bash
# A meson test (see meson.build): an outside program finds tapegrad through pkg-config.
#   1. every header that <tapegrad.hpp> pulls in from the source tree is installed
#      under include/tapegrad/ (checked against meson's install plan, no install needed);
#   2. a small program built with only
#        `pkg-config --cflags --libs tapegrad-uninstalled`
#      compiles, links and runs.
# Usage: check_pkgconfig.sh SOURCE_DIR BUILD_DIR SANITIZE CXX...
set -euo pipefail
src=$1 build=$2 sanitize=$3
shift 3
cxx=("$@")
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# 1. Headers: what the umbrella header includes vs what meson installs.
"${cxx[@]}" -std=c++20 -I"$src" -MM "$src/tapegrad.hpp" -MT x | tr -s ' \\\n' '\n' |
  grep -v '^x:$' | while read -r f; do realpath "$f"; done | grep "^$(realpath "$src")/" | sort -u \
  >"$tmp/included"
meson introspect --installed "$build" >"$tmp/installed.json"
missing=0
while read -r f; do
  rel=${f#"$(realpath "$src")"/}
  if ! grep -q "\"[^\"]*/include/tapegrad/$rel\"" "$tmp/installed.json"; then
    echo "not installed: $rel (add it to an install_headers() line)"
    missing=1
  fi
done <"$tmp/included"
[ "$missing" = 0 ] || exit 1
echo "headers: all $(wc -l <"$tmp/included") reachable from tapegrad.hpp are installed"

# 2. An outside program through the uninstalled .pc file.
cat >"$tmp/prog.cpp" <<'CPP'
#include <tapegrad.hpp>
#include <iostream>
namespace torch = tg;
int main() {
  auto x = torch::tensor({1.0, 2.0, 3.0}, torch::requires_grad());
  auto y = (x * x).sum();
  y.backward();  // dy/dx = 2x
  std::cout << x.grad() << "\n";
  return x.grad().sum().item<double>() == 12.0 ? 0 : 1;
}
CPP
flags=$(PKG_CONFIG_PATH="$build/meson-uninstalled" pkg-config --cflags --libs tapegrad-uninstalled)
echo "pkg-config --cflags --libs tapegrad-uninstalled: $flags"
extra=()
[ "$sanitize" = none ] || extra=("-fsanitize=$sanitize")
# shellcheck disable=SC2086  # $flags is a list of flags
"${cxx[@]}" -std=c++17 "${extra[@]}" "$tmp/prog.cpp" -o "$tmp/prog" $flags
"$tmp/prog"
echo "outside program: built and ran"
