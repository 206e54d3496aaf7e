// 1000 tiny ops (one-element tensors: mul by a parameter, add a number, tanh, in turn), then
// backward through all of them: µs per op, forward + backward. This is pure per-op overhead.
#include "bench.hpp"

int main() {
  bench::set_threads();
  constexpr int kOps = 1000;
  auto x = torch::full({1}, 0.5, torch::requires_grad());
  auto w = torch::full({1}, 1.001, torch::requires_grad());
  double last = 0;
  bench::report(
      "chain_1000_tiny_ops_per_op",
      [&] {
        auto y = x;
        for (int i = 0; i < kOps; ++i) {
          if (i % 3 == 0)
            y = y * w;
          else if (i % 3 == 1)
            y = y + 0.01;
          else
            y = y.tanh();
        }
        y.sum().backward();
        last = x.grad().item<double>();
      },
      kOps);
  if (!(last > 0)) return std::fprintf(stderr, "bad gradient %g\n", last), 1;
  bench::print_maxrss();
}
