// tg::mse_loss & co. (loss_aten.hpp): ATen's signatures over the nn::functional losses.
#include "loss_aten.hpp"

#include "../autograd/c10_util.hpp"
#include "functional.hpp"
#include "loss_common.hpp"

namespace tg {

namespace F = nn::functional;

namespace {
// ATen's integer reduction as the functional losses' enum class.
nn::Reduction to_enum(int64_t reduction) {
  switch (reduction) {
    case Reduction::None:
      return nn::Reduction::None;
    case Reduction::Mean:
      return nn::Reduction::Mean;
    case Reduction::Sum:
      return nn::Reduction::Sum;
    default:
      break;
  }
  throw Error("reduction: expected at::Reduction::None, Mean or Sum (0, 1 or 2), got " +
              std::to_string(reduction));
}
// The options with their reduction set from ATen's integer.
template <class Options>
Options reduced(Options o, int64_t reduction) {
  switch (to_enum(reduction)) {
    case nn::Reduction::None:
      return o.reduction(tg::kNone);
    case nn::Reduction::Sum:
      return o.reduction(tg::kSum);
    case nn::Reduction::Mean:
      break;
  }
  return o.reduction(tg::kMean);
}
Tensor value_or(const std::optional<Tensor>& t) { return t ? *t : Tensor(); }
}  // namespace

Tensor l1_loss(const Tensor& self, const Tensor& target, int64_t reduction) {
  return F::l1_loss(self, target, reduced(F::L1LossFuncOptions(), reduction));
}
Tensor mse_loss(const Tensor& self, const Tensor& target, int64_t reduction) {
  return F::detail::mse_loss_impl(self, target, to_enum(reduction));
}
Tensor smooth_l1_loss(const Tensor& self, const Tensor& target, int64_t reduction, double beta) {
  return F::detail::smooth_l1_loss_impl(self, target, to_enum(reduction), beta);
}
Tensor huber_loss(const Tensor& self, const Tensor& target, int64_t reduction, double delta) {
  return F::detail::huber_loss_impl(self, target, to_enum(reduction), delta);
}
Tensor kl_div(const Tensor& self, const Tensor& target, int64_t reduction, bool log_target) {
  // Through kSum / kNone, so that only F::kl_div warns about 'mean'.
  Tensor loss = F::kl_div(self, target, F::KLDivFuncOptions(tg::kNone).log_target(log_target));
  switch (to_enum(reduction)) {
    case nn::Reduction::None:
      return loss;
    case nn::Reduction::Sum:
      return loss.sum();
    case nn::Reduction::Mean:
      break;
  }
  return loss.mean();
}
Tensor poisson_nll_loss(const Tensor& input, const Tensor& target, bool log_input, bool full,
                        double eps, int64_t reduction) {
  return F::poisson_nll_loss(
      input, target,
      reduced(F::PoissonNLLLossFuncOptions().log_input(log_input).full(full).eps(eps), reduction));
}
Tensor binary_cross_entropy(const Tensor& self, const Tensor& target,
                            const std::optional<Tensor>& weight, int64_t reduction) {
  // ATen pairs squeeze(input) with squeeze(target), so an [N, 1] output against [N] labels
  // works here (F::binary_cross_entropy refuses it, as libtorch's does); the loss keeps input's
  // shape.
  if (self.defined() && target.defined() && self.sizes() != target.sizes() &&
      self.squeeze().sizes() == target.squeeze().sizes()) {
    std::optional<Tensor> w = weight;
    if (w && w->defined() && w->sizes() == self.sizes()) w = w->squeeze();
    Tensor loss = binary_cross_entropy(self.squeeze(), target.squeeze(), w, reduction);
    return reduction == Reduction::None ? loss.reshape(self.sizes()) : loss;
  }
  return F::binary_cross_entropy(
      self, target,
      reduced(F::BinaryCrossEntropyFuncOptions().weight(value_or(weight)), reduction));
}
Tensor binary_cross_entropy_with_logits(const Tensor& self, const Tensor& target,
                                        const std::optional<Tensor>& weight,
                                        const std::optional<Tensor>& pos_weight,
                                        int64_t reduction) {
  return F::binary_cross_entropy_with_logits(self, target,
                                             reduced(F::BinaryCrossEntropyWithLogitsFuncOptions()
                                                         .weight(value_or(weight))
                                                         .pos_weight(value_or(pos_weight)),
                                                     reduction));
}
Tensor nll_loss(const Tensor& self, const Tensor& target, const std::optional<Tensor>& weight,
                int64_t reduction, int64_t ignore_index) {
  return F::nll_loss(
      self, target,
      reduced(F::NLLLossFuncOptions().weight(value_or(weight)).ignore_index(ignore_index),
              reduction));
}
Tensor nll_loss_nd(const Tensor& self, const Tensor& target, const std::optional<Tensor>& weight,
                   int64_t reduction, int64_t ignore_index) {
  return nll_loss(self, target, weight, reduction, ignore_index);
}
Tensor cross_entropy_loss(const Tensor& self, const Tensor& target,
                          const std::optional<Tensor>& weight, int64_t reduction,
                          int64_t ignore_index, double label_smoothing) {
  return F::cross_entropy(self, target,
                          reduced(F::CrossEntropyFuncOptions()
                                      .weight(value_or(weight))
                                      .ignore_index(ignore_index)
                                      .label_smoothing(label_smoothing),
                                  reduction));
}
Tensor soft_margin_loss(const Tensor& self, const Tensor& target, int64_t reduction) {
  return F::soft_margin_loss(self, target, reduced(F::SoftMarginLossFuncOptions(), reduction));
}
Tensor multilabel_margin_loss(const Tensor& self, const Tensor& target, int64_t reduction) {
  return F::multilabel_margin_loss(self, target,
                                   reduced(F::MultilabelMarginLossFuncOptions(), reduction));
}
Tensor multi_margin_loss(const Tensor& self, const Tensor& target, const Scalar& p,
                         const Scalar& margin, const std::optional<Tensor>& weight,
                         int64_t reduction) {
  return F::multi_margin_loss(self, target,
                              reduced(F::MultiMarginLossFuncOptions()
                                          .p(int64_t(p.to_double()))
                                          .margin(margin.to_double())
                                          .weight(value_or(weight)),
                                      reduction));
}
Tensor hinge_embedding_loss(const Tensor& self, const Tensor& target, double margin,
                            int64_t reduction) {
  return F::hinge_embedding_loss(
      self, target, reduced(F::HingeEmbeddingLossFuncOptions().margin(margin), reduction));
}
Tensor margin_ranking_loss(const Tensor& input1, const Tensor& input2, const Tensor& target,
                           double margin, int64_t reduction) {
  return F::margin_ranking_loss(
      input1, input2, target, reduced(F::MarginRankingLossFuncOptions().margin(margin), reduction));
}
Tensor cosine_embedding_loss(const Tensor& input1, const Tensor& input2, const Tensor& target,
                             double margin, int64_t reduction) {
  return F::cosine_embedding_loss(
      input1, input2, target,
      reduced(F::CosineEmbeddingLossFuncOptions().margin(margin), reduction));
}
Tensor triplet_margin_loss(const Tensor& anchor, const Tensor& positive, const Tensor& negative,
                           double margin, double p, double eps, bool swap, int64_t reduction) {
  return F::triplet_margin_loss(
      anchor, positive, negative,
      reduced(F::TripletMarginLossFuncOptions().margin(margin).p(p).eps(eps).swap(swap),
              reduction));
}
Tensor ctc_loss(const Tensor& log_probs, const Tensor& targets, const Tensor& input_lengths,
                const Tensor& target_lengths, int64_t blank, int64_t reduction,
                bool zero_infinity) {
  return F::ctc_loss(
      log_probs, targets, input_lengths, target_lengths,
      reduced(F::CTCLossFuncOptions().blank(blank).zero_infinity(zero_infinity), reduction));
}
Tensor ctc_loss(const Tensor& log_probs, const Tensor& targets, IntArrayRef input_lengths,
                IntArrayRef target_lengths, int64_t blank, int64_t reduction, bool zero_infinity) {
  return ctc_loss(log_probs, targets, tensor(input_lengths.vec(), kLong),
                  tensor(target_lengths.vec(), kLong), blank, reduction, zero_infinity);
}

}  // namespace tg
