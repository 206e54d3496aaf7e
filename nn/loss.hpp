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
class L1LossImpl : public detail::LossModule<L1LossOptions> {
 public:
  using LossModule::LossModule;
  Tensor forward(const Tensor& input, const Tensor& target);
};
TG_MODULE(L1Loss);

class MSELossImpl : public detail::LossModule<MSELossOptions> {
 public:
  using LossModule::LossModule;
  Tensor forward(const Tensor& input, const Tensor& target);
};
TG_MODULE(MSELoss);

class HuberLossImpl : public detail::LossModule<HuberLossOptions> {
 public:
  using LossModule::LossModule;
  void pretty_print(std::ostream& stream) const override;
  Tensor forward(const Tensor& input, const Tensor& target);
};
TG_MODULE(HuberLoss);

class SmoothL1LossImpl : public detail::LossModule<SmoothL1LossOptions> {
 public:
  using LossModule::LossModule;
  void pretty_print(std::ostream& stream) const override;
  Tensor forward(const Tensor& input, const Tensor& target);  // uses options.beta()
};
TG_MODULE(SmoothL1Loss);

class KLDivLossImpl : public detail::LossModule<KLDivLossOptions> {
 public:
  using LossModule::LossModule;
  Tensor forward(const Tensor& input, const Tensor& target);
};
TG_MODULE(KLDivLoss);

class PoissonNLLLossImpl : public detail::LossModule<PoissonNLLLossOptions> {
 public:
  using LossModule::LossModule;
  Tensor forward(const Tensor& log_input, const Tensor& targets);
};
TG_MODULE(PoissonNLLLoss);

// Beyond libtorch 1.13's C++ API (PyTorch Python's nn.GaussianNLLLoss).
class GaussianNLLLossImpl : public detail::LossModule<GaussianNLLLossOptions> {
 public:
  using LossModule::LossModule;
  Tensor forward(const Tensor& input, const Tensor& target, const Tensor& var);
};
TG_MODULE(GaussianNLLLoss);

// ---- classification (loss.cpp) ----
class BCELossImpl : public detail::LossModule<BCELossOptions> {
 public:
  explicit BCELossImpl(BCELossOptions options_ = {});
  void reset();
  Tensor forward(const Tensor& input, const Tensor& target);
};
TG_MODULE(BCELoss);

class BCEWithLogitsLossImpl : public detail::LossModule<BCEWithLogitsLossOptions> {
 public:
  explicit BCEWithLogitsLossImpl(BCEWithLogitsLossOptions options_ = {});
  void reset();
  Tensor forward(const Tensor& input, const Tensor& target);
  Tensor weight;  // the same tensors as options.weight() / options.pos_weight()
  Tensor pos_weight;
};
TG_MODULE(BCEWithLogitsLoss);

class NLLLossImpl : public detail::LossModule<NLLLossOptions> {
 public:
  explicit NLLLossImpl(NLLLossOptions options_ = {});
  void reset();
  Tensor forward(const Tensor& input, const Tensor& target);
  Tensor weight;
};
TG_MODULE(NLLLoss);

class CrossEntropyLossImpl : public detail::LossModule<CrossEntropyLossOptions> {
 public:
  explicit CrossEntropyLossImpl(CrossEntropyLossOptions options_ = {});
  void reset();
  Tensor forward(const Tensor& input, const Tensor& target);
  Tensor weight;
};
TG_MODULE(CrossEntropyLoss);

// ---- margins, embeddings, sequences (loss_margin.cpp) ----
class SoftMarginLossImpl : public detail::LossModule<SoftMarginLossOptions> {
 public:
  using LossModule::LossModule;
  Tensor forward(const Tensor& input, const Tensor& target);
};
TG_MODULE(SoftMarginLoss);

class MultiLabelSoftMarginLossImpl : public detail::LossModule<MultiLabelSoftMarginLossOptions> {
 public:
  explicit MultiLabelSoftMarginLossImpl(MultiLabelSoftMarginLossOptions options_ = {});
  void reset();
  Tensor forward(const Tensor& input, const Tensor& target);
};
TG_MODULE(MultiLabelSoftMarginLoss);

class MultiLabelMarginLossImpl : public detail::LossModule<MultiLabelMarginLossOptions> {
 public:
  using LossModule::LossModule;
  Tensor forward(const Tensor& input, const Tensor& target);
};
TG_MODULE(MultiLabelMarginLoss);

class MultiMarginLossImpl : public detail::LossModule<MultiMarginLossOptions> {
 public:
  explicit MultiMarginLossImpl(MultiMarginLossOptions options_ = {});
  void reset();
  void pretty_print(std::ostream& stream) const override;
  Tensor forward(const Tensor& input, const Tensor& target);
};
TG_MODULE(MultiMarginLoss);

class HingeEmbeddingLossImpl : public detail::LossModule<HingeEmbeddingLossOptions> {
 public:
  using LossModule::LossModule;
  void pretty_print(std::ostream& stream) const override;
  Tensor forward(const Tensor& input, const Tensor& target);
};
TG_MODULE(HingeEmbeddingLoss);

class CosineEmbeddingLossImpl : public detail::LossModule<CosineEmbeddingLossOptions> {
 public:
  using LossModule::LossModule;
  void pretty_print(std::ostream& stream) const override;
  Tensor forward(const Tensor& input1, const Tensor& input2, const Tensor& target);
};
TG_MODULE(CosineEmbeddingLoss);

class MarginRankingLossImpl : public detail::LossModule<MarginRankingLossOptions> {
 public:
  using LossModule::LossModule;
  Tensor forward(const Tensor& input1, const Tensor& input2, const Tensor& targets);
};
TG_MODULE(MarginRankingLoss);

class TripletMarginLossImpl : public detail::LossModule<TripletMarginLossOptions> {
 public:
  using LossModule::LossModule;
  void pretty_print(std::ostream& stream) const override;
  Tensor forward(const Tensor& anchor, const Tensor& positive, const Tensor& negative);
};
TG_MODULE(TripletMarginLoss);

class TripletMarginWithDistanceLossImpl
    : public detail::LossModule<TripletMarginWithDistanceLossOptions> {
 public:
  using LossModule::LossModule;
  void pretty_print(std::ostream& stream) const override;
  Tensor forward(const Tensor& anchor, const Tensor& positive, const Tensor& negative);
};
TG_MODULE(TripletMarginWithDistanceLoss);

class CTCLossImpl : public detail::LossModule<CTCLossOptions> {
 public:
  using LossModule::LossModule;
  Tensor forward(const Tensor& log_probs, const Tensor& targets, const Tensor& input_lengths,
                 const Tensor& target_lengths);
};
TG_MODULE(CTCLoss);

}  // namespace tg::nn
