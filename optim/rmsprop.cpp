// RMSprop::step follows libtorch 1.13's rmsprop.cpp (= PyTorch's _single_tensor_rmsprop);
// addcmul_/addcdiv_ are spelled out in ATen's operation order (see adam.cpp).
#include "rmsprop.hpp"

namespace tg::optim {

template class OptimizerCloneableOptions<RMSpropOptions>;
template class OptimizerCloneableParamState<RMSpropParamState>;

double RMSpropOptions::get_lr() const { return lr(); }

void RMSpropOptions::set_lr(double v) { lr(v); }

void RMSpropOptions::visit_fields(FieldVisitor& visit) {
  visit("lr", lr_);
  visit("alpha", alpha_);
  visit("eps", eps_);
  visit("weight_decay", weight_decay_);
  visit("momentum", momentum_);
  visit("centered", centered_);
}

void RMSpropParamState::visit_fields(FieldVisitor& visit) {
  visit("step", step_);
  visit("square_avg", square_avg_);
  visit("momentum_buffer", momentum_buffer_);
  visit("grad_avg", grad_avg_);
}

RMSpropOptions::RMSpropOptions(double lr) : lr_(lr) {}

bool operator==(const RMSpropOptions& a, const RMSpropOptions& b) {
  return a.lr() == b.lr() && a.alpha() == b.alpha() && a.eps() == b.eps() &&
         a.weight_decay() == b.weight_decay() && a.momentum() == b.momentum() &&
         a.centered() == b.centered();
}

bool operator==(const RMSpropParamState& a, const RMSpropParamState& b) {
  using detail::same_tensor;
  return a.step() == b.step() && same_tensor(a.square_avg(), b.square_avg()) &&
         same_tensor(a.momentum_buffer(), b.momentum_buffer()) &&
         same_tensor(a.grad_avg(), b.grad_avg());
}

RMSprop::RMSprop(std::vector<OptimizerParamGroup> param_groups, RMSpropOptions defaults)
    : Optimizer(std::move(param_groups), std::make_unique<RMSpropOptions>(defaults)) {
  check_group_options("RMSprop", defaults, [](const RMSpropOptions& o, const std::string& where) {
    using detail::check_option;
    check_option(o.lr() >= 0, "RMSprop", "learning rate", o.lr(), where);
    check_option(o.eps() >= 0, "RMSprop", "epsilon value", o.eps(), where);
    check_option(o.momentum() >= 0, "RMSprop", "momentum value", o.momentum(), where);
    check_option(o.weight_decay() >= 0, "RMSprop", "weight_decay value", o.weight_decay(), where);
    check_option(o.alpha() >= 0, "RMSprop", "alpha value", o.alpha(), where);
  });
}

RMSprop::RMSprop(std::vector<Tensor> params, RMSpropOptions defaults)
    : RMSprop(std::vector<OptimizerParamGroup>{OptimizerParamGroup(std::move(params))}, defaults) {}

Tensor RMSprop::step(LossClosure closure) {
  NoGradGuard no_grad;
  Tensor loss = evaluate_closure(closure);
  for (auto& group : param_groups_) {
    const auto& o = static_cast<const RMSpropOptions&>(group.options());
    const double alpha = o.alpha();
    for (auto& p : group.params()) {
      if (!p.grad().defined()) continue;
      Tensor grad = p.grad();
      bool fresh = false;
      auto& state = param_state<RMSpropParamState>(p, &fresh);
      if (fresh) state.square_avg(zeros_like(p));
      // Buffers appear when an option needing them is on (a scheduler or the user may turn
      // momentum or centering on later).
      if (o.momentum() > 0 && !state.momentum_buffer().defined())
        state.momentum_buffer(zeros_like(p));
      if (o.centered() && !state.grad_avg().defined()) state.grad_avg(zeros_like(p));
      state.step(state.step() + 1);
      if (o.weight_decay() != 0) grad = grad.add(p, o.weight_decay());
      const Tensor& square_avg = state.square_avg();
      square_avg.mul_(alpha).add_(grad.mul(1 - alpha).mul(grad));
      Tensor avg;
      if (o.centered()) {
        const Tensor& grad_avg = state.grad_avg();
        grad_avg.mul_(alpha).add_(grad, 1 - alpha);
        avg = square_avg.sub(grad_avg.mul(grad_avg)).sqrt().add(o.eps());
      } else {
        avg = square_avg.sqrt().add(o.eps());
      }
      if (o.momentum() > 0) {
        const Tensor& buf = state.momentum_buffer();
        buf.mul_(o.momentum()).add_(grad.div(avg));
        p.add_(buf, -o.lr());
      } else {
        p.add_(grad.mul(-o.lr()).div(avg));
      }
    }
  }
  return loss;
}

std::unique_ptr<OptimizerParamState> RMSprop::make_param_state() const {
  return std::make_unique<RMSpropParamState>();
}

}  // namespace tg::optim
