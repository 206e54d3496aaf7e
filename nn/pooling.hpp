// MaxPool2d, AvgPool2d and AdaptiveAvgPool2d with libtorch's options, and their functional
// forms (F::max_pool2d, F::avg_pool2d, F::adaptive_avg_pool2d). The stride defaults to the
// kernel size. Inputs are (N, C, H, W) or (C, H, W); the kernels are in autograd/ops_pool.cpp.
//
//   tg::nn::MaxPool2d pool(2);                              // halves H and W
//   tg::nn::AvgPool2d avg(tg::nn::AvgPool2dOptions(3).stride(2).padding(1).ceil_mode(true));
//   tg::nn::AdaptiveAvgPool2d gap(1);                       // global average pooling
#pragma once

#include <iosfwd>
#include <optional>
#include <tuple>

#include "cloneable.hpp"
#include "expanding_array.hpp"
#include "module.hpp"

namespace tg::nn {

template <size_t D>
struct MaxPoolOptions {
  MaxPoolOptions(ExpandingArray<D> kernel_size)  // NOLINT: implicit, as libtorch
      : kernel_size_(kernel_size), stride_(kernel_size) {}
  TG_ARG(ExpandingArray<D>, kernel_size);
  TG_ARG(ExpandingArray<D>, stride);
  TG_ARG(ExpandingArray<D>, padding) = 0;
  TG_ARG(ExpandingArray<D>, dilation) = 1;
  TG_ARG(bool, ceil_mode) = false;
};
using MaxPool1dOptions = MaxPoolOptions<1>;
using MaxPool2dOptions = MaxPoolOptions<2>;
using MaxPool3dOptions = MaxPoolOptions<3>;

template <size_t D>
struct AvgPoolOptions {
  AvgPoolOptions(ExpandingArray<D> kernel_size)  // NOLINT: implicit, as libtorch
      : kernel_size_(kernel_size), stride_(kernel_size) {}
  TG_ARG(ExpandingArray<D>, kernel_size);
  TG_ARG(ExpandingArray<D>, stride);
  TG_ARG(ExpandingArray<D>, padding) = 0;
  TG_ARG(bool, ceil_mode) = false;
  TG_ARG(bool, count_include_pad) = true;
  TG_ARG(std::optional<int64_t>, divisor_override) = std::nullopt;
};
using AvgPool1dOptions = AvgPoolOptions<1>;
using AvgPool2dOptions = AvgPoolOptions<2>;
using AvgPool3dOptions = AvgPoolOptions<3>;

template <typename output_size_t>
struct AdaptiveAvgPoolOptions {
  AdaptiveAvgPoolOptions(output_size_t output_size)  // NOLINT: implicit, as libtorch
      : output_size_(output_size) {}
  TG_ARG(output_size_t, output_size);
};
// An absent entry (std::nullopt) keeps the input's size in that dim.
using AdaptiveAvgPool1dOptions = AdaptiveAvgPoolOptions<ExpandingArray<1>>;
using AdaptiveAvgPool2dOptions = AdaptiveAvgPoolOptions<ExpandingArrayWithOptionalElem<2>>;
using AdaptiveAvgPool3dOptions = AdaptiveAvgPoolOptions<ExpandingArrayWithOptionalElem<3>>;

namespace functional {
using MaxPool2dFuncOptions = MaxPool2dOptions;
using AvgPool2dFuncOptions = AvgPool2dOptions;
using AdaptiveAvgPool2dFuncOptions = AdaptiveAvgPool2dOptions;
Tensor max_pool2d(const Tensor& input, const MaxPool2dFuncOptions& options);
// (values, indices); indices are flat positions within each H x W plane.
std::tuple<Tensor, Tensor> max_pool2d_with_indices(const Tensor& input,
                                                   const MaxPool2dFuncOptions& options);
Tensor avg_pool2d(const Tensor& input, const AvgPool2dFuncOptions& options);
Tensor adaptive_avg_pool2d(const Tensor& input, const AdaptiveAvgPool2dFuncOptions& options);
}  // namespace functional

class MaxPool2dImpl : public Cloneable<MaxPool2dImpl> {
 public:
  MaxPool2dImpl(ExpandingArray<2> kernel_size);
  explicit MaxPool2dImpl(const MaxPool2dOptions& options_) : options(options_) {}
  void reset() override {}
  void pretty_print(std::ostream& stream) const override;
  Tensor forward(const Tensor& input);
  std::tuple<Tensor, Tensor> forward_with_indices(const Tensor& input);
  MaxPool2dOptions options;
};
TG_MODULE(MaxPool2d);
extern template class detail::CloneableAs<MaxPool2dImpl, Module>;

class AvgPool2dImpl : public Cloneable<AvgPool2dImpl> {
 public:
  AvgPool2dImpl(ExpandingArray<2> kernel_size);
  explicit AvgPool2dImpl(const AvgPool2dOptions& options_) : options(options_) {}
  void reset() override {}
  void pretty_print(std::ostream& stream) const override;
  Tensor forward(const Tensor& input);
  AvgPool2dOptions options;
};
TG_MODULE(AvgPool2d);
extern template class detail::CloneableAs<AvgPool2dImpl, Module>;

class AdaptiveAvgPool2dImpl : public Cloneable<AdaptiveAvgPool2dImpl> {
 public:
  AdaptiveAvgPool2dImpl(ExpandingArrayWithOptionalElem<2> output_size);
  explicit AdaptiveAvgPool2dImpl(const AdaptiveAvgPool2dOptions& options_) : options(options_) {}
  void reset() override {}
  void pretty_print(std::ostream& stream) const override;
  Tensor forward(const Tensor& input);
  AdaptiveAvgPool2dOptions options;
};
TG_MODULE(AdaptiveAvgPool2d);
extern template class detail::CloneableAs<AdaptiveAvgPool2dImpl, Module>;

}  // namespace tg::nn

#include "pooling_nd.hpp"  // NOLINT: the 1-D, 3-D, adaptive max, unpool, fractional and LP pools
