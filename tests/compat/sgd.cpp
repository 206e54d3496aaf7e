// optim::SGD trajectories (momentum, dampening, nesterov, weight_decay) on nn::Linear and on
// raw tensors: every step's loss and the final parameters.
#include "common.hpp"

namespace nn = torch::nn;
namespace optim = torch::optim;

// Fits Linear(3, 2) to fixed data for `steps` steps, in float64 (rows "name/...") or float32.
static void linear_run(const std::string& name, const optim::SGDOptions& o, bool f32 = false,
                       int steps = 6) {
  auto dt = f32 ? torch::kFloat32 : torch::kDouble;
  nn::Linear model(3, 2);
  model->to(dt);
  {
    torch::NoGradGuard guard;
    model->weight.copy_(det({2, 3}, 0.5, 1.0));
    model->bias.copy_(det({2}, 0.2, 2.0));
  }
  auto x = det({8, 3}, 1.0, 0.0).to(dt), y = det({8, 2}, 1.0, 0.4).to(dt);
  optim::SGD opt(model->parameters(), o);
  nn::MSELoss mse;
  for (int s = 0; s < steps; ++s) {
    opt.zero_grad();
    auto loss = mse(model->forward(x), y);
    loss.backward();
    opt.step();
    emit(name + "/loss" + std::to_string(s), loss);
  }
  emit(name + "/weight", model->weight);
  emit(name + "/bias", model->bias);
}

int main() {
  using O = optim::SGDOptions;
  section("sgd/plain", [](auto n) { linear_run(n, O(0.1)); });
  section("sgd/momentum", [](auto n) { linear_run(n, O(0.1).momentum(0.9)); });
  section("sgd/dampening", [](auto n) { linear_run(n, O(0.1).momentum(0.9).dampening(0.3)); });
  section("sgd/nesterov", [](auto n) { linear_run(n, O(0.05).momentum(0.8).nesterov(true)); });
  section("sgd/weight_decay", [](auto n) { linear_run(n, O(0.1).weight_decay(0.05)); });
  section("sgd/all",
          [](auto n) { linear_run(n, O(0.05).momentum(0.7).nesterov(true).weight_decay(0.01)); });
  section("sgd/momentum_wd_damp",
          [](auto n) { linear_run(n, O(0.1).momentum(0.5).dampening(0.5).weight_decay(0.1)); });
  section("float32/sgd/momentum", [](auto n) { linear_run(n, O(0.1).momentum(0.9), true, 10); });

  // Raw tensors: the Rosenbrock function from (-1, 1.5), 20 steps with momentum.
  section("sgd/rosenbrock", [](auto n) {
    auto p = torch::tensor({-1.0, 1.5}, torch::kDouble).requires_grad_(true);
    optim::SGD opt({p}, O(1e-3).momentum(0.9));
    for (int s = 0; s < 20; ++s) {
      opt.zero_grad();
      auto a = p.select(0, 0), b = p.select(0, 1);
      auto f = (1.0 - a).pow(2) + 100.0 * (b - a * a).pow(2);
      f.backward();
      opt.step();
      if (s % 5 == 4) emit(n + "/p" + std::to_string(s), p);
    }
  });
  // b gets no gradient in odd steps. libtorch 1.13's C++ zero_grad() zeroes grads (it does not
  // reset them to undefined), so b's momentum buffer keeps moving it: the rows pin that down.
  section("sgd/partial_grads", [](auto n) {
    auto a = torch::tensor({0.5, -0.25}, torch::kDouble).requires_grad_(true);
    auto b = torch::tensor({2.0}, torch::kDouble).requires_grad_(true);
    optim::SGD opt({a, b}, O(0.1).momentum(0.5));
    for (int s = 0; s < 4; ++s) {
      opt.zero_grad();
      auto f = (s % 2 == 0) ? (a * a).sum() + (b * a.sum()).sum() : (a.exp()).sum();
      f.backward();
      opt.step();
      emit(n + "/a" + std::to_string(s), a);
      emit(n + "/b" + std::to_string(s), b);
    }
  });
  return 0;
}
