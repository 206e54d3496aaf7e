// RAdam (Liu et al., 2020), PyTorch 1.13's torch.optim.RAdam (libtorch has none): Adam whose
// adaptive step is switched on only once the variance of the adaptive learning rate is
// tractable. For each parameter p with gradient g, at step t = 1, 2, ...:
//   g <- g + weight_decay * p
//   m <- beta1 m + (1 - beta1) g,   v <- beta2 v + (1 - beta2) g^2,   m^ = m / (1 - beta1^t)
//   rho_inf = 2 / (1 - beta2) - 1,   rho_t = rho_inf - 2 t beta2^t / (1 - beta2^t)
//   rho_t > 5: p <- p - lr m^ r sqrt(1 - beta2^t) / (sqrt(v) + eps), with the rectification
//              r = sqrt((rho_t - 4)(rho_t - 2) rho_inf / ((rho_inf - 4)(rho_inf - 2) rho_t))
//   otherwise: p <- p - lr m^                        (SGD with momentum)
#pragma once

#include <cstdint>
#include <memory>
#include <tuple>
#include <vector>

#include "optimizer.hpp"

namespace tg::optim {

struct RAdamOptions : public OptimizerCloneableOptions<RAdamOptions> {
  RAdamOptions(double lr = 1e-3);  // NOLINT: implicit, as the libtorch options
  TG_ARG(double, lr) = 1e-3;
  typedef std::tuple<double, double> betas_t;
  TG_ARG(betas_t, betas) = std::make_tuple(0.9, 0.999);
  TG_ARG(double, eps) = 1e-8;
  TG_ARG(double, weight_decay) = 0;

 public:
  double get_lr() const override;
  void set_lr(double v) override;
  void visit_fields(FieldVisitor& visit) override;
  friend bool operator==(const RAdamOptions& a, const RAdamOptions& b);
};

struct RAdamParamState : public OptimizerCloneableParamState<RAdamParamState> {
  TG_ARG(int64_t, step) = 0;
  TG_ARG(Tensor, exp_avg);
  TG_ARG(Tensor, exp_avg_sq);

 public:
  friend bool operator==(const RAdamParamState& a, const RAdamParamState& b);
  void visit_fields(FieldVisitor& visit) override;
};

// clone() is instantiated once, in radam.cpp, not in every program that includes this.
extern template class OptimizerCloneableOptions<RAdamOptions>;
extern template class OptimizerCloneableParamState<RAdamParamState>;

class RAdam : public Optimizer {
 public:
  // Throws tg::Error for lr < 0, eps < 0, a beta outside [0, 1) or weight_decay < 0.
  explicit RAdam(std::vector<OptimizerParamGroup> param_groups, RAdamOptions defaults = {});
  explicit RAdam(std::vector<Tensor> params, RAdamOptions defaults = {});

  Tensor step(LossClosure closure = nullptr) override;
  std::unique_ptr<OptimizerParamState> make_param_state() const override;
};

}  // namespace tg::optim
