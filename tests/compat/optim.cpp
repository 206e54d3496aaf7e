// optim::Adam, AdamW, RMSprop, Adagrad and LBFGS trajectories on nn::Linear, StepLR's
// schedule, nn::utils::clip_grad_norm_, and the option checks: every step's loss and the final
// parameters, as libtorch 1.13 prints them.
#include "common.hpp"

namespace nn = torch::nn;
namespace optim = torch::optim;

// Linear(3, 2) with fixed weights and data, in float64.
struct Fit {
  nn::Linear model{3, 2};
  torch::Tensor x = det({8, 3}, 1.0, 0.0), y = det({8, 2}, 1.0, 0.4);
  Fit() {
    model->to(torch::kDouble);
    torch::NoGradGuard guard;
    model->weight.copy_(det({2, 3}, 0.5, 1.0));
    model->bias.copy_(det({2}, 0.2, 2.0));
  }
  torch::Tensor loss() { return nn::functional::mse_loss(model->forward(x), y); }
  void emit_params(const std::string& n) {
    emit(n + "/weight", model->weight);
    emit(n + "/bias", model->bias);
  }
};

template <class Opt, class Options>
static void run(const std::string& n, const Options& o, int steps = 8) {
  Fit f;
  Opt opt(f.model->parameters(), o);
  for (int s = 0; s < steps; ++s) {
    opt.zero_grad();
    auto loss = f.loss();
    loss.backward();
    opt.step();
    emit(n + "/loss" + std::to_string(s), loss);
  }
  f.emit_params(n);
}

static void run_lbfgs(const std::string& n, const optim::LBFGSOptions& o, int steps = 3) {
  Fit f;
  optim::LBFGS opt(f.model->parameters(), o);
  for (int s = 0; s < steps; ++s) {
    auto loss = opt.step([&] {
      opt.zero_grad();
      auto l = f.loss();
      l.backward();
      return l;
    });
    emit(n + "/loss" + std::to_string(s), loss);
  }
  f.emit_params(n);
}

int main() {
  section("adam/plain", [](auto n) { run<optim::Adam>(n, optim::AdamOptions(0.05)); });
  section("adam/amsgrad_wd", [](auto n) {
    run<optim::Adam>(n, optim::AdamOptions(0.05).amsgrad(true).weight_decay(0.1));
  });
  section("adamw/plain", [](auto n) { run<optim::AdamW>(n, optim::AdamWOptions(0.05)); });
  section("rmsprop/centered_momentum", [](auto n) {
    run<optim::RMSprop>(n, optim::RMSpropOptions(0.01).centered(true).momentum(0.5));
  });
  section("adagrad/decay", [](auto n) {
    run<optim::Adagrad>(n, optim::AdagradOptions(0.1).lr_decay(0.05).weight_decay(0.01));
  });
  section("lbfgs/fixed", [](auto n) { run_lbfgs(n, optim::LBFGSOptions(0.1).max_iter(4)); });
  section("lbfgs/strong_wolfe", [](auto n) {
    run_lbfgs(n, optim::LBFGSOptions(1).max_iter(5).line_search_fn("strong_wolfe"));
  });
  section("steplr", [](auto n) {
    Fit f;
    optim::SGD opt(f.model->parameters(), optim::SGDOptions(0.1));
    optim::StepLR sched(opt, 3, 0.5);
    for (int s = 0; s < 8; ++s) {
      sched.step();
      emit(n + "/lr" + std::to_string(s),
           torch::tensor({opt.param_groups()[0].options().get_lr()}, torch::kDouble));
    }
  });
  section("clip_grad_norm", [](auto n) {
    Fit f;
    f.loss().backward();
    double total = nn::utils::clip_grad_norm_(f.model->parameters(), 0.5);
    emit(n + "/total", torch::tensor({total}, torch::kDouble));
    emit(n + "/weight_grad", f.model->weight.grad());
  });
  auto p = torch::zeros({2}, torch::kDouble).requires_grad_(true);
  expect_throw("adam/negative_lr", [&] { optim::Adam({p}, optim::AdamOptions(-1)); });
  expect_throw("adam/beta1", [&] { optim::Adam({p}, optim::AdamOptions(1).betas({1.0, 0.9})); });
  expect_throw("rmsprop/alpha", [&] { optim::RMSprop({p}, optim::RMSpropOptions(1).alpha(-1)); });
  expect_throw("adagrad/lr_decay",
               [&] { optim::Adagrad({p}, optim::AdagradOptions(1).lr_decay(-1)); });
  return 0;
}
