// ATen's loss functions at tg:: (libtorch's torch::mse_loss, torch::nll_loss, ...), with ATen's
// signatures: the reduction is an int64_t, one of at::Reduction::{None, Mean, Sum}.
//
//   auto loss = tg::mse_loss(pred, y);                             // mean
//   auto per = tg::l1_loss(pred, y, tg::Reduction::None);
//   auto ce = tg::cross_entropy_loss(logits, labels, {}, tg::Reduction::Sum, -100, 0.1);
//
// They compute what the nn::functional forms compute (loss_functional.hpp), without those
// forms' checks and warnings that libtorch makes in torch::nn::functional only (mse_loss's
// "Using a target size ... that is different to the input size" warning, ...).
#pragma once

#include <optional>

#include "../autograd/tensor.hpp"

namespace tg {

// at::Reduction: an unscoped enum, so that its values convert to the int64_t reductions.
namespace Reduction {
enum Reduction { None, Mean, Sum, END };
}  // namespace Reduction

Tensor l1_loss(const Tensor& self, const Tensor& target, int64_t reduction = Reduction::Mean);
Tensor mse_loss(const Tensor& self, const Tensor& target, int64_t reduction = Reduction::Mean);
Tensor smooth_l1_loss(const Tensor& self, const Tensor& target, int64_t reduction = Reduction::Mean,
                      double beta = 1.0);
Tensor huber_loss(const Tensor& self, const Tensor& target, int64_t reduction = Reduction::Mean,
                  double delta = 1.0);
Tensor kl_div(const Tensor& self, const Tensor& target, int64_t reduction = Reduction::Mean,
              bool log_target = false);
Tensor poisson_nll_loss(const Tensor& input, const Tensor& target, bool log_input, bool full,
                        double eps, int64_t reduction);
Tensor binary_cross_entropy(const Tensor& self, const Tensor& target,
                            const std::optional<Tensor>& weight = {},
                            int64_t reduction = Reduction::Mean);
Tensor binary_cross_entropy_with_logits(const Tensor& self, const Tensor& target,
                                        const std::optional<Tensor>& weight = {},
                                        const std::optional<Tensor>& pos_weight = {},
                                        int64_t reduction = Reduction::Mean);
Tensor nll_loss(const Tensor& self, const Tensor& target, const std::optional<Tensor>& weight = {},
                int64_t reduction = Reduction::Mean, int64_t ignore_index = -100);
Tensor nll_loss_nd(const Tensor& self, const Tensor& target,
                   const std::optional<Tensor>& weight = {}, int64_t reduction = Reduction::Mean,
                   int64_t ignore_index = -100);
Tensor cross_entropy_loss(const Tensor& self, const Tensor& target,
                          const std::optional<Tensor>& weight = {},
                          int64_t reduction = Reduction::Mean, int64_t ignore_index = -100,
                          double label_smoothing = 0.0);
Tensor soft_margin_loss(const Tensor& self, const Tensor& target,
                        int64_t reduction = Reduction::Mean);
Tensor multilabel_margin_loss(const Tensor& self, const Tensor& target,
                              int64_t reduction = Reduction::Mean);
Tensor multi_margin_loss(const Tensor& self, const Tensor& target, const Scalar& p = 1,
                         const Scalar& margin = 1, const std::optional<Tensor>& weight = {},
                         int64_t reduction = Reduction::Mean);
Tensor hinge_embedding_loss(const Tensor& self, const Tensor& target, double margin = 1.0,
                            int64_t reduction = Reduction::Mean);
Tensor margin_ranking_loss(const Tensor& input1, const Tensor& input2, const Tensor& target,
                           double margin = 0.0, int64_t reduction = Reduction::Mean);
Tensor cosine_embedding_loss(const Tensor& input1, const Tensor& input2, const Tensor& target,
                             double margin = 0.0, int64_t reduction = Reduction::Mean);
Tensor triplet_margin_loss(const Tensor& anchor, const Tensor& positive, const Tensor& negative,
                           double margin = 1.0, double p = 2, double eps = 1e-06, bool swap = false,
                           int64_t reduction = Reduction::Mean);
Tensor ctc_loss(const Tensor& log_probs, const Tensor& targets, IntArrayRef input_lengths,
                IntArrayRef target_lengths, int64_t blank = 0, int64_t reduction = Reduction::Mean,
                bool zero_infinity = false);
Tensor ctc_loss(const Tensor& log_probs, const Tensor& targets, const Tensor& input_lengths,
                const Tensor& target_lengths, int64_t blank = 0,
                int64_t reduction = Reduction::Mean, bool zero_infinity = false);

}  // namespace tg
