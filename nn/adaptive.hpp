// AdaptiveLogSoftmaxWithLoss (libtorch's torch::nn one; Grave et al., "Efficient softmax
// approximation for GPUs"): the classes [0, cutoffs[0]) are scored by the head, each later
// range [cutoffs[i-1], cutoffs[i]) by a cluster whose total the head scores as one more class
// and whose members a smaller two-layer projection (tail[i]) scores.
//
//   tg::nn::AdaptiveLogSoftmaxWithLoss asm_(
//       tg::nn::AdaptiveLogSoftmaxWithLossOptions(64, 1000, {100, 500}).div_value(4.));
//   auto out = asm_(x, y);        // out.output (N): log p(y_n | x_n); out.loss: mean of -output
//   auto lp = asm_->log_prob(x);  // (N, 1000)
//   auto yhat = asm_->predict(x); // (N) int64
#pragma once

#include <iosfwd>
#include <vector>

#include "cloneable.hpp"
#include "container.hpp"
#include "linear.hpp"
#include "module.hpp"
#include "modulelist.hpp"

namespace tg::nn {

struct AdaptiveLogSoftmaxWithLossOptions {
  /* implicit */ AdaptiveLogSoftmaxWithLossOptions(int64_t in_features,
                                                   int64_t n_classes,  // NOLINT
                                                   std::vector<int64_t> cutoffs);
  TG_ARG(int64_t, in_features);
  TG_ARG(int64_t, n_classes);
  TG_ARG(std::vector<int64_t>, cutoffs);
  TG_ARG(double, div_value) = 4.;
  TG_ARG(bool, head_bias) = false;
};

// What AdaptiveLogSoftmaxWithLoss::forward returns.
struct ASMoutput {
  ASMoutput(Tensor output_, double loss_);
  Tensor output;  // (N), or a scalar for an unbatched input: the target's log-probability
  double loss;    // mean of -output
};

class AdaptiveLogSoftmaxWithLossImpl : public Cloneable<AdaptiveLogSoftmaxWithLossImpl> {
 public:
  AdaptiveLogSoftmaxWithLossImpl(int64_t in_features, int64_t n_classes,
                                 std::vector<int64_t> cutoffs);
  explicit AdaptiveLogSoftmaxWithLossImpl(AdaptiveLogSoftmaxWithLossOptions options_);

  // input (N, in_features) with target (N), or input (in_features) with a scalar target.
  ASMoutput forward(const Tensor& input, const Tensor& target);
  void reset() override;
  void reset_parameters();
  void pretty_print(std::ostream& stream) const override;
  // (N, n_classes) log-probabilities from the head's output.
  Tensor _get_full_log_prob(const Tensor& input, const Tensor& head_output);
  Tensor log_prob(const Tensor& input);
  // argmax of log_prob, computing the clusters only for rows the head does not settle.
  Tensor predict(const Tensor& input);

  AdaptiveLogSoftmaxWithLossOptions options;
  std::vector<int64_t> cutoffs;  // options' cutoffs, then n_classes
  int64_t shortlist_size = 0;
  int64_t n_clusters = 0;
  int64_t head_size = 0;
  Linear head = nullptr;
  ModuleList tail;  // each a Sequential(Linear(in, hsz), Linear(hsz, cluster size)), no biases
};
TG_MODULE(AdaptiveLogSoftmaxWithLoss);
extern template class detail::CloneableAs<AdaptiveLogSoftmaxWithLossImpl, Module>;

}  // namespace tg::nn
