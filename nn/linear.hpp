// Linear: y = x W^T + b, and Bilinear: y_o = x1^T W_o x2 + b_o (libtorch's torch::nn::Linear
// and torch::nn::Bilinear).
//
//   tg::nn::Linear fc(tg::nn::LinearOptions(10, 1).bias(false));
//   auto y = fc(x);          // x (..., 10) -> y (..., 1)
//   fc->weight;              // (out_features, in_features), a registered parameter
#pragma once

#include <iosfwd>

#include "cloneable.hpp"
#include "module.hpp"
#include "options.hpp"

namespace tg::nn {

class LinearImpl : public Cloneable<LinearImpl> {
 public:
  LinearImpl(int64_t in_features, int64_t out_features);
  explicit LinearImpl(const LinearOptions& options_);

  // Creates and registers the parameters, then initialises them (reset_parameters).
  void reset() override;
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
extern template class detail::CloneableAs<LinearImpl, Module>;

// Options of Bilinear (torch/nn/options/linear.h).
struct BilinearOptions {
  BilinearOptions(int64_t in1_features, int64_t in2_features, int64_t out_features)
      : in1_features_(in1_features), in2_features_(in2_features), out_features_(out_features) {}
  TG_ARG(int64_t, in1_features);
  TG_ARG(int64_t, in2_features);
  TG_ARG(int64_t, out_features);
  TG_ARG(bool, bias) = true;
};

namespace functional {
// y[..., o] = sum_ij input1[..., i] weight[o, i, j] input2[..., j] + bias[o]; input1 and
// input2 have the same leading dimensions.
Tensor bilinear(const Tensor& input1, const Tensor& input2, const Tensor& weight,
                const Tensor& bias = {});
}  // namespace functional

class BilinearImpl : public Cloneable<BilinearImpl> {
 public:
  BilinearImpl(int64_t in1_features, int64_t in2_features, int64_t out_features);
  explicit BilinearImpl(const BilinearOptions& options_);

  void reset() override;
  // libtorch's default init: weight and bias ~ U(-1/sqrt(in1), 1/sqrt(in1)).
  void reset_parameters();
  void pretty_print(std::ostream& stream) const override;
  Tensor forward(const Tensor& input1, const Tensor& input2);

  BilinearOptions options;
  Tensor weight;  // (out_features, in1_features, in2_features)
  Tensor bias;    // (out_features), undefined when options.bias() is false
};
TG_MODULE(Bilinear);
extern template class detail::CloneableAs<BilinearImpl, Module>;

}  // namespace tg::nn
