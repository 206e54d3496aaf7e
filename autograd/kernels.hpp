// Internal: the elementwise kernel loops (xsimd batches). Only library .cpp files include this,
// so users' translation units never see xsimd (and the -march flags stay the library's).
#pragma once

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <type_traits>
#include <xsimd/xsimd.hpp>

#include "tape.hpp"

namespace tg::kern {

// Calls f(T{}) with T the C++ type of dtype `t`: every dtype (casts, creation, copies, gathers).
template <class F>
void dispatch(ScalarType t, F&& f) {
  switch (t) {
    case kFloat:
      return f(float{});
    case kDouble:
      return f(double{});
    case kLong:
      return f(int64_t{});
    case kBool:
      return f(bool{});
    case kByte:
      return f(uint8_t{});
    case kChar:
      return f(int8_t{});
    case kShort:
      return f(int16_t{});
    case kInt:
      return f(int32_t{});
  }
}
// The dtype arithmetic kernels compute in: the small integer types (Byte, Char, Short, Int)
// compute as Long and are converted back. Wrapping to the narrow type afterwards gives the
// results C++ (and libtorch) arithmetic on them gives -- it promotes them to int too -- and
// each arithmetic kernel is instantiated for four types instead of eight.
inline bool is_small_int(ScalarType t) { return int8_t(t) >= int8_t(kByte); }  // Byte..Int
inline ScalarType compute_type(ScalarType t) { return is_small_int(t) ? kLong : t; }
template <class F>
void dispatch_compute(ScalarType t, F&& f) {
  switch (t) {
    case kFloat:
      return f(float{});
    case kDouble:
      return f(double{});
    case kBool:
      return f(bool{});
    default:
      return f(int64_t{});
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
  else if constexpr (std::is_same_v<T, uint8_t>)
    return kByte;
  else if constexpr (std::is_same_v<T, int8_t>)
    return kChar;
  else if constexpr (std::is_same_v<T, int16_t>)
    return kShort;
  else if constexpr (std::is_same_v<T, int32_t>)
    return kInt;
  else
    return kBool;
}

// One element converted from F to T as libtorch converts on x86, without undefined behaviour
// here: a floating value goes to an integer type through int32 (Char, Short, Int) or int64
// (Byte, Long) -- the truncating cvttss2si / cvttsd2si libtorch's casts compile to -- where NaN
// and values out of range give the "integer indefinite" INT_MIN, then wraps modulo 2^bits
// (so 300.7 -> Byte 44, 1e10 -> Int -2147483648, NaN -> Char 0).
template <class T, class F>
inline T convert(F v) {
  if constexpr (std::is_same_v<T, bool>) {
    return v != F(0);
  } else if constexpr (std::is_floating_point_v<F> && std::is_integral_v<T>) {
    if constexpr (std::is_same_v<T, int64_t> || std::is_same_v<T, uint8_t>) {
      const double d = double(v);  // [-2^63, 2^63) truncates into int64
      return T(d >= -9223372036854775808.0 && d < 9223372036854775808.0 ? int64_t(d) : INT64_MIN);
    } else {
      const double d = double(v);
      return T(d > -2147483649.0 && d < 2147483648.0 ? int32_t(d) : INT32_MIN);
    }
  } else {
    return static_cast<T>(v);  // integer to integer wraps (C++20); to floating rounds
  }
}

// A number converted to T unchecked (wrapping, as convert), for bounds like clamp's.
template <class T>
T scalar_to(const Scalar& s) {
  return s.is_floating_point() ? convert<T>(s.to_double()) : convert<T>(s.to_long());
}

// A number converted to dtype T for a fill value (full, fill_), refused if it does not fit, as
// c10::checked_convert: "value cannot be converted to type uint8_t without overflow".
// Unsigned types accept negatives down to -max (they wrap), as in c10::overflows.
void overflow_error(const char* type_name);
template <class T>
T checked(const Scalar& s) {
  if constexpr (std::is_same_v<T, bool>) {
    return s.is_floating_point() ? s.to_double() != 0 : s.to_long() != 0;
  } else {
    using L = std::numeric_limits<T>;
    constexpr const char* name = std::is_same_v<T, float>     ? "float"
                                 : std::is_same_v<T, double>  ? "double"
                                 : std::is_same_v<T, int64_t> ? "int64_t"
                                 : std::is_same_v<T, uint8_t> ? "uint8_t"
                                 : std::is_same_v<T, int8_t>  ? "int8_t"
                                 : std::is_same_v<T, int16_t> ? "int16_t"
                                                              : "int";
    if (s.is_floating_point()) {
      const double d = s.to_double();
      if (L::has_infinity && std::isinf(d)) return T(d);
      if (d != d) {
        if (!L::has_quiet_NaN) overflow_error(name);
        return T(d);
      }
      if (d < double(L::lowest()) || d > double(L::max())) overflow_error(name);
      return convert<T>(d);
    }
    const int64_t i = s.to_long();
    if constexpr (std::is_integral_v<T> && !L::is_signed) {
      if (i > int64_t(L::max()) || i < -int64_t(L::max())) overflow_error(name);
    } else if constexpr (std::is_integral_v<T>) {
      if (i > int64_t(L::max()) || i < int64_t(L::lowest())) overflow_error(name);
    }
    return T(i);
  }
}

// Type promotion exactly as PyTorch: dimensioned tensors outrank 0-d tensors, which outrank
// plain numbers, except that a higher category (bool < integer < floating) always wins.
ScalarType promote(ScalarType a, ScalarType b);
ScalarType result_type(const Tensor& a, const Tensor& b);
ScalarType result_type(const Tensor& a, const Scalar& b);
ScalarType scalar_dtype(const Scalar& s);  // dtype a plain number gets: Float, Long or Bool

Tensor cast(const Tensor& x, ScalarType to);  // a converted copy (or x itself), not recorded
// A number as the 0-d tensor of dtype t an op with a tensor uses (wrapping into integers).
Tensor scalar_operand(const Scalar& s, ScalarType t);

// ---- elementwise loops ----
// A kernel wrapped in kern::simd(f) is a generic lambda that works on T and on
// xsimd::batch<T> alike (xsimd::exp, +, xsimd::select, ...): for float and double it runs a batch
// at a time (8 floats with AVX2), the tail too, through a padded buffer, so every element goes
// through the same instructions wherever it sits. GCC at -O2 vectorises almost no loop by itself
// (its "very cheap" cost model refuses loops that need a scalar epilogue), hence the explicit
// batches. Kernels not wrapped (std::pow, comparisons into bool) run as plain scalar loops.
template <class F>
struct Simd {
  F f;
  template <class... X>
  auto operator()(const X&... x) const {
    return f(x...);
  }
};
template <class F>
Simd<std::decay_t<F>> simd(F&& f) {
  return {std::forward<F>(f)};
}
template <class F>
inline constexpr bool is_simd = false;
template <class F>
inline constexpr bool is_simd<Simd<F>> = true;
template <class T, class Out, class F>
inline constexpr bool use_simd = is_simd<std::decay_t<F>>&& std::is_same_v<T, Out> &&
                                 (std::is_same_v<T, float> || std::is_same_v<T, double>);

// o[i] = f(A ? a[i] : a[0], B ? b[i] : b[0]) for i < n: a contiguous operand (true) or one value
// broadcast along the row (false). Every broadcast the kernels meet reduces to rows of these.
template <bool A, bool B, class Out, class T, class F>
void row2(const T* a, const T* b, Out* o, int64_t n, const F& f) {
  if constexpr (use_simd<T, Out, F>) {
    using V = xsimd::batch<T>;
    constexpr int64_t W = int64_t(V::size);
    const V a0(a[0]), b0(b[0]);
    int64_t i = 0;
    for (; i + W <= n; i += W) {
      V x = A ? V::load_unaligned(a + i) : a0, y = B ? V::load_unaligned(b + i) : b0;
      f.f(x, y).store_unaligned(o + i);
    }
    if (i == n) return;
    if (n == 1) {  // one element (scalars, losses): lane 0 of a broadcast, no copies
      alignas(64) T to[W];
      f.f(a0, b0).store_aligned(to);
      o[0] = to[0];
      return;
    }
    T ta[W], tb[W], to[W];  // padded with a valid element: no 0/0 in the unused lanes
    std::fill(ta, ta + W, a[A ? i : 0]), std::fill(tb, tb + W, b[B ? i : 0]);
    if (A) std::copy(a + i, a + n, ta);
    if (B) std::copy(b + i, b + n, tb);
    V x = A ? V::load_unaligned(ta) : a0, y = B ? V::load_unaligned(tb) : b0;
    f.f(x, y).store_unaligned(to);
    std::copy(to, to + (n - i), o + i);
  } else {
    for (int64_t i = 0; i < n; ++i) o[i] = Out(f(a[A ? i : 0], b[B ? i : 0]));
  }
}
// A double as the element type of V (a scalar or an xsimd batch), for constants in kernels.
template <class V>
V splat(double v) {
  if constexpr (std::is_arithmetic_v<V>)
    return V(v);
  else
    return V(typename V::value_type(v));
}

// xsimd::select for batches, ?: for plain numbers (the scalar loops of integer dtypes).
template <class C, class V>
V select(const C& c, const V& x, const V& y) {
  if constexpr (std::is_arithmetic_v<V>)
    return c ? x : y;
  else
    return xsimd::select(c, x, y);
}

// NaN test for numbers and batches (xsimd's != is an ordered comparison: false for NaN).
template <class V>
auto is_nan(const V& v) {
  if constexpr (std::is_arithmetic_v<V>)
    return v != v;
  else
    return xsimd::isnan(v);
}

// o[i] = f(a[i]) for i < n.
template <class T, class F>
void row1(const T* a, T* o, int64_t n, const F& f) {
  auto g = [&f](const auto& x, const auto&) { return f(x); };
  if constexpr (is_simd<std::decay_t<F>>)
    row2<true, false, T>(a, a, o, n, simd(g));
  else
    row2<true, false, T>(a, a, o, n, g);
}

// out = f(x) elementwise over a floating tensor; f gets T or xsimd::batch<T> (wrap it in simd).
// An integer or Bool x computes in the default float dtype, as libtorch's floating math (exp of
// an Int tensor is a Float tensor); callers whose op keeps integers (relu, the scalar fast
// paths) never pass one.
template <class F>
Tensor unary(const Tensor& x, const char* op, F&& f) {
  if (!is_floating_point(x.scalar_type())) return unary(cast(x, kFloat), op, std::forward<F>(f));
  Tensor out = make_tensor(x.sizes(), x.scalar_type());
  dispatch_float(x.scalar_type(), op, [&](auto tag) {
    using T = decltype(tag);
    row1<T>(ptr<T>(x), ptr<T>(out), x.numel(), f);
  });
  return out;
}

// out[i] = f(a[i'], b[i'']) with broadcasting. Same shapes and tensor-with-scalar are one row;
// otherwise an odometer walks the outer dims and each innermost row is one of row2's cases
// (each operand's innermost stride is 1, or 0 where it is broadcast).
template <class Out, class T, class F>
void broadcast_loop(const T* a, IntArrayRef as, const T* b, IntArrayRef bs, Out* o, IntArrayRef os,
                    F&& f) {
  auto numel = [](IntArrayRef s) {
    int64_t n = 1;
    for (int64_t d : s) n *= d;
    return n;
  };
  // An operand with as many elements as the result has the result's layout (broadcasting only
  // ever adds size-1 dims), so these three cases need no shape comparison.
  const int64_t n = numel(os), na = numel(as), nb = numel(bs);
  if (n == 0) return;
  if (na == n && nb == n) return row2<true, true>(a, b, o, n, f);
  if (na == n && nb == 1) return row2<true, false>(a, b, o, n, f);
  if (na == 1 && nb == n) return row2<false, true>(a, b, o, n, f);
  if (na == 1 && nb == 1) return row2<false, false>(a, b, o, n, f);
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
  const int64_t inner = os[size_t(nd - 1)];
  const bool ca = sa[nd - 1] != 0, cb = sb[nd - 1] != 0;
  int64_t offa = 0, offb = 0;
  for (int64_t i = 0; i < n; i += inner) {
    const T *pa = a + offa, *pb = b + offb;
    if (ca && cb)
      row2<true, true>(pa, pb, o + i, inner, f);
    else if (ca)
      row2<true, false>(pa, pb, o + i, inner, f);
    else if (cb)
      row2<false, true>(pa, pb, o + i, inner, f);
    else
      row2<false, false>(pa, pb, o + i, inner, f);
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
// `into`, if given, is where the result goes (an in-place op, see writes_in_place).
template <class Out = void, class F>
Tensor binary(const Tensor& a, const Tensor& b, ScalarType compute, const char* op, F&& f,
              const Tensor& into = {}) {
  if (is_small_int(compute)) {  // computed as Long
    // Each operand is first converted to `compute` (a Long -1 against a Byte tensor is 255).
    Tensor r = binary<Out>(cast(cast(a, compute), kLong), cast(cast(b, compute), kLong), kLong, op,
                           std::forward<F>(f));
    return std::is_same_v<Out, bool> ? r : cast(r, compute);
  }
  const TensorImpl *ai = a.unsafeGetTensorImpl(), *bi = b.unsafeGetTensorImpl();
  if (ai->sizes == bi->sizes && ai->dtype == compute && bi->dtype == compute) {
    // Same shapes, no conversion (most calls): one row, no broadcast bookkeeping.
    Tensor out =
        into.defined() ? into : make_tensor(ai->sizes, std::is_same_v<Out, bool> ? kBool : compute);
    dispatch_compute(compute, [&](auto tag) {
      using T = decltype(tag);
      using O = std::conditional_t<std::is_void_v<Out>, T, Out>;
      row2<true, true>(ptr<T>(a), ptr<T>(b), ptr<O>(out), ai->numel(), f);
    });
    return out;
  }
  Shape shape = broadcast_shapes(a.sizes(), b.sizes(), op);
  Tensor ta, tb;  // converted copies, only if needed
  const Tensor& ca = a.scalar_type() == compute ? a : (ta = cast(a, compute));
  const Tensor& cb = b.scalar_type() == compute ? b : (tb = cast(b, compute));
  Tensor out =
      into.defined() ? into : make_tensor(shape, std::is_same_v<Out, bool> ? kBool : compute);
  dispatch_compute(compute, [&](auto tag) {
    using T = decltype(tag);
    using O = std::conditional_t<std::is_void_v<Out>, T, Out>;
    broadcast_loop<O, T>(ptr<T>(ca), ca.sizes(), ptr<T>(cb), cb.sizes(), ptr<O>(out), shape, f);
  });
  return out;
}

// A fused backward's f(g, v), with v broadcast to g: written into g's own buffer when nothing
// else can see it -- the sweep's handle is g's only one and no view shares its storage (a user's
// gradient, a hook's or retain_grad's copy all count) -- and the result has g's dtype and shape.
// A chain of such backwards then passes one buffer along instead of allocating one per entry.
// Only the last use of g in a backward may pass may_reuse (an elementwise kernel reads each
// element before it writes it, but a later read would see the result).
template <class F>
Tensor grad_binary(const Tensor& g, const Tensor& v, const char* op, F&& f, bool may_reuse = true) {
  const ScalarType t = result_type(g, v);
  const TensorImpl* gi = g.unsafeGetTensorImpl();
  auto fits = [](IntArrayRef big, IntArrayRef small) {  // small broadcasts to big
    if (small.size() > big.size()) return false;
    for (size_t k = 1; k <= small.size(); ++k)
      if (small[small.size() - k] != 1 && small[small.size() - k] != big[big.size() - k])
        return false;
    return true;
  };
  const bool reuse = may_reuse && gi->refs == 1 && gi->storage->refs == 1 && gi->dtype == t &&
                     fits(gi->sizes, v.sizes());
  return binary(g, v, t, op, std::forward<F>(f), reuse ? g : Tensor());
}

// x broadcast to `shape` as a new tensor: expand's values, not recorded (backward formulas
// that nothing records, see fused_backward).
inline Tensor broadcast_to(const Tensor& x, IntArrayRef shape) {
  Tensor out = make_tensor(shape, x.scalar_type());
  dispatch(x.scalar_type(), [&](auto tag) {
    using T = decltype(tag);
    broadcast_loop<T, T>(ptr<T>(x), x.sizes(), ptr<T>(x), x.sizes(), ptr<T>(out), shape,
                         simd([](auto v, auto) { return v; }));
  });
  return out;
}

// Whether a backward may compute its gradient with one fused kernel instead of its tg::
// formula: when grad mode is off, i.e. a backward without create_graph, nothing records the
// formula, so it need not be differentiable. Both give the same values (up to an FMA's rounding).
inline bool fused_backward() { return !grad_enabled(); }

// In-place ops (tensor.cpp) write `self op= other` straight into self, with no temporary, when
// nothing is recorded (grad mode off, as in optimizer steps, or no input requires grad), self
// has the result's dtype `t` (floating) and shape, and other is not a different view of self's
// memory (a partial overlap would read values already overwritten). Otherwise they compute out
// of place and copy.
bool writes_in_place(const Tensor& self, const Tensor& other, ScalarType t);
// self = self + alpha * other, self * other, self / other in place; false if not possible.
bool add_in_place(const Tensor& self, const Tensor& other, double alpha);
bool mul_in_place(const Tensor& self, const Tensor& other);
bool div_in_place(const Tensor& self, const Tensor& other);

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
