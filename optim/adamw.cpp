// AdamW::step follows libtorch 1.13's adamw.cpp: decay the weights, then Adam's update
// (detail::adam_update, shared with adam.cpp, does both in one pass).
#include "adamw.hpp"

#include "adam.hpp"

namespace tg::optim {

template class OptimizerCloneableOptions<AdamWOptions>;
template class OptimizerCloneableParamState<AdamWParamState>;

double AdamWOptions::get_lr() const { return lr(); }

void AdamWOptions::set_lr(double v) { lr(v); }

void AdamWOptions::visit_fields(FieldVisitor& visit) {
  visit("lr", lr_);
  visit("betas", betas_);
  visit("eps", eps_);
  visit("weight_decay", weight_decay_);
  visit("amsgrad", amsgrad_);
}

void AdamWParamState::visit_fields(FieldVisitor& visit) {
  visit("step", step_);
  visit("exp_avg", exp_avg_);
  visit("exp_avg_sq", exp_avg_sq_);
  visit("max_exp_avg_sq", max_exp_avg_sq_);
}

AdamWOptions::AdamWOptions(double lr) : lr_(lr) {}

bool operator==(const AdamWOptions& a, const AdamWOptions& b) {
  return a.lr() == b.lr() && a.betas() == b.betas() && a.eps() == b.eps() &&
         a.weight_decay() == b.weight_decay() && a.amsgrad() == b.amsgrad();
}

bool operator==(const AdamWParamState& a, const AdamWParamState& b) {
  using detail::same_tensor;
  return a.step() == b.step() && same_tensor(a.exp_avg(), b.exp_avg()) &&
         same_tensor(a.exp_avg_sq(), b.exp_avg_sq()) &&
         same_tensor(a.max_exp_avg_sq(), b.max_exp_avg_sq());
}

AdamW::AdamW(std::vector<OptimizerParamGroup> param_groups, AdamWOptions defaults)
    : Optimizer(std::move(param_groups), std::make_unique<AdamWOptions>(defaults)) {
  check_group_options("AdamW", defaults, [](const AdamWOptions& o, const std::string& where) {
    detail::check_adam_options("AdamW", o, where);
  });
}

AdamW::AdamW(std::vector<Tensor> params, AdamWOptions defaults)
    : AdamW(std::vector<OptimizerParamGroup>{OptimizerParamGroup(std::move(params))}, defaults) {}

Tensor AdamW::step(LossClosure closure) {
  NoGradGuard no_grad;
  Tensor loss = evaluate_closure(closure);
  for (auto& group : param_groups_) {
    const auto& o = static_cast<const AdamWOptions&>(group.options());
    for (auto& p : group.params()) {
      if (!p.grad().defined()) continue;
      bool fresh = false;
      auto& state = param_state<AdamWParamState>(p, &fresh);
      if (fresh) {
        state.exp_avg(zeros_like(p));
        state.exp_avg_sq(zeros_like(p));
      }
      state.step(state.step() + 1);
      detail::adam_update(p, p.grad(), state.step(), state.exp_avg(), state.exp_avg_sq(),
                          state.max_exp_avg_sq(), o.lr(), o.betas(), o.eps(), o.amsgrad(), 0,
                          o.weight_decay() != 0 ? 1 - o.lr() * o.weight_decay() : 1.0);
    }
  }
  return loss;
}

std::unique_ptr<OptimizerParamState> AdamW::make_param_state() const {
  return std::make_unique<AdamWParamState>();
}

}  // namespace tg::optim
