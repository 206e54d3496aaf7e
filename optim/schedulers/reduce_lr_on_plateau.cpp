// ReduceLROnPlateau::step follows PyTorch 1.13's step / is_better / _reduce_lr.
#include "reduce_lr_on_plateau.hpp"

#include <algorithm>
#include <limits>

namespace tg::optim {

ReduceLROnPlateau::ReduceLROnPlateau(Optimizer& optimizer, ReduceLROnPlateauOptions options)
    : optimizer_(optimizer), options_(std::move(options)) {
  const auto& o = options_;
  if (o.mode() != "min" && o.mode() != "max")
    throw Error("ReduceLROnPlateau: mode " + o.mode() + " is unknown! (expected min or max)");
  if (o.threshold_mode() != "rel" && o.threshold_mode() != "abs")
    throw Error("ReduceLROnPlateau: threshold mode " + o.threshold_mode() +
                " is unknown! (expected rel or abs)");
  if (!(o.factor() >= 0 && o.factor() < 1.0))
    throw Error("ReduceLROnPlateau: Factor should be < 1.0 (and >= 0); got " +
                std::to_string(o.factor()));
  if (o.patience() < 0 || o.cooldown() < 0)
    throw Error("ReduceLROnPlateau: patience and cooldown must be >= 0");
  const size_t groups = optimizer.param_groups().size();
  if (o.min_lr().empty())
    min_lrs_.assign(groups, 0.0);
  else if (o.min_lr().size() == 1)
    min_lrs_.assign(groups, o.min_lr()[0]);
  else if (o.min_lr().size() == groups)
    min_lrs_ = o.min_lr();
  else
    throw Error("ReduceLROnPlateau: expected " + std::to_string(groups) + " min_lrs, got " +
                std::to_string(o.min_lr().size()));
  constexpr double inf = std::numeric_limits<double>::infinity();
  best_ = o.mode() == "min" ? inf : -inf;  // the worst value
}

bool ReduceLROnPlateau::is_better(double a) const {
  const double t = options_.threshold();
  const bool rel = options_.threshold_mode() == "rel";
  if (options_.mode() == "min") return rel ? a < best_ * (1. - t) : a < best_ - t;
  return rel ? a > best_ * (t + 1.) : a > best_ + t;
}

void ReduceLROnPlateau::step(double metric) {
  ++last_epoch_;
  if (is_better(metric)) {
    best_ = metric;
    num_bad_epochs_ = 0;
  } else {
    ++num_bad_epochs_;
  }
  if (cooldown_counter_ > 0) {  // bad epochs during the cooldown do not count
    --cooldown_counter_;
    num_bad_epochs_ = 0;
  }
  if (num_bad_epochs_ > options_.patience()) {
    auto& groups = optimizer_.param_groups();
    for (size_t i = 0; i < groups.size(); ++i) {
      const double old_lr = groups[i].options().get_lr();
      const double new_lr = std::max(old_lr * options_.factor(), min_lrs_[i]);
      if (old_lr - new_lr > options_.eps()) groups[i].options().set_lr(new_lr);
    }
    cooldown_counter_ = options_.cooldown();
    num_bad_epochs_ = 0;
  }
}

std::vector<double> ReduceLROnPlateau::get_last_lr() const {
  std::vector<double> lrs;
  for (const auto& group : optimizer_.param_groups()) lrs.push_back(group.options().get_lr());
  return lrs;
}

}  // namespace tg::optim
