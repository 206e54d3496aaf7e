// Internal: the bridge from tensors to xtensor kernels. Only library .cpp files include this,
// so users' translation units never see xtensor (and XTENSOR_USE_XSIMD stays consistent).
#pragma once

#include <array>
#include <type_traits>
#include <xtensor/xadapt.hpp>
#include <xtensor/xmath.hpp>
#include <xtensor/xnoalias.hpp>
#include <xtensor/xoperation.hpp>

#include "tape.hpp"

namespace tg::kern {

using xshape = xt::svector<size_t, 8>;
inline xshape xs(IntArrayRef s) {
  xshape r(s.size());
  for (size_t i = 0; i < s.size(); ++i) r[i] = size_t(s[i]);
  return r;
}

// An xtensor view of a contiguous tensor's memory (no copy, no ownership).
template <class T>
auto view(const Tensor& t) {
  return xt::adapt(ptr<T>(t), size_t(t.numel()), xt::no_ownership(), xs(t.sizes()));
}

// The same memory as a flat rank-1 view, for elementwise kernels that don't need the shape: a
// fixed-rank adaptor is much cheaper to build and to assign than the xarray one (no dynamic
// shape, no broadcasting checks), which is most of a small tensor's unary op.
template <class T>
auto flat(const Tensor& t) {
  const size_t n = size_t(t.numel());
  return xt::adapt(ptr<T>(t), n, xt::no_ownership(), std::array<size_t, 1>{n});
}

// Calls f(T{}) with T the C++ type of dtype `t`.
template <class F>
void dispatch(ScalarType t, F&& f) {
  switch (t) {
    case kFloat:
      f(float{});
      return;
    case kDouble:
      f(double{});
      return;
    case kLong:
      f(int64_t{});
      return;
    case kBool:
      f(bool{});
      return;
  }
}
template <class F>
void dispatch_float(ScalarType t, const char* op, F&& f) {
  if (t == kFloat)
    f(float{});
  else if (t == kDouble)
    f(double{});
  else
    fail(std::string(op) + ": expected a floating-point tensor, got " + dtype_name(t));
}
template <class T>
constexpr ScalarType dtype_of() {
  if constexpr (std::is_same_v<T, float>)
    return kFloat;
  else if constexpr (std::is_same_v<T, double>)
    return kDouble;
  else if constexpr (std::is_same_v<T, int64_t>)
    return kLong;
  else
    return kBool;
}

// Type promotion exactly as PyTorch: dimensioned tensors outrank 0-d tensors, which outrank
// plain numbers, except that a higher category (bool < integer < floating) always wins.
ScalarType promote(ScalarType a, ScalarType b);
ScalarType result_type(const Tensor& a, const Tensor& b);
ScalarType result_type(const Tensor& a, const Scalar& b);
ScalarType scalar_dtype(const Scalar& s);  // dtype a plain number gets: Float, Long or Bool

Tensor cast(const Tensor& x, ScalarType to);  // a converted copy (or x itself), not recorded

// out = f(view(x)) elementwise over a floating tensor; f gets an xtensor expression.
template <class F>
Tensor unary(const Tensor& x, const char* op, F&& f) {
  Tensor out = make_tensor(x.sizes(), x.scalar_type());
  dispatch_float(x.scalar_type(), op, [&](auto tag) {
    using T = decltype(tag);
    auto o = flat<T>(out);
    xt::noalias(o) = f(flat<T>(x), T{});
  });
  return out;
}

// out[i] = f(a[i'], b[i'']) with broadcasting; f works on scalars. The same-shape and
// tensor-with-scalar cases are plain linear loops (the compiler vectorises them); otherwise an
// odometer walks the outer dims and the innermost dim runs as a strided loop.
template <class Out, class T, class F>
void broadcast_loop(const T* a, IntArrayRef as, const T* b, IntArrayRef bs, Out* o, IntArrayRef os,
                    F&& f) {
  int64_t n = 1;
  for (int64_t s : os) n *= s;
  if (n == 0) return;
  if (as == os && bs == os) {
    for (int64_t i = 0; i < n; ++i) o[i] = Out(f(a[i], b[i]));
    return;
  }
  if (as == os && Shape(bs).numel() == 1) {
    const T y = b[0];
    for (int64_t i = 0; i < n; ++i) o[i] = Out(f(a[i], y));
    return;
  }
  if (bs == os && Shape(as).numel() == 1) {
    const T x = a[0];
    for (int64_t i = 0; i < n; ++i) o[i] = Out(f(x, b[i]));
    return;
  }
  const int64_t nd = int64_t(os.size());
  int64_t sa[Shape::kMaxDims], sb[Shape::kMaxDims], idx[Shape::kMaxDims] = {};
  auto strides = [&](IntArrayRef s, int64_t* st) {
    int64_t acc = 1;
    for (int64_t d = nd - 1; d >= 0; --d) {
      int64_t k = d - (nd - int64_t(s.size()));
      int64_t size = k >= 0 ? s[size_t(k)] : 1;
      st[d] = size == 1 ? 0 : acc;
      acc *= size;
    }
  };
  strides(as, sa), strides(bs, sb);
  const int64_t inner = os[size_t(nd - 1)], ia = sa[nd - 1], ib = sb[nd - 1];
  int64_t offa = 0, offb = 0;
  for (int64_t i = 0; i < n; i += inner) {
    for (int64_t k = 0; k < inner; ++k) o[i + k] = Out(f(a[offa + k * ia], b[offb + k * ib]));
    for (int64_t d = nd - 2; d >= 0; --d) {
      offa += sa[d], offb += sb[d];
      if (++idx[d] < os[size_t(d)]) break;
      offa -= sa[d] * os[size_t(d)], offb -= sb[d] * os[size_t(d)];
      idx[d] = 0;
    }
  }
}

// out = f(a, b) with broadcasting, computed in dtype `compute`; Out is the result's C++ type
// (void = same as compute, bool for comparisons).
template <class Out = void, class F>
Tensor binary(const Tensor& a, const Tensor& b, ScalarType compute, const char* op, F&& f) {
  Shape shape = broadcast_shapes(a.sizes(), b.sizes(), op);
  Tensor ca = cast(a, compute), cb = cast(b, compute);
  Tensor out = make_tensor(shape, std::is_same_v<Out, bool> ? kBool : compute);
  dispatch(compute, [&](auto tag) {
    using T = decltype(tag);
    using O = std::conditional_t<std::is_void_v<Out>, T, Out>;
    broadcast_loop<O, T>(ptr<T>(ca), ca.sizes(), ptr<T>(cb), cb.sizes(), ptr<O>(out), shape, f);
  });
  return out;
}

}  // namespace tg::kern

namespace tg {
// Records a one-input op; `save_in`/`save_out` say what its backward reads back with
// in0(e) / out0(e). Shared by ops_unary.cpp and ops_activation.cpp.
inline Tensor unary_op(const Tensor& x, Tensor out, const char* op, BackwardFn fn, bool save_in,
                       bool save_out) {
  if (Entry* e = record(op, fn, {&x}, out)) {
    if (save_in) e->save(0, x);
    if (save_out) e->save(1, out);
  }
  return out;
}
inline Tensor in0(const Entry& e) { return e.saved_value(0); }
inline Tensor out0(const Entry& e) { return e.saved_value(1); }
}  // namespace tg
