// Tensor methods and operators that just forward to the free functions of functions.hpp.
#include "functions.hpp"
#include "tensor_impl.hpp"

namespace tg {

using T = Tensor;
using std::optional;

T T::add(const T& o, const Scalar& a) const { return tg::add(*this, o, a); }
T T::add(const Scalar& o, const Scalar& a) const { return tg::add(*this, o, a); }
T T::sub(const T& o, const Scalar& a) const { return tg::sub(*this, o, a); }
T T::sub(const Scalar& o, const Scalar& a) const { return tg::sub(*this, o, a); }
T T::mul(const T& o) const { return tg::mul(*this, o); }
T T::mul(const Scalar& o) const { return tg::mul(*this, o); }
T T::div(const T& o) const { return tg::div(*this, o); }
T T::div(const Scalar& o) const { return tg::div(*this, o); }
T T::floor_divide(const T& o) const { return tg::floor_divide(*this, o); }
T T::floor_divide(const Scalar& o) const { return tg::floor_divide(*this, o); }
T T::remainder(const T& o) const { return tg::remainder(*this, o); }
T T::remainder(const Scalar& o) const { return tg::remainder(*this, o); }
T T::pow(const T& e) const { return tg::pow(*this, e); }
T T::pow(const Scalar& e) const { return tg::pow(*this, e); }
T T::neg() const { return tg::neg(*this); }
T T::exp() const { return tg::exp(*this); }
T T::log() const { return tg::log(*this); }
T T::log1p() const { return tg::log1p(*this); }
T T::expm1() const { return tg::expm1(*this); }
T T::erf() const { return tg::erf(*this); }
T T::sqrt() const { return tg::sqrt(*this); }
T T::rsqrt() const { return tg::rsqrt(*this); }
T T::square() const { return tg::square(*this); }
T T::abs() const { return tg::abs(*this); }
T T::sin() const { return tg::sin(*this); }
T T::cos() const { return tg::cos(*this); }
T T::tanh() const { return tg::tanh(*this); }
T T::sigmoid() const { return tg::sigmoid(*this); }
T T::relu() const { return tg::relu(*this); }
T T::sign() const { return tg::sign(*this); }
T T::reciprocal() const { return tg::reciprocal(*this); }
T T::clamp(optional<Scalar> lo, optional<Scalar> hi) const { return tg::clamp(*this, lo, hi); }
T T::clamp_min(const Scalar& lo) const { return tg::clamp_min(*this, lo); }
T T::clamp_max(const Scalar& hi) const { return tg::clamp_max(*this, hi); }
T T::maximum(const T& o) const { return tg::maximum(*this, o); }
T T::minimum(const T& o) const { return tg::minimum(*this, o); }
T T::gt(const T& o) const { return tg::gt(*this, o); }
T T::ge(const T& o) const { return tg::ge(*this, o); }
T T::lt(const T& o) const { return tg::lt(*this, o); }
T T::le(const T& o) const { return tg::le(*this, o); }
T T::eq(const T& o) const { return tg::eq(*this, o); }
T T::ne(const T& o) const { return tg::ne(*this, o); }
// Comparisons with a number compare against a 0-d tensor holding it exactly (a float64 0-d
// tensor never promotes a float32 one, so x > 0.1 compares in x's dtype, as in PyTorch).
static T exact(const Scalar& o) {
  return scalar_tensor(o, o.is_floating_point() ? kDouble : o.is_bool() ? kBool : kLong);
}
T T::gt(const Scalar& o) const { return tg::gt(*this, exact(o)); }
T T::ge(const Scalar& o) const { return tg::ge(*this, exact(o)); }
T T::lt(const Scalar& o) const { return tg::lt(*this, exact(o)); }
T T::le(const Scalar& o) const { return tg::le(*this, exact(o)); }
T T::eq(const Scalar& o) const { return tg::eq(*this, exact(o)); }
T T::ne(const Scalar& o) const { return tg::ne(*this, exact(o)); }
T T::logical_not() const { return tg::logical_not(*this); }
T T::isnan() const { return tg::isnan(*this); }
T T::isinf() const { return tg::isinf(*this); }
bool T::allclose(const T& o, double rtol, double atol, bool equal_nan) const {
  return tg::allclose(*this, o, rtol, atol, equal_nan);
}
bool T::equal(const T& o) const { return tg::equal(*this, o); }

T T::matmul(const T& o) const { return tg::matmul(*this, o); }
T T::mm(const T& o) const { return tg::mm(*this, o); }
T T::bmm(const T& o) const { return tg::bmm(*this, o); }
T T::dot(const T& o) const { return tg::dot(*this, o); }
T T::mv(const T& o) const { return tg::mv(*this, o); }
T T::t() const { return tg::t(*this); }

T T::sum(optional<ScalarType> d) const { return tg::sum(*this, d); }
T T::sum(IntArrayRef dim, bool k, optional<ScalarType> d) const {
  return tg::sum(*this, dim, k, d);
}
T T::mean(optional<ScalarType> d) const { return tg::mean(*this, d); }
T T::mean(IntArrayRef dim, bool k, optional<ScalarType> d) const {
  return tg::mean(*this, dim, k, d);
}
T T::prod(optional<ScalarType> d) const { return tg::prod(*this, d); }
T T::prod(int64_t dim, bool k, optional<ScalarType> d) const { return tg::prod(*this, dim, k, d); }
T T::max() const { return tg::max(*this); }
std::tuple<T, T> T::max(int64_t dim, bool k) const { return tg::max(*this, dim, k); }
T T::min() const { return tg::min(*this); }
std::tuple<T, T> T::min(int64_t dim, bool k) const { return tg::min(*this, dim, k); }
T T::amax(IntArrayRef dim, bool k) const { return tg::amax(*this, dim, k); }
T T::amin(IntArrayRef dim, bool k) const { return tg::amin(*this, dim, k); }
T T::argmax(optional<int64_t> dim, bool k) const { return tg::argmax(*this, dim, k); }
T T::argmin(optional<int64_t> dim, bool k) const { return tg::argmin(*this, dim, k); }
T T::var_all(bool u) const { return tg::var(*this, IntArrayRef{}, u, false); }
T T::var(IntArrayRef dim, bool u, bool k) const { return tg::var(*this, dim, u, k); }
T T::std_all(bool u) const { return tg::std(*this, IntArrayRef{}, u, false); }
T T::std(IntArrayRef dim, bool u, bool k) const { return tg::std(*this, dim, u, k); }
T T::norm(const Scalar& p) const { return tg::norm(*this, p); }
T T::norm(optional<Scalar> p, IntArrayRef dim, bool k) const { return tg::norm(*this, p, dim, k); }
T T::logsumexp(IntArrayRef dim, bool k) const { return tg::logsumexp(*this, dim, k); }
T T::softmax(int64_t dim, optional<ScalarType> d) const { return tg::softmax(*this, dim, d); }
T T::log_softmax(int64_t dim, optional<ScalarType> d) const {
  return tg::log_softmax(*this, dim, d);
}

T T::view(IntArrayRef s) const { return tg::reshape(*this, s); }
T T::reshape(IntArrayRef s) const { return tg::reshape(*this, s); }
T T::view_as(const T& o) const { return tg::reshape(*this, o.sizes()); }
T T::reshape_as(const T& o) const { return tg::reshape(*this, o.sizes()); }
T T::flatten(int64_t s, int64_t e) const { return tg::flatten(*this, s, e); }
T T::squeeze() const { return tg::squeeze(*this); }
T T::squeeze(int64_t d) const { return tg::squeeze(*this, d); }
T T::unsqueeze(int64_t d) const { return tg::unsqueeze(*this, d); }
T T::transpose(int64_t a, int64_t b) const { return tg::transpose(*this, a, b); }
T T::permute(IntArrayRef d) const { return tg::permute(*this, d); }
T T::expand(IntArrayRef s) const { return tg::expand(*this, s); }
T T::expand_as(const T& o) const { return tg::expand(*this, o.sizes()); }
T T::narrow(int64_t d, int64_t s, int64_t l) const { return tg::narrow(*this, d, s, l); }
T T::select(int64_t d, int64_t i) const { return tg::select(*this, d, i); }
T T::index_select(int64_t d, const T& i) const { return tg::index_select(*this, d, i); }
T T::gather(int64_t d, const T& i) const { return tg::gather(*this, d, i); }
T T::scatter_add(int64_t d, const T& i, const T& s) const {
  return tg::scatter_add(*this, d, i, s);
}
T T::index_add(int64_t d, const T& i, const T& s) const { return tg::index_add(*this, d, i, s); }
std::vector<T> T::chunk(int64_t c, int64_t d) const { return tg::chunk(*this, c, d); }
std::vector<T> T::split(int64_t s, int64_t d) const { return tg::split(*this, s, d); }
std::vector<T> T::split(IntArrayRef sizes, int64_t d) const {
  return tg::split_with_sizes(*this, sizes, d);
}
std::vector<T> T::split_with_sizes(IntArrayRef sizes, int64_t d) const {
  return tg::split_with_sizes(*this, sizes, d);
}
std::vector<T> T::unbind(int64_t d) const { return tg::unbind(*this, d); }

T operator+(const T& a, const T& b) { return add(a, b); }
T operator-(const T& a, const T& b) { return sub(a, b); }
T operator*(const T& a, const T& b) { return mul(a, b); }
T operator/(const T& a, const T& b) { return div(a, b); }
T operator+(const T& a, const Scalar& b) { return add(a, b); }
T operator-(const T& a, const Scalar& b) { return sub(a, b); }
T operator*(const T& a, const Scalar& b) { return mul(a, b); }
T operator/(const T& a, const Scalar& b) { return div(a, b); }
T operator+(const Scalar& a, const T& b) { return add(b, a); }
T operator-(const Scalar& a, const T& b) { return add(neg(b), a); }
T operator*(const Scalar& a, const T& b) { return mul(b, a); }
T operator/(const Scalar& a, const T& b) {
  return div(scalar_tensor(a, b.is_floating_point() ? b.scalar_type() : kFloat), b);
}
T operator-(const T& a) { return neg(a); }
T operator>(const T& a, const T& b) { return gt(a, b); }
T operator<(const T& a, const T& b) { return lt(a, b); }
T operator>=(const T& a, const T& b) { return ge(a, b); }
T operator<=(const T& a, const T& b) { return le(a, b); }
T operator==(const T& a, const T& b) { return eq(a, b); }
T operator!=(const T& a, const T& b) { return ne(a, b); }
T operator>(const T& a, const Scalar& b) { return a.gt(b); }
T operator<(const T& a, const Scalar& b) { return a.lt(b); }
T operator>=(const T& a, const Scalar& b) { return a.ge(b); }
T operator<=(const T& a, const Scalar& b) { return a.le(b); }
T operator==(const T& a, const Scalar& b) { return a.eq(b); }
T operator!=(const T& a, const Scalar& b) { return a.ne(b); }
T& operator+=(T& a, const T& b) {
  a.add_(b);
  return a;
}
T& operator-=(T& a, const T& b) {
  a.sub_(b);
  return a;
}
T& operator*=(T& a, const T& b) {
  a.mul_(b);
  return a;
}
T& operator/=(T& a, const T& b) {
  a.div_(b);
  return a;
}
T& operator+=(T& a, const Scalar& b) {
  a.add_(b);
  return a;
}
T& operator-=(T& a, const Scalar& b) {
  a.sub_(b);
  return a;
}
T& operator*=(T& a, const Scalar& b) {
  a.mul_(b);
  return a;
}
T& operator/=(T& a, const Scalar& b) {
  a.div_(b);
  return a;
}

}  // namespace tg
