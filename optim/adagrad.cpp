// Adagrad::step follows libtorch 1.13's adagrad.cpp (= PyTorch's _single_tensor_adagrad for
// dense gradients); addcmul_/addcdiv_ in ATen's operation order (see adam.cpp).
#include "adagrad.hpp"

namespace tg::optim {

template class OptimizerCloneableOptions<AdagradOptions>;
template class OptimizerCloneableParamState<AdagradParamState>;

double AdagradOptions::get_lr() const { return lr(); }

void AdagradOptions::set_lr(double v) { lr(v); }

void AdagradOptions::visit_fields(FieldVisitor& visit) {
  visit("lr", lr_);
  visit("lr_decay", lr_decay_);
  visit("weight_decay", weight_decay_);
  visit("initial_accumulator_value", initial_accumulator_value_);
  visit("eps", eps_);
}

void AdagradParamState::visit_fields(FieldVisitor& visit) {
  visit("sum", sum_);
  visit("step", step_);
}

AdagradOptions::AdagradOptions(double lr) : lr_(lr) {}

bool operator==(const AdagradOptions& a, const AdagradOptions& b) {
  return a.lr() == b.lr() && a.lr_decay() == b.lr_decay() && a.weight_decay() == b.weight_decay() &&
         a.initial_accumulator_value() == b.initial_accumulator_value() && a.eps() == b.eps();
}

bool operator==(const AdagradParamState& a, const AdagradParamState& b) {
  return a.step() == b.step() && detail::same_tensor(a.sum(), b.sum());
}

Adagrad::Adagrad(std::vector<OptimizerParamGroup> param_groups, AdagradOptions defaults)
    : Optimizer(std::move(param_groups), std::make_unique<AdagradOptions>(defaults)) {
  check_group_options("Adagrad", defaults, [](const AdagradOptions& o, const std::string& where) {
    using detail::check_option;
    check_option(o.lr() >= 0, "Adagrad", "learning rate", o.lr(), where);
    check_option(o.lr_decay() >= 0, "Adagrad", "lr_decay value", o.lr_decay(), where);
    check_option(o.weight_decay() >= 0, "Adagrad", "weight_decay value", o.weight_decay(), where);
    check_option(o.initial_accumulator_value() >= 0, "Adagrad", "initial_accumulator_value value",
                 o.initial_accumulator_value(), where);
    check_option(o.eps() >= 0, "Adagrad", "epsilon value", o.eps(), where);
  });
  for (auto& group : param_groups_) {
    const auto& o = static_cast<const AdagradOptions&>(group.options());
    for (auto& p : group.params())
      param_state<AdagradParamState>(p).sum(full_like(p, o.initial_accumulator_value()));
  }
}

Adagrad::Adagrad(std::vector<Tensor> params, AdagradOptions defaults)
    : Adagrad(std::vector<OptimizerParamGroup>{OptimizerParamGroup(std::move(params))}, defaults) {}

Tensor Adagrad::step(LossClosure closure) {
  NoGradGuard no_grad;
  Tensor loss = evaluate_closure(closure);
  for (auto& group : param_groups_) {
    const auto& o = static_cast<const AdagradOptions&>(group.options());
    for (auto& p : group.params()) {
      if (!p.grad().defined()) continue;
      Tensor grad = p.grad();
      bool fresh = false;
      auto& state = param_state<AdagradParamState>(p, &fresh);
      if (fresh) state.sum(full_like(p, o.initial_accumulator_value()));  // added later
      state.step(state.step() + 1);
      if (o.weight_decay() != 0) grad = grad.add(p, o.weight_decay());
      const double clr = o.lr() / (1 + double(state.step() - 1) * o.lr_decay());
      state.sum().add_(grad.mul(grad));
      const Tensor std = state.sum().sqrt().add(o.eps());
      p.add_(grad.mul(-clr).div(std));
    }
  }
  return loss;
}

std::unique_ptr<OptimizerParamState> Adagrad::make_param_state() const {
  return std::make_unique<AdagradParamState>();
}

}  // namespace tg::optim
