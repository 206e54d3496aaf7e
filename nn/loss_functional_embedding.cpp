// The losses on pairs and triplets of embeddings: cosine_embedding, margin_ranking, triplet_margin
// and triplet_margin_with_distance. Composites of differentiable tg:: ops (double backward works).
// Reference semantics: ATen's Loss.cpp and Distance.cpp, torch/nn/functional/loss.h (1.13).
#include <string>

#include "functional.hpp"
#include "loss_common.hpp"

namespace tg::nn::functional {

using namespace detail;

namespace {

void check_triplet(const Tensor& a, const Tensor& p, const Tensor& n, const char* op) {
  check_floating_input(a, op, "anchor");
  check_floating_input(p, op, "positive");
  check_floating_input(n, op, "negative");
  if (a.dim() != p.dim() || p.dim() != n.dim() || a.dim() < 1)
    throw Error(std::string(op) +
                ": anchor, positive and negative must have the same number (>= "
                "1) of dimensions, got shapes " +
                shape(a) + ", " + shape(p) + " and " + shape(n));
  if (!broadcastable(a.sizes(), p.sizes()) || !broadcastable(a.sizes(), n.sizes()))
    throw Error(std::string(op) + ": shapes " + shape(a) + ", " + shape(p) + " and " + shape(n) +
                " do not broadcast");
}

Tensor triplet(const Tensor& dist_pos, Tensor dist_neg, const Tensor& dist_swap, double margin,
               Reduction r) {
  if (dist_swap.defined()) dist_neg = minimum(dist_neg, dist_swap);
  return reduce(clamp_min(margin + dist_pos - dist_neg, 0), r);
}

}  // namespace

Tensor cosine_embedding_loss(const Tensor& input1_, const Tensor& input2_, const Tensor& target,
                             const CosineEmbeddingLossFuncOptions& options) {
  const char* op = "cosine_embedding_loss";
  check_defined(input1_, op, "input1");
  check_defined(input2_, op, "input2");
  check_defined(target, op, "target");
  // Integer inputs (and labels) are accepted, as by ATen: its sums of squares plus 1e-12 make
  // the result floating (the default dtype, float).
  auto floating = [](const Tensor& t) { return t.is_floating_point() ? t : t.to(kFloat); };
  const Tensor input1 = floating(input1_), input2 = floating(input2_);
  check_same_shape(input1, input2, op, "input1", "input2");
  const Reduction r = reduction_enum(options.reduction(), op);
  const int64_t d = target.dim();
  if (d > 1 || input1.dim() != d + 1 || (d == 1 && target.size(0) != input1.size(0)))
    throw Error(std::string(op) +
                ": expected inputs (N, D) with target (N), or inputs (D) with a "
                "0-D target, got inputs of shape " +
                shape(input1) + " and target of shape " + shape(target));
  // ATen's form, including its 1e-12 added to each squared magnitude.
  constexpr double kEps = 1e-12;
  Tensor prod = (input1 * input2).sum({d});
  Tensor mag1 = (input1 * input1).sum({d}) + kEps;
  Tensor mag2 = (input2 * input2).sum({d}) + kEps;
  Tensor cos = prod / sqrt(mag1 * mag2);
  Tensor pos = where(target == 1, 1 - cos, Scalar(0.0));
  Tensor neg = where(target == -1, clamp_min(cos - options.margin(), 0), Scalar(0.0));
  return reduce(pos + neg, r);
}

Tensor margin_ranking_loss(const Tensor& input1, const Tensor& input2, const Tensor& target,
                           const MarginRankingLossFuncOptions& options) {
  const char* op = "margin_ranking_loss";
  check_floating_input(input1, op, "input1");
  check_floating_input(input2, op, "input2");
  check_floating_input(target, op, "target");
  const Reduction r = reduction_enum(options.reduction(), op);
  if (input1.dim() != input2.dim() || input1.dim() != target.dim() ||
      !broadcastable(input1.sizes(), input2.sizes()) ||
      !broadcastable(input1.sizes(), target.sizes()))
    throw Error(std::string(op) +
                ": input1, input2 and target must have the same dimension and "
                "broadcast, got input1: " +
                shape(input1) + ", input2: " + shape(input2) + ", target: " + shape(target));
  return reduce(clamp_min(-target * (input1 - input2) + options.margin(), 0), r);
}

Tensor triplet_margin_loss(const Tensor& anchor, const Tensor& positive, const Tensor& negative,
                           const TripletMarginLossFuncOptions& options) {
  const char* op = "triplet_margin_loss";
  check_triplet(anchor, positive, negative, op);
  const Reduction r = reduction_enum(options.reduction(), op);
  const double p = options.p(), eps = options.eps();
  return triplet(tg::pairwise_distance(anchor, positive, p, eps),
                 tg::pairwise_distance(anchor, negative, p, eps),
                 options.swap() ? tg::pairwise_distance(positive, negative, p, eps) : Tensor(),
                 options.margin(), r);
}

Tensor triplet_margin_with_distance_loss(const Tensor& anchor, const Tensor& positive,
                                         const Tensor& negative,
                                         const TripletMarginWithDistanceLossFuncOptions& options) {
  const char* op = "triplet_margin_with_distance_loss";
  check_triplet(anchor, positive, negative, op);
  const Reduction r = reduction_enum(options.reduction(), op);
  auto dist = [&](const Tensor& a, const Tensor& b) {
    return options.distance_function() ? (*options.distance_function())(a, b)
                                       : tg::pairwise_distance(a, b, 2.0, 1e-6);
  };
  return triplet(dist(anchor, positive), dist(anchor, negative),
                 options.swap() ? dist(positive, negative) : Tensor(), options.margin(), r);
}

}  // namespace tg::nn::functional
