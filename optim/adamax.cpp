// Adamax::step follows PyTorch 1.13's _single_tensor_adamax (its cat + amax over two rows is
// an elementwise maximum); addcdiv_ in ATen's operation order (see adam.cpp).
#include "adamax.hpp"

#include <cmath>

#include "adam.hpp"

namespace tg::optim {

template class OptimizerCloneableOptions<AdamaxOptions>;
template class OptimizerCloneableParamState<AdamaxParamState>;

double AdamaxOptions::get_lr() const { return lr(); }

void AdamaxOptions::set_lr(double v) { lr(v); }

void AdamaxOptions::visit_fields(FieldVisitor& visit) {
  visit("lr", lr_);
  visit("betas", betas_);
  visit("eps", eps_);
  visit("weight_decay", weight_decay_);
}

void AdamaxParamState::visit_fields(FieldVisitor& visit) {
  visit("step", step_);
  visit("exp_avg", exp_avg_);
  visit("exp_inf", exp_inf_);
}

AdamaxOptions::AdamaxOptions(double lr) : lr_(lr) {}

bool operator==(const AdamaxOptions& a, const AdamaxOptions& b) {
  return a.lr() == b.lr() && a.betas() == b.betas() && a.eps() == b.eps() &&
         a.weight_decay() == b.weight_decay();
}

bool operator==(const AdamaxParamState& a, const AdamaxParamState& b) {
  return a.step() == b.step() && detail::same_tensor(a.exp_avg(), b.exp_avg()) &&
         detail::same_tensor(a.exp_inf(), b.exp_inf());
}

Adamax::Adamax(std::vector<OptimizerParamGroup> param_groups, AdamaxOptions defaults)
    : Optimizer(std::move(param_groups), std::make_unique<AdamaxOptions>(defaults)) {
  check_group_options("Adamax", defaults, [](const AdamaxOptions& o, const std::string& where) {
    detail::check_adam_options("Adamax", o, where);
  });
}

Adamax::Adamax(std::vector<Tensor> params, AdamaxOptions defaults)
    : Adamax(std::vector<OptimizerParamGroup>{OptimizerParamGroup(std::move(params))}, defaults) {}

Tensor Adamax::step(LossClosure closure) {
  NoGradGuard no_grad;
  Tensor loss = evaluate_closure(closure);
  for (auto& group : param_groups_) {
    const auto& o = static_cast<const AdamaxOptions&>(group.options());
    const auto [beta1, beta2] = o.betas();
    for (auto& p : group.params()) {
      if (!p.grad().defined()) continue;
      Tensor grad = p.grad();
      bool fresh = false;
      auto& state = param_state<AdamaxParamState>(p, &fresh);
      if (fresh) {
        state.exp_avg(zeros_like(p));
        state.exp_inf(zeros_like(p));
      }
      state.step(state.step() + 1);
      if (o.weight_decay() != 0) grad = grad.add(p, o.weight_decay());
      state.exp_avg().mul_(beta1).add_(grad, 1 - beta1);
      const Tensor& exp_inf = state.exp_inf();
      exp_inf.copy_(exp_inf.mul(beta2).maximum(grad.abs().add(o.eps())));
      const double clr = o.lr() / (1 - std::pow(beta1, double(state.step())));
      p.add_(state.exp_avg().mul(-clr).div(exp_inf));
    }
  }
  return loss;
}

std::unique_ptr<OptimizerParamState> Adamax::make_param_state() const {
  return std::make_unique<AdamaxParamState>();
}

}  // namespace tg::optim
