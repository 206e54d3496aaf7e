// Unary elementwise ops, part 2: trigonometric, activations and clamping (part 1 is
// ops_unary.cpp; two files so the xsimd-heavy kernels compile in parallel).
#include <cmath>

#include "functions.hpp"
#include "kernels.hpp"

namespace tg {

// sin: d sin x = cos x dx
static void sin_backward(const Entry& e, const Tensor& g, Tensor* gin) { gin[0] = g * cos(in0(e)); }
Tensor sin(const Tensor& x) {
  Tensor out = kern::unary(x, "sin", kern::simd([](auto v) { return xsimd::sin(v); }));
  return unary_op(x, out, "sin", sin_backward, true, false);
}

// cos: d cos x = -sin x dx
static void cos_backward(const Entry& e, const Tensor& g, Tensor* gin) {
  gin[0] = -g * sin(in0(e));
}
Tensor cos(const Tensor& x) {
  Tensor out = kern::unary(x, "cos", kern::simd([](auto v) { return xsimd::cos(v); }));
  return unary_op(x, out, "cos", cos_backward, true, false);
}

// tanh: d tanh x = (1 - tanh^2 x) dx
static void tanh_backward(const Entry& e, const Tensor& g, Tensor* gin) {
  Tensor y = out0(e);
  if (!kern::fused_backward()) return void(gin[0] = g * (1 - y * y));
  gin[0] = kern::grad_binary(g, y, "tanh_backward", kern::simd([](auto a, auto b) {
                               return a * (kern::splat<decltype(b)>(1) - b * b);
                             }));
}
Tensor tanh(const Tensor& x) {
  Tensor out = kern::unary(x, "tanh", kern::simd([](auto v) { return xsimd::tanh(v); }));
  return unary_op(x, out, "tanh", tanh_backward, false, true);
}

// sigmoid: d s(x) = s(x) (1 - s(x)) dx
static void sigmoid_backward(const Entry& e, const Tensor& g, Tensor* gin) {
  Tensor y = out0(e);
  if (!kern::fused_backward()) return void(gin[0] = g * y * (1 - y));
  gin[0] = kern::grad_binary(g, y, "sigmoid_backward", kern::simd([](auto a, auto b) {
                               return a * b * (kern::splat<decltype(b)>(1) - b);
                             }));
}
Tensor sigmoid(const Tensor& x) {
  Tensor out = kern::unary(x, "sigmoid", kern::simd([](auto v) {
                             const auto one = kern::splat<decltype(v)>(1);
                             return one / (one + xsimd::exp(-v));
                           }));
  return unary_op(x, out, "sigmoid", sigmoid_backward, false, true);
}

// log_sigmoid: d log s(x) = (1 - s(x)) dx = s(-x) dx.
// Forward as PyTorch: min(x, 0) - log1p(exp(-|x|)), finite for any x (no exp overflow).
static void log_sigmoid_backward(const Entry& e, const Tensor& g, Tensor* gin) {
  Tensor x = in0(e);
  if (!kern::fused_backward()) return void(gin[0] = g * sigmoid(-x));
  gin[0] = kern::grad_binary(
      g, x, "log_sigmoid_backward", kern::simd([](auto a, auto b) {
        const auto one = kern::splat<decltype(b)>(1);
        return a * (one / (one + xsimd::exp(b)));  // sigmoid(-x), as sigmoid computes it
      }));
}
Tensor log_sigmoid(const Tensor& x) {
  Tensor out = kern::unary(x, "log_sigmoid", kern::simd([](auto v) {
                             const auto zero = kern::splat<decltype(v)>(0);
                             return xsimd::select(v < zero, v, zero) -
                                    xsimd::log1p(xsimd::exp(-xsimd::abs(v)));
                           }));
  return unary_op(x, out, "log_sigmoid", log_sigmoid_backward, true, false);
}

// relu: d max(x, 0) = [not y <= 0] dx
// Fused, it selects 0 or g (PyTorch's threshold_backward: y <= 0 ? 0 : g, so a NaN output passes
// g through), the formula multiplies by the mask: they differ only where g is infinite or NaN
// and the mask is 0.
static void relu_backward(const Entry& e, const Tensor& g, Tensor* gin) {
  Tensor y = out0(e);
  if (!kern::fused_backward()) return void(gin[0] = g * (y <= 0).logical_not().to(g.scalar_type()));
  gin[0] = kern::grad_binary(g, y, "relu_backward", kern::simd([](auto a, auto b) {
                               const auto zero = kern::splat<decltype(b)>(0);
                               return kern::select(b <= zero, zero, a);
                             }));
}
Tensor relu(const Tensor& x) {
  check_defined(x, "relu");
  if (!is_floating_point(x.scalar_type())) return clamp_min(x, 0);
  Tensor out = kern::unary(x, "relu", kern::simd([](auto v) {  // NaN stays NaN, as in PyTorch
                             const auto zero = kern::splat<decltype(v)>(0);
                             return xsimd::select(v < zero, zero, v);
                           }));
  return unary_op(x, out, "relu", relu_backward, false, true);
}

// clamp: d clamp(x, lo, hi) = [lo <= x <= hi] dx (PyTorch passes the gradient at the bounds)
static void clamp_backward(const Entry& e, const Tensor& g, Tensor* gin) {
  Tensor x = in0(e);
  Tensor mask = ones_like(x, kBool);
  if (e.i[0]) mask = logical_and(mask, x >= e.d[0]);
  if (e.i[1]) mask = logical_and(mask, x <= e.d[1]);
  gin[0] = g * mask.to(g.scalar_type());
}
Tensor clamp(const Tensor& x, std::optional<Scalar> min, std::optional<Scalar> max) {
  check_defined(x, "clamp");
  if (!min && !max) fail("clamp: at least one of 'min' or 'max' must not be None");
  Tensor out = make_tensor(x.sizes(), x.scalar_type());
  kern::dispatch(x.scalar_type(), [&](auto tag) {
    using T = decltype(tag);
    const T* p = ptr<T>(x);
    T* o = ptr<T>(out);
    T lo = min ? kern::scalar_to<T>(*min) : T(0), hi = max ? kern::scalar_to<T>(*max) : T(0);
    for (int64_t i = 0; i < x.numel(); ++i) {
      T v = p[i];
      if (min && v < lo) v = lo;  // NaN passes through, as in PyTorch
      if (max && v > hi) v = hi;
      o[i] = v;
    }
  });
  if (Entry* e = record("clamp", clamp_backward, {&x}, out)) {
    e->save(0, x);
    e->i[0] = min.has_value(), e->i[1] = max.has_value();
    e->d[0] = min ? min->to_double() : 0, e->d[1] = max ? max->to_double() : 0;
  }
  return out;
}
Tensor clamp_min(const Tensor& x, const Scalar& min) { return clamp(x, min, std::nullopt); }
Tensor clamp_max(const Tensor& x, const Scalar& max) { return clamp(x, std::nullopt, max); }

// isnan / isinf: tests, no gradient
Tensor isnan(const Tensor& x) {
  Tensor d = kern::cast(x, kDouble), out = make_tensor(x.sizes(), kBool);
  for (int64_t i = 0; i < x.numel(); ++i) ptr<bool>(out)[i] = std::isnan(ptr<double>(d)[i]);
  return out;
}
Tensor isinf(const Tensor& x) {
  Tensor d = kern::cast(x, kDouble), out = make_tensor(x.sizes(), kBool);
  for (int64_t i = 0; i < x.numel(); ++i) ptr<bool>(out)[i] = std::isinf(ptr<double>(d)[i]);
  return out;
}

}  // namespace tg
