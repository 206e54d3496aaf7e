// ATen's distances at tg:: (libtorch's torch::cosine_similarity, pairwise_distance, pdist),
// composites of differentiable ops (ops_distance.cpp).
#pragma once

#include "tensor.hpp"

namespace tg {

// sum(x1 / max(||x1||, eps) * x2 / max(||x2||, eps)) along dim, broadcasting x1 with x2. The
// clamp changes the norms' values only, not their gradient (ATen clamps under no_grad).
Tensor cosine_similarity(const Tensor& x1, const Tensor& x2, int64_t dim = 1, double eps = 1e-8);
// || x1 - x2 + eps ||_p over the last dimension.
Tensor pairwise_distance(const Tensor& x1, const Tensor& x2, double p = 2, double eps = 1e-6,
                         bool keepdim = false);
// The p-norm distances between the rows of a 2-D input, pairs (i, j) with i < j in row-major
// order: N (N - 1) / 2 values.
Tensor pdist(const Tensor& self, double p = 2);

}  // namespace tg
