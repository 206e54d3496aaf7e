// Loss modules: thin Module wrappers over the functional losses (functional.hpp), holding their
// options. Class weights are registered as buffers (as in libtorch), so `loss->to(tg::kDouble)`
// converts them along with everything else.
//
//   tg::nn::CrossEntropyLoss criterion(tg::nn::CrossEntropyLossOptions().label_smoothing(0.1));
//   auto loss = criterion(logits, labels);   // logits (N, C), labels (N) int64
#pragma once

#include <iosfwd>

#include "module.hpp"
#include "options.hpp"

namespace tg::nn {

class MSELossImpl : public Module {
 public:
  explicit MSELossImpl(MSELossOptions options_ = {});
  void reset() {}
  void pretty_print(std::ostream& stream) const override;
  Tensor forward(const Tensor& input, const Tensor& target);
  MSELossOptions options;
};
TG_MODULE(MSELoss);

class BCELossImpl : public Module {
 public:
  explicit BCELossImpl(BCELossOptions options_ = {});
  void reset();
  void pretty_print(std::ostream& stream) const override;
  Tensor forward(const Tensor& input, const Tensor& target);
  BCELossOptions options;
};
TG_MODULE(BCELoss);

class BCEWithLogitsLossImpl : public Module {
 public:
  explicit BCEWithLogitsLossImpl(BCEWithLogitsLossOptions options_ = {});
  void reset();
  void pretty_print(std::ostream& stream) const override;
  Tensor forward(const Tensor& input, const Tensor& target);
  BCEWithLogitsLossOptions options;
  Tensor weight;  // the same tensors as options.weight() / options.pos_weight()
  Tensor pos_weight;
};
TG_MODULE(BCEWithLogitsLoss);

class NLLLossImpl : public Module {
 public:
  explicit NLLLossImpl(NLLLossOptions options_ = {});
  void reset();
  void pretty_print(std::ostream& stream) const override;
  Tensor forward(const Tensor& input, const Tensor& target);
  NLLLossOptions options;
  Tensor weight;
};
TG_MODULE(NLLLoss);

class CrossEntropyLossImpl : public Module {
 public:
  explicit CrossEntropyLossImpl(CrossEntropyLossOptions options_ = {});
  void reset();
  void pretty_print(std::ostream& stream) const override;
  Tensor forward(const Tensor& input, const Tensor& target);
  CrossEntropyLossOptions options;
  Tensor weight;
};
TG_MODULE(CrossEntropyLoss);

}  // namespace tg::nn
