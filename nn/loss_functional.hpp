// The functional losses of tg::nn::functional (libtorch 1.13's torch::nn::functional losses, plus
// gaussian_nll_loss and torchvision's sigmoid_focal_loss). Included by functional.hpp.
//
//   namespace F = tg::nn::functional;
//   auto loss = F::huber_loss(pred, y, F::HuberLossFuncOptions().delta(0.5));
//
// Shapes follow PyTorch: elementwise losses take a target of the input's shape (l1/mse/huber/
// smooth_l1 also broadcast it, as PyTorch does); "N" is the batch, "C" the classes. Every result
// is differentiable with respect to the floating-point inputs (and to float targets where PyTorch
// differentiates them); class indices and lengths are int64 data. Bad shapes, dtypes, class
// indices or lengths throw tg::Error naming the function and the shapes. nn/LOSSES.md has the
// formulas and gradients.
#pragma once

#include <optional>

#include "../autograd/tensor.hpp"
#include "loss_options.hpp"

namespace tg::nn::functional {

// ---- regression (loss_functional_regression.cpp) ----
// |x - y|.
Tensor l1_loss(const Tensor& input, const Tensor& target, const L1LossFuncOptions& options = {});
// (x - y)^2.
Tensor mse_loss(const Tensor& input, const Tensor& target, const MSELossFuncOptions& options = {});
// 0.5 d^2 for |d| < delta, else delta (|d| - 0.5 delta), d = x - y.
Tensor huber_loss(const Tensor& input, const Tensor& target,
                  const HuberLossFuncOptions& options = {});
// 0.5 d^2 / beta for |d| < beta, else |d| - 0.5 beta. libtorch 1.13 takes beta as a fourth
// argument (default 1) and ignores options.beta(); tapegrad takes that call as is, and uses
// options.beta() when no fourth argument is given (PyTorch's Python semantics).
Tensor smooth_l1_loss(const Tensor& input, const Tensor& target,
                      const SmoothL1LossFuncOptions& options = {},
                      std::optional<double> beta = std::nullopt);
// y (log y - x) on log-probabilities x (exp(y) (y - x) with log_target); 0 where y = 0.
Tensor kl_div(const Tensor& input, const Tensor& target, const KLDivFuncOptions& options = {});
// exp(x) - y x (log_input), else x - y log(x + eps); full adds Stirling's log(y!) for y > 1.
Tensor poisson_nll_loss(const Tensor& input, const Tensor& target,
                        const PoissonNLLLossFuncOptions& options = {});
// 0.5 (log v + (x - y)^2 / v) with v = max(var, eps); var has the input's shape, or one
// dimension less / a last dimension of 1 (one variance per sample). PyTorch Python's.
Tensor gaussian_nll_loss(const Tensor& input, const Tensor& target, const Tensor& var,
                         const GaussianNLLLossFuncOptions& options = {});

// ---- probabilities and logits (loss_functional_classification.cpp) ----
// -w [y log(x) + (1 - y) log(1 - x)] with both logs clamped at -100. `input` holds
// probabilities in [0, 1] and `target` must have the same shape; weight broadcasts to it.
Tensor binary_cross_entropy(const Tensor& input, const Tensor& target,
                            const BinaryCrossEntropyFuncOptions& options = {});
// -w [p y log sigmoid(x) + (1 - y) log sigmoid(-x)] on logits x, stable for any |x|.
// `pos_weight` p broadcasts over the last dimension (one per class).
Tensor binary_cross_entropy_with_logits(
    const Tensor& input, const Tensor& target,
    const BinaryCrossEntropyWithLogitsFuncOptions& options = {});
// -w[t] input[n, t] on log-probabilities. input (C), (N, C) or (N, C, d1, ...); target of class
// indices (int64) of shape (), (N) or (N, d1, ...). Mean divides by the sum of the weights of
// the targets that are not ignore_index.
Tensor nll_loss(const Tensor& input, const Tensor& target, const NLLLossFuncOptions& options = {});
// nll_loss(log_softmax(input, class dim)) for class-index targets; for a floating target of the
// input's shape, the targets are class probabilities. Supports label_smoothing with both.
Tensor cross_entropy(const Tensor& input, const Tensor& target,
                     const CrossEntropyFuncOptions& options = {});
// torchvision.ops.sigmoid_focal_loss: BCE-with-logits scaled by (1 - p_t)^gamma and by
// alpha_t (alpha for positives, 1 - alpha for negatives; alpha < 0 disables it). Its default
// reduction is kNone, as torchvision's.
Tensor sigmoid_focal_loss(const Tensor& inputs, const Tensor& targets, double alpha = 0.25,
                          double gamma = 2, loss_reduction_t reduction = tg::kNone);

// ---- margins and embeddings (loss_functional_margin.cpp, loss_functional_embedding.cpp) ----
// log(1 + exp(-y x)) for labels y = +-1.
Tensor soft_margin_loss(const Tensor& input, const Tensor& target,
                        const SoftMarginLossFuncOptions& options = {});
// Per sample: mean over classes of -w [y log sigmoid(x) + (1 - y) log sigmoid(-x)]; (N, C).
Tensor multilabel_soft_margin_loss(const Tensor& input, const Tensor& target,
                                   const MultilabelSoftMarginLossFuncOptions& options = {});
// Per sample: sum over target classes j and non-target classes i of max(0, 1 - (x_j - x_i)), / C.
// target (int64, the input's shape) lists the target classes, ended by the first -1.
Tensor multilabel_margin_loss(const Tensor& input, const Tensor& target,
                              const MultilabelMarginLossFuncOptions& options = {});
// Per sample: sum over i != y of w[y] max(0, margin - x_y + x_i)^p, / C; input (N, C) or (C).
Tensor multi_margin_loss(const Tensor& input, const Tensor& target,
                         const MultiMarginLossFuncOptions& options = {});
// x where y = 1, max(0, margin - x) where y = -1.
Tensor hinge_embedding_loss(const Tensor& input, const Tensor& target,
                            const HingeEmbeddingLossFuncOptions& options = {});
// 1 - cos(x1, x2) where y = 1, max(0, cos(x1, x2) - margin) where y = -1; rows of (N, D).
Tensor cosine_embedding_loss(const Tensor& input1, const Tensor& input2, const Tensor& target,
                             const CosineEmbeddingLossFuncOptions& options = {});
// max(0, -y (x1 - x2) + margin).
Tensor margin_ranking_loss(const Tensor& input1, const Tensor& input2, const Tensor& target,
                           const MarginRankingLossFuncOptions& options = {});
// max(0, d(a, p) - d(a, n) + margin), d(u, v) = || u - v + eps ||_p over the last dimension.
Tensor triplet_margin_loss(const Tensor& anchor, const Tensor& positive, const Tensor& negative,
                           const TripletMarginLossFuncOptions& options = {});
// The same with any distance function (default: pairwise Euclidean distance).
Tensor triplet_margin_with_distance_loss(
    const Tensor& anchor, const Tensor& positive, const Tensor& negative,
    const TripletMarginWithDistanceLossFuncOptions& options = {});

// ---- sequences (loss_functional_ctc.cpp) ----
// Connectionist temporal classification: -log of the total probability of every alignment of
// the target with the input. log_probs (T, N, C) or (T, C) (log_softmax outputs); targets (N, S)
// padded or 1-D concatenated, int64; input_lengths and target_lengths (N), int64.
Tensor ctc_loss(const Tensor& log_probs, const Tensor& targets, const Tensor& input_lengths,
                const Tensor& target_lengths, const CTCLossFuncOptions& options = {});

}  // namespace tg::nn::functional
