// Random numbers at scale: randn of 1e6 float32 values (libtorch's Box-Muller blocks), and rand
// of 1e6 values, from the default generator. Same source on both libraries: the same values too.
#include "bench.hpp"

int main() {
  bench::set_threads();
  const int64_t n = bench::short_mode() ? 1000 : 1000000;
  torch::manual_seed(0);
  double last = 0;
  bench::report("randn_1e6_float32", [&] { last = torch::randn({n}).sum().item<double>(); });
  bench::report("rand_1e6_float32", [&] { last += torch::rand({n}).sum().item<double>(); });
  if (!(last == last)) return std::fprintf(stderr, "bad sum\n"), 1;
  bench::print_maxrss();
}
