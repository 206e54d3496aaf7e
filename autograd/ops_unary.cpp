// Unary elementwise ops. Each: the derivative as a comment, the backward, then the forward.
// Forward kernels are xsimd batch functions (kern::simd, see kernels.hpp).
#include <cmath>
#include <numbers>

#include "functions.hpp"
#include "kernels.hpp"

namespace tg {

// neg: d(-x) = -dx
static void neg_backward(const Entry&, const Tensor& g, Tensor* gin) { gin[0] = -g; }
Tensor neg(const Tensor& x) {
  check_defined(x, "neg");
  Tensor out = make_tensor(x.sizes(), x.scalar_type());
  kern::dispatch(x.scalar_type(), [&](auto tag) {
    using T = decltype(tag);
    if constexpr (std::is_same_v<T, bool>)
      fail("neg: not defined for Bool tensors");
    else
      kern::row1<T>(ptr<T>(x), ptr<T>(out), x.numel(), kern::simd([](auto v) { return -v; }));
  });
  return unary_op(x, out, "neg", neg_backward, false, false);
}

// exp: d e^x = e^x dx
static void exp_backward(const Entry& e, const Tensor& g, Tensor* gin) { gin[0] = g * out0(e); }
Tensor exp(const Tensor& x) {
  Tensor out = kern::unary(x, "exp", kern::simd([](auto v) { return xsimd::exp(v); }));
  return unary_op(x, out, "exp", exp_backward, false, true);
}

// log: d log x = dx / x
static void log_backward(const Entry& e, const Tensor& g, Tensor* gin) { gin[0] = g / in0(e); }
Tensor log(const Tensor& x) {
  Tensor out = kern::unary(x, "log", kern::simd([](auto v) { return xsimd::log(v); }));
  return unary_op(x, out, "log", log_backward, true, false);
}

// log1p: d log(1 + x) = dx / (1 + x)
static void log1p_backward(const Entry& e, const Tensor& g, Tensor* gin) {
  gin[0] = g / (in0(e) + 1);
}
Tensor log1p(const Tensor& x) {
  Tensor out = kern::unary(x, "log1p", kern::simd([](auto v) { return xsimd::log1p(v); }));
  return unary_op(x, out, "log1p", log1p_backward, true, false);
}

// expm1: d (e^x - 1) = e^x dx. Accurate near 0, where exp(x) - 1 cancels (ELU). The backward
// takes e^x from the input, not as out + 1, which cancels for very negative x.
static void expm1_backward(const Entry& e, const Tensor& g, Tensor* gin) {
  gin[0] = g * exp(in0(e));
}
Tensor expm1(const Tensor& x) {
  Tensor out = kern::unary(x, "expm1", kern::simd([](auto v) { return xsimd::expm1(v); }));
  return unary_op(x, out, "expm1", expm1_backward, true, false);
}

// erf: d erf(x) = 2/sqrt(pi) e^(-x^2) dx (GELU's exact form)
static void erf_backward(const Entry& e, const Tensor& g, Tensor* gin) {
  const Tensor& x = in0(e);
  gin[0] = g * exp(-(x * x)) * (2 * std::numbers::inv_sqrtpi);
}
Tensor erf(const Tensor& x) {
  Tensor out = kern::unary(x, "erf", kern::simd([](auto v) { return xsimd::erf(v); }));
  return unary_op(x, out, "erf", erf_backward, true, false);
}

// sqrt: d sqrt(x) = dx / (2 sqrt(x))
static void sqrt_backward(const Entry& e, const Tensor& g, Tensor* gin) {
  gin[0] = g / (out0(e) * 2);
}
Tensor sqrt(const Tensor& x) {
  Tensor out = kern::unary(x, "sqrt", kern::simd([](auto v) { return xsimd::sqrt(v); }));
  return unary_op(x, out, "sqrt", sqrt_backward, false, true);
}

// rsqrt: d x^(-1/2) = -x^(-3/2)/2 dx = -out^3/2 dx
static void rsqrt_backward(const Entry& e, const Tensor& g, Tensor* gin) {
  Tensor y = out0(e);
  gin[0] = g * y * y * y * -0.5;
}
Tensor rsqrt(const Tensor& x) {
  Tensor out = kern::unary(
      x, "rsqrt", kern::simd([](auto v) { return kern::splat<decltype(v)>(1) / xsimd::sqrt(v); }));
  return unary_op(x, out, "rsqrt", rsqrt_backward, false, true);
}

// square: d x^2 = 2x dx
static void square_backward(const Entry& e, const Tensor& g, Tensor* gin) {
  gin[0] = g * in0(e) * 2;
}
Tensor square(const Tensor& x) {
  if (!is_floating_point(x.scalar_type())) return mul(x, x);
  Tensor out = kern::unary(x, "square", kern::simd([](auto v) { return v * v; }));
  return unary_op(x, out, "square", square_backward, true, false);
}

// reciprocal: d (1/x) = -dx / x^2 = -out^2 dx
static void reciprocal_backward(const Entry& e, const Tensor& g, Tensor* gin) {
  Tensor y = out0(e);
  gin[0] = -g * y * y;
}
Tensor reciprocal(const Tensor& x) {
  Tensor out =
      kern::unary(kern::cast(x, is_floating_point(x.scalar_type()) ? x.scalar_type() : kFloat),
                  "reciprocal", kern::simd([](auto v) { return kern::splat<decltype(v)>(1) / v; }));
  return unary_op(x, out, "reciprocal", reciprocal_backward, false, true);
}

// abs: d|x| = sign(x) dx (0 at the kink, as PyTorch)
static void abs_backward(const Entry& e, const Tensor& g, Tensor* gin) {
  gin[0] = g * sign(in0(e));
}
Tensor abs(const Tensor& x) {
  check_defined(x, "abs");
  Tensor out = make_tensor(x.sizes(), x.scalar_type());
  kern::dispatch(x.scalar_type(), [&](auto tag) {
    using T = decltype(tag);
    if constexpr (std::is_same_v<T, bool>)
      std::copy(ptr<T>(x), ptr<T>(x) + x.numel(), ptr<T>(out));
    else
      kern::row1<T>(ptr<T>(x), ptr<T>(out), x.numel(), kern::simd([](auto v) {
                      if constexpr (std::is_integral_v<decltype(v)>)
                        return v < 0 ? -v : v;
                      else
                        return xsimd::abs(v);
                    }));
  });
  return unary_op(x, out, "abs", abs_backward, true, false);
}

// sign: piecewise constant, so its gradient is 0
static void zero_backward(const Entry&, const Tensor& g, Tensor* gin) { gin[0] = zeros_like(g); }
Tensor sign(const Tensor& x) {
  check_defined(x, "sign");
  Tensor out = make_tensor(x.sizes(), x.scalar_type());
  kern::dispatch(x.scalar_type(), [&](auto tag) {
    using T = decltype(tag);
    const T* p = ptr<T>(x);
    T* o = ptr<T>(out);
    for (int64_t i = 0; i < x.numel(); ++i) o[i] = T((T(0) < p[i]) - (p[i] < T(0)));
  });
  return unary_op(x, out, "sign", zero_backward, false, false);
}

}  // namespace tg
