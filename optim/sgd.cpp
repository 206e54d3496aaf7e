// SGD::step follows libtorch 1.13's sgd.cpp line by line (and PyTorch's torch/optim/sgd.py):
// the first momentum step copies the gradient into the buffer (no dampening on that step).
#include "sgd.hpp"

#include <string>

namespace tg::optim {

namespace {
std::string num(double v) {
  std::string s = std::to_string(v);
  return s;
}

void check_options(const SGDOptions& o, const char* where) {
  if (!(o.lr() >= 0)) throw Error(std::string("SGD: invalid learning rate ") + num(o.lr()) + where);
  if (!(o.momentum() >= 0))
    throw Error(std::string("SGD: invalid momentum value ") + num(o.momentum()) + where);
  if (!(o.weight_decay() >= 0))
    throw Error(std::string("SGD: invalid weight_decay value ") + num(o.weight_decay()) + where);
  if (o.nesterov() && !(o.momentum() > 0 && o.dampening() == 0))
    throw Error(std::string("SGD: Nesterov momentum requires a momentum and zero dampening (got "
                            "momentum=") +
                num(o.momentum()) + ", dampening=" + num(o.dampening()) + ")" + where);
}
}  // namespace

SGDOptions::SGDOptions(double lr) : lr_(lr) {}

bool operator==(const SGDOptions& a, const SGDOptions& b) {
  return a.lr() == b.lr() && a.momentum() == b.momentum() && a.dampening() == b.dampening() &&
         a.weight_decay() == b.weight_decay() && a.nesterov() == b.nesterov();
}

bool operator==(const SGDParamState& a, const SGDParamState& b) {
  const Tensor& x = a.momentum_buffer();
  const Tensor& y = b.momentum_buffer();
  if (x.defined() != y.defined()) return false;
  return !x.defined() || x.equal(y);
}

SGD::SGD(std::vector<OptimizerParamGroup> param_groups, SGDOptions defaults)
    : Optimizer(std::move(param_groups), std::make_unique<SGDOptions>(defaults)) {
  check_options(defaults, "");
  for (size_t i = 0; i < param_groups_.size(); ++i) {
    auto* o = dynamic_cast<SGDOptions*>(&param_groups_[i].options());
    if (!o)
      throw Error("SGD: the options of parameter group " + std::to_string(i) +
                  " are not SGDOptions");
    check_options(*o, (" in parameter group " + std::to_string(i)).c_str());
  }
}

SGD::SGD(std::vector<Tensor> params, SGDOptions defaults)
    : SGD(std::vector<OptimizerParamGroup>{OptimizerParamGroup(std::move(params))}, defaults) {}

Tensor SGD::step(LossClosure closure) {
  NoGradGuard no_grad;
  Tensor loss;
  if (closure) {
    AutoGradMode enable_grad(true);  // the closure runs forward and backward
    loss = closure();
  }
  for (auto& group : param_groups_) {
    auto& options = static_cast<SGDOptions&>(group.options());
    const double weight_decay = options.weight_decay();
    const double momentum = options.momentum();
    const double dampening = options.dampening();
    const bool nesterov = options.nesterov();
    for (auto& p : group.params()) {
      if (!p.grad().defined()) continue;
      Tensor d_p = p.grad();
      if (weight_decay != 0) d_p = d_p.add(p, weight_decay);
      if (momentum != 0) {
        Tensor buf;
        const std::string key = state_key(p);
        auto it = state_.find(key);
        if (it == state_.end()) {
          buf = d_p.clone();
          auto state = std::make_unique<SGDParamState>();
          state->momentum_buffer(buf);
          state_[key] = std::move(state);
        } else {
          buf = static_cast<SGDParamState&>(*it->second).momentum_buffer();
          buf.mul_(momentum).add_(d_p, 1 - dampening);
        }
        d_p = nesterov ? d_p.add(buf, momentum) : buf;
      }
      p.add_(d_p, -options.lr());
    }
  }
  return loss;
}

}  // namespace tg::optim
