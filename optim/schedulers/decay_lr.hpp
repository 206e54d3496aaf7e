// Learning-rate schedules ported from PyTorch 1.13's torch/optim/lr_scheduler.py (libtorch 1.13
// has only StepLR): MultiStepLR, ExponentialLR, CosineAnnealingLR, LinearLR and LambdaLR.
// Each follows PyTorch's chainable get_lr() -- the formula PyTorch actually applies when
// step() is called once per epoch -- so its learning rates equal PyTorch's step for step
// (tests/test_lr_scheduler.cpp). As in PyTorch, constructing one performs "epoch 0": LinearLR
// scales the learning rates by start_factor and LambdaLR by lr_lambda(0) right away.
//
//   tg::optim::SGD opt(params, tg::optim::SGDOptions(0.1));
//   tg::optim::LinearLR warmup(opt, /*start_factor=*/0.1, /*end_factor=*/1.0, /*total_iters=*/5);
//   for (int epoch = 0; epoch < 20; ++epoch) { train_one_epoch(opt); warmup.step(); }
//
// base_lrs are the groups' learning rates when the scheduler is built (PyTorch reads them from
// an 'initial_lr' entry that the first scheduler attached to an optimizer adds; tapegrad has
// no such entry, which matters only when several schedulers share an optimizer).
#pragma once

#include <cstdint>
#include <functional>
#include <vector>

#include "lr_scheduler.hpp"

namespace tg::optim {

// PyTorch's epoch numbering on top of libtorch's LRScheduler.
class EpochLRScheduler : public LRScheduler {
 public:
  // PyTorch's last_epoch: the number of step() calls so far.
  int64_t last_epoch() const { return int64_t(step_count_); }
  // The learning rates set by the last step (PyTorch's get_last_lr()).
  std::vector<double> get_last_lr() const { return get_current_lrs(); }
  const std::vector<double>& base_lrs() const { return base_lrs_; }

 protected:
  explicit EpochLRScheduler(Optimizer& optimizer);
  // The learning rates for `epoch` >= 1 from the current ones (PyTorch's get_lr()).
  virtual std::vector<double> lrs_at(int64_t epoch) = 0;
  std::vector<double> base_lrs_;

 private:
  std::vector<double> get_lrs() final { return lrs_at(int64_t(step_count_) + 1); }
};

// lr *= gamma at each milestone epoch (gamma^k for a milestone listed k times).
class MultiStepLR : public EpochLRScheduler {
 public:
  MultiStepLR(Optimizer& optimizer, std::vector<int64_t> milestones, double gamma = 0.1);

 private:
  std::vector<double> lrs_at(int64_t epoch) override;
  std::vector<int64_t> milestones_;
  double gamma_;
};

// lr *= gamma every epoch.
class ExponentialLR : public EpochLRScheduler {
 public:
  ExponentialLR(Optimizer& optimizer, double gamma);

 private:
  std::vector<double> lrs_at(int64_t epoch) override;
  double gamma_;
};

// Cosine from base_lr down to eta_min over T_max epochs, then back up (period 2 T_max):
// lr_e = eta_min + (base_lr - eta_min) (1 + cos(pi e / T_max)) / 2, applied recursively.
class CosineAnnealingLR : public EpochLRScheduler {
 public:
  // Throws tg::Error unless T_max > 0.
  CosineAnnealingLR(Optimizer& optimizer, int64_t T_max, double eta_min = 0);

 private:
  std::vector<double> lrs_at(int64_t epoch) override;
  int64_t T_max_;
  double eta_min_;
};

// Warm-up: the factor on base_lr goes linearly from start_factor (epoch 0) to end_factor
// (epoch total_iters), then stays.
class LinearLR : public EpochLRScheduler {
 public:
  // Throws tg::Error unless 0 < start_factor <= 1 and 0 <= end_factor <= 1 (PyTorch 1.13
  // accepts start_factor = 0 and then divides by zero at epoch 1; later versions reject it).
  explicit LinearLR(Optimizer& optimizer, double start_factor = 1.0 / 3, double end_factor = 1.0,
                    int64_t total_iters = 5);

 private:
  std::vector<double> lrs_at(int64_t epoch) override;
  double start_factor_, end_factor_;
  int64_t total_iters_;
};

// lr_e = base_lr * lr_lambda(e); one function for all groups or one per group.
class LambdaLR : public EpochLRScheduler {
 public:
  using LrLambda = std::function<double(int64_t epoch)>;
  LambdaLR(Optimizer& optimizer, LrLambda lr_lambda);
  // Throws tg::Error unless there is one function per parameter group.
  LambdaLR(Optimizer& optimizer, std::vector<LrLambda> lr_lambdas);

 private:
  std::vector<double> lrs_at(int64_t epoch) override;
  std::vector<LrLambda> lr_lambdas_;
};

}  // namespace tg::optim
