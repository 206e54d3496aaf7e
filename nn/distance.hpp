// libtorch 1.13's distance modules and functional forms: CosineSimilarity, PairwiseDistance,
// F::cosine_similarity, F::pairwise_distance, F::pdist (torch/nn/modules/distance.h).
//
//   tg::nn::CosineSimilarity cos(tg::nn::CosineSimilarityOptions().dim(1));
//   auto d = F::pairwise_distance(a, b, F::PairwiseDistanceFuncOptions().p(1));
#pragma once

#include <iosfwd>

#include "cloneable.hpp"
#include "module.hpp"
#include "options.hpp"

namespace tg::nn {

struct CosineSimilarityOptions {
  TG_ARG(int64_t, dim) = 1;
  TG_ARG(double, eps) = 1e-8;
};
struct PairwiseDistanceOptions {
  TG_ARG(double, p) = 2.0;
  TG_ARG(double, eps) = 1e-6;
  TG_ARG(bool, keepdim) = false;
};

namespace functional {
using CosineSimilarityFuncOptions = CosineSimilarityOptions;
using PairwiseDistanceFuncOptions = PairwiseDistanceOptions;
Tensor cosine_similarity(const Tensor& x1, const Tensor& x2,
                         const CosineSimilarityFuncOptions& options = {});
Tensor pairwise_distance(const Tensor& x1, const Tensor& x2,
                         const PairwiseDistanceFuncOptions& options = {});
Tensor pdist(const Tensor& input, double p = 2.0);
}  // namespace functional

class CosineSimilarityImpl : public Cloneable<CosineSimilarityImpl> {
 public:
  explicit CosineSimilarityImpl(const CosineSimilarityOptions& options_ = {});
  void reset() override {}
  void pretty_print(std::ostream& stream) const override;
  Tensor forward(const Tensor& input1, const Tensor& input2);
  CosineSimilarityOptions options;
};
TG_MODULE(CosineSimilarity);
extern template class detail::CloneableAs<CosineSimilarityImpl, Module>;

class PairwiseDistanceImpl : public Cloneable<PairwiseDistanceImpl> {
 public:
  explicit PairwiseDistanceImpl(const PairwiseDistanceOptions& options_ = {});
  void reset() override {}
  void pretty_print(std::ostream& stream) const override;
  Tensor forward(const Tensor& input1, const Tensor& input2);
  PairwiseDistanceOptions options;
};
TG_MODULE(PairwiseDistance);
extern template class detail::CloneableAs<PairwiseDistanceImpl, Module>;

}  // namespace tg::nn
