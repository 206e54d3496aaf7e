// The seed program's training step (Linear(10,1) + BCEWithLogitsLoss + SGD) on N points;
// argv[1] = N. Prints µs per step.
#include "bench.hpp"

int main(int argc, char** argv) {
  bench::set_threads();
  const int64_t n = argc > 1 ? std::atol(argv[1]) : 64;
  torch::manual_seed(0);
  torch::nn::Linear model(10, 1);
  torch::nn::BCEWithLogitsLoss criterion;
  torch::optim::SGD optimizer(model->parameters(), torch::optim::SGDOptions(0.01));
  auto inputs = torch::randn({n, 10});
  auto targets = torch::randint(0, 2, {n, 1}).to(torch::kFloat);
  float last = 0;
  bench::report("seed_step_N" + std::to_string(n), [&] {
    auto loss = criterion(model(inputs), targets);
    optimizer.zero_grad();
    loss.backward();
    optimizer.step();
    last = loss.item<float>();
  });
  if (bench::bad_loss(last)) return 1;
  bench::print_maxrss();
}
