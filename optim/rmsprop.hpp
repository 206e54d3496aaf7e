// RMSprop (Hinton's lecture 6e), libtorch's torch::optim::RMSprop. For each parameter p with
// gradient g:
//   g <- g + weight_decay * p
//   v <- alpha v + (1 - alpha) g^2
//   a <- sqrt(v) + eps, or, centered: m <- alpha m + (1 - alpha) g, a <- sqrt(v - m^2) + eps
//   b <- momentum b + g / a,  p <- p - lr b       (momentum > 0)
//   p <- p - lr g / a                             (otherwise)
#pragma once

#include <cstdint>
#include <memory>
#include <vector>

#include "optimizer.hpp"

namespace tg::optim {

struct RMSpropOptions : public OptimizerCloneableOptions<RMSpropOptions> {
  RMSpropOptions(double lr = 1e-2);  // NOLINT: implicit, as libtorch
  TG_ARG(double, lr) = 1e-2;
  TG_ARG(double, alpha) = 0.99;
  TG_ARG(double, eps) = 1e-8;
  TG_ARG(double, weight_decay) = 0;
  TG_ARG(double, momentum) = 0;
  TG_ARG(bool, centered) = false;

 public:
  double get_lr() const override;
  void set_lr(double v) override;
  void visit_fields(FieldVisitor& visit) override;
  friend bool operator==(const RMSpropOptions& a, const RMSpropOptions& b);
};

struct RMSpropParamState : public OptimizerCloneableParamState<RMSpropParamState> {
  TG_ARG(int64_t, step) = 0;
  TG_ARG(Tensor, square_avg);
  TG_ARG(Tensor, momentum_buffer) = {};
  TG_ARG(Tensor, grad_avg) = {};

 public:
  friend bool operator==(const RMSpropParamState& a, const RMSpropParamState& b);
  void visit_fields(FieldVisitor& visit) override;
};

// clone() is instantiated once, in rmsprop.cpp, not in every program that includes this.
extern template class OptimizerCloneableOptions<RMSpropOptions>;
extern template class OptimizerCloneableParamState<RMSpropParamState>;

class RMSprop : public Optimizer {
 public:
  // Throws tg::Error for lr, eps, momentum, weight_decay or alpha < 0.
  explicit RMSprop(std::vector<OptimizerParamGroup> param_groups, RMSpropOptions defaults = {});
  explicit RMSprop(std::vector<Tensor> params, RMSpropOptions defaults = {});

  Tensor step(LossClosure closure = nullptr) override;
  std::unique_ptr<OptimizerParamState> make_param_state() const override;
};

}  // namespace tg::optim
