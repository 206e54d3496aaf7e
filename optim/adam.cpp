// Adam::step follows libtorch 1.13's adam.cpp and PyTorch's _single_tensor_adam, as one fused
// pass per parameter (adam_loop). addcmul_/addcdiv_ keep ATen's operation order
// (self + value * t1 * t2, self + value * t1 / t2): the float64 results match bit for bit or
// within an ulp.
#include "adam.hpp"

#include <cmath>

#include "fused.hpp"

namespace tg::optim {

template class OptimizerCloneableOptions<AdamOptions>;
template class OptimizerCloneableParamState<AdamParamState>;

double AdamOptions::get_lr() const { return lr(); }

void AdamOptions::set_lr(double v) { lr(v); }

void AdamOptions::visit_fields(FieldVisitor& visit) {
  visit("lr", lr_);
  visit("betas", betas_);
  visit("eps", eps_);
  visit("weight_decay", weight_decay_);
  visit("amsgrad", amsgrad_);
}

void AdamParamState::visit_fields(FieldVisitor& visit) {
  visit("step", step_);
  visit("exp_avg", exp_avg_);
  visit("exp_avg_sq", exp_avg_sq_);
  visit("max_exp_avg_sq", max_exp_avg_sq_);
}

AdamOptions::AdamOptions(double lr) : lr_(lr) {}

bool operator==(const AdamOptions& a, const AdamOptions& b) {
  return a.lr() == b.lr() && a.betas() == b.betas() && a.eps() == b.eps() &&
         a.weight_decay() == b.weight_decay() && a.amsgrad() == b.amsgrad();
}

bool operator==(const AdamParamState& a, const AdamParamState& b) {
  using detail::same_tensor;
  return a.step() == b.step() && same_tensor(a.exp_avg(), b.exp_avg()) &&
         same_tensor(a.exp_avg_sq(), b.exp_avg_sq()) &&
         same_tensor(a.max_exp_avg_sq(), b.max_exp_avg_sq());
}

namespace {
// Adam's constants, rounded to the parameter's dtype as the tensor ops round their scalars.
template <class T>
struct AdamConstants {
  T beta1, one_minus_beta1, beta2, one_minus_beta2, sqrt_bias_correction2, eps, neg_step_size;
  T l2, shrink;  // Adam's weight decay, AdamW's 1 - lr * weight_decay
};

// The whole update in one pass (see fused.hpp), in the order of the tensor formulation below.
template <class T, bool kAmsgrad, bool kL2, bool kShrink>
[[gnu::noinline]] void adam_loop(T* __restrict p, const T* __restrict g, T* __restrict m,
                                 T* __restrict v, T* __restrict vmax, int64_t n,
                                 const AdamConstants<T> c) {
  auto body = [&](int64_t i) {
    T gi = g[i], pi = p[i];
    if constexpr (kL2) gi = gi + c.l2 * pi;
    if constexpr (kShrink) pi = pi * c.shrink;
    const T mi = m[i] * c.beta1 + c.one_minus_beta1 * gi;
    const T vi = v[i] * c.beta2 + (gi * c.one_minus_beta2) * gi;
    m[i] = mi, v[i] = vi;
    T second = vi;
    if constexpr (kAmsgrad) {
      const T old = vmax[i];
      vmax[i] = second = (old > vi || old != old) ? old : vi;  // tg::maximum: NaN wins
    }
    const T denom = std::sqrt(second) / c.sqrt_bias_correction2 + c.eps;
    p[i] = pi + (mi * c.neg_step_size) / denom;
  };
  int64_t i = 0;
  for (; i + detail::kChunk <= n; i += detail::kChunk)
    for (int64_t k = 0; k < detail::kChunk; ++k) body(i + k);
  for (; i < n; ++i) body(i);
}
}  // namespace

namespace detail {
void adam_update(const Tensor& p, const Tensor& grad, int64_t step, const Tensor& exp_avg,
                 const Tensor& exp_avg_sq, Tensor& max_exp_avg_sq, double lr,
                 std::tuple<double, double> betas, double eps, bool amsgrad, double weight_decay,
                 double shrink) {
  const auto [beta1, beta2] = betas;
  const double bias_correction1 = 1 - std::pow(beta1, double(step));
  const double bias_correction2 = 1 - std::pow(beta2, double(step));
  const double step_size = lr / bias_correction1;
  if (amsgrad && !max_exp_avg_sq.defined()) max_exp_avg_sq = zeros_like(p);
  const Tensor& vmax = amsgrad ? max_exp_avg_sq : exp_avg_sq;
  if (amsgrad ? fusable({&p, &grad, &exp_avg, &exp_avg_sq, &vmax})
              : fusable({&p, &grad, &exp_avg, &exp_avg_sq})) {
    auto run = [&](auto tag) {
      using T = decltype(tag);
      const AdamConstants<T> c{
          T(beta1), T(1 - beta1),  T(beta2),        T(1 - beta2), T(std::sqrt(bias_correction2)),
          T(eps),   T(-step_size), T(weight_decay), T(shrink)};
      T *pp = p.data_ptr<T>(), *m = exp_avg.data_ptr<T>(), *v = exp_avg_sq.data_ptr<T>();
      T* vm = amsgrad ? vmax.data_ptr<T>() : nullptr;
      const T* g = grad.data_ptr<T>();
      with_flag(amsgrad, [&](auto ams) {
        with_flag(weight_decay != 0, [&](auto l2) {
          with_flag(shrink != 1, [&](auto sh) {
            adam_loop<T, ams.value, l2.value, sh.value>(pp, g, m, v, vm, p.numel(), c);
          });
        });
      });
    };
    p.scalar_type() == kFloat ? run(float{}) : run(double{});
    for (const Tensor* t : {&p, &exp_avg, &exp_avg_sq}) bump_version(*t);
    if (amsgrad) bump_version(vmax);
    return;
  }
  // The tensor formulation (mixed dtypes, or tensors sharing memory).
  Tensor g = weight_decay != 0 ? grad.add(p, weight_decay) : grad;
  if (shrink != 1) p.mul_(shrink);
  exp_avg.mul_(beta1).add_(g, 1 - beta1);
  exp_avg_sq.mul_(beta2).add_(g.mul(1 - beta2).mul(g));
  if (amsgrad) max_exp_avg_sq.copy_(max_exp_avg_sq.maximum(exp_avg_sq));
  const Tensor denom = vmax.sqrt().div(std::sqrt(bias_correction2)).add(eps);
  p.add_(exp_avg.mul(-step_size).div(denom));
}
}  // namespace detail

Adam::Adam(std::vector<OptimizerParamGroup> param_groups, AdamOptions defaults)
    : Optimizer(std::move(param_groups), std::make_unique<AdamOptions>(defaults)) {
  check_group_options("Adam", defaults, [](const AdamOptions& o, const std::string& where) {
    detail::check_adam_options("Adam", o, where);
  });
}

Adam::Adam(std::vector<Tensor> params, AdamOptions defaults)
    : Adam(std::vector<OptimizerParamGroup>{OptimizerParamGroup(std::move(params))}, defaults) {}

Tensor Adam::step(LossClosure closure) {
  NoGradGuard no_grad;
  Tensor loss = evaluate_closure(closure);
  for (auto& group : param_groups_) {
    const auto& o = static_cast<const AdamOptions&>(group.options());
    for (auto& p : group.params()) {
      if (!p.grad().defined()) continue;
      bool fresh = false;
      auto& state = param_state<AdamParamState>(p, &fresh);
      if (fresh) {
        state.exp_avg(zeros_like(p));
        state.exp_avg_sq(zeros_like(p));
      }
      state.step(state.step() + 1);
      detail::adam_update(p, p.grad(), state.step(), state.exp_avg(), state.exp_avg_sq(),
                          state.max_exp_avg_sq(), o.lr(), o.betas(), o.eps(), o.amsgrad(),
                          o.weight_decay());
    }
  }
  return loss;
}

std::unique_ptr<OptimizerParamState> Adam::make_param_state() const {
  return std::make_unique<AdamParamState>();
}

}  // namespace tg::optim
