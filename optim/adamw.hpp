// AdamW (Loshchilov & Hutter, 2019), libtorch's torch::optim::AdamW: Adam with decoupled
// weight decay. Instead of adding weight_decay * p to the gradient, each step first shrinks
// the parameter, p <- p (1 - lr weight_decay), then takes Adam's step (see adam.hpp) with the
// raw gradient. Note the default weight_decay is 1e-2, not 0.
#pragma once

#include <cstdint>
#include <memory>
#include <tuple>
#include <vector>

#include "optimizer.hpp"

namespace tg::optim {

struct AdamWOptions : public OptimizerCloneableOptions<AdamWOptions> {
  AdamWOptions(double lr = 1e-3);  // NOLINT: implicit, as libtorch
  TG_ARG(double, lr) = 1e-3;
  typedef std::tuple<double, double> betas_t;
  TG_ARG(betas_t, betas) = std::make_tuple(0.9, 0.999);
  TG_ARG(double, eps) = 1e-8;
  TG_ARG(double, weight_decay) = 1e-2;
  TG_ARG(bool, amsgrad) = false;

 public:
  double get_lr() const override;
  void set_lr(double v) override;
  void visit_fields(FieldVisitor& visit) override;
  friend bool operator==(const AdamWOptions& a, const AdamWOptions& b);
};

struct AdamWParamState : public OptimizerCloneableParamState<AdamWParamState> {
  TG_ARG(int64_t, step) = 0;
  TG_ARG(Tensor, exp_avg);
  TG_ARG(Tensor, exp_avg_sq);
  TG_ARG(Tensor, max_exp_avg_sq) = {};

 public:
  friend bool operator==(const AdamWParamState& a, const AdamWParamState& b);
  void visit_fields(FieldVisitor& visit) override;
};

// clone() is instantiated once, in adamw.cpp, not in every program that includes this.
extern template class OptimizerCloneableOptions<AdamWOptions>;
extern template class OptimizerCloneableParamState<AdamWParamState>;

class AdamW : public Optimizer {
 public:
  // Throws tg::Error for lr < 0, eps < 0, a beta outside [0, 1) or weight_decay < 0.
  explicit AdamW(std::vector<OptimizerParamGroup> param_groups, AdamWOptions defaults = {});
  explicit AdamW(std::vector<Tensor> params, AdamWOptions defaults = {});

  Tensor step(LossClosure closure = nullptr) override;
  std::unique_ptr<OptimizerParamState> make_param_state() const override;
};

}  // namespace tg::optim
