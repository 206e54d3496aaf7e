// Adam::step follows libtorch 1.13's adam.cpp and PyTorch's _single_tensor_adam. tapegrad has
// no addcmul_/addcdiv_, so those are spelled out with the same operation order as ATen's
// kernels (self + value * t1 * t2, self + value * t1 / t2): the float64 results match bit for
// bit or within an ulp.
#include "adam.hpp"

#include <cmath>

namespace tg::optim {

AdamOptions::AdamOptions(double lr) : lr_(lr) {}

bool operator==(const AdamOptions& a, const AdamOptions& b) {
  return a.lr() == b.lr() && a.betas() == b.betas() && a.eps() == b.eps() &&
         a.weight_decay() == b.weight_decay() && a.amsgrad() == b.amsgrad();
}

bool operator==(const AdamParamState& a, const AdamParamState& b) {
  using detail::same_tensor;
  return a.step() == b.step() && same_tensor(a.exp_avg(), b.exp_avg()) &&
         same_tensor(a.exp_avg_sq(), b.exp_avg_sq()) &&
         same_tensor(a.max_exp_avg_sq(), b.max_exp_avg_sq());
}

namespace detail {
void adam_update(const Tensor& p, const Tensor& grad, int64_t step, const Tensor& exp_avg,
                 const Tensor& exp_avg_sq, Tensor& max_exp_avg_sq, double lr,
                 std::tuple<double, double> betas, double eps, bool amsgrad) {
  const auto [beta1, beta2] = betas;
  const double bias_correction1 = 1 - std::pow(beta1, double(step));
  const double bias_correction2 = 1 - std::pow(beta2, double(step));
  exp_avg.mul_(beta1).add_(grad, 1 - beta1);
  exp_avg_sq.mul_(beta2).add_(grad.mul(1 - beta2).mul(grad));
  const Tensor* second = &exp_avg_sq;
  if (amsgrad) {
    if (!max_exp_avg_sq.defined()) max_exp_avg_sq = zeros_like(p);
    max_exp_avg_sq.copy_(max_exp_avg_sq.maximum(exp_avg_sq));
    second = &max_exp_avg_sq;
  }
  const Tensor denom = second->sqrt().div(std::sqrt(bias_correction2)).add(eps);
  const double step_size = lr / bias_correction1;
  p.add_(exp_avg.mul(-step_size).div(denom));
}
}  // namespace detail

Adam::Adam(std::vector<OptimizerParamGroup> param_groups, AdamOptions defaults)
    : Optimizer(std::move(param_groups), std::make_unique<AdamOptions>(defaults)) {
  check_group_options("Adam", defaults, [](const AdamOptions& o, const std::string& where) {
    detail::check_adam_options("Adam", o, where);
  });
}

Adam::Adam(std::vector<Tensor> params, AdamOptions defaults)
    : Adam(std::vector<OptimizerParamGroup>{OptimizerParamGroup(std::move(params))}, defaults) {}

Tensor Adam::step(LossClosure closure) {
  NoGradGuard no_grad;
  Tensor loss = evaluate_closure(closure);
  for (auto& group : param_groups_) {
    const auto& o = static_cast<const AdamOptions&>(group.options());
    for (auto& p : group.params()) {
      if (!p.grad().defined()) continue;
      Tensor grad = p.grad();
      bool fresh = false;
      auto& state = param_state<AdamParamState>(p, &fresh);
      if (fresh) {
        state.exp_avg(zeros_like(p));
        state.exp_avg_sq(zeros_like(p));
      }
      state.step(state.step() + 1);
      if (o.weight_decay() != 0) grad = grad.add(p, o.weight_decay());
      detail::adam_update(p, grad, state.step(), state.exp_avg(), state.exp_avg_sq(),
                          state.max_exp_avg_sq(), o.lr(), o.betas(), o.eps(), o.amsgrad());
    }
  }
  return loss;
}

}  // namespace tg::optim
