// Boolean tests and their reductions (libtorch's isfinite, all, any): no gradient, results
// are Bool tensors. Built from the elementwise tests and a Long sum, so every dtype works.
#include "functions.hpp"
#include "tensor_impl.hpp"

namespace tg {

Tensor isfinite(const Tensor& x) {
  check_defined(x, "isfinite");
  return logical_not(logical_or(isnan(x), isinf(x)));
}

// all: no element is zero; any: some element is nonzero (an empty tensor: all true, any
// false, as libtorch).
Tensor all(const Tensor& x) {
  check_defined(x, "all");
  NoGradGuard no_grad;
  return x.eq(0).to(kLong).sum().eq(0);
}
Tensor all(const Tensor& x, int64_t dim, bool keepdim) {
  check_defined(x, "all");
  NoGradGuard no_grad;
  return x.eq(0).to(kLong).sum({dim}, keepdim).eq(0);
}
Tensor any(const Tensor& x) {
  check_defined(x, "any");
  NoGradGuard no_grad;
  return x.ne(0).to(kLong).sum().gt(0);
}
Tensor any(const Tensor& x, int64_t dim, bool keepdim) {
  check_defined(x, "any");
  NoGradGuard no_grad;
  return x.ne(0).to(kLong).sum({dim}, keepdim).gt(0);
}

Tensor Tensor::isfinite() const { return tg::isfinite(*this); }
// Binary max/min are the elementwise maximum/minimum (libtorch overloads the names).
Tensor Tensor::max(const Tensor& o) const { return tg::maximum(*this, o); }
Tensor Tensor::min(const Tensor& o) const { return tg::minimum(*this, o); }
Tensor Tensor::all() const { return tg::all(*this); }
Tensor Tensor::all(int64_t dim, bool keepdim) const { return tg::all(*this, dim, keepdim); }
Tensor Tensor::any() const { return tg::any(*this); }
Tensor Tensor::any(int64_t dim, bool keepdim) const { return tg::any(*this, dim, keepdim); }

}  // namespace tg
