// Loss modules of the margin, embedding and sequence losses: each forward is its functional
// form with the options; a few print their options, in libtorch's format.
#include <ostream>

#include "functional.hpp"
#include "loss.hpp"

namespace tg::nn {

namespace F = functional;

Tensor SoftMarginLossImpl::forward(const Tensor& input, const Tensor& target) {
  return F::soft_margin_loss(input, target, options);
}

Tensor MultiLabelSoftMarginLossImpl::forward(const Tensor& input, const Tensor& target) {
  return F::multilabel_soft_margin_loss(input, target, options);
}

Tensor MultiLabelMarginLossImpl::forward(const Tensor& input, const Tensor& target) {
  return F::multilabel_margin_loss(input, target, options);
}

void MultiMarginLossImpl::pretty_print(std::ostream& stream) const {
  stream << "torch::nn::MultiMarginLoss(p=" << options.p() << ", margin=" << options.margin()
         << ", weight=" << options.weight()
         << ", reduction=" << enumtype::get_enum_name(options.reduction()) << ")";
}
Tensor MultiMarginLossImpl::forward(const Tensor& input, const Tensor& target) {
  return F::multi_margin_loss(input, target, options);
}

void HingeEmbeddingLossImpl::pretty_print(std::ostream& stream) const {
  stream << "torch::nn::HingeEmbeddingLoss(margin=" << options.margin() << ")";
}
Tensor HingeEmbeddingLossImpl::forward(const Tensor& input, const Tensor& target) {
  return F::hinge_embedding_loss(input, target, options);
}

void CosineEmbeddingLossImpl::pretty_print(std::ostream& stream) const {
  stream << "torch::nn::CosineEmbeddingLoss(margin=" << options.margin() << ")";
}
Tensor CosineEmbeddingLossImpl::forward(const Tensor& input1, const Tensor& input2,
                                        const Tensor& target) {
  return F::cosine_embedding_loss(input1, input2, target, options);
}

Tensor MarginRankingLossImpl::forward(const Tensor& input1, const Tensor& input2,
                                      const Tensor& targets) {
  return F::margin_ranking_loss(input1, input2, targets, options);
}

void TripletMarginLossImpl::pretty_print(std::ostream& stream) const {
  stream << "torch::nn::TripletMarginLoss(margin=" << options.margin() << ", p=" << options.p()
         << ", eps=" << options.eps() << std::boolalpha << ", swap=" << options.swap() << ")";
}
Tensor TripletMarginLossImpl::forward(const Tensor& anchor, const Tensor& positive,
                                      const Tensor& negative) {
  return F::triplet_margin_loss(anchor, positive, negative, options);
}

void TripletMarginWithDistanceLossImpl::pretty_print(std::ostream& stream) const {
  stream << "torch::nn::TripletMarginWithDistanceLoss(margin=" << options.margin() << std::boolalpha
         << ", swap=" << options.swap() << ")";
}
Tensor TripletMarginWithDistanceLossImpl::forward(const Tensor& anchor, const Tensor& positive,
                                                  const Tensor& negative) {
  return F::triplet_margin_with_distance_loss(anchor, positive, negative, options);
}

Tensor CTCLossImpl::forward(const Tensor& log_probs, const Tensor& targets,
                            const Tensor& input_lengths, const Tensor& target_lengths) {
  return F::ctc_loss(log_probs, targets, input_lengths, target_lengths, options);
}

// Each layer's clone() is compiled here, once, rather than in every program that includes its
// header (the extern templates there; nn/cloneable.hpp).
template class detail::CloneableAs<CTCLossImpl, detail::LossModule<CTCLossOptions>>;
template class detail::CloneableAs<CosineEmbeddingLossImpl,
                                   detail::LossModule<CosineEmbeddingLossOptions>>;
template class detail::CloneableAs<HingeEmbeddingLossImpl,
                                   detail::LossModule<HingeEmbeddingLossOptions>>;
template class detail::CloneableAs<MarginRankingLossImpl,
                                   detail::LossModule<MarginRankingLossOptions>>;
template class detail::CloneableAs<MultiLabelMarginLossImpl,
                                   detail::LossModule<MultiLabelMarginLossOptions>>;
template class detail::CloneableAs<TripletMarginLossImpl,
                                   detail::LossModule<TripletMarginLossOptions>>;
template class detail::CloneableAs<TripletMarginWithDistanceLossImpl,
                                   detail::LossModule<TripletMarginWithDistanceLossOptions>>;
}  // namespace tg::nn
