// L-BFGS, libtorch's torch::optim::LBFGS (a port of PyTorch's torch/optim/lbfgs.py, itself
// from Mark Schmidt's minFunc). One step(closure) runs up to max_iter quasi-Newton
// iterations, re-evaluating the loss through the closure; the direction comes from the last
// history_size (s, y) pairs with the two-loop recursion. Without a line search each iteration
// moves a fixed lr along the direction (the first one lr * min(1, 1/|g|_1)); with
// line_search_fn("strong_wolfe") the step length satisfies the strong Wolfe conditions
// (c1 = 1e-4, c2 = 0.9, at most 25 evaluations), found by bracketing and cubic interpolation.
//
//   tg::optim::LBFGS opt(params, tg::optim::LBFGSOptions(1).line_search_fn("strong_wolfe"));
//   opt.step([&] { opt.zero_grad(); auto loss = f(params); loss.backward(); return loss; });
//
// All parameters form one group (LBFGS has no per-group options); the state lives under the
// first parameter's key.
#pragma once

#include <cstdint>
#include <deque>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "optimizer.hpp"

namespace tg::optim {

struct LBFGSOptions : public OptimizerCloneableOptions<LBFGSOptions> {
  LBFGSOptions(double lr = 1);  // NOLINT: implicit, as libtorch
  TG_ARG(double, lr) = 1;
  TG_ARG(int64_t, max_iter) = 20;
  // Function evaluations per step(); unset means max_iter * 5 / 4 (filled in by LBFGS).
  TG_ARG(std::optional<int64_t>, max_eval) = std::nullopt;
  TG_ARG(double, tolerance_grad) = 1e-7;
  TG_ARG(double, tolerance_change) = 1e-9;
  TG_ARG(int64_t, history_size) = 100;
  // Unset (fixed steps) or "strong_wolfe".
  TG_ARG(std::optional<std::string>, line_search_fn) = std::nullopt;

 public:
  double get_lr() const override;
  void set_lr(double v) override;
  void visit_fields(FieldVisitor& visit) override;
  friend bool operator==(const LBFGSOptions& a, const LBFGSOptions& b);
};

struct LBFGSParamState : public OptimizerCloneableParamState<LBFGSParamState> {
  TG_ARG(int64_t, func_evals) = 0;
  TG_ARG(int64_t, n_iter) = 0;
  TG_ARG(double, t) = 0;
  TG_ARG(double, prev_loss) = 0;
  TG_ARG(Tensor, d) = {};
  TG_ARG(Tensor, H_diag) = {};
  TG_ARG(Tensor, prev_flat_grad) = {};
  TG_ARG(std::deque<Tensor>, old_dirs);
  TG_ARG(std::deque<Tensor>, old_stps);
  TG_ARG(std::deque<Tensor>, ro);
  TG_ARG(std::optional<std::vector<Tensor>>, al) = std::nullopt;

 public:
  friend bool operator==(const LBFGSParamState& a, const LBFGSParamState& b);
  void visit_fields(FieldVisitor& visit) override;
};

// clone() is instantiated once, in lbfgs.cpp, not in every program that includes this.
extern template class OptimizerCloneableOptions<LBFGSOptions>;
extern template class OptimizerCloneableParamState<LBFGSParamState>;

class LBFGS : public Optimizer {
 public:
  // Throws tg::Error for more than one parameter group (as libtorch), and -- checks libtorch
  // does not make, for values that would loop forever or crash -- for lr < 0, max_iter < 1,
  // max_eval < 1, history_size < 1, negative tolerances, or a line search other than
  // "strong_wolfe" (libtorch rejects that one only in step()).
  explicit LBFGS(std::vector<OptimizerParamGroup> param_groups, LBFGSOptions defaults = {});
  explicit LBFGS(std::vector<Tensor> params, LBFGSOptions defaults = {});

  // Requires a closure that zeroes the gradients, computes the loss, calls backward() and
  // returns the loss; returns the loss of the first evaluation.
  Tensor step(LossClosure closure) override;
  std::unique_ptr<OptimizerParamState> make_param_state() const override;

 private:
  Tensor gather_flat_grad() const;
  void add_grad(double step_size, const Tensor& update);
  // Loss and flat gradient at x + t d; the parameters are restored to x afterwards.
  std::pair<double, Tensor> directional_evaluate(const LossClosure& closure,
                                                 const std::vector<Tensor>& x, double t,
                                                 const Tensor& d);
};

}  // namespace tg::optim
