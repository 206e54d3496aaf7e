// Stochastic gradient descent with momentum, dampening, weight decay and Nesterov momentum,
// libtorch's torch::optim::SGD. For each parameter p with gradient g, one step is
//   g <- g + weight_decay * p
//   b <- g (first step), else b <- momentum * b + (1 - dampening) * g    (if momentum != 0)
//   g <- g + momentum * b (nesterov), else g <- b                         (if momentum != 0)
//   p <- p - lr * g
//
//   tg::optim::SGD opt(model->parameters(), tg::optim::SGDOptions(0.01).momentum(0.9));
//   opt.zero_grad(); loss.backward(); opt.step();
#pragma once

#include <memory>
#include <vector>

#include "optimizer.hpp"

namespace tg::optim {

struct SGDOptions : public OptimizerCloneableOptions<SGDOptions> {
  SGDOptions(double lr);  // NOLINT: implicit, as libtorch
  TG_ARG(double, lr);
  TG_ARG(double, momentum) = 0;
  TG_ARG(double, dampening) = 0;
  TG_ARG(double, weight_decay) = 0;
  TG_ARG(bool, nesterov) = false;

 public:
  double get_lr() const override;
  void set_lr(double v) override;
  void visit_fields(FieldVisitor& visit) override;
  friend bool operator==(const SGDOptions& a, const SGDOptions& b);
};

struct SGDParamState : public OptimizerCloneableParamState<SGDParamState> {
  TG_ARG(Tensor, momentum_buffer);

 public:
  friend bool operator==(const SGDParamState& a, const SGDParamState& b);
  void visit_fields(FieldVisitor& visit) override;
};

// clone() is instantiated once, in sgd.cpp, not in every program that includes this.
extern template class OptimizerCloneableOptions<SGDOptions>;
extern template class OptimizerCloneableParamState<SGDParamState>;

class SGD : public Optimizer {
 public:
  // Throws tg::Error for lr < 0, momentum < 0, weight_decay < 0, or nesterov without
  // (momentum > 0 and dampening == 0) -- in the defaults or in any group's own options.
  explicit SGD(std::vector<OptimizerParamGroup> param_groups, SGDOptions defaults);
  explicit SGD(std::vector<Tensor> params, SGDOptions defaults);

  Tensor step(LossClosure closure = nullptr) override;
  std::unique_ptr<OptimizerParamState> make_param_state() const override;
};

}  // namespace tg::optim
