// NAdam::step follows PyTorch 1.13's _single_tensor_nadam; addcmul_/addcdiv_ in ATen's
// operation order (see adam.cpp). PyTorch keeps mu_product in a 0-dim tensor of the default
// dtype; a double here (the same numbers when that dtype is float64).
#include "nadam.hpp"

#include <cmath>

#include "adam.hpp"

namespace tg::optim {

template class OptimizerCloneableOptions<NAdamOptions>;
template class OptimizerCloneableParamState<NAdamParamState>;

double NAdamOptions::get_lr() const { return lr(); }

void NAdamOptions::set_lr(double v) { lr(v); }

void NAdamOptions::visit_fields(FieldVisitor& visit) {
  visit("lr", lr_);
  visit("betas", betas_);
  visit("eps", eps_);
  visit("weight_decay", weight_decay_);
  visit("momentum_decay", momentum_decay_);
}

void NAdamParamState::visit_fields(FieldVisitor& visit) {
  visit("step", step_);
  visit("mu_product", mu_product_);
  visit("exp_avg", exp_avg_);
  visit("exp_avg_sq", exp_avg_sq_);
}

NAdamOptions::NAdamOptions(double lr) : lr_(lr) {}

bool operator==(const NAdamOptions& a, const NAdamOptions& b) {
  return a.lr() == b.lr() && a.betas() == b.betas() && a.eps() == b.eps() &&
         a.weight_decay() == b.weight_decay() && a.momentum_decay() == b.momentum_decay();
}

bool operator==(const NAdamParamState& a, const NAdamParamState& b) {
  return a.step() == b.step() && a.mu_product() == b.mu_product() &&
         detail::same_tensor(a.exp_avg(), b.exp_avg()) &&
         detail::same_tensor(a.exp_avg_sq(), b.exp_avg_sq());
}

NAdam::NAdam(std::vector<OptimizerParamGroup> param_groups, NAdamOptions defaults)
    : Optimizer(std::move(param_groups), std::make_unique<NAdamOptions>(defaults)) {
  check_group_options("NAdam", defaults, [](const NAdamOptions& o, const std::string& where) {
    detail::check_adam_options("NAdam", o, where);
    detail::check_option(o.momentum_decay() >= 0, "NAdam", "momentum_decay value",
                         o.momentum_decay(), where);
  });
}

NAdam::NAdam(std::vector<Tensor> params, NAdamOptions defaults)
    : NAdam(std::vector<OptimizerParamGroup>{OptimizerParamGroup(std::move(params))}, defaults) {}

Tensor NAdam::step(LossClosure closure) {
  NoGradGuard no_grad;
  Tensor loss = evaluate_closure(closure);
  for (auto& group : param_groups_) {
    const auto& o = static_cast<const NAdamOptions&>(group.options());
    const auto [beta1, beta2] = o.betas();
    for (auto& p : group.params()) {
      if (!p.grad().defined()) continue;
      Tensor grad = p.grad();
      bool fresh = false;
      auto& state = param_state<NAdamParamState>(p, &fresh);
      if (fresh) {
        state.exp_avg(zeros_like(p));
        state.exp_avg_sq(zeros_like(p));
      }
      state.step(state.step() + 1);
      const double step = double(state.step());
      const double bias_correction2 = 1 - std::pow(beta2, step);
      if (o.weight_decay() != 0) grad = grad.add(p, o.weight_decay());
      const double mu = beta1 * (1. - 0.5 * std::pow(0.96, step * o.momentum_decay()));
      const double mu_next = beta1 * (1. - 0.5 * std::pow(0.96, (step + 1) * o.momentum_decay()));
      state.mu_product(state.mu_product() * mu);
      const double mu_product_next = state.mu_product() * mu * mu_next;
      state.exp_avg().mul_(beta1).add_(grad, 1 - beta1);
      state.exp_avg_sq().mul_(beta2).add_(grad.mul(1 - beta2).mul(grad));
      const Tensor denom = state.exp_avg_sq().div(bias_correction2).sqrt().add(o.eps());
      p.add_(grad.mul(-o.lr() * (1. - mu) / (1. - state.mu_product())).div(denom));
      p.add_(state.exp_avg().mul(-o.lr() * mu_next / (1. - mu_product_next)).div(denom));
    }
  }
  return loss;
}

std::unique_ptr<OptimizerParamState> NAdam::make_param_state() const {
  return std::make_unique<NAdamParamState>();
}

}  // namespace tg::optim
