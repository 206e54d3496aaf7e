// Adadelta (Zeiler, 2012), PyTorch 1.13's torch.optim.Adadelta (libtorch has none). For each
// parameter p with gradient g:
//   g <- g + weight_decay * p
//   v <- rho v + (1 - rho) g^2
//   delta = sqrt(u + eps) / sqrt(v + eps) * g,   u <- rho u + (1 - rho) delta^2
//   p <- p - lr delta
#pragma once

#include <cstdint>
#include <memory>
#include <vector>

#include "optimizer.hpp"

namespace tg::optim {

struct AdadeltaOptions : public OptimizerCloneableOptions<AdadeltaOptions> {
  AdadeltaOptions(double lr = 1.0);  // NOLINT: implicit, as the libtorch options
  TG_ARG(double, lr) = 1.0;
  TG_ARG(double, rho) = 0.9;
  TG_ARG(double, eps) = 1e-6;
  TG_ARG(double, weight_decay) = 0;

 public:
  double get_lr() const override;
  void set_lr(double v) override;
  void visit_fields(FieldVisitor& visit) override;
  friend bool operator==(const AdadeltaOptions& a, const AdadeltaOptions& b);
};

struct AdadeltaParamState : public OptimizerCloneableParamState<AdadeltaParamState> {
  TG_ARG(int64_t, step) = 0;
  TG_ARG(Tensor, square_avg);
  TG_ARG(Tensor, acc_delta);

 public:
  friend bool operator==(const AdadeltaParamState& a, const AdadeltaParamState& b);
  void visit_fields(FieldVisitor& visit) override;
};

// clone() is instantiated once, in adadelta.cpp, not in every program that includes this.
extern template class OptimizerCloneableOptions<AdadeltaOptions>;
extern template class OptimizerCloneableParamState<AdadeltaParamState>;

class Adadelta : public Optimizer {
 public:
  // Throws tg::Error for lr < 0, rho outside [0, 1], eps < 0 or weight_decay < 0.
  explicit Adadelta(std::vector<OptimizerParamGroup> param_groups, AdadeltaOptions defaults = {});
  explicit Adadelta(std::vector<Tensor> params, AdadeltaOptions defaults = {});

  Tensor step(LossClosure closure = nullptr) override;
  std::unique_ptr<OptimizerParamState> make_param_state() const override;
};

}  // namespace tg::optim
