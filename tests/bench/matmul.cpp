// 512x512 float32 matrix product, forward + backward (three products): µs per step.
#include "bench.hpp"

int main() {
  bench::set_threads();
  torch::manual_seed(0);
  auto a = torch::randn({512, 512}, torch::requires_grad());
  auto b = torch::randn({512, 512}, torch::requires_grad());
  auto g = torch::ones({512, 512});
  bench::report("matmul_512_fwd_bwd", [&] {
    auto c = a.mm(b);
    c.backward(g);
  });
  bench::print_maxrss();
}
