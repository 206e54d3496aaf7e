// tg::optim::LRScheduler, libtorch's learning-rate scheduler base: it holds a reference to
// an optimizer (which must outlive it) and, on each step(), writes the learning rates that
// the subclass's get_lrs() computes into the optimizer's parameter groups.
//
//   tg::optim::SGD opt(params, tg::optim::SGDOptions(0.1));
//   tg::optim::StepLR sched(opt, /*step_size=*/30, /*gamma=*/0.1);
//   for (int epoch = 0; epoch < 100; ++epoch) { train_one_epoch(opt); sched.step(); }
//
// step_count_ is the number of step() calls made before the current one (libtorch's
// meaning). The schedulers ported from PyTorch's Python API (decay_lr.hpp) number epochs as
// Python does, last_epoch = step_count_ + 1 during the k-th step() (PyTorch's constructor
// already performs step 0).
#pragma once

#include <vector>

#include "../optimizer.hpp"

namespace tg::optim {

class LRScheduler {
 public:
  explicit LRScheduler(Optimizer& optimizer);
  virtual ~LRScheduler() = default;

  void step();

 protected:
  // One learning rate per parameter group.
  virtual std::vector<double> get_lrs() = 0;
  // The optimizer's current learning rates.
  std::vector<double> get_current_lrs() const;
  // Writes one learning rate per group (private in libtorch; the PyTorch-style schedulers'
  // constructors need it for their step 0).
  void set_optimizer_lrs(const std::vector<double>& learning_rates);

  unsigned step_count_ = 0;  // NOLINT: libtorch's protected member
  Optimizer& optimizer_;     // NOLINT
};

}  // namespace tg::optim
