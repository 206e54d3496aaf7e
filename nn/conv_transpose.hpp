// ConvTranspose1d, ConvTranspose2d and ConvTranspose3d with libtorch's options, and their
// functional forms F::conv_transpose1d/2d/3d.
//
//   tg::nn::ConvTranspose2d up(tg::nn::ConvTranspose2dOptions(16, 8, 3).stride(2));
//   auto y = up(x);                  // (N, 16, H, W) -> (N, 8, 2H + 1, 2W + 1)
//   auto z = up(x, {2 * H, 2 * W});  // output_size picks the output_padding
//   up->weight;   // (in_channels, out_channels / groups, kernel...), kaiming_uniform_(a = sqrt 5)
// The computation is tg::conv_transpose1d/2d/3d (autograd/ops_conv_nd.cpp). Only padding_mode
// kZeros works in forward, as in libtorch.
#pragma once

#include <iosfwd>
#include <optional>
#include <vector>

#include "conv.hpp"

namespace tg::nn {

template <size_t D>
struct ConvTransposeOptions {
  using padding_mode_t = detail::conv_padding_mode_t;
  ConvTransposeOptions(int64_t in_channels, int64_t out_channels, ExpandingArray<D> kernel_size)
      : in_channels_(in_channels), out_channels_(out_channels), kernel_size_(kernel_size) {}
  TG_ARG(int64_t, in_channels);
  TG_ARG(int64_t, out_channels);
  TG_ARG(ExpandingArray<D>, kernel_size);
  TG_ARG(ExpandingArray<D>, stride) = 1;
  TG_ARG(ExpandingArray<D>, padding) = 0;
  TG_ARG(ExpandingArray<D>, output_padding) = 0;
  TG_ARG(int64_t, groups) = 1;
  TG_ARG(bool, bias) = true;
  TG_ARG(ExpandingArray<D>, dilation) = 1;
  TG_ARG(padding_mode_t, padding_mode) = tg::kZeros;
};
using ConvTranspose1dOptions = ConvTransposeOptions<1>;
using ConvTranspose2dOptions = ConvTransposeOptions<2>;
using ConvTranspose3dOptions = ConvTransposeOptions<3>;

namespace functional {
template <size_t D>
struct ConvTransposeFuncOptions {
  TG_ARG(Tensor, bias) = Tensor();
  TG_ARG(ExpandingArray<D>, stride) = 1;
  TG_ARG(ExpandingArray<D>, padding) = 0;
  TG_ARG(ExpandingArray<D>, output_padding) = 0;
  TG_ARG(int64_t, groups) = 1;
  TG_ARG(ExpandingArray<D>, dilation) = 1;
};
using ConvTranspose1dFuncOptions = ConvTransposeFuncOptions<1>;
using ConvTranspose2dFuncOptions = ConvTransposeFuncOptions<2>;
using ConvTranspose3dFuncOptions = ConvTransposeFuncOptions<3>;

// input (N, C, spatial...) or unbatched, weight (C, O / groups, kernel...).
Tensor conv_transpose1d(const Tensor& input, const Tensor& weight,
                        const ConvTranspose1dFuncOptions& options = {});
Tensor conv_transpose2d(const Tensor& input, const Tensor& weight,
                        const ConvTranspose2dFuncOptions& options = {});
Tensor conv_transpose3d(const Tensor& input, const Tensor& weight,
                        const ConvTranspose3dFuncOptions& options = {});
}  // namespace functional

// The parameters shared by ConvTranspose1d/2d/3d (libtorch's ConvTransposeNdImpl).
template <size_t D>
class ConvTransposeNdImpl : public Module {
 public:
  explicit ConvTransposeNdImpl(const ConvTransposeOptions<D>& options_);
  void reset();
  // As Conv's: weight ~ kaiming_uniform_(a = sqrt(5)), bias ~ U(+-1/sqrt(fan_in)), where the
  // weight's fan_in is out_channels / groups * prod(kernel_size) (its dim 1).
  void reset_parameters();
  void pretty_print(std::ostream& stream) const override;
  // output_size (spatial sizes, or with N and C in front) chooses the output_padding that gives
  // it; it must lie within [min, min + stride - 1] per dim.
  Tensor forward(const Tensor& input, const std::optional<IntArrayRef>& output_size = std::nullopt);

  ConvTransposeOptions<D> options;
  Tensor weight;
  Tensor bias;  // undefined when options.bias() is false

 protected:
  std::vector<int64_t> _output_padding(const Tensor& input,
                                       const std::optional<IntArrayRef>& output_size) const;
  // So a Sequential / AnyModule can call forward(input) (libtorch's ConvTranspose1d/2d/3d).
  TG_FORWARD_HAS_DEFAULT_ARGS({1, AnyValue(std::optional<IntArrayRef>())})
};

class ConvTranspose1dImpl
    : public detail::CloneableAs<ConvTranspose1dImpl, ConvTransposeNdImpl<1>> {
 public:
  ConvTranspose1dImpl(int64_t input_channels, int64_t output_channels,
                      ExpandingArray<1> kernel_size);
  explicit ConvTranspose1dImpl(const ConvTranspose1dOptions& options_) : CloneableAs(options_) {}
};
TG_MODULE(ConvTranspose1d);
extern template class detail::CloneableAs<ConvTranspose1dImpl, ConvTransposeNdImpl<1>>;

class ConvTranspose2dImpl
    : public detail::CloneableAs<ConvTranspose2dImpl, ConvTransposeNdImpl<2>> {
 public:
  ConvTranspose2dImpl(int64_t input_channels, int64_t output_channels,
                      ExpandingArray<2> kernel_size);
  explicit ConvTranspose2dImpl(const ConvTranspose2dOptions& options_) : CloneableAs(options_) {}
};
TG_MODULE(ConvTranspose2d);
extern template class detail::CloneableAs<ConvTranspose2dImpl, ConvTransposeNdImpl<2>>;

class ConvTranspose3dImpl
    : public detail::CloneableAs<ConvTranspose3dImpl, ConvTransposeNdImpl<3>> {
 public:
  ConvTranspose3dImpl(int64_t input_channels, int64_t output_channels,
                      ExpandingArray<3> kernel_size);
  explicit ConvTranspose3dImpl(const ConvTranspose3dOptions& options_) : CloneableAs(options_) {}
};
TG_MODULE(ConvTranspose3d);
extern template class detail::CloneableAs<ConvTranspose3dImpl, ConvTransposeNdImpl<3>>;

extern template class ConvTransposeNdImpl<1>;
extern template class ConvTransposeNdImpl<2>;
extern template class ConvTransposeNdImpl<3>;

}  // namespace tg::nn
