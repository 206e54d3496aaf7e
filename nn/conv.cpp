#include "conv.hpp"

#include <cmath>
#include <ostream>
#include <string>

#include "../autograd/functions.hpp"
#include "init.hpp"
#include "layer_error.hpp"

namespace tg::nn {

namespace {
// Calls tg::conv1d or tg::conv2d with a numeric or a 'same'/'valid' padding.
template <size_t D>
Tensor conv(const Tensor& input, const Tensor& weight, const Tensor& bias,
            const ExpandingArray<D>& stride, const detail::conv_padding_t<D>& padding,
            const ExpandingArray<D>& dilation, int64_t groups) {
  auto fn = [&](auto pad) {
    if constexpr (D == 1)
      return tg::conv1d(input, weight, bias, stride, pad, dilation, groups);
    else
      return tg::conv2d(input, weight, bias, stride, pad, dilation, groups);
  };
  if (const auto* p = get_if<ExpandingArray<D>>(&padding)) return fn(IntArrayRef(*p));
  return fn(std::string(holds_alternative<enumtype::kSame>(padding) ? "same" : "valid"));
}
}  // namespace

namespace functional {
Tensor conv1d(const Tensor& input, const Tensor& weight, const Conv1dFuncOptions& o) {
  return conv<1>(input, weight, o.bias(), o.stride(), o.padding(), o.dilation(), o.groups());
}
Tensor conv2d(const Tensor& input, const Tensor& weight, const Conv2dFuncOptions& o) {
  return conv<2>(input, weight, o.bias(), o.stride(), o.padding(), o.dilation(), o.groups());
}
}  // namespace functional

template <size_t D>
ConvNdImpl<D>::ConvNdImpl(const ConvOptions<D>& options_) : options(options_) {
  reset();
}

template <size_t D>
void ConvNdImpl<D>::reset() {
  const std::string layer = "Conv" + std::to_string(D) + "d";
  const int64_t in = options.in_channels(), out = options.out_channels(), g = options.groups();
  if (in <= 0 || out <= 0 || g <= 0)
    throw Error(layer + ": in_channels, out_channels and groups must be positive, got " +
                std::to_string(in) + ", " + std::to_string(out) + ", " + std::to_string(g));
  if (in % g != 0) throw Error(layer + ": in_channels must be divisible by groups");
  if (out % g != 0) throw Error(layer + ": out_channels must be divisible by groups");
  for (size_t i = 0; i < D; ++i)
    if ((*options.kernel_size())[i] <= 0 || (*options.stride())[i] <= 0 ||
        (*options.dilation())[i] <= 0)
      throw Error(layer + ": kernel_size, stride and dilation must be positive");
  if (!holds_alternative<enumtype::kZeros>(options.padding_mode()))
    throw Error(layer +
                ": only padding_mode kZeros is supported by tapegrad (no reflect, replicate or "
                "circular padding)");
  if (holds_alternative<enumtype::kSame>(options.padding()))
    for (size_t i = 0; i < D; ++i)
      if ((*options.stride())[i] != 1)
        throw Error(layer + ": padding='same' is not supported for strided convolutions");
  Shape shape{out, in / g};
  for (int64_t k : *options.kernel_size()) shape.push_back(k);
  weight = register_parameter("weight", tg::empty(shape));
  if (options.bias())
    bias = register_parameter("bias", tg::empty({out}));
  else
    bias = register_parameter("bias", Tensor(), /*requires_grad=*/false);
  reset_parameters();
}

template <size_t D>
void ConvNdImpl<D>::reset_parameters() {
  init::kaiming_uniform_(weight, std::sqrt(5.0));
  if (bias.defined()) {
    auto [fan_in, fan_out] = init::_calculate_fan_in_and_fan_out(weight);
    (void)fan_out;
    init::uniform_(bias, -1.0 / std::sqrt(double(fan_in)), 1.0 / std::sqrt(double(fan_in)));
  }
}

template <size_t D>
void ConvNdImpl<D>::pretty_print(std::ostream& stream) const {
  stream << "torch::nn::Conv" << D << "d(" << options.in_channels() << ", "
         << options.out_channels() << ", kernel_size=" << options.kernel_size()
         << ", stride=" << options.stride();
  if (holds_alternative<enumtype::kValid>(options.padding()))
    stream << ", padding='valid'";
  else if (holds_alternative<enumtype::kSame>(options.padding()))
    stream << ", padding='same'";
  else if (*get<ExpandingArray<D>>(options.padding()) != *ExpandingArray<D>(0))
    stream << ", padding=" << get<ExpandingArray<D>>(options.padding());
  if (*options.dilation() != *ExpandingArray<D>(1)) stream << ", dilation=" << options.dilation();
  if (options.groups() != 1) stream << ", groups=" << options.groups();
  if (!options.bias()) stream << ", bias=false";
  stream << ")";
}

template <size_t D>
Tensor ConvNdImpl<D>::forward(const Tensor& input) {
  const std::string layer = "Conv" + std::to_string(D) + "d";
  if (!input.defined()) throw Error(layer + ": input is an undefined tensor");
  const int64_t batched = int64_t(D) + 2;
  if (input.dim() != batched && input.dim() != batched - 1)
    throw Error(layer + ": expected " + std::to_string(batched - 1) + "-D (unbatched) or " +
                std::to_string(batched) + "-D (batched) input, got shape " +
                to_string(input.sizes()));
  const int64_t ch = input.size(input.dim() - int64_t(D) - 1);
  if (ch != options.in_channels())
    throw Error(layer + ": expected input with " + std::to_string(options.in_channels()) +
                " channels (in_channels), got " + std::to_string(ch) + " channels in shape " +
                to_string(input.sizes()) + " (weight of shape " + to_string(weight.sizes()) + ")");
  return detail::named_errors(layer, [&] {  // e.g. the kernel is larger than the padded input
    return conv<D>(input, weight, bias, options.stride(), options.padding(), options.dilation(),
                   options.groups());
  });
}

template class ConvNdImpl<1>;
template class ConvNdImpl<2>;

// Convenience constructors, out of line: see the note at TG_MODULE in module.hpp.
Conv1dImpl::Conv1dImpl(int64_t input_channels, int64_t output_channels,
                       ExpandingArray<1> kernel_size)
    : Conv1dImpl(Conv1dOptions(input_channels, output_channels, kernel_size)) {}
Conv2dImpl::Conv2dImpl(int64_t input_channels, int64_t output_channels,
                       ExpandingArray<2> kernel_size)
    : Conv2dImpl(Conv2dOptions(input_channels, output_channels, kernel_size)) {}

}  // namespace tg::nn
