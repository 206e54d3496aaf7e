// MLP 64-128-10 (ReLU), cross-entropy, batch 32, SGD with momentum 0.9: µs per training step.
#include "bench.hpp"

int main() {
  bench::set_threads();
  torch::manual_seed(0);
  torch::nn::Linear fc1(64, 128), fc2(128, 10);
  std::vector<torch::Tensor> params = fc1->parameters();
  for (auto& p : fc2->parameters()) params.push_back(p);
  torch::optim::SGD optimizer(params, torch::optim::SGDOptions(0.01).momentum(0.9));
  torch::nn::CrossEntropyLoss criterion;
  auto x = torch::randn({32, 64});
  auto y = torch::randint(0, 10, {32});
  float last = 0;
  bench::report("mlp_64_128_10_b32_sgdm", [&] {
    auto loss = criterion(fc2(torch::relu(fc1(x))), y);
    optimizer.zero_grad();
    loss.backward();
    optimizer.step();
    last = loss.item<float>();
  });
  if (bench::bad_loss(last)) return 1;
  bench::print_maxrss();
}
