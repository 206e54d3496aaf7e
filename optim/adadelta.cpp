// Adadelta::step follows PyTorch 1.13's _single_tensor_adadelta; addcmul_ in ATen's operation
// order (see adam.cpp).
#include "adadelta.hpp"

namespace tg::optim {

template class OptimizerCloneableOptions<AdadeltaOptions>;
template class OptimizerCloneableParamState<AdadeltaParamState>;

double AdadeltaOptions::get_lr() const { return lr(); }

void AdadeltaOptions::set_lr(double v) { lr(v); }

void AdadeltaOptions::visit_fields(FieldVisitor& visit) {
  visit("lr", lr_);
  visit("rho", rho_);
  visit("eps", eps_);
  visit("weight_decay", weight_decay_);
}

void AdadeltaParamState::visit_fields(FieldVisitor& visit) {
  visit("step", step_);
  visit("square_avg", square_avg_);
  visit("acc_delta", acc_delta_);
}

AdadeltaOptions::AdadeltaOptions(double lr) : lr_(lr) {}

bool operator==(const AdadeltaOptions& a, const AdadeltaOptions& b) {
  return a.lr() == b.lr() && a.rho() == b.rho() && a.eps() == b.eps() &&
         a.weight_decay() == b.weight_decay();
}

bool operator==(const AdadeltaParamState& a, const AdadeltaParamState& b) {
  return a.step() == b.step() && detail::same_tensor(a.square_avg(), b.square_avg()) &&
         detail::same_tensor(a.acc_delta(), b.acc_delta());
}

Adadelta::Adadelta(std::vector<OptimizerParamGroup> param_groups, AdadeltaOptions defaults)
    : Optimizer(std::move(param_groups), std::make_unique<AdadeltaOptions>(defaults)) {
  check_group_options("Adadelta", defaults, [](const AdadeltaOptions& o, const std::string& where) {
    using detail::check_option;
    check_option(o.lr() >= 0, "Adadelta", "learning rate", o.lr(), where);
    check_option(0 <= o.rho() && o.rho() <= 1, "Adadelta", "rho value", o.rho(), where);
    check_option(o.eps() >= 0, "Adadelta", "epsilon value", o.eps(), where);
    check_option(o.weight_decay() >= 0, "Adadelta", "weight_decay value", o.weight_decay(), where);
  });
}

Adadelta::Adadelta(std::vector<Tensor> params, AdadeltaOptions defaults)
    : Adadelta(std::vector<OptimizerParamGroup>{OptimizerParamGroup(std::move(params))}, defaults) {
}

Tensor Adadelta::step(LossClosure closure) {
  NoGradGuard no_grad;
  Tensor loss = evaluate_closure(closure);
  for (auto& group : param_groups_) {
    const auto& o = static_cast<const AdadeltaOptions&>(group.options());
    const double rho = o.rho();
    for (auto& p : group.params()) {
      if (!p.grad().defined()) continue;
      Tensor grad = p.grad();
      bool fresh = false;
      auto& state = param_state<AdadeltaParamState>(p, &fresh);
      if (fresh) {
        state.square_avg(zeros_like(p));
        state.acc_delta(zeros_like(p));
      }
      state.step(state.step() + 1);
      if (o.weight_decay() != 0) grad = grad.add(p, o.weight_decay());
      state.square_avg().mul_(rho).add_(grad.mul(1 - rho).mul(grad));
      const Tensor std = state.square_avg().add(o.eps()).sqrt();
      const Tensor delta = state.acc_delta().add(o.eps()).sqrt().div(std).mul(grad);
      state.acc_delta().mul_(rho).add_(delta.mul(1 - rho).mul(delta));
      p.add_(delta, -o.lr());
    }
  }
  return loss;
}

std::unique_ptr<OptimizerParamState> Adadelta::make_param_state() const {
  return std::make_unique<AdadeltaParamState>();
}

}  // namespace tg::optim
