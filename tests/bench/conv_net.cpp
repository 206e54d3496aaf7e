// A small convolutional net on 8x8 digit-shaped images (the shape of examples/data/digits.csv;
// random values, the time does not depend on them): Conv2d(1,16,3,pad 1) + ReLU + MaxPool2d(2)
// + Linear(256,10), cross-entropy, batch 64, SGD with momentum: µs per training step.
#include "bench.hpp"

int main() {
  bench::set_threads();
  torch::manual_seed(0);
  torch::nn::Conv2d conv(torch::nn::Conv2dOptions(1, 16, 3).padding(1));
  torch::nn::Linear fc(16 * 4 * 4, 10);
  std::vector<torch::Tensor> params = conv->parameters();
  for (auto& p : fc->parameters()) params.push_back(p);
  torch::optim::SGD optimizer(params, torch::optim::SGDOptions(0.01).momentum(0.9));
  torch::nn::CrossEntropyLoss criterion;
  auto x = torch::randn({64, 1, 8, 8});
  auto y = torch::randint(0, 10, {64});
  float last = 0;
  bench::report("conv_net_8x8_b64_sgdm", [&] {
    auto h = torch::max_pool2d(torch::relu(conv(x)), {2, 2});
    auto loss = criterion(fc(h.flatten(1)), y);
    optimizer.zero_grad();
    loss.backward();
    optimizer.step();
    last = loss.item<float>();
  });
  if (bench::bad_loss(last)) return 1;
  bench::print_maxrss();
}
