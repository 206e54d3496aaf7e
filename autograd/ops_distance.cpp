// ATen's distances (functions_distance.hpp), after aten/src/ATen/native/Distance.cpp.
#include <vector>

#include "c10_util.hpp"
#include "functions.hpp"
#include "functions_distance.hpp"

namespace tg {

Tensor cosine_similarity(const Tensor& x1, const Tensor& x2, int64_t dim, double eps) {
  TORCH_CHECK(x1.is_floating_point() && x2.is_floating_point(),
              "expected common dtype to be floating point, yet common dtype is ",
              (x1.is_floating_point() ? x2 : x1).scalar_type());
  // x / max(||x||, eps) with the norm from the clamped sum of squares; the clamp's offset is a
  // constant, so the gradient is the unclamped norm's.
  auto normalized = [&](const Tensor& x) {
    Tensor sq = x.pow(2).sum({dim}, /*keepdim=*/true);
    Tensor sd = sq.detach();
    return x / (sq + (sd.clamp_min(eps * eps) - sd)).sqrt();
  };
  // Expanded first, as ATen: a broadcast input's norm counts each of its repeats.
  const Shape common = broadcast_shapes(x1.sizes(), x2.sizes(), "cosine_similarity");
  return (normalized(x1.expand(common)) * normalized(x2.expand(common))).sum({dim});
}

Tensor pairwise_distance(const Tensor& x1, const Tensor& x2, double p, double eps, bool keepdim) {
  const int64_t last = std::max(x1.dim(), x2.dim()) - 1;
  return (x1 - x2 + eps).norm(p, {last}, keepdim);
}

Tensor pdist(const Tensor& self, double p) {
  TORCH_CHECK(self.dim() == 2, "pdist only supports 2D tensors, got: ", self.dim(), "D");
  TORCH_CHECK(self.is_floating_point(), "pdist only supports floating-point dtypes");
  TORCH_CHECK(p >= 0, "pdist only supports non-negative p values");
  const int64_t n = self.size(0);
  std::vector<int64_t> first, second;
  for (int64_t i = 0; i < n; ++i)
    for (int64_t j = i + 1; j < n; ++j) first.push_back(i), second.push_back(j);
  if (first.empty()) return zeros({0}, dtype(self.scalar_type()));
  Tensor d =
      self.index_select(0, tensor(first, kLong)) - self.index_select(0, tensor(second, kLong));
  return d.norm(p, {1});
}

}  // namespace tg
