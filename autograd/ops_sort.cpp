// sort, argsort, topk. Each computes int64 indices along a dim with a stable sort (NaN counts as
// the largest value, as libtorch), then gathers the values: gather is differentiable, so the
// values' gradient is gather's (scatter_add back to the chosen places).
#include <algorithm>
#include <cmath>
#include <numeric>

#include "functions.hpp"
#include "kernels.hpp"

namespace tg {

// Indices of the first k elements of every line along dim d, in sorted order.
static Tensor sorted_indices(const Tensor& x, int64_t d, bool descending, int64_t k) {
  Shape s = x.sizes();
  const int64_t n = x.dim() ? s[size_t(d)] : 1;
  int64_t outer = 1, inner = 1;
  for (int64_t j = 0; j < x.dim(); ++j) {
    if (j < d) outer *= s[size_t(j)];
    if (j > d) inner *= s[size_t(j)];
  }
  if (x.dim()) s[size_t(d)] = k;
  Tensor out = make_tensor(s, kLong);
  int64_t* o = ptr<int64_t>(out);
  std::vector<int64_t> order(static_cast<size_t>(n));
  kern::dispatch(x.scalar_type(), [&](auto tag) {
    using T = decltype(tag);
    const T* p = ptr<T>(x);
    auto isnan_ = [](T v) {
      if constexpr (std::is_floating_point_v<T>)
        return std::isnan(v);
      else
        return (void)v, false;
    };
    for (int64_t a = 0; a < outer; ++a)
      for (int64_t c = 0; c < inner; ++c) {
        const T* line = p + a * n * inner + c;
        auto less = [&](int64_t i, int64_t j) {  // NaN above everything
          const T u = line[i * inner], v = line[j * inner];
          if (isnan_(u)) return false;
          return isnan_(v) || u < v;
        };
        std::iota(order.begin(), order.end(), 0);
        if (descending)
          std::stable_sort(order.begin(), order.end(),
                           [&](int64_t i, int64_t j) { return less(j, i); });
        else
          std::stable_sort(order.begin(), order.end(), less);
        for (int64_t i = 0; i < k; ++i) o[(a * k + i) * inner + c] = order[size_t(i)];
      }
  });
  return out;
}

static std::tuple<Tensor, Tensor> sort_impl(const Tensor& x, int64_t dim, bool descending,
                                            int64_t k, const char* op) {
  check_defined(x, op);
  const int64_t d = wrap_dim(dim, x.dim() ? x.dim() : 1, op);
  Tensor i = sorted_indices(x, d, descending, k);
  if (x.dim() == 0) return {x.clone(), i};
  return {x.gather(d, i), i};
}

std::tuple<Tensor, Tensor> sort(const Tensor& x, int64_t dim, bool descending) {
  check_defined(x, "sort");
  return sort_impl(x, dim, descending, x.dim() ? x.size(dim) : 1, "sort");
}
// libtorch's stable overload: tapegrad's sort is always stable.
std::tuple<Tensor, Tensor> sort(const Tensor& x, std::optional<bool>, int64_t dim,
                                bool descending) {
  return sort(x, dim, descending);
}
Tensor argsort(const Tensor& x, int64_t dim, bool descending) {
  return std::get<1>(sort(x, dim, descending));
}
std::tuple<Tensor, Tensor> topk(const Tensor& x, int64_t k, int64_t dim, bool largest, bool) {
  check_defined(x, "topk");
  const int64_t d = wrap_dim(dim, x.dim() ? x.dim() : 1, "topk");
  const int64_t n = x.dim() ? x.size(d) : 1;
  if (k < 0 || k > n)
    fail("topk: selected index k (" + std::to_string(k) + ") out of range for dimension " +
         std::to_string(d) + " of size " + std::to_string(n) + " (shape " + to_string(x.sizes()) +
         ")");
  return sort_impl(x, d, largest, k, "topk");
}

std::tuple<Tensor, Tensor> Tensor::sort(int64_t dim, bool descending) const {
  return tg::sort(*this, dim, descending);
}
Tensor Tensor::argsort(int64_t dim, bool descending) const {
  return tg::argsort(*this, dim, descending);
}
std::tuple<Tensor, Tensor> Tensor::topk(int64_t k, int64_t dim, bool largest, bool sorted) const {
  return tg::topk(*this, k, dim, largest, sorted);
}

}  // namespace tg
