// SGD::step follows libtorch 1.13's sgd.cpp line by line (and PyTorch's torch/optim/sgd.py):
// the first momentum step copies the gradient into the buffer (no dampening on that step). The
// update runs as one fused pass per parameter (sgd_loop).
#include "sgd.hpp"

#include <string>

#include "fused.hpp"

namespace tg::optim {

template class OptimizerCloneableOptions<SGDOptions>;
template class OptimizerCloneableParamState<SGDParamState>;

double SGDOptions::get_lr() const { return lr(); }

void SGDOptions::set_lr(double v) { lr(v); }

void SGDOptions::visit_fields(FieldVisitor& visit) {
  visit("lr", lr_);
  visit("momentum", momentum_);
  visit("dampening", dampening_);
  visit("weight_decay", weight_decay_);
  visit("nesterov", nesterov_);
}

void SGDParamState::visit_fields(FieldVisitor& visit) {
  visit("momentum_buffer", momentum_buffer_);
}

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

namespace {
// SGD's constants, rounded to the parameter's dtype as the tensor ops round their scalars.
template <class T>
struct SGDConstants {
  T weight_decay, momentum, one_minus_dampening, neg_lr;
};

// The whole update in one pass (see fused.hpp), in the order of SGD::step's tensor formulation.
// kFirst: the first momentum step, which copies d_p into the buffer.
template <class T, bool kDecay, bool kMomentum, bool kFirst, bool kNesterov>
[[gnu::noinline]] void sgd_loop(T* __restrict p, const T* __restrict g, T* __restrict buf,
                                int64_t n, const SGDConstants<T> c) {
  auto body = [&](int64_t i) {
    T d = g[i];
    if constexpr (kDecay) d = d + c.weight_decay * p[i];
    if constexpr (kMomentum) {
      T b = d;
      if constexpr (!kFirst) b = buf[i] * c.momentum + c.one_minus_dampening * d;
      buf[i] = b;
      if constexpr (kNesterov)
        d = d + c.momentum * b;
      else
        d = b;
    }
    p[i] = p[i] + c.neg_lr * d;
  };
  int64_t i = 0;
  for (; i + detail::kChunk <= n; i += detail::kChunk)
    for (int64_t k = 0; k < detail::kChunk; ++k) body(i + k);
  for (; i < n; ++i) body(i);
}

// One fused update; false (nothing done) when the tensors don't allow it (see fusable).
bool sgd_fused(const Tensor& p, const Tensor& grad, const Tensor& buf, bool first,
               const SGDOptions& o) {
  const bool momentum = o.momentum() != 0;
  if (!(momentum ? detail::fusable({&p, &grad, &buf}) : detail::fusable({&p, &grad}))) return false;
  auto run = [&](auto tag) {
    using T = decltype(tag);
    const SGDConstants<T> c{T(o.weight_decay()), T(o.momentum()), T(1 - o.dampening()), T(-o.lr())};
    T* pp = p.data_ptr<T>();
    const T* g = grad.data_ptr<T>();
    T* b = momentum ? buf.data_ptr<T>() : nullptr;
    detail::with_flag(o.weight_decay() != 0, [&](auto decay) {
      if (!momentum) return sgd_loop<T, decay.value, false, false, false>(pp, g, b, p.numel(), c);
      detail::with_flag(first, [&](auto fst) {
        detail::with_flag(o.nesterov(), [&](auto nest) {
          sgd_loop<T, decay.value, true, fst.value, nest.value>(pp, g, b, p.numel(), c);
        });
      });
    });
  };
  p.scalar_type() == kFloat ? run(float{}) : run(double{});
  detail::bump_version(p);
  if (momentum) detail::bump_version(buf);
  return true;
}
}  // namespace

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
      Tensor buf;
      bool first = false;
      if (momentum != 0) {
        const std::string key = state_key(p);
        auto it = state_.find(key);
        first = it == state_.end();
        if (first) {
          buf = empty_like(p);
          auto state = std::make_unique<SGDParamState>();
          state->momentum_buffer(buf);
          state_[key] = std::move(state);
        } else {
          buf = static_cast<SGDParamState&>(*it->second).momentum_buffer();
        }
      }
      if (sgd_fused(p, p.grad(), buf, first, options)) continue;
      // The tensor formulation (mixed dtypes, or tensors sharing memory).
      Tensor d_p = p.grad();
      if (weight_decay != 0) d_p = d_p.add(p, weight_decay);
      if (momentum != 0) {
        if (first)
          buf.copy_(d_p);
        else
          buf.mul_(momentum).add_(d_p, 1 - dampening);
        d_p = nesterov ? d_p.add(buf, momentum) : buf;
      }
      p.add_(d_p, -options.lr());
    }
  }
  return loss;
}

std::unique_ptr<OptimizerParamState> SGD::make_param_state() const {
  return std::make_unique<SGDParamState>();
}

}  // namespace tg::optim
