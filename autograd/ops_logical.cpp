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
// false, as libtorch). Both count the nonzero elements, over everything or along one dim.
static Tensor count_nonzero_(const Tensor& x, std::optional<int64_t> dim, bool keepdim,
                             const char* op) {
  check_defined(x, op);
  NoGradGuard no_grad;
  Tensor nz = x.ne(0).to(kLong);
  return dim ? nz.sum({*dim}, keepdim) : nz.sum();
}
Tensor all(const Tensor& x) { return count_nonzero_(x, std::nullopt, false, "all").eq(x.numel()); }
Tensor all(const Tensor& x, int64_t dim, bool keepdim) {
  const int64_t n = x.defined() && x.dim() > 0 ? x.size(dim) : 1;
  return count_nonzero_(x, dim, keepdim, "all").eq(n);
}
Tensor any(const Tensor& x) { return count_nonzero_(x, std::nullopt, false, "any").gt(0); }
Tensor any(const Tensor& x, int64_t dim, bool keepdim) {
  return count_nonzero_(x, dim, keepdim, "any").gt(0);
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
