// tg::optim::ReduceLROnPlateau, PyTorch 1.13's torch.optim.lr_scheduler.ReduceLROnPlateau
// (libtorch 1.13 has none): step(metric) once per epoch with a validation metric; when the
// metric has not improved for more than `patience` epochs, every group's learning rate is
// multiplied by `factor` (not below its min_lr), then `cooldown` epochs pass before bad
// epochs are counted again.
//
//   tg::optim::ReduceLROnPlateau sched(opt, tg::optim::ReduceLROnPlateauOptions().patience(3));
//   for (...) { train(opt); sched.step(validation_loss); }
//
// "Improved" (mode min; mode max mirrors it): metric < best (1 - threshold) with
// threshold_mode "rel", metric < best - threshold with "abs". A reduction smaller than eps is
// skipped.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "../optimizer.hpp"

namespace tg::optim {

struct ReduceLROnPlateauOptions {
  TG_ARG(std::string, mode) = "min";  // "min" or "max"
  TG_ARG(double, factor) = 0.1;
  TG_ARG(int64_t, patience) = 10;
  TG_ARG(double, threshold) = 1e-4;
  TG_ARG(std::string, threshold_mode) = "rel";  // "rel" or "abs"
  TG_ARG(int64_t, cooldown) = 0;
  // One lower bound per parameter group, or one for all; empty means 0.
  TG_ARG(std::vector<double>, min_lr) = {};
  TG_ARG(double, eps) = 1e-8;

 public:
  ReduceLROnPlateauOptions& min_lr(double v) { return min_lr(std::vector<double>{v}); }
};

class ReduceLROnPlateau {
 public:
  // Throws tg::Error for an unknown mode or threshold_mode, factor outside [0, 1), negative
  // patience or cooldown, or a min_lr list whose length is not the number of groups.
  explicit ReduceLROnPlateau(Optimizer& optimizer, ReduceLROnPlateauOptions options = {});

  void step(double metric);

  double best() const { return best_; }
  int64_t num_bad_epochs() const { return num_bad_epochs_; }
  int64_t cooldown_counter() const { return cooldown_counter_; }
  int64_t last_epoch() const { return last_epoch_; }
  std::vector<double> get_last_lr() const;

 private:
  bool is_better(double a) const;

  Optimizer& optimizer_;
  ReduceLROnPlateauOptions options_;
  std::vector<double> min_lrs_;
  double best_;
  int64_t num_bad_epochs_ = 0, cooldown_counter_ = 0, last_epoch_ = 0;
};

}  // namespace tg::optim
