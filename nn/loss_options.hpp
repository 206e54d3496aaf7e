// Option structs of the loss modules and functional losses, with libtorch 1.13's names, defaults
// and setters (torch/nn/options/loss.h), plus GaussianNLLLossOptions (PyTorch Python's).
//
//   auto o = tg::nn::CrossEntropyLossOptions().ignore_index(3).label_smoothing(0.1);
//   o.ignore_index();  // 3
//
// Every loss defaults to reduction kMean. Options with only a reduction convert implicitly from
// the tag, as in libtorch: `F::l1_loss(x, y, tg::kSum)`. The `...FuncOptions` of
// tg::nn::functional are aliases of the module options, with libtorch's (inconsistent) spelling:
// MultilabelMarginLossFuncOptions, KLDivFuncOptions, BinaryCrossEntropyFuncOptions, ...
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <utility>

#include "../autograd/tensor.hpp"
#include "enum.hpp"
#include "options.hpp"  // TG_OPTIONS_CTOR_VARIANT_ARG3

#define TG_OPTIONS_CTOR_VARIANT_ARG4(OPTIONS_NAME, ARG_NAME, TYPE1, TYPE2, TYPE3, TYPE4) \
  TG_OPTIONS_CTOR_VARIANT_ARG3(OPTIONS_NAME, ARG_NAME, TYPE1, TYPE2, TYPE3)              \
  OPTIONS_NAME(tg::enumtype::TYPE4) : ARG_NAME##_(tg::TYPE4) {}

namespace tg::nn {

// The reduction type of every loss but KLDivLoss.
using loss_reduction_t = enumtype::variant<enumtype::kNone, enumtype::kMean, enumtype::kSum>;

// ---- regression ------------------------------------------------------------------------------
struct L1LossOptions {
  typedef loss_reduction_t reduction_t;
  TG_OPTIONS_CTOR_VARIANT_ARG3(L1LossOptions, reduction, kNone, kMean, kSum)
  TG_ARG(reduction_t, reduction) = tg::kMean;
};

struct MSELossOptions {
  typedef loss_reduction_t reduction_t;
  TG_OPTIONS_CTOR_VARIANT_ARG3(MSELossOptions, reduction, kNone, kMean, kSum)
  TG_ARG(reduction_t, reduction) = tg::kMean;
};

struct HuberLossOptions {
  typedef loss_reduction_t reduction_t;
  TG_OPTIONS_CTOR_VARIANT_ARG3(HuberLossOptions, reduction, kNone, kMean, kSum)
  TG_ARG(reduction_t, reduction) = tg::kMean;
  // Where the quadratic part ends; beyond it the loss grows as delta * |x - y|.
  TG_ARG(double, delta) = 1.0;
};

struct SmoothL1LossOptions {
  typedef loss_reduction_t reduction_t;
  TG_OPTIONS_CTOR_VARIANT_ARG3(SmoothL1LossOptions, reduction, kNone, kMean, kSum)
  TG_ARG(reduction_t, reduction) = tg::kMean;
  // Where the quadratic part ends; beyond it the loss grows as |x - y| (slope 1, unlike Huber).
  TG_ARG(double, beta) = 1.0;
};

struct KLDivLossOptions {
  typedef enumtype::variant<enumtype::kNone, enumtype::kBatchMean, enumtype::kSum, enumtype::kMean>
      reduction_t;
  TG_OPTIONS_CTOR_VARIANT_ARG4(KLDivLossOptions, reduction, kNone, kBatchMean, kSum, kMean)
  // kMean divides by every element; kBatchMean (the KL divergence proper) by the batch size.
  TG_ARG(reduction_t, reduction) = tg::kMean;
  // The target holds log-probabilities too.
  TG_ARG(bool, log_target) = false;
};

struct PoissonNLLLossOptions {
  typedef loss_reduction_t reduction_t;
  // The input is the log of the rate (exp(x) - y x), else the rate itself (x - y log(x + eps)).
  TG_ARG(bool, log_input) = true;
  // Adds the Stirling approximation of log(y!) (for y > 1).
  TG_ARG(bool, full) = false;
  TG_ARG(double, eps) = 1e-8;
  TG_ARG(reduction_t, reduction) = tg::kMean;
};

// Beyond libtorch 1.13's C++ API: PyTorch Python's nn.GaussianNLLLoss.
struct GaussianNLLLossOptions {
  typedef loss_reduction_t reduction_t;
  // Adds the constant 0.5 log(2 pi).
  TG_ARG(bool, full) = false;
  // The variance is clamped (without stopping its gradient) at this value.
  TG_ARG(double, eps) = 1e-6;
  TG_ARG(reduction_t, reduction) = tg::kMean;
};

// ---- classification (probabilities, logits, class indices) ------------------------------------
struct BCELossOptions {
  typedef loss_reduction_t reduction_t;
  // Rescales each element's loss; broadcast against the input.
  TG_ARG(Tensor, weight) = {};
  TG_ARG(reduction_t, reduction) = tg::kMean;
};

struct BCEWithLogitsLossOptions {
  typedef loss_reduction_t reduction_t;
  TG_ARG(Tensor, weight) = {};
  TG_ARG(reduction_t, reduction) = tg::kMean;
  // Weight of the positive term (one per class, broadcast over the last dimension).
  TG_ARG(Tensor, pos_weight) = {};
};

struct NLLLossOptions {
  typedef loss_reduction_t reduction_t;
  // One weight per class (1-D, C elements).
  TG_ARG(Tensor, weight) = {};
  // Targets equal to this contribute nothing, not even to the mean's denominator.
  TG_ARG(int64_t, ignore_index) = -100;
  TG_ARG(reduction_t, reduction) = tg::kMean;
};

struct CrossEntropyLossOptions {
  typedef loss_reduction_t reduction_t;
  TG_ARG(Tensor, weight) = {};
  TG_ARG(int64_t, ignore_index) = -100;
  TG_ARG(reduction_t, reduction) = tg::kMean;
  // In [0, 1]: the target is mixed with the uniform distribution over classes by this amount.
  TG_ARG(double, label_smoothing) = 0.0;
};

// ---- margins and embeddings ------------------------------------------------------------------
struct SoftMarginLossOptions {
  typedef loss_reduction_t reduction_t;
  TG_OPTIONS_CTOR_VARIANT_ARG3(SoftMarginLossOptions, reduction, kNone, kMean, kSum)
  TG_ARG(reduction_t, reduction) = tg::kMean;
};

struct MultiLabelSoftMarginLossOptions {
  typedef loss_reduction_t reduction_t;
  // One weight per class (broadcast against the input).
  TG_ARG(Tensor, weight) = Tensor();
  TG_ARG(reduction_t, reduction) = tg::kMean;
};

struct MultiLabelMarginLossOptions {
  typedef loss_reduction_t reduction_t;
  TG_OPTIONS_CTOR_VARIANT_ARG3(MultiLabelMarginLossOptions, reduction, kNone, kMean, kSum)
  TG_ARG(reduction_t, reduction) = tg::kMean;
};

struct MultiMarginLossOptions {
  typedef loss_reduction_t reduction_t;
  // 1 or 2: the hinge, or the squared hinge.
  TG_ARG(int64_t, p) = 1;
  TG_ARG(double, margin) = 1.0;
  // One weight per class, applied by the target's class.
  TG_ARG(Tensor, weight) = Tensor();
  TG_ARG(reduction_t, reduction) = tg::kMean;
};

struct HingeEmbeddingLossOptions {
  typedef loss_reduction_t reduction_t;
  TG_ARG(double, margin) = 1.0;
  TG_ARG(reduction_t, reduction) = tg::kMean;
};

struct CosineEmbeddingLossOptions {
  typedef loss_reduction_t reduction_t;
  // Dissimilar pairs (target -1) cost max(0, cos - margin); sensible values are in [-1, 1].
  TG_ARG(double, margin) = 0.0;
  TG_ARG(reduction_t, reduction) = tg::kMean;
};

struct MarginRankingLossOptions {
  typedef loss_reduction_t reduction_t;
  TG_ARG(double, margin) = 0;
  TG_ARG(reduction_t, reduction) = tg::kMean;
};

struct TripletMarginLossOptions {
  typedef loss_reduction_t reduction_t;
  TG_ARG(double, margin) = 1.0;
  // The norm of the pairwise distance, and the eps added to the difference before it.
  TG_ARG(double, p) = 2.0;
  TG_ARG(double, eps) = 1e-6;
  // Use min(d(a, n), d(p, n)) as the negative distance (Balntas et al., 2016).
  TG_ARG(bool, swap) = false;
  TG_ARG(reduction_t, reduction) = tg::kMean;
};

struct TripletMarginWithDistanceLossOptions {
  typedef loss_reduction_t reduction_t;
  typedef std::function<Tensor(const Tensor&, const Tensor&)> distance_function_t;
  // Defaults to the pairwise Euclidean distance (p = 2, eps = 1e-6).
  TG_ARG(std::optional<distance_function_t>, distance_function) = std::nullopt;
  TG_ARG(double, margin) = 1.0;
  TG_ARG(bool, swap) = false;
  TG_ARG(reduction_t, reduction) = tg::kMean;
};

// ---- sequences -------------------------------------------------------------------------------
struct CTCLossOptions {
  typedef loss_reduction_t reduction_t;
  TG_ARG(int64_t, blank) = 0;
  // kMean divides each sequence's loss by its target length, then averages over the batch.
  TG_ARG(reduction_t, reduction) = tg::kMean;
  // Impossible alignments (infinite loss) give 0 and no gradient instead of inf.
  TG_ARG(bool, zero_infinity) = false;
};

namespace functional {
using L1LossFuncOptions = L1LossOptions;
using MSELossFuncOptions = MSELossOptions;
using HuberLossFuncOptions = HuberLossOptions;
using SmoothL1LossFuncOptions = SmoothL1LossOptions;
using KLDivFuncOptions = KLDivLossOptions;
using PoissonNLLLossFuncOptions = PoissonNLLLossOptions;
using GaussianNLLLossFuncOptions = GaussianNLLLossOptions;
using BinaryCrossEntropyFuncOptions = BCELossOptions;
using BinaryCrossEntropyWithLogitsFuncOptions = BCEWithLogitsLossOptions;
using NLLLossFuncOptions = NLLLossOptions;
using CrossEntropyFuncOptions = CrossEntropyLossOptions;
using SoftMarginLossFuncOptions = SoftMarginLossOptions;
using MultilabelSoftMarginLossFuncOptions = MultiLabelSoftMarginLossOptions;
using MultilabelMarginLossFuncOptions = MultiLabelMarginLossOptions;
using MultiMarginLossFuncOptions = MultiMarginLossOptions;
using HingeEmbeddingLossFuncOptions = HingeEmbeddingLossOptions;
using CosineEmbeddingLossFuncOptions = CosineEmbeddingLossOptions;
using MarginRankingLossFuncOptions = MarginRankingLossOptions;
using TripletMarginLossFuncOptions = TripletMarginLossOptions;
using TripletMarginWithDistanceLossFuncOptions = TripletMarginWithDistanceLossOptions;
using CTCLossFuncOptions = CTCLossOptions;
}  // namespace functional

}  // namespace tg::nn
