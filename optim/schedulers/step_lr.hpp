// tg::optim::StepLR, libtorch's: multiplies every group's learning rate by gamma once every
// step_size calls of step().
//
// Note: libtorch 1.13 decays on the call that finds step_count_ (the calls made before it) a
// positive multiple of step_size, i.e. on calls step_size + 1, 2 step_size + 1, ... -- one
// call later than PyTorch's Python StepLR, whose constructor makes a call of its own. tapegrad
// keeps libtorch's behaviour so that libtorch programs print the same numbers (checked against
// libtorch by tests/compat/optim.cpp and against PyTorch, shifted by one, in
// tests/test_lr_scheduler.cpp).
#pragma once

#include "lr_scheduler.hpp"

namespace tg::optim {

class StepLR : public LRScheduler {
 public:
  // Throws tg::Error if step_size is 0.
  StepLR(Optimizer& optimizer, unsigned step_size, double gamma = 0.1);

 private:
  std::vector<double> get_lrs() override;

  const unsigned step_size_;
  const double gamma_;
};

}  // namespace tg::optim
