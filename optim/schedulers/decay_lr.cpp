// The formulas are PyTorch 1.13's get_lr() (not _get_closed_form_lr()), with the same
// operation order, so the learning rates match to the last bit or so.
#include "decay_lr.hpp"

#include <algorithm>
#include <cmath>
#include <numbers>
#include <sstream>
#include <string>

namespace tg::optim {

EpochLRScheduler::EpochLRScheduler(Optimizer& optimizer)
    : LRScheduler(optimizer), base_lrs_(get_current_lrs()) {}

MultiStepLR::MultiStepLR(Optimizer& optimizer, std::vector<int64_t> milestones, double gamma)
    : EpochLRScheduler(optimizer), milestones_(std::move(milestones)), gamma_(gamma) {}

std::vector<double> MultiStepLR::lrs_at(int64_t epoch) {
  std::vector<double> lrs = get_current_lrs();
  const auto hits = std::count(milestones_.begin(), milestones_.end(), epoch);
  if (hits > 0)
    for (double& lr : lrs) lr *= std::pow(gamma_, double(hits));
  return lrs;
}

ExponentialLR::ExponentialLR(Optimizer& optimizer, double gamma)
    : EpochLRScheduler(optimizer), gamma_(gamma) {}

std::vector<double> ExponentialLR::lrs_at(int64_t) {
  std::vector<double> lrs = get_current_lrs();
  for (double& lr : lrs) lr *= gamma_;
  return lrs;
}

CosineAnnealingLR::CosineAnnealingLR(Optimizer& optimizer, int64_t T_max, double eta_min)
    : EpochLRScheduler(optimizer), T_max_(T_max), eta_min_(eta_min) {
  if (T_max <= 0)
    throw Error("CosineAnnealingLR: T_max must be positive (got " + std::to_string(T_max) + ")");
}

std::vector<double> CosineAnnealingLR::lrs_at(int64_t epoch) {
  constexpr double pi = std::numbers::pi;
  std::vector<double> lrs = get_current_lrs();
  const double T = double(T_max_);
  for (size_t i = 0; i < lrs.size(); ++i) {
    if ((epoch - 1 - T_max_) % (2 * T_max_) == 0)  // the restart of the next period
      lrs[i] = lrs[i] + (base_lrs_[i] - eta_min_) * (1 - std::cos(pi / T)) / 2;
    else
      lrs[i] = (1 + std::cos(pi * double(epoch) / T)) / (1 + std::cos(pi * double(epoch - 1) / T)) *
                   (lrs[i] - eta_min_) +
               eta_min_;
  }
  return lrs;
}

LinearLR::LinearLR(Optimizer& optimizer, double start_factor, double end_factor,
                   int64_t total_iters)
    : EpochLRScheduler(optimizer),
      start_factor_(start_factor),
      end_factor_(end_factor),
      total_iters_(total_iters) {
  auto str = [](double v) {
    std::ostringstream s;
    s << v;
    return s.str();
  };
  if (!(start_factor > 0 && start_factor <= 1))
    throw Error(
        "LinearLR: Starting multiplicative factor expected to be greater than 0 and less or "
        "equal to 1 (got " +
        str(start_factor) + ")");
  if (!(end_factor >= 0 && end_factor <= 1))
    throw Error("LinearLR: Ending multiplicative factor expected to be between 0 and 1 (got " +
                str(end_factor) + ")");
  if (total_iters < 1)
    throw Error("LinearLR: total_iters must be positive (got " + std::to_string(total_iters) + ")");
  std::vector<double> lrs = get_current_lrs();
  for (double& lr : lrs) lr *= start_factor_;
  set_optimizer_lrs(lrs);
}

std::vector<double> LinearLR::lrs_at(int64_t epoch) {
  std::vector<double> lrs = get_current_lrs();
  if (epoch > total_iters_) return lrs;
  for (double& lr : lrs)
    lr *= 1. + (end_factor_ - start_factor_) / (double(total_iters_) * start_factor_ +
                                                double(epoch - 1) * (end_factor_ - start_factor_));
  return lrs;
}

LambdaLR::LambdaLR(Optimizer& optimizer, LrLambda lr_lambda)
    : LambdaLR(optimizer, std::vector<LrLambda>(optimizer.param_groups().size(), lr_lambda)) {}

LambdaLR::LambdaLR(Optimizer& optimizer, std::vector<LrLambda> lr_lambdas)
    : EpochLRScheduler(optimizer), lr_lambdas_(std::move(lr_lambdas)) {
  if (lr_lambdas_.size() != base_lrs_.size())
    throw Error("LambdaLR: expected " + std::to_string(base_lrs_.size()) +
                " lr_lambdas (one per parameter group), but got " +
                std::to_string(lr_lambdas_.size()));
  for (const auto& f : lr_lambdas_)
    if (!f) throw Error("LambdaLR: lr_lambda is empty");
  set_optimizer_lrs(lrs_at(0));
}

std::vector<double> LambdaLR::lrs_at(int64_t epoch) {
  std::vector<double> lrs(base_lrs_.size());
  for (size_t i = 0; i < lrs.size(); ++i) lrs[i] = base_lrs_[i] * lr_lambdas_[i](epoch);
  return lrs;
}

}  // namespace tg::optim
