// Adagrad (Duchi et al., 2011), libtorch's torch::optim::Adagrad. For each parameter p with
// gradient g, at step t = 1, 2, ...:
//   g <- g + weight_decay * p
//   s <- s + g^2                    (s starts at initial_accumulator_value)
//   p <- p - lr / (1 + (t - 1) lr_decay) * g / (sqrt(s) + eps)
#pragma once

#include <cstdint>
#include <memory>
#include <vector>

#include "optimizer.hpp"

namespace tg::optim {

struct AdagradOptions : public OptimizerCloneableOptions<AdagradOptions> {
  AdagradOptions(double lr = 1e-2);  // NOLINT: implicit, as libtorch
  TG_ARG(double, lr) = 1e-2;
  TG_ARG(double, lr_decay) = 0;
  TG_ARG(double, weight_decay) = 0;
  TG_ARG(double, initial_accumulator_value) = 0;
  TG_ARG(double, eps) = 1e-10;

 public:
  double get_lr() const override;
  void set_lr(double v) override;
  void visit_fields(FieldVisitor& visit) override;
  friend bool operator==(const AdagradOptions& a, const AdagradOptions& b);
};

struct AdagradParamState : public OptimizerCloneableParamState<AdagradParamState> {
  TG_ARG(Tensor, sum);
  TG_ARG(int64_t, step) = 0;

 public:
  friend bool operator==(const AdagradParamState& a, const AdagradParamState& b);
  void visit_fields(FieldVisitor& visit) override;
};

// clone() is instantiated once, in adagrad.cpp, not in every program that includes this.
extern template class OptimizerCloneableOptions<AdagradOptions>;
extern template class OptimizerCloneableParamState<AdagradParamState>;

class Adagrad : public Optimizer {
 public:
  // Throws tg::Error for lr, lr_decay, weight_decay, initial_accumulator_value or eps < 0.
  // As libtorch, every parameter's state (sum = initial_accumulator_value) exists from the
  // start.
  explicit Adagrad(std::vector<OptimizerParamGroup> param_groups, AdagradOptions defaults = {});
  explicit Adagrad(std::vector<Tensor> params, AdagradOptions defaults = {});

  Tensor step(LossClosure closure = nullptr) override;
  std::unique_ptr<OptimizerParamState> make_param_state() const override;
};

}  // namespace tg::optim
