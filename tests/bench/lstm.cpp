// One training step of a small sequence model: LSTM(16 -> 32) over 20 steps of a batch of 8,
// Linear(32 -> 1) on the last output, MSELoss, Adam: µs per step.
#include "bench.hpp"

int main() {
  bench::set_threads();
  torch::manual_seed(0);
  torch::nn::LSTM lstm(torch::nn::LSTMOptions(16, 32));
  torch::nn::Linear head(32, 1);
  std::vector<torch::Tensor> params = lstm->parameters();
  for (auto& p : head->parameters()) params.push_back(p);
  torch::optim::Adam optimizer(params, torch::optim::AdamOptions(1e-3));
  const char* name = "lstm_16_32_T20_b8_adam";
  torch::nn::MSELoss criterion;
  auto x = torch::randn({20, 8, 16});  // (T, B, in)
  auto y = torch::randn({8, 1});
  float last = 0;
  bench::report(name, [&] {
    auto out = std::get<0>(lstm(x));                   // (T, B, 32)
    auto pred = head(out.select(0, out.size(0) - 1));  // last step: (B, 1)
    auto loss = criterion(pred, y);
    optimizer.zero_grad();
    loss.backward();
    optimizer.step();
    last = loss.item<float>();
  });
  if (bench::bad_loss(last)) return 1;
  bench::print_maxrss();
}
