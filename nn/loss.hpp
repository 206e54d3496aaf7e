// Loss modules: thin Module wrappers over the functional losses (loss_functional.hpp), holding
// their options, as libtorch's torch::nn losses. Class weights are registered as buffers (as in
// libtorch), so `loss->to(tg::kDouble)` converts them along with everything else.
//
//   tg::nn::CrossEntropyLoss criterion(tg::nn::CrossEntropyLossOptions().label_smoothing(0.1));
//   auto loss = criterion(logits, labels);   // logits (N, C), labels (N) int64
//
// nn/LOSSES.md explains each loss (formula, gradient, when to use it).
#pragma once

#include <iosfwd>

#include "cloneable.hpp"
#include "loss_options.hpp"
#include "module.hpp"

namespace tg::nn {

namespace detail {
// Prints "tg::nn::<Name>()" for the module whose type is <Name>Impl (libtorch's format).
void print_loss_name(const Module& m, std::ostream& stream, bool parens = true);

// What every loss module shares: its `options` (public, as in libtorch), reset() and printing.
// A module only adds its forward (and, with class weights, a reset registering them).
template <class Options>
class LossModule : public Module {
 public:
  explicit LossModule(Options options_ = {}) : options(std::move(options_)) {}
  void reset() {}
  void pretty_print(std::ostream& stream) const override { print_loss_name(*this, stream); }
  Options options;
};
}  // namespace detail

// ---- regression (loss_regression.cpp) ----
class L1LossImpl : public detail::CloneableAs<L1LossImpl, detail::LossModule<L1LossOptions>> {
 public:
  using CloneableAs::CloneableAs;
  Tensor forward(const Tensor& input, const Tensor& target);
};
TG_MODULE(L1Loss);
extern template class detail::CloneableAs<L1LossImpl, detail::LossModule<L1LossOptions>>;

class MSELossImpl : public detail::CloneableAs<MSELossImpl, detail::LossModule<MSELossOptions>> {
 public:
  using CloneableAs::CloneableAs;
  Tensor forward(const Tensor& input, const Tensor& target);
};
TG_MODULE(MSELoss);
extern template class detail::CloneableAs<MSELossImpl, detail::LossModule<MSELossOptions>>;

class HuberLossImpl
    : public detail::CloneableAs<HuberLossImpl, detail::LossModule<HuberLossOptions>> {
 public:
  using CloneableAs::CloneableAs;
  void pretty_print(std::ostream& stream) const override;
  Tensor forward(const Tensor& input, const Tensor& target);
};
TG_MODULE(HuberLoss);
extern template class detail::CloneableAs<HuberLossImpl, detail::LossModule<HuberLossOptions>>;

class SmoothL1LossImpl
    : public detail::CloneableAs<SmoothL1LossImpl, detail::LossModule<SmoothL1LossOptions>> {
 public:
  using CloneableAs::CloneableAs;
  void pretty_print(std::ostream& stream) const override;
  Tensor forward(const Tensor& input, const Tensor& target);  // uses options.beta()
};
TG_MODULE(SmoothL1Loss);
extern template class detail::CloneableAs<SmoothL1LossImpl,
                                          detail::LossModule<SmoothL1LossOptions>>;

class KLDivLossImpl
    : public detail::CloneableAs<KLDivLossImpl, detail::LossModule<KLDivLossOptions>> {
 public:
  using CloneableAs::CloneableAs;
  Tensor forward(const Tensor& input, const Tensor& target);
};
TG_MODULE(KLDivLoss);
extern template class detail::CloneableAs<KLDivLossImpl, detail::LossModule<KLDivLossOptions>>;

class PoissonNLLLossImpl
    : public detail::CloneableAs<PoissonNLLLossImpl, detail::LossModule<PoissonNLLLossOptions>> {
 public:
  using CloneableAs::CloneableAs;
  Tensor forward(const Tensor& log_input, const Tensor& targets);
};
TG_MODULE(PoissonNLLLoss);
extern template class detail::CloneableAs<PoissonNLLLossImpl,
                                          detail::LossModule<PoissonNLLLossOptions>>;

// Beyond libtorch 1.13's C++ API (PyTorch Python's nn.GaussianNLLLoss).
class GaussianNLLLossImpl
    : public detail::CloneableAs<GaussianNLLLossImpl, detail::LossModule<GaussianNLLLossOptions>> {
 public:
  using CloneableAs::CloneableAs;
  Tensor forward(const Tensor& input, const Tensor& target, const Tensor& var);
};
TG_MODULE(GaussianNLLLoss);
extern template class detail::CloneableAs<GaussianNLLLossImpl,
                                          detail::LossModule<GaussianNLLLossOptions>>;

// ---- classification (loss.cpp) ----
class BCELossImpl : public detail::CloneableAs<BCELossImpl, detail::LossModule<BCELossOptions>> {
 public:
  explicit BCELossImpl(BCELossOptions options_ = {});
  void reset();
  Tensor forward(const Tensor& input, const Tensor& target);
};
TG_MODULE(BCELoss);
extern template class detail::CloneableAs<BCELossImpl, detail::LossModule<BCELossOptions>>;

class BCEWithLogitsLossImpl
    : public detail::CloneableAs<BCEWithLogitsLossImpl,
                                 detail::LossModule<BCEWithLogitsLossOptions>> {
 public:
  explicit BCEWithLogitsLossImpl(BCEWithLogitsLossOptions options_ = {});
  void reset();
  Tensor forward(const Tensor& input, const Tensor& target);
  Tensor weight;  // the same tensors as options.weight() / options.pos_weight()
  Tensor pos_weight;
};
TG_MODULE(BCEWithLogitsLoss);
extern template class detail::CloneableAs<BCEWithLogitsLossImpl,
                                          detail::LossModule<BCEWithLogitsLossOptions>>;

class NLLLossImpl : public detail::CloneableAs<NLLLossImpl, detail::LossModule<NLLLossOptions>> {
 public:
  explicit NLLLossImpl(NLLLossOptions options_ = {});
  void reset();
  Tensor forward(const Tensor& input, const Tensor& target);
  Tensor weight;
};
TG_MODULE(NLLLoss);
extern template class detail::CloneableAs<NLLLossImpl, detail::LossModule<NLLLossOptions>>;

class CrossEntropyLossImpl
    : public detail::CloneableAs<CrossEntropyLossImpl,
                                 detail::LossModule<CrossEntropyLossOptions>> {
 public:
  explicit CrossEntropyLossImpl(CrossEntropyLossOptions options_ = {});
  void reset();
  Tensor forward(const Tensor& input, const Tensor& target);
  Tensor weight;
};
TG_MODULE(CrossEntropyLoss);
extern template class detail::CloneableAs<CrossEntropyLossImpl,
                                          detail::LossModule<CrossEntropyLossOptions>>;

// ---- margins, embeddings, sequences (loss_margin.cpp) ----
class SoftMarginLossImpl
    : public detail::CloneableAs<SoftMarginLossImpl, detail::LossModule<SoftMarginLossOptions>> {
 public:
  using CloneableAs::CloneableAs;
  Tensor forward(const Tensor& input, const Tensor& target);
};
TG_MODULE(SoftMarginLoss);
extern template class detail::CloneableAs<SoftMarginLossImpl,
                                          detail::LossModule<SoftMarginLossOptions>>;

class MultiLabelSoftMarginLossImpl
    : public detail::CloneableAs<MultiLabelSoftMarginLossImpl,
                                 detail::LossModule<MultiLabelSoftMarginLossOptions>> {
 public:
  explicit MultiLabelSoftMarginLossImpl(MultiLabelSoftMarginLossOptions options_ = {});
  void reset();
  Tensor forward(const Tensor& input, const Tensor& target);
};
TG_MODULE(MultiLabelSoftMarginLoss);
extern template class detail::CloneableAs<MultiLabelSoftMarginLossImpl,
                                          detail::LossModule<MultiLabelSoftMarginLossOptions>>;

class MultiLabelMarginLossImpl
    : public detail::CloneableAs<MultiLabelMarginLossImpl,
                                 detail::LossModule<MultiLabelMarginLossOptions>> {
 public:
  using CloneableAs::CloneableAs;
  Tensor forward(const Tensor& input, const Tensor& target);
};
TG_MODULE(MultiLabelMarginLoss);
extern template class detail::CloneableAs<MultiLabelMarginLossImpl,
                                          detail::LossModule<MultiLabelMarginLossOptions>>;

class MultiMarginLossImpl
    : public detail::CloneableAs<MultiMarginLossImpl, detail::LossModule<MultiMarginLossOptions>> {
 public:
  explicit MultiMarginLossImpl(MultiMarginLossOptions options_ = {});
  void reset();
  void pretty_print(std::ostream& stream) const override;
  Tensor forward(const Tensor& input, const Tensor& target);
};
TG_MODULE(MultiMarginLoss);
extern template class detail::CloneableAs<MultiMarginLossImpl,
                                          detail::LossModule<MultiMarginLossOptions>>;

class HingeEmbeddingLossImpl
    : public detail::CloneableAs<HingeEmbeddingLossImpl,
                                 detail::LossModule<HingeEmbeddingLossOptions>> {
 public:
  using CloneableAs::CloneableAs;
  void pretty_print(std::ostream& stream) const override;
  Tensor forward(const Tensor& input, const Tensor& target);
};
TG_MODULE(HingeEmbeddingLoss);
extern template class detail::CloneableAs<HingeEmbeddingLossImpl,
                                          detail::LossModule<HingeEmbeddingLossOptions>>;

class CosineEmbeddingLossImpl
    : public detail::CloneableAs<CosineEmbeddingLossImpl,
                                 detail::LossModule<CosineEmbeddingLossOptions>> {
 public:
  using CloneableAs::CloneableAs;
  void pretty_print(std::ostream& stream) const override;
  Tensor forward(const Tensor& input1, const Tensor& input2, const Tensor& target);
};
TG_MODULE(CosineEmbeddingLoss);
extern template class detail::CloneableAs<CosineEmbeddingLossImpl,
                                          detail::LossModule<CosineEmbeddingLossOptions>>;

class MarginRankingLossImpl
    : public detail::CloneableAs<MarginRankingLossImpl,
                                 detail::LossModule<MarginRankingLossOptions>> {
 public:
  using CloneableAs::CloneableAs;
  Tensor forward(const Tensor& input1, const Tensor& input2, const Tensor& targets);
};
TG_MODULE(MarginRankingLoss);
extern template class detail::CloneableAs<MarginRankingLossImpl,
                                          detail::LossModule<MarginRankingLossOptions>>;

class TripletMarginLossImpl
    : public detail::CloneableAs<TripletMarginLossImpl,
                                 detail::LossModule<TripletMarginLossOptions>> {
 public:
  using CloneableAs::CloneableAs;
  void pretty_print(std::ostream& stream) const override;
  Tensor forward(const Tensor& anchor, const Tensor& positive, const Tensor& negative);
};
TG_MODULE(TripletMarginLoss);
extern template class detail::CloneableAs<TripletMarginLossImpl,
                                          detail::LossModule<TripletMarginLossOptions>>;

class TripletMarginWithDistanceLossImpl
    : public detail::CloneableAs<TripletMarginWithDistanceLossImpl,
                                 detail::LossModule<TripletMarginWithDistanceLossOptions>> {
 public:
  using CloneableAs::CloneableAs;
  void pretty_print(std::ostream& stream) const override;
  Tensor forward(const Tensor& anchor, const Tensor& positive, const Tensor& negative);
};
TG_MODULE(TripletMarginWithDistanceLoss);
extern template class detail::CloneableAs<TripletMarginWithDistanceLossImpl,
                                          detail::LossModule<TripletMarginWithDistanceLossOptions>>;

class CTCLossImpl : public detail::CloneableAs<CTCLossImpl, detail::LossModule<CTCLossOptions>> {
 public:
  using CloneableAs::CloneableAs;
  Tensor forward(const Tensor& log_probs, const Tensor& targets, const Tensor& input_lengths,
                 const Tensor& target_lengths);
};
TG_MODULE(CTCLoss);
extern template class detail::CloneableAs<CTCLossImpl, detail::LossModule<CTCLossOptions>>;

}  // namespace tg::nn
