// Adam (Kingma & Ba, 2015) with optional AMSGrad, libtorch's torch::optim::Adam. For each
// parameter p with gradient g, at step t = 1, 2, ...:
//   g <- g + weight_decay * p                     (L2 penalty folded into the gradient)
//   m <- beta1 m + (1 - beta1) g,   v <- beta2 v + (1 - beta2) g^2
//   v_max <- max(v_max, v)                        (amsgrad; the denominator then uses v_max)
//   p <- p - lr / (1 - beta1^t) * m / (sqrt(v) / sqrt(1 - beta2^t) + eps)
//
//   tg::optim::Adam opt(model->parameters(), tg::optim::AdamOptions(1e-3).amsgrad(true));
#pragma once

#include <cstdint>
#include <memory>
#include <tuple>
#include <vector>

#include "optimizer.hpp"

namespace tg::optim {

struct AdamOptions : public OptimizerCloneableOptions<AdamOptions> {
  AdamOptions(double lr = 1e-3);  // NOLINT: implicit, as libtorch
  TG_ARG(double, lr) = 1e-3;
  typedef std::tuple<double, double> betas_t;
  TG_ARG(betas_t, betas) = std::make_tuple(0.9, 0.999);
  TG_ARG(double, eps) = 1e-8;
  TG_ARG(double, weight_decay) = 0;
  TG_ARG(bool, amsgrad) = false;

 public:
  double get_lr() const override;
  void set_lr(double v) override;
  void visit_fields(FieldVisitor& visit) override;
  friend bool operator==(const AdamOptions& a, const AdamOptions& b);
};

struct AdamParamState : public OptimizerCloneableParamState<AdamParamState> {
  TG_ARG(int64_t, step) = 0;
  TG_ARG(Tensor, exp_avg);
  TG_ARG(Tensor, exp_avg_sq);
  TG_ARG(Tensor, max_exp_avg_sq) = {};

 public:
  friend bool operator==(const AdamParamState& a, const AdamParamState& b);
  void visit_fields(FieldVisitor& visit) override;
};

// clone() is instantiated once, in adam.cpp, not in every program that includes this.
extern template class OptimizerCloneableOptions<AdamOptions>;
extern template class OptimizerCloneableParamState<AdamParamState>;

class Adam : public Optimizer {
 public:
  // Throws tg::Error for lr < 0, eps < 0, a beta outside [0, 1) or weight_decay < 0, in the
  // defaults or in a group's own options ("Adam: Invalid learning rate: -1").
  explicit Adam(std::vector<OptimizerParamGroup> param_groups, AdamOptions defaults = {});
  explicit Adam(std::vector<Tensor> params, AdamOptions defaults = {});

  Tensor step(LossClosure closure = nullptr) override;
  std::unique_ptr<OptimizerParamState> make_param_state() const override;
};

namespace detail {
// One Adam/AdamW update of p, shared by both: Adam's weight decay adds weight_decay * p to the
// gradient, AdamW's first scales p by shrink = 1 - lr * weight_decay. `step` is the already
// incremented step count.
void adam_update(const Tensor& p, const Tensor& grad, int64_t step, const Tensor& exp_avg,
                 const Tensor& exp_avg_sq, Tensor& max_exp_avg_sq, double lr,
                 std::tuple<double, double> betas, double eps, bool amsgrad,
                 double weight_decay = 0, double shrink = 1);
// The checks of AdamOptions and AdamWOptions (the same fields).
template <class Options>
void check_adam_options(const char* optimizer, const Options& o, const std::string& where) {
  check_option(o.lr() >= 0, optimizer, "learning rate", o.lr(), where);
  check_option(o.eps() >= 0, optimizer, "epsilon value", o.eps(), where);
  const double b0 = std::get<0>(o.betas()), b1 = std::get<1>(o.betas());
  check_option(0 <= b0 && b0 < 1, optimizer, "beta parameter at index 0", b0, where);
  check_option(0 <= b1 && b1 < 1, optimizer, "beta parameter at index 1", b1, where);
  check_option(o.weight_decay() >= 0, optimizer, "weight_decay value", o.weight_decay(), where);
}
}  // namespace detail

}  // namespace tg::optim
