// Conv1d, Conv2d and Conv3d with libtorch's options, and their functional forms F::conv1d,
// F::conv2d, F::conv3d. ConvTranspose1d/2d/3d are in conv_transpose.hpp.
//
//   tg::nn::Conv2d conv(tg::nn::Conv2dOptions(1, 16, 3).padding(1));   // (N,1,H,W) -> (N,16,H,W)
//   auto y = conv(x);
//   conv->weight;   // (out_channels, in_channels / groups, kh, kw), kaiming_uniform_(a = sqrt 5)
//   auto z = F::conv2d(x, w, F::Conv2dFuncOptions().stride(2).groups(2));
// The computation is tg::conv1d / tg::conv2d (autograd/ops_conv.cpp: im2col + a matrix
// product) and tg::conv3d (ops_conv_nd.cpp). padding is a size, tg::kValid or tg::kSame;
// padding_mode kZeros, kReflect, kReplicate or kCircular (the layer pads its input itself,
// then convolves without padding, as libtorch's layers do).
#pragma once

#include <iosfwd>
#include <vector>

#include "cloneable.hpp"
#include "enum.hpp"
#include "expanding_array.hpp"
#include "module.hpp"

namespace tg::nn {

namespace detail {
using conv_padding_mode_t = enumtype::variant<enumtype::kZeros, enumtype::kReflect,
                                              enumtype::kReplicate, enumtype::kCircular>;
template <size_t D>
using conv_padding_t = enumtype::variant<ExpandingArray<D>, enumtype::kValid, enumtype::kSame>;
}  // namespace detail

template <size_t D>
struct ConvOptions {
  using padding_mode_t = detail::conv_padding_mode_t;
  using padding_t = detail::conv_padding_t<D>;
  ConvOptions(int64_t in_channels, int64_t out_channels, ExpandingArray<D> kernel_size)
      : in_channels_(in_channels), out_channels_(out_channels), kernel_size_(kernel_size) {}
  TG_ARG(int64_t, in_channels);
  TG_ARG(int64_t, out_channels);
  TG_ARG(ExpandingArray<D>, kernel_size);
  TG_ARG(ExpandingArray<D>, stride) = 1;
  TG_ARG(padding_t, padding) = ExpandingArray<D>(0);

 public:
  decltype(auto) padding(std::initializer_list<int64_t> il) { return padding(IntArrayRef{il}); }
  TG_ARG(ExpandingArray<D>, dilation) = 1;
  TG_ARG(int64_t, groups) = 1;
  TG_ARG(bool, bias) = true;
  TG_ARG(padding_mode_t, padding_mode) = tg::kZeros;
};
using Conv1dOptions = ConvOptions<1>;
using Conv2dOptions = ConvOptions<2>;
using Conv3dOptions = ConvOptions<3>;

namespace functional {
template <size_t D>
struct ConvFuncOptions {
  using padding_t = detail::conv_padding_t<D>;
  TG_ARG(Tensor, bias) = Tensor();
  TG_ARG(ExpandingArray<D>, stride) = 1;
  TG_ARG(padding_t, padding) = ExpandingArray<D>(0);

 public:
  decltype(auto) padding(std::initializer_list<int64_t> il) { return padding(IntArrayRef{il}); }
  TG_ARG(ExpandingArray<D>, dilation) = 1;
  TG_ARG(int64_t, groups) = 1;
};
using Conv1dFuncOptions = ConvFuncOptions<1>;
using Conv2dFuncOptions = ConvFuncOptions<2>;
using Conv3dFuncOptions = ConvFuncOptions<3>;

// input (N, C, L) or (C, L), weight (O, C / groups, k).
Tensor conv1d(const Tensor& input, const Tensor& weight, const Conv1dFuncOptions& options = {});
// input (N, C, H, W) or (C, H, W), weight (O, C / groups, kh, kw).
Tensor conv2d(const Tensor& input, const Tensor& weight, const Conv2dFuncOptions& options = {});
// input (N, C, D, H, W) or (C, D, H, W), weight (O, C / groups, kd, kh, kw).
Tensor conv3d(const Tensor& input, const Tensor& weight, const Conv3dFuncOptions& options = {});
}  // namespace functional

namespace detail {
// Pads the last `pad.size() / 2` dims of x, pad as F::pad's list (last dim first, left then
// right), with kReflect, kReplicate or kCircular: the padding modes of the conv layers.
Tensor pad_for_conv(const Tensor& x, const std::vector<int64_t>& pad,
                    const conv_padding_mode_t& mode);
}  // namespace detail

// The parameters and checks shared by Conv1d, Conv2d and Conv3d (libtorch's ConvNdImpl).
template <size_t D>
class ConvNdImpl : public Module {
 public:
  explicit ConvNdImpl(const ConvOptions<D>& options_);
  // Creates and registers weight (and bias), then initialises them (reset_parameters).
  void reset();
  // libtorch's default: weight ~ kaiming_uniform_(a = sqrt(5)), bias ~ U(-1/sqrt(fan_in),
  // 1/sqrt(fan_in)) with fan_in = in_channels / groups * prod(kernel_size).
  void reset_parameters();
  void pretty_print(std::ostream& stream) const override;
  // Throws tg::Error naming the layer if the input's rank or channel count is wrong.
  Tensor forward(const Tensor& input);

  ConvOptions<D> options;
  Tensor weight;
  Tensor bias;  // undefined when options.bias() is false
};

class Conv1dImpl : public detail::CloneableAs<Conv1dImpl, ConvNdImpl<1>> {
 public:
  Conv1dImpl(int64_t input_channels, int64_t output_channels, ExpandingArray<1> kernel_size);
  explicit Conv1dImpl(const Conv1dOptions& options_) : CloneableAs(options_) {}
};
TG_MODULE(Conv1d);
extern template class detail::CloneableAs<Conv1dImpl, ConvNdImpl<1>>;

class Conv2dImpl : public detail::CloneableAs<Conv2dImpl, ConvNdImpl<2>> {
 public:
  Conv2dImpl(int64_t input_channels, int64_t output_channels, ExpandingArray<2> kernel_size);
  explicit Conv2dImpl(const Conv2dOptions& options_) : CloneableAs(options_) {}
};
TG_MODULE(Conv2d);
extern template class detail::CloneableAs<Conv2dImpl, ConvNdImpl<2>>;

class Conv3dImpl : public detail::CloneableAs<Conv3dImpl, ConvNdImpl<3>> {
 public:
  Conv3dImpl(int64_t input_channels, int64_t output_channels, ExpandingArray<3> kernel_size);
  explicit Conv3dImpl(const Conv3dOptions& options_) : CloneableAs(options_) {}
};
TG_MODULE(Conv3d);
extern template class detail::CloneableAs<Conv3dImpl, ConvNdImpl<3>>;

extern template class ConvNdImpl<1>;
extern template class ConvNdImpl<2>;
extern template class ConvNdImpl<3>;

}  // namespace tg::nn
