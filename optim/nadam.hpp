// NAdam (Dozat, 2016), PyTorch 1.13's torch.optim.NAdam (libtorch has none): Adam with
// Nesterov momentum and a momentum schedule mu_t = beta1 (1 - 0.5 * 0.96^(t momentum_decay)).
// For each parameter p with gradient g, at step t = 1, 2, ...:
//   g <- g + weight_decay * p
//   m <- beta1 m + (1 - beta1) g,   v <- beta2 v + (1 - beta2) g^2
//   P_t = mu_1 ... mu_t,   a = sqrt(v / (1 - beta2^t)) + eps
//   p <- p - lr (1 - mu_t) / (1 - P_t) g / a - lr mu_{t+1} / (1 - P_t mu_{t+1}) m / a
#pragma once

#include <cstdint>
#include <memory>
#include <tuple>
#include <vector>

#include "optimizer.hpp"

namespace tg::optim {

struct NAdamOptions : public OptimizerCloneableOptions<NAdamOptions> {
  NAdamOptions(double lr = 2e-3);  // NOLINT: implicit, as the libtorch options
  TG_ARG(double, lr) = 2e-3;
  typedef std::tuple<double, double> betas_t;
  TG_ARG(betas_t, betas) = std::make_tuple(0.9, 0.999);
  TG_ARG(double, eps) = 1e-8;
  TG_ARG(double, weight_decay) = 0;
  TG_ARG(double, momentum_decay) = 4e-3;

 public:
  double get_lr() const override;
  void set_lr(double v) override;
  void visit_fields(FieldVisitor& visit) override;
  friend bool operator==(const NAdamOptions& a, const NAdamOptions& b);
};

struct NAdamParamState : public OptimizerCloneableParamState<NAdamParamState> {
  TG_ARG(int64_t, step) = 0;
  TG_ARG(double, mu_product) = 1;  // P_t above
  TG_ARG(Tensor, exp_avg);
  TG_ARG(Tensor, exp_avg_sq);

 public:
  friend bool operator==(const NAdamParamState& a, const NAdamParamState& b);
  void visit_fields(FieldVisitor& visit) override;
};

// clone() is instantiated once, in nadam.cpp, not in every program that includes this.
extern template class OptimizerCloneableOptions<NAdamOptions>;
extern template class OptimizerCloneableParamState<NAdamParamState>;

class NAdam : public Optimizer {
 public:
  // Throws tg::Error for lr < 0, eps < 0, a beta outside [0, 1), weight_decay < 0 or
  // momentum_decay < 0.
  explicit NAdam(std::vector<OptimizerParamGroup> param_groups, NAdamOptions defaults = {});
  explicit NAdam(std::vector<Tensor> params, NAdamOptions defaults = {});

  Tensor step(LossClosure closure = nullptr) override;
  std::unique_ptr<OptimizerParamState> make_param_state() const override;
};

}  // namespace tg::optim
