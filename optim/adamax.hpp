// Adamax (Kingma & Ba, 2015, section 7), PyTorch 1.13's torch.optim.Adamax (libtorch has
// none): Adam with the infinity norm in place of the second moment. For each parameter p
// with gradient g, at step t = 1, 2, ...:
//   g <- g + weight_decay * p
//   m <- beta1 m + (1 - beta1) g,   u <- max(beta2 u, |g| + eps)
//   p <- p - lr / (1 - beta1^t) * m / u
#pragma once

#include <cstdint>
#include <memory>
#include <tuple>
#include <vector>

#include "optimizer.hpp"

namespace tg::optim {

struct AdamaxOptions : public OptimizerCloneableOptions<AdamaxOptions> {
  AdamaxOptions(double lr = 2e-3);  // NOLINT: implicit, as the libtorch options
  TG_ARG(double, lr) = 2e-3;
  typedef std::tuple<double, double> betas_t;
  TG_ARG(betas_t, betas) = std::make_tuple(0.9, 0.999);
  TG_ARG(double, eps) = 1e-8;
  TG_ARG(double, weight_decay) = 0;

 public:
  double get_lr() const override;
  void set_lr(double v) override;
  void visit_fields(FieldVisitor& visit) override;
  friend bool operator==(const AdamaxOptions& a, const AdamaxOptions& b);
};

struct AdamaxParamState : public OptimizerCloneableParamState<AdamaxParamState> {
  TG_ARG(int64_t, step) = 0;
  TG_ARG(Tensor, exp_avg);
  TG_ARG(Tensor, exp_inf);

 public:
  friend bool operator==(const AdamaxParamState& a, const AdamaxParamState& b);
  void visit_fields(FieldVisitor& visit) override;
};

// clone() is instantiated once, in adamax.cpp, not in every program that includes this.
extern template class OptimizerCloneableOptions<AdamaxOptions>;
extern template class OptimizerCloneableParamState<AdamaxParamState>;

class Adamax : public Optimizer {
 public:
  // Throws tg::Error for lr < 0, eps < 0, a beta outside [0, 1) or weight_decay < 0.
  explicit Adamax(std::vector<OptimizerParamGroup> param_groups, AdamaxOptions defaults = {});
  explicit Adamax(std::vector<Tensor> params, AdamaxOptions defaults = {});

  Tensor step(LossClosure closure = nullptr) override;
  std::unique_ptr<OptimizerParamState> make_param_state() const override;
};

}  // namespace tg::optim
