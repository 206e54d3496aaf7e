// MLP 784-256-10 (ReLU), cross-entropy, batch 256, Adam: µs per training step.
#include "bench.hpp"

int main() {
  bench::set_threads();
  torch::manual_seed(0);
  torch::nn::Linear fc1(784, 256), fc2(256, 10);
  std::vector<torch::Tensor> params = fc1->parameters();
  for (auto& p : fc2->parameters()) params.push_back(p);
  torch::optim::Adam optimizer(params, torch::optim::AdamOptions(1e-3));
  const char* name = "mlp_784_256_10_b256_adam";
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
  if (bench::bad_loss(last)) return 1;
  bench::print_maxrss();
}
