#!/usr/bin/env bash
# Runs every benchmark workload against tapegrad and (when built) libtorch, back to back, and
# prints a Markdown table: medians of µs per step, ratio libtorch / tapegrad (> 1: tapegrad is
# faster), and each process's peak resident memory.
#   run.sh BENCH_BIN_DIR SRC_ROOT BUILD_ROOT TORCH_INCLUDE_OR_EMPTY CXX...
# TG_BENCH_SHORT=1: tapegrad only, a few steps each, no compile timing (what CI runs).
# TG_BENCH_THREADS=N: OpenBLAS and libtorch threads (default 1: the machine is shared).
# TG_BENCH_ROUNDS=N: how many times each pair runs, alternating (default 3; short mode 1). The
#   machine is a VM whose speed shifts from one minute to the next: a pair run once gives a
#   ratio skewed by whichever library ran in the slow phase. Each library's row is the median
#   of its rounds (peak memory: the largest), the ratio is of those medians.
set -euo pipefail
bin=$1 src=$2 build=$3 torch_inc=$4
shift 4
cxx=("$@")
threads=${TG_BENCH_THREADS:-1}
export OPENBLAS_NUM_THREADS=$threads OMP_NUM_THREADS=$threads TG_BENCH_THREADS=$threads
short=${TG_BENCH_SHORT:-0}
[ "$short" = 0 ] || short=1

# The libtorch side is not part of the default build (see meson.build): build it now.
if [ "$short" = 0 ] && [ -n "$torch_inc" ]; then
  ninja -C "$build" -j"${TG_BENCH_JOBS:-2}" bench-libtorch >&2
fi

# run NAME ARGS...: prints the rows of one process, each prefixed by NAME's library.
out=$(mktemp)
trap 'rm -f "$out" "$out".*' EXIT
run() {
  local lib=$1 w=$2
  shift 2
  local exe="$bin/bench_${lib}_$w"
  [ -x "$exe" ] || return 0
  local t0=$(date +%s.%N) rows
  rows=$("$exe" "$@") || { echo "FAILED: $exe $*" >&2; return 1; }
  local rss=$(awk '/^maxrss/ {print $2}' <<<"$rows")
  awk -v lib="$lib" -v rss="$rss" '!/^maxrss/ {print lib, $1, $2, rss}' <<<"$rows" >>"$out"
}
status=0
rounds=${TG_BENCH_ROUNDS:-3}
[ "$short" = 0 ] || rounds=1
for spec in "seed_step 64" "seed_step 1024" "seed_step 65536" "mlp_small" "mlp_big" "chain" \
            "matmul" "sgemm" "conv_net" "lstm"; do
  for ((round = 0; round < rounds; ++round)); do
    # shellcheck disable=SC2086
    run tg $spec || status=1
    [ "$short" = 1 ] || run torch $spec || status=1
  done
done

# Compile time of the seed program (tests/compat/seed.cpp, same source) at -O2, one object.
if [ "$short" = 0 ]; then
  tmp=$(mktemp -d)
  t() { local t0=$(date +%s.%N); CCACHE_DISABLE=1 "$@" >/dev/null 2>&1 || echo "compile failed: $*" >&2;
        echo "$(date +%s.%N) - $t0" | bc; }
  s=$(t "${cxx[@]}" -std=c++20 -O2 -c "$src/tests/compat/seed.cpp" -o "$tmp/a.o" -I"$src" \
        -DUSE_TAPEGRAD '-DTAPEGRAD_HEADER=<tapegrad.hpp>')
  echo "tg compile_seed_O2_s $s -" >>"$out"
  if [ -n "$torch_inc" ]; then
    s=$(t "${cxx[@]}" -std=c++17 -O2 -c "$src/tests/compat/seed.cpp" -o "$tmp/b.o" -I"$torch_inc")
    echo "torch compile_seed_O2_s $s -" >>"$out"
  fi
  rm -rf "$tmp"
fi

echo "OPENBLAS_NUM_THREADS=$threads, libtorch threads=$threads; $rounds alternating round(s) per pair, each the median of 9 blocks; rows: medians of the rounds (µs unless named)"
echo
echo "| workload | tapegrad | libtorch | libtorch / tapegrad | peak RSS tapegrad (MB) | peak RSS libtorch (MB) |"
echo "|---|---:|---:|---:|---:|---:|"
awk '
  { key = $2; if (!(key in seen)) { seen[key] = 1; order[n++] = key }
    c = ++cnt[$1, key]; v[$1, key, c] = $3
    if ($4 != "-" && $4 != "" && (r[$1, key] == "" || $4 + 0 > r[$1, key] + 0)) r[$1, key] = $4 }
  function mb(x) { return x == "-" || x == "" ? "" : sprintf("%.0f", x / 1024) }
  # The median of the values of (lib, key): an insertion sort of a handful of rounds.
  function med(lib, key,    m, i, j, t, s) {
    m = cnt[lib, key]
    if (m == 0) return ""
    for (i = 1; i <= m; i++) s[i] = v[lib, key, i] + 0
    for (i = 2; i <= m; i++)
      for (j = i; j > 1 && s[j - 1] > s[j]; j--) { t = s[j]; s[j] = s[j - 1]; s[j - 1] = t }
    return m % 2 ? s[(m + 1) / 2] : (s[m / 2] + s[m / 2 + 1]) / 2
  }
  END {
    for (i = 0; i < n; i++) {
      k = order[i]; a = med("tg", k); b = med("torch", k)
      ratio = ""
      if (a != "" && b != "" && a > 0) {
        # for rates (GFLOP/s) higher is better: the ratio stays "how many times faster tapegrad is"
        ratio = (k ~ /gflops/) ? sprintf("%.2f", a / b) : sprintf("%.2f", b / a)
      }
      printf "| %s | %s | %s | %s | %s | %s |\n", k, a, b, ratio, mb(r["tg", k]), mb(r["torch", k])
    }
  }' "$out"
exit $status
