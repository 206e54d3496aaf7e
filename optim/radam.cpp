// RAdam::step follows PyTorch 1.13's _single_tensor_radam. Python's `float / tensor` is
// tensor.reciprocal() * float, hence adaptive_lr below.
#include "radam.hpp"

#include <cmath>

#include "adam.hpp"

namespace tg::optim {

template class OptimizerCloneableOptions<RAdamOptions>;
template class OptimizerCloneableParamState<RAdamParamState>;

double RAdamOptions::get_lr() const { return lr(); }

void RAdamOptions::set_lr(double v) { lr(v); }

void RAdamOptions::visit_fields(FieldVisitor& visit) {
  visit("lr", lr_);
  visit("betas", betas_);
  visit("eps", eps_);
  visit("weight_decay", weight_decay_);
}

void RAdamParamState::visit_fields(FieldVisitor& visit) {
  visit("step", step_);
  visit("exp_avg", exp_avg_);
  visit("exp_avg_sq", exp_avg_sq_);
}

RAdamOptions::RAdamOptions(double lr) : lr_(lr) {}

bool operator==(const RAdamOptions& a, const RAdamOptions& b) {
  return a.lr() == b.lr() && a.betas() == b.betas() && a.eps() == b.eps() &&
         a.weight_decay() == b.weight_decay();
}

bool operator==(const RAdamParamState& a, const RAdamParamState& b) {
  return a.step() == b.step() && detail::same_tensor(a.exp_avg(), b.exp_avg()) &&
         detail::same_tensor(a.exp_avg_sq(), b.exp_avg_sq());
}

RAdam::RAdam(std::vector<OptimizerParamGroup> param_groups, RAdamOptions defaults)
    : Optimizer(std::move(param_groups), std::make_unique<RAdamOptions>(defaults)) {
  check_group_options("RAdam", defaults, [](const RAdamOptions& o, const std::string& where) {
    detail::check_adam_options("RAdam", o, where);
  });
}

RAdam::RAdam(std::vector<Tensor> params, RAdamOptions defaults)
    : RAdam(std::vector<OptimizerParamGroup>{OptimizerParamGroup(std::move(params))}, defaults) {}

Tensor RAdam::step(LossClosure closure) {
  NoGradGuard no_grad;
  Tensor loss = evaluate_closure(closure);
  for (auto& group : param_groups_) {
    const auto& o = static_cast<const RAdamOptions&>(group.options());
    const auto [beta1, beta2] = o.betas();
    for (auto& p : group.params()) {
      if (!p.grad().defined()) continue;
      Tensor grad = p.grad();
      bool fresh = false;
      auto& state = param_state<RAdamParamState>(p, &fresh);
      if (fresh) {
        state.exp_avg(zeros_like(p));
        state.exp_avg_sq(zeros_like(p));
      }
      state.step(state.step() + 1);
      const double step = double(state.step());
      const double bias_correction1 = 1 - std::pow(beta1, step);
      const double bias_correction2 = 1 - std::pow(beta2, step);
      if (o.weight_decay() != 0) grad = grad.add(p, o.weight_decay());
      state.exp_avg().mul_(beta1).add_(grad, 1 - beta1);
      state.exp_avg_sq().mul_(beta2).add_(grad.mul(1 - beta2).mul(grad));
      const Tensor bias_corrected_exp_avg = state.exp_avg().div(bias_correction1);
      const double rho_inf = 2 / (1 - beta2) - 1;
      const double rho_t = rho_inf - 2 * step * std::pow(beta2, step) / bias_correction2;
      if (rho_t > 5.) {
        const double rect = std::sqrt((rho_t - 4) * (rho_t - 2) * rho_inf /
                                      ((rho_inf - 4) * (rho_inf - 2) * rho_t));
        const Tensor adaptive_lr =
            state.exp_avg_sq().sqrt().add(o.eps()).reciprocal().mul(std::sqrt(bias_correction2));
        p.add_(bias_corrected_exp_avg.mul(o.lr()).mul(adaptive_lr).mul(rect), -1.0);
      } else {
        p.add_(bias_corrected_exp_avg.mul(o.lr()), -1.0);
      }
    }
  }
  return loss;
}

std::unique_ptr<OptimizerParamState> RAdam::make_param_state() const {
  return std::make_unique<RAdamParamState>();
}

}  // namespace tg::optim
