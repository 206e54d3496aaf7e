// tg::training::EarlyStopping and the explicit L1/L2 penalties.
#include <cmath>

#include "../autograd/functions.hpp"
#include "training.hpp"

namespace tg::training {

EarlyStopping::EarlyStopping(EarlyStoppingOptions options)
    : options_(options), best_(options.mode() == Mode::Min ? INFINITY : -INFINITY) {
  if (options_.patience() < 1)
    throw Error("EarlyStopping: patience must be at least 1, got " +
                std::to_string(options_.patience()));
  if (!(options_.min_delta() >= 0))
    throw Error("EarlyStopping: min_delta must be >= 0, got " +
                std::to_string(options_.min_delta()));
}

bool EarlyStopping::step(double metric, const nn::Module& module) {
  ++epochs_;
  const double delta = options_.min_delta();
  const bool better =
      options_.mode() == Mode::Min ? metric < best_ - delta : metric > best_ + delta;
  if (!better) {  // NaN compares false both ways, so it lands here
    ++bad_epochs_;
    return should_stop();
  }
  best_ = metric, best_epoch_ = epochs_, bad_epochs_ = 0;
  // Parameters and buffers by their dotted names; detached clones, so training goes on freely.
  NoGradGuard no_grad;
  snapshot_.clear();
  for (const auto& item : module.named_parameters())
    snapshot_.emplace_back(item.key(), item.value().detach().clone());
  for (const auto& item : module.named_buffers())
    snapshot_.emplace_back(item.key(), item.value().detach().clone());
  return false;
}

void EarlyStopping::restore(nn::Module& module) const {
  if (best_epoch_ == 0) throw Error("EarlyStopping::restore: no epoch has been recorded yet");
  auto params = module.named_parameters();
  auto buffers = module.named_buffers();
  if (params.size() + buffers.size() != snapshot_.size())
    throw Error("EarlyStopping::restore: the module has " +
                std::to_string(params.size() + buffers.size()) +
                " parameters and buffers, the snapshot " + std::to_string(snapshot_.size()));
  NoGradGuard no_grad;
  for (const auto& [name, saved] : snapshot_) {
    const Tensor* target = params.find(name);
    if (!target) target = buffers.find(name);
    if (!target) throw Error("EarlyStopping::restore: the module has no tensor '" + name + "'");
    if (target->sizes() != saved.sizes())
      throw Error("EarlyStopping::restore: '" + name + "' has shape " + to_string(target->sizes()) +
                  ", the snapshot " + to_string(saved.sizes()));
    target->copy_(saved);
  }
}

namespace {
Tensor penalty(const std::vector<Tensor>& parameters, bool l1) {
  Tensor total;
  for (const Tensor& p : parameters) {
    if (!p.defined()) continue;
    Tensor term = l1 ? p.abs().sum() : (p * p).sum();
    total = total.defined() ? total + term : term;
  }
  if (!total.defined())
    throw Error(std::string("training::") + (l1 ? "l1" : "l2") + "_penalty: no parameters");
  return total;
}
}  // namespace

Tensor l1_penalty(const std::vector<Tensor>& parameters) { return penalty(parameters, true); }
Tensor l2_penalty(const std::vector<Tensor>& parameters) { return penalty(parameters, false); }

}  // namespace tg::training
