// Shared by the benchmark workloads. Each workload is one libtorch-style program compiled twice
// from the same source: with -DUSE_TAPEGRAD against tapegrad (`namespace torch = tg;`), and
// without it against libtorch when meson finds it. run.sh runs the two back to back.
//
// A workload calls `report(name, unit, fn)`: fn() runs one step; report warms up, times
// `repeats` blocks of steps, and prints one line `name median_us_per_step unit`. At exit the
// process prints `maxrss <kB>` (peak resident set, getrusage), which is why every workload runs
// in its own process. TG_BENCH_SHORT=1 (what CI sets) runs a handful of steps, only to show
// the workloads still build and run.
#pragma once
#ifdef USE_TAPEGRAD
#include <tapegrad.hpp>
namespace torch = tg;
#else
#include <torch/torch.h>
#endif
#include <sys/resource.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

namespace bench {

inline bool short_mode() {
  const char* s = std::getenv("TG_BENCH_SHORT");
  return s && *s && *s != '0';
}

// Times fn() and prints the median over repeats of the time per call, in microseconds,
// divided by `per` (e.g. the number of ops in a chain). Blocks last ~`block_ms` each.
template <class F>
double report(const std::string& name, F&& fn, double per = 1.0, double block_ms = 40.0,
              int repeats = 9) {
  using clock = std::chrono::steady_clock;
  auto secs = [](clock::duration d) { return std::chrono::duration<double>(d).count(); };
  fn();  // warm-up: first-touch allocations, lazy initialisation
  int iters = 1;
  if (short_mode()) {
    repeats = 1;
  } else {  // calibrate so that one block takes ~block_ms
    auto t0 = clock::now();
    fn();
    double one = std::max(secs(clock::now() - t0), 1e-9);
    iters = std::max(1, int(block_ms * 1e-3 / one));
  }
  std::vector<double> us;
  for (int r = 0; r < repeats; ++r) {
    auto t0 = clock::now();
    for (int i = 0; i < iters; ++i) fn();
    us.push_back(secs(clock::now() - t0) * 1e6 / iters / per);
  }
  std::sort(us.begin(), us.end());
  double med = us[us.size() / 2];
  std::printf("%s %.4g\n", name.c_str(), med);
  std::fflush(stdout);
  return med;
}

// The sanity check after a training workload: true (and a message) for a NaN or huge loss. A
// loss of exactly 0 is fine: the step count follows the machine's speed, and after enough steps
// a float32 loss can reach 0 (the LSTM's did once).
inline bool bad_loss(double last) {
  if (last >= 0 && last < 10) return false;
  std::fprintf(stderr, "bad loss %g\n", last);
  return true;
}

inline void print_maxrss() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  std::printf("maxrss %ld\n", u.ru_maxrss);  // kB on Linux
}

// Both libraries on the same thread budget (libtorch's intra-op pool; tapegrad has none, its
// only threads are OpenBLAS's, which OPENBLAS_NUM_THREADS sets for both).
inline void set_threads() {
#ifndef USE_TAPEGRAD
  const char* s = std::getenv("TG_BENCH_THREADS");
  torch::set_num_threads(s ? std::atoi(s) : 1);
#endif
}

}  // namespace bench
