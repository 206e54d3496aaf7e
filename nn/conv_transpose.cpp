#include "conv_transpose.hpp"

#include <cmath>
#include <ostream>
#include <string>

#include "../autograd/functions.hpp"
#include "init.hpp"
#include "layer_error.hpp"

namespace tg::nn {

namespace {
template <size_t D>
Tensor conv_transpose(const Tensor& input, const Tensor& weight, const Tensor& bias,
                      IntArrayRef stride, IntArrayRef padding, IntArrayRef output_padding,
                      int64_t groups, IntArrayRef dilation) {
  if constexpr (D == 1)
    return tg::conv_transpose1d(input, weight, bias, stride, padding, output_padding, groups,
                                dilation);
  else if constexpr (D == 2)
    return tg::conv_transpose2d(input, weight, bias, stride, padding, output_padding, groups,
                                dilation);
  else
    return tg::conv_transpose3d(input, weight, bias, stride, padding, output_padding, groups,
                                dilation);
}

std::string list_str(const std::vector<int64_t>& v) { return to_string(IntArrayRef(v)); }
}  // namespace

namespace functional {
Tensor conv_transpose1d(const Tensor& input, const Tensor& weight,
                        const ConvTranspose1dFuncOptions& o) {
  return conv_transpose<1>(input, weight, o.bias(), o.stride(), o.padding(), o.output_padding(),
                           o.groups(), o.dilation());
}
Tensor conv_transpose2d(const Tensor& input, const Tensor& weight,
                        const ConvTranspose2dFuncOptions& o) {
  return conv_transpose<2>(input, weight, o.bias(), o.stride(), o.padding(), o.output_padding(),
                           o.groups(), o.dilation());
}
Tensor conv_transpose3d(const Tensor& input, const Tensor& weight,
                        const ConvTranspose3dFuncOptions& o) {
  return conv_transpose<3>(input, weight, o.bias(), o.stride(), o.padding(), o.output_padding(),
                           o.groups(), o.dilation());
}
}  // namespace functional

template <size_t D>
ConvTransposeNdImpl<D>::ConvTransposeNdImpl(const ConvTransposeOptions<D>& options_)
    : options(options_) {
  reset();
}

template <size_t D>
void ConvTransposeNdImpl<D>::reset() {
  const int64_t in = options.in_channels(), out = options.out_channels(), g = options.groups();
  if (g <= 0)
    throw Error("ConvTranspose" + std::to_string(D) + "d: groups must be positive, got " +
                std::to_string(g));
  if (in % g != 0) throw Error("in_channels must be divisible by groups");
  if (out % g != 0) throw Error("out_channels must be divisible by groups");
  Shape shape{in, out / g};
  for (int64_t k : *options.kernel_size()) shape.push_back(k);
  weight = register_parameter("weight", tg::empty(shape));
  if (options.bias())
    bias = register_parameter("bias", tg::empty({out}));
  else
    bias = register_parameter("bias", Tensor(), /*requires_grad=*/false);
  reset_parameters();
}

template <size_t D>
void ConvTransposeNdImpl<D>::reset_parameters() {
  init::kaiming_uniform_(weight, std::sqrt(5.0));
  if (bias.defined()) {
    auto [fan_in, fan_out] = init::_calculate_fan_in_and_fan_out(weight);
    (void)fan_out;
    init::uniform_(bias, -1.0 / std::sqrt(double(fan_in)), 1.0 / std::sqrt(double(fan_in)));
  }
}

template <size_t D>
void ConvTransposeNdImpl<D>::pretty_print(std::ostream& stream) const {
  stream << "torch::nn::ConvTranspose" << D << "d(" << options.in_channels() << ", "
         << options.out_channels() << ", kernel_size=" << options.kernel_size()
         << ", stride=" << options.stride();
  if (*options.padding() != *ExpandingArray<D>(0)) stream << ", padding=" << options.padding();
  if (*options.dilation() != *ExpandingArray<D>(1)) stream << ", dilation=" << options.dilation();
  if (*options.output_padding() != *ExpandingArray<D>(0))
    stream << ", output_padding=" << options.output_padding();
  if (options.groups() != 1) stream << ", groups=" << options.groups();
  if (!options.bias()) stream << ", bias=false";
  if (!holds_alternative<enumtype::kZeros>(options.padding_mode()))
    stream << ", padding_mode=" << enumtype::get_enum_name(options.padding_mode());
  stream << ")";
}

template <size_t D>
std::vector<int64_t> ConvTransposeNdImpl<D>::_output_padding(
    const Tensor& input, const std::optional<IntArrayRef>& output_size) const {
  if (!output_size) return IntArrayRef(options.output_padding()).vec();
  const int64_t k = input.dim() - 2;
  IntArrayRef size = *output_size;
  if (int64_t(size.size()) == k + 2) size = IntArrayRef(size.data() + 2, size.size() - 2);
  if (int64_t(size.size()) != k)
    throw Error("output_size must have " + std::to_string(k) + " or " + std::to_string(k + 2) +
                " elements (got " + std::to_string(size.size()) + ")");
  const auto& stride = *options.stride();
  const auto& padding = *options.padding();
  const auto& kernel = *options.kernel_size();
  std::vector<int64_t> min_sizes, max_sizes, in_sizes, ret;
  for (int64_t d = 0; d < k; ++d) {
    min_sizes.push_back((input.size(d + 2) - 1) * stride[size_t(d)] - 2 * padding[size_t(d)] +
                        kernel[size_t(d)]);
    max_sizes.push_back(min_sizes.back() + stride[size_t(d)] - 1);
    in_sizes.push_back(input.size(d + 2));
  }
  for (size_t i = 0; i < size.size(); ++i)
    if (size[i] < min_sizes[i] || size[i] > max_sizes[i])
      throw Error("requested an output size of " + to_string(size) +
                  ", but valid sizes range from " + list_str(min_sizes) + " to " +
                  list_str(max_sizes) + " (for an input of " + list_str(in_sizes) + ")");
  for (int64_t d = 0; d < k; ++d) ret.push_back(size[size_t(d)] - min_sizes[size_t(d)]);
  return ret;
}

template <size_t D>
Tensor ConvTransposeNdImpl<D>::forward(const Tensor& input,
                                       const std::optional<IntArrayRef>& output_size) {
  if (!holds_alternative<enumtype::kZeros>(options.padding_mode()))
    throw Error("Only `zeros` padding mode is supported for ConvTranspose" + std::to_string(D) +
                "d");
  if (!input.defined()) throw Error("ConvTranspose: input is an undefined tensor");
  const std::vector<int64_t> output_padding = _output_padding(input, output_size);
  return conv_transpose<D>(input, weight, bias, options.stride(), options.padding(), output_padding,
                           options.groups(), options.dilation());
}

template class ConvTransposeNdImpl<1>;
template class ConvTransposeNdImpl<2>;
template class ConvTransposeNdImpl<3>;

// Convenience constructors, out of line: see the note at TG_MODULE in module.hpp.
ConvTranspose1dImpl::ConvTranspose1dImpl(int64_t input_channels, int64_t output_channels,
                                         ExpandingArray<1> kernel_size)
    : ConvTranspose1dImpl(ConvTranspose1dOptions(input_channels, output_channels, kernel_size)) {}
ConvTranspose2dImpl::ConvTranspose2dImpl(int64_t input_channels, int64_t output_channels,
                                         ExpandingArray<2> kernel_size)
    : ConvTranspose2dImpl(ConvTranspose2dOptions(input_channels, output_channels, kernel_size)) {}
ConvTranspose3dImpl::ConvTranspose3dImpl(int64_t input_channels, int64_t output_channels,
                                         ExpandingArray<3> kernel_size)
    : ConvTranspose3dImpl(ConvTranspose3dOptions(input_channels, output_channels, kernel_size)) {}

// Each layer's clone() is compiled here, once, rather than in every program that includes its
// header (the extern templates there; nn/cloneable.hpp).
template class detail::CloneableAs<ConvTranspose1dImpl, ConvTransposeNdImpl<1>>;
template class detail::CloneableAs<ConvTranspose2dImpl, ConvTransposeNdImpl<2>>;
template class detail::CloneableAs<ConvTranspose3dImpl, ConvTransposeNdImpl<3>>;
}  // namespace tg::nn
