// MLP 784-256-10 (ReLU), cross-entropy, batch 256: µs per training step.
// Adam once tg::optim::Adam exists (TG_BENCH_ADAM, set by meson); SGD with momentum until then.
#include "bench.hpp"

int main() {
  bench::set_threads();
  torch::manual_seed(0);
  torch::nn::Linear fc1(784, 256), fc2(256, 10);
  std::vector<torch::Tensor> params = fc1->parameters();
  for (auto& p : fc2->parameters()) params.push_back(p);
#ifdef TG_BENCH_ADAM
  torch::optim::Adam optimizer(params, torch::optim::AdamOptions(1e-3));
  const char* name = "mlp_784_256_10_b256_adam";
#else
  torch::optim::SGD optimizer(params, torch::optim::SGDOptions(0.01).momentum(0.9));
  const char* name = "mlp_784_256_10_b256_sgdm";
#endif
  torch::nn::CrossEntropyLoss criterion;
  auto x = torch::randn({256, 784});
  auto y = torch::randint(0, 10, {256});
  float last = 0;
  bench::report(name, [&] {
    auto loss = criterion(fc2(torch::relu(fc1(x))), y);
    optimizer.zero_grad();
    loss.backward();
    optimizer.step();
    last = loss.item<float>();
  });
  if (!(last >= 0 && last < 10)) return std::fprintf(stderr, "bad loss %g\n", last), 1;
  bench::print_maxrss();
}
