// Binary elementwise ops with broadcasting: forward kernel and backward formula side by side.
// Every backward ends in sum_to(...): the adjoint of broadcasting is a sum (tinygrad's
// unbroadcast), so a (3,) input used against a (2,3) one gets its gradient summed over rows.
#include <cmath>

#include "functions.hpp"
#include "kernels.hpp"

namespace tg {

// ---- type promotion -----------------------------------------------------------------------
namespace kern {
static int category(ScalarType t) { return t == kBool ? 0 : is_integral(t) ? 1 : 2; }
// c10's promoteTypes table, by its rules: a higher category wins; two integer types give the
// wider, except that Byte (the one unsigned type) with a signed type of the same width needs
// the next wider signed type (Byte with Char is Short).
ScalarType promote(ScalarType a, ScalarType b) {
  if (a == b) return a;
  if (category(a) != category(b)) return category(a) > category(b) ? a : b;
  if (category(a) == 2) return kDouble;  // Float with Double
  if (a == kByte || b == kByte) {
    const ScalarType other = a == kByte ? b : a;
    return other == kChar ? kShort : other;
  }
  return element_size(a) >= element_size(b) ? a : b;
}
ScalarType scalar_dtype(const Scalar& s) {
  return s.is_bool() ? kBool : s.is_integral() ? kLong : kFloat;
}
// PyTorch's combine_categories: the higher tier keeps its dtype unless the lower tier is of a
// higher category, in which case the two promote.
static ScalarType combine(std::optional<ScalarType> higher, ScalarType lower) {
  if (!higher) return lower;
  if (category(*higher) >= category(lower)) return *higher;
  return promote(*higher, lower);
}
ScalarType result_type(const Tensor& a, const Tensor& b) {
  if (a.scalar_type() == b.scalar_type()) return a.scalar_type();  // the common case
  std::optional<ScalarType> dims, zero;
  for (const Tensor* t : {&a, &b}) {
    auto& slot = t->dim() > 0 ? dims : zero;
    slot = slot ? promote(*slot, t->scalar_type()) : t->scalar_type();
  }
  if (!zero) return *dims;
  return combine(dims, *zero);
}
ScalarType result_type(const Tensor& a, const Scalar& b) {
  ScalarType s = scalar_dtype(b);
  if (a.dim() > 0) return combine(a.scalar_type(), s);
  return combine(a.scalar_type(), s);
}
}  // namespace kern

Shape broadcast_shapes(IntArrayRef a, IntArrayRef b, const char* op) {
  if (a == b) return Shape(a);
  size_t n = std::max(a.size(), b.size());
  Shape out;
  for (size_t i = 0; i < n; ++i) {
    int64_t da = i < n - a.size() ? 1 : a[i - (n - a.size())];
    int64_t db = i < n - b.size() ? 1 : b[i - (n - b.size())];
    if (da != db && da != 1 && db != 1)
      fail(std::string(op) + ": shapes " + to_string(a) + " and " + to_string(b) +
           " cannot be broadcast (size " + std::to_string(da) + " vs " + std::to_string(db) +
           " at dimension " + std::to_string(i) + ")");
    out.push_back(da == 1 ? db : da);
  }
  return out;
}

// A number as a 0-d tensor of the dtype the op computes in. Into an integer dtype it is
// converted, not checked: a Byte tensor plus 300 wraps the 300 (libtorch gives 1 + 300 = 45),
// where full() would refuse it.
namespace kern {
Tensor scalar_operand(const Scalar& s, ScalarType t) {
  if (!is_integral(t)) return scalar_tensor(s, t);
  return cast(scalar_tensor(s, scalar_dtype(s)), t);
}
}  // namespace kern
static Tensor wrap(const Scalar& s, ScalarType t) { return kern::scalar_operand(s, t); }

// ---- a tensor with a number: the number is a constant, so no 0-d tensor, no broadcast ----
// When the result keeps a's floating dtype (a Float tensor plus a double, as `y + 0.01`), the
// op is one unary loop recorded with one input whose backward saves nothing. Otherwise (an
// integer tensor with a float, ...) the number goes through wrap() and the general path.
static bool scalar_fast(const Tensor& a, ScalarType t) {
  return t == a.scalar_type() && is_floating_point(t);
}
// d(a + c) = da: the gradient passes through unchanged.
static void add_scalar_backward(const Entry&, const Tensor& g, Tensor* gin) { gin[0] = g; }
// a + alpha*b for a number b, rounded as the general path rounds it (b and alpha in a's dtype).
static Tensor add_scalar(const Tensor& a, double b, double alpha, const char* op) {
  Tensor out =
      alpha == 1
          ? kern::unary(a, op, kern::simd([b](auto x) { return x + kern::splat<decltype(x)>(b); }))
          : kern::unary(a, op, kern::simd([b, alpha](auto x) {
                          using V = decltype(x);
                          return x + kern::splat<V>(alpha) * kern::splat<V>(b);
                        }));
  record(op, add_scalar_backward, {&a}, out);
  return out;
}
// d(a*c) = c da
static void mul_scalar_backward(const Entry& e, const Tensor& g, Tensor* gin) {
  gin[0] = g * e.d[0];
}
// d(a/c) = da / c
static void div_scalar_backward(const Entry& e, const Tensor& g, Tensor* gin) {
  gin[0] = g / e.d[0];
}

// ---- add / sub: d(a + alpha*b) = da + alpha*db ----
static void add_backward(const Entry& e, const Tensor& g, Tensor* gin) {
  if (e.needs(0)) gin[0] = sum_to(g, e.in_shape(0));
  if (e.needs(1)) gin[1] = sum_to(e.d[0] == 1 ? g : g * e.d[0], e.in_shape(1));
}
static Tensor add_impl(const Tensor& a, const Tensor& b, ScalarType t, double alpha, const char* op,
                       const Tensor& into = {}) {
  Tensor out =
      alpha == 1 ? kern::binary(a, b, t, op, kern::simd([](auto x, auto y) { return x + y; }), into)
                 : kern::binary(a, b, t, op, kern::simd([alpha](auto x, auto y) {
                                  return x + kern::splat<decltype(y)>(alpha) * y;
                                }),
                                into);
  if (Entry* e = record(op, add_backward, {&a, &b}, out)) e->d[0] = alpha;
  return out;
}
Tensor add(const Tensor& a, const Tensor& b, const Scalar& alpha) {
  check_defined(a, "add"), check_defined(b, "add");
  return add_impl(a, b, kern::result_type(a, b), alpha.to_double(), "add");
}
Tensor add(const Tensor& a, const Scalar& b, const Scalar& alpha) {
  check_defined(a, "add");
  ScalarType t = kern::result_type(a, b);
  if (scalar_fast(a, t)) return add_scalar(a, b.to<double>(), alpha.to_double(), "add");
  return add_impl(a, wrap(b, t), t, alpha.to_double(), "add");
}
Tensor sub(const Tensor& a, const Tensor& b, const Scalar& alpha) {
  check_defined(a, "sub"), check_defined(b, "sub");
  return add_impl(a, b, kern::result_type(a, b), -alpha.to_double(), "sub");
}
Tensor sub(const Tensor& a, const Scalar& b, const Scalar& alpha) {
  check_defined(a, "sub");
  ScalarType t = kern::result_type(a, b);
  if (scalar_fast(a, t)) return add_scalar(a, b.to<double>(), -alpha.to_double(), "sub");
  return add_impl(a, wrap(b, t), t, -alpha.to_double(), "sub");
}

// ---- mul: d(a*b) = b da + a db ----
static void mul_backward(const Entry& e, const Tensor& g, Tensor* gin) {
  // Without create_graph the products go straight to the kernel (nothing records them); the
  // last one may write into g's buffer (grad_binary), so input 1's comes first.
  auto times = [&g](const Tensor& v, bool last) {
    if (!kern::fused_backward()) return g * v;
    return kern::grad_binary(g, v, "mul_backward", kern::simd([](auto x, auto y) { return x * y; }),
                             last);
  };
  if (e.needs(1)) gin[1] = sum_to(times(e.saved_value(0), !e.needs(0)), e.in_shape(1));
  if (e.needs(0)) gin[0] = sum_to(times(e.saved_value(1), true), e.in_shape(0));
}
static Tensor mul_impl(const Tensor& a, const Tensor& b, ScalarType t, const Tensor& into = {}) {
  Tensor out = kern::binary(a, b, t, "mul", kern::simd([](auto x, auto y) { return x * y; }), into);
  if (Entry* e = record("mul", mul_backward, {&a, &b}, out)) {
    if (e->needs(1)) e->save(0, a);
    if (e->needs(0)) e->save(1, b);
  }
  return out;
}
Tensor mul(const Tensor& a, const Tensor& b) {
  check_defined(a, "mul"), check_defined(b, "mul");
  return mul_impl(a, b, kern::result_type(a, b));
}
Tensor mul(const Tensor& a, const Scalar& b) {
  check_defined(a, "mul");
  ScalarType t = kern::result_type(a, b);
  if (!scalar_fast(a, t)) return mul_impl(a, wrap(b, t), t);
  const double c = b.to<double>();
  Tensor out =
      kern::unary(a, "mul", kern::simd([c](auto x) { return x * kern::splat<decltype(x)>(c); }));
  if (Entry* e = record("mul", mul_scalar_backward, {&a}, out)) e->d[0] = c;
  return out;
}

// ---- div: d(a/b) = da/b - a db/b^2 ----
static void div_backward(const Entry& e, const Tensor& g, Tensor* gin) {
  const Tensor& b = e.saved_value(1);
  if (e.needs(0)) gin[0] = sum_to(g / b, e.in_shape(0));
  if (e.needs(1)) gin[1] = sum_to(-g * e.saved_value(0) / (b * b), e.in_shape(1));
}
static Tensor div_impl(const Tensor& a, const Tensor& b, ScalarType t, const Tensor& into = {}) {
  // Integer division is true division in PyTorch: it computes in the default float dtype.
  if (!is_floating_point(t)) t = kFloat;
  Tensor out = kern::binary(a, b, t, "div", kern::simd([](auto x, auto y) { return x / y; }), into);
  if (Entry* e = record("div", div_backward, {&a, &b}, out)) {
    e->save(1, b);
    if (e->needs(1)) e->save(0, a);
  }
  return out;
}
Tensor div(const Tensor& a, const Tensor& b) {
  check_defined(a, "div"), check_defined(b, "div");
  return div_impl(a, b, kern::result_type(a, b));
}
Tensor div(const Tensor& a, const Scalar& b) {
  check_defined(a, "div");
  ScalarType t = kern::result_type(a, b);
  if (!is_floating_point(t)) t = kFloat;
  if (!scalar_fast(a, t)) return div_impl(a, wrap(b, t), t);
  const double c = b.to<double>();
  Tensor out =
      kern::unary(a, "div", kern::simd([c](auto x) { return x / kern::splat<decltype(x)>(c); }));
  if (Entry* e = record("div", div_scalar_backward, {&a}, out)) e->d[0] = c;
  return out;
}

// ---- the in-place fast path (kernels.hpp) ----
namespace kern {
bool writes_in_place(const Tensor& self, const Tensor& other, ScalarType t) {
  if (t != self.scalar_type() || !is_floating_point(t)) return false;
  if (grad_enabled() && (self.requires_grad() || other.requires_grad())) return false;
  IntArrayRef s = self.sizes(), o = other.sizes();
  if (o.size() > s.size()) return false;
  for (size_t i = 0; i < o.size(); ++i) {
    int64_t d = o[o.size() - 1 - i];
    if (d != 1 && d != s[s.size() - 1 - i]) return false;
  }
  const TensorImpl *a = self.unsafeGetTensorImpl(), *b = other.unsafeGetTensorImpl();
  return a->storage != b->storage || (a->data() == b->data() && s == o);
}
bool add_in_place(const Tensor& self, const Tensor& other, double alpha) {
  ScalarType t = result_type(self, other);
  if (!writes_in_place(self, other, t)) return false;
  add_impl(self, other, t, alpha, "add_", self);
  return true;
}
bool mul_in_place(const Tensor& self, const Tensor& other) {
  ScalarType t = result_type(self, other);
  if (!writes_in_place(self, other, t)) return false;
  mul_impl(self, other, t, self);
  return true;
}
bool div_in_place(const Tensor& self, const Tensor& other) {
  ScalarType t = result_type(self, other);
  if (!writes_in_place(self, other, t)) return false;
  div_impl(self, other, t, self);
  return true;
}
}  // namespace kern

// ---- floor_divide / remainder (Python's // and %) ----
// Integers: C++'s / and % truncate toward zero; one step corrects the quotient down and moves
// the remainder to the divisor's side when the signs differ. Floating: PyTorch's div_floor,
// from fmod so that the quotient is exact where a / b would round (7.0 // 0.7 is 9, not 10).
[[noreturn]] static void zero_division() { fail("ZeroDivisionError"); }
template <class V>
static V floor_div1(V x, V y) {
  if constexpr (std::is_same_v<V, bool>) {
    return x;  // not reached: Bool is refused before the kernel
  } else if constexpr (std::is_integral_v<V>) {
    if (y == 0) zero_division();
    if (y == -1) return V(uint64_t(0) - uint64_t(x));  // INT64_MIN / -1 wraps, not traps
    V q = x / y;
    if (x % y != 0 && ((x < 0) != (y < 0))) --q;
    return q;
  } else {
    if (y == 0) return x / y;
    V mod = std::fmod(x, y), div = (x - mod) / y;
    if (mod != 0 && ((y < 0) != (mod < 0))) div -= 1;
    if (div == 0) return std::copysign(V(0), x / y);
    V f = std::floor(div);
    return div - f > V(0.5) ? f + 1 : f;
  }
}
template <class V>
static V remainder1(V x, V y) {
  if constexpr (std::is_same_v<V, bool>) {
    return x;  // not reached, as floor_div1
  } else if constexpr (std::is_integral_v<V>) {
    if (y == 0) zero_division();
    if (y == -1) return 0;
    V r = x % y;
    return r != 0 && ((r < 0) != (y < 0)) ? r + y : r;
  } else {
    V r = std::fmod(x, y);
    return r != 0 && ((r < 0) != (y < 0)) ? r + y : r;
  }
}
static Tensor floor_divide_impl(const Tensor& a, const Tensor& b, ScalarType t) {
  if (t == kBool) fail("floor_divide: \"div_floor_cpu\" not implemented for 'Bool'");
  // No gradient: piecewise constant, and libtorch's result does not require grad either.
  return kern::binary(a, b, t, "floor_divide", [](auto x, auto y) { return floor_div1(x, y); });
}
Tensor floor_divide(const Tensor& a, const Tensor& b) {
  check_defined(a, "floor_divide"), check_defined(b, "floor_divide");
  return floor_divide_impl(a, b, kern::result_type(a, b));
}
Tensor floor_divide(const Tensor& a, const Scalar& b) {
  check_defined(a, "floor_divide");
  ScalarType t = kern::result_type(a, b);
  return floor_divide_impl(a, wrap(b, t), t);
}
// d remainder(a, b) = da - floor_divide(a, b) db
static void remainder_backward(const Entry& e, const Tensor& g, Tensor* gin) {
  if (e.needs(0)) gin[0] = sum_to(g, e.in_shape(0));
  if (e.needs(1))
    gin[1] = sum_to(-g * floor_divide(e.saved_value(0), e.saved_value(1)), e.in_shape(1));
}
static Tensor remainder_impl(const Tensor& a, const Tensor& b, ScalarType t) {
  if (t == kBool) fail("remainder: \"remainder_cpu\" not implemented for 'Bool'");
  Tensor out = kern::binary(a, b, t, "remainder", [](auto x, auto y) { return remainder1(x, y); });
  if (Entry* e = record("remainder", remainder_backward, {&a, &b}, out))
    if (e->needs(1)) e->save(0, a), e->save(1, b);
  return out;
}
Tensor remainder(const Tensor& a, const Tensor& b) {
  check_defined(a, "remainder"), check_defined(b, "remainder");
  return remainder_impl(a, b, kern::result_type(a, b));
}
Tensor remainder(const Tensor& a, const Scalar& b) {
  check_defined(a, "remainder");
  ScalarType t = kern::result_type(a, b);
  return remainder_impl(a, wrap(b, t), t);
}

// ---- pow: d(a^b) = b a^(b-1) da + a^b log(a) db ----
// As PyTorch: the first term is 0 where b == 0, the second 0 where a == 0 and b >= 0.
static void pow_backward(const Entry& e, const Tensor& g, Tensor* gin) {
  const Tensor& a = e.saved_value(0);
  const Tensor& b = e.saved_value(1);
  if (e.needs(0)) gin[0] = sum_to(where(b == 0, 0.0, g * b * pow(a, b - 1)), e.in_shape(0));
  if (e.needs(1)) {
    Tensor out = e.saved_value(2);
    gin[1] = sum_to(where(logical_and(a == 0, b >= 0), 0.0, g * out * log(a)), e.in_shape(1));
  }
}
static Tensor pow_impl(const Tensor& a, const Tensor& b, ScalarType t) {
  Tensor out =
      kern::binary(a, b, t, "pow", [](auto x, auto y) { return decltype(x)(std::pow(x, y)); });
  if (Entry* e = record("pow", pow_backward, {&a, &b}, out)) {
    e->save(0, a), e->save(1, b);
    if (e->needs(1)) e->save(2, out);
  }
  return out;
}
Tensor pow(const Tensor& a, const Tensor& e) {
  check_defined(a, "pow"), check_defined(e, "pow");
  return pow_impl(a, e, kern::result_type(a, e));
}
Tensor pow(const Tensor& a, const Scalar& e) {
  check_defined(a, "pow");
  ScalarType t = kern::result_type(a, e);
  return pow_impl(a, wrap(e, t), t);
}
Tensor pow(const Scalar& a, const Tensor& e) {
  check_defined(e, "pow");
  ScalarType t = kern::result_type(e, a);
  return pow_impl(wrap(a, t), e, t);
}

// ---- maximum / minimum: the gradient goes to the larger (smaller) input, split at ties ----
static void maxmin_backward(const Entry& e, const Tensor& g, Tensor* gin) {
  const Tensor& a = e.saved_value(0);
  const Tensor& b = e.saved_value(1);
  bool is_max = e.i[0] == 1;
  Tensor half = where(a == b, g / 2, g);
  if (e.needs(0)) gin[0] = sum_to(where(is_max ? a < b : a > b, 0.0, half), e.in_shape(0));
  if (e.needs(1)) gin[1] = sum_to(where(is_max ? a > b : a < b, 0.0, half), e.in_shape(1));
}
Tensor maximum(const Tensor& a, const Tensor& b) {
  check_defined(a, "maximum"), check_defined(b, "maximum");
  Tensor out = kern::binary(a, b, kern::result_type(a, b), "maximum",
                            kern::simd([](auto x, auto y) {  // NaN wins, as in PyTorch
                              return kern::select((x > y) | kern::is_nan(x), x, y);
                            }));
  if (Entry* e = record("maximum", maxmin_backward, {&a, &b}, out))
    e->save(0, a), e->save(1, b), e->i[0] = 1;
  return out;
}
Tensor minimum(const Tensor& a, const Tensor& b) {
  check_defined(a, "minimum"), check_defined(b, "minimum");
  Tensor out = kern::binary(
      a, b, kern::result_type(a, b), "minimum",
      kern::simd([](auto x, auto y) { return kern::select((x < y) | kern::is_nan(x), x, y); }));
  if (Entry* e = record("minimum", maxmin_backward, {&a, &b}, out))
    e->save(0, a), e->save(1, b), e->i[0] = 0;
  return out;
}

// ---- where(cond, a, b): the gradient flows to a where cond holds, to b elsewhere ----
static void where_backward(const Entry& e, const Tensor& g, Tensor* gin) {
  const Tensor& c = e.saved_value(0);
  Tensor zero = zeros({}, g.scalar_type());
  if (e.needs(1)) gin[1] = sum_to(where(c, g, zero), e.in_shape(1));
  if (e.needs(2)) gin[2] = sum_to(where(c, zero, g), e.in_shape(2));
}
Tensor where(const Tensor& cond, const Tensor& a, const Tensor& b) {
  check_defined(cond, "where"), check_defined(a, "where"), check_defined(b, "where");
  if (cond.scalar_type() != kBool)
    fail(std::string("where: condition must be a Bool tensor, got ") +
         dtype_name(cond.scalar_type()));
  ScalarType t = kern::result_type(a, b);
  Shape shape =
      broadcast_shapes(broadcast_shapes(cond.sizes(), a.sizes(), "where"), b.sizes(), "where");
  // Materialise the three operands at the output shape, then one linear loop.
  Tensor c = expand(cond.detach(), shape);
  Tensor ca = expand(kern::cast(a, t).detach(), shape),
         cb = expand(kern::cast(b, t).detach(), shape);
  Tensor out = make_tensor(shape, t);
  kern::dispatch(t, [&](auto tag) {
    using T = decltype(tag);
    const bool* pc = ptr<bool>(c);
    const T *pa = ptr<T>(ca), *pb = ptr<T>(cb);
    T* o = ptr<T>(out);
    for (int64_t i = 0; i < out.numel(); ++i) o[i] = pc[i] ? pa[i] : pb[i];
  });
  if (Entry* e = record("where", where_backward, {&cond, &a, &b}, out)) e->save(0, cond);
  return out;
}
Tensor where(const Tensor& cond, const Tensor& a, const Scalar& b) {
  check_defined(a, "where");
  return where(cond, a, wrap(b, kern::result_type(a, b)));
}
Tensor where(const Tensor& cond, const Scalar& a, const Tensor& b) {
  check_defined(b, "where");
  return where(cond, wrap(a, kern::result_type(b, a)), b);
}

// ---- comparisons and logic: Bool results, no gradient ----
#define TG_COMPARE(name, expr)                                      \
  Tensor name(const Tensor& a, const Tensor& b) {                   \
    check_defined(a, #name), check_defined(b, #name);               \
    return kern::binary<bool>(a, b, kern::result_type(a, b), #name, \
                              [](auto x, auto y) { return expr; }); \
  }
TG_COMPARE(gt, x > y)
TG_COMPARE(ge, x >= y)
TG_COMPARE(lt, x < y)
TG_COMPARE(le, x <= y)
TG_COMPARE(eq, x == y)
TG_COMPARE(ne, x != y)
#undef TG_COMPARE

Tensor logical_and(const Tensor& a, const Tensor& b) {
  return kern::binary<bool>(kern::cast(a, kBool), kern::cast(b, kBool), kBool, "logical_and",
                            [](auto x, auto y) { return x && y; });
}
Tensor logical_or(const Tensor& a, const Tensor& b) {
  return kern::binary<bool>(kern::cast(a, kBool), kern::cast(b, kBool), kBool, "logical_or",
                            [](auto x, auto y) { return x || y; });
}
Tensor logical_not(const Tensor& x) {
  Tensor b = kern::cast(x, kBool), out = make_tensor(x.sizes(), kBool);
  const bool* p = ptr<bool>(b);
  bool* o = ptr<bool>(out);
  for (int64_t i = 0; i < x.numel(); ++i) o[i] = !p[i];
  return out;
}

bool allclose(const Tensor& a, const Tensor& b, double rtol, double atol, bool equal_nan) {
  Tensor da = kern::cast(a, kDouble), db = kern::cast(b, kDouble);
  Shape s = broadcast_shapes(a.sizes(), b.sizes(), "allclose");
  Tensor x = kern::cast(expand(da.detach(), s), kDouble),
         y = kern::cast(expand(db.detach(), s), kDouble);
  const double *p = ptr<double>(x), *q = ptr<double>(y);
  for (int64_t i = 0; i < x.numel(); ++i) {
    // PyTorch's isclose: NaNs are close only to each other with equal_nan, equal values
    // (infinities among them) are close, any other infinity is not.
    if (std::isnan(p[i]) || std::isnan(q[i])) {
      if (equal_nan && std::isnan(p[i]) && std::isnan(q[i])) continue;
      return false;
    }
    if (p[i] == q[i]) continue;
    if (!std::isfinite(p[i]) || !std::isfinite(q[i])) return false;
    if (std::abs(p[i] - q[i]) > atol + rtol * std::abs(q[i])) return false;
  }
  return true;
}
bool equal(const Tensor& a, const Tensor& b) {
  if (a.sizes() != b.sizes()) return false;
  Tensor x = kern::cast(a, kDouble), y = kern::cast(b, kDouble);
  const double *p = ptr<double>(x), *q = ptr<double>(y);
  for (int64_t i = 0; i < x.numel(); ++i)
    if (p[i] != q[i]) return false;
  return true;
}

}  // namespace tg
