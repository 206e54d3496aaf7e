// Linear: y = x W^T + b, libtorch's torch::nn::Linear.
//
//   tg::nn::Linear fc(tg::nn::LinearOptions(10, 1).bias(false));
//   auto y = fc(x);          // x (..., 10) -> y (..., 1)
//   fc->weight;              // (out_features, in_features), a registered parameter
#pragma once

#include <iosfwd>

#include "module.hpp"
#include "options.hpp"

namespace tg::nn {

class LinearImpl : public Module {
 public:
  LinearImpl(int64_t in_features, int64_t out_features)
      : LinearImpl(LinearOptions(in_features, out_features)) {}
  explicit LinearImpl(const LinearOptions& options_);

  // Creates and registers the parameters, then initialises them (reset_parameters).
  void reset();
  // libtorch's default init: weight ~ kaiming_uniform_(a = sqrt(5)), i.e. U(-1/sqrt(in),
  // 1/sqrt(in)), and bias ~ U(-1/sqrt(in), 1/sqrt(in)).
  void reset_parameters();
  void pretty_print(std::ostream& stream) const override;
  // Checks that input.size(-1) == in_features (naming both in the error).
  Tensor forward(const Tensor& input);

  LinearOptions options;
  Tensor weight;  // (out_features, in_features)
  Tensor bias;    // (out_features), undefined when options.bias() is false
};
TG_MODULE(Linear);

}  // namespace tg::nn
