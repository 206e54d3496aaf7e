#include "conv.hpp"

#include <algorithm>
#include <cmath>
#include <ostream>
#include <string>

#include "../autograd/functions.hpp"
#include "init.hpp"
#include "layer_error.hpp"

namespace tg::nn {

namespace {
// Calls tg::conv1d, tg::conv2d or tg::conv3d with a numeric or a 'same'/'valid' padding.
template <size_t D>
Tensor conv(const Tensor& input, const Tensor& weight, const Tensor& bias,
            const ExpandingArray<D>& stride, const detail::conv_padding_t<D>& padding,
            const ExpandingArray<D>& dilation, int64_t groups) {
  auto fn = [&](auto pad) {
    if constexpr (D == 1)
      return tg::conv1d(input, weight, bias, stride, pad, dilation, groups);
    else if constexpr (D == 2)
      return tg::conv2d(input, weight, bias, stride, pad, dilation, groups);
    else
      return tg::conv3d(input, weight, bias, stride, pad, dilation, groups);
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
Tensor conv3d(const Tensor& input, const Tensor& weight, const Conv3dFuncOptions& o) {
  return conv<3>(input, weight, o.bias(), o.stride(), o.padding(), o.dilation(), o.groups());
}
}  // namespace functional

namespace detail {
Tensor pad_for_conv(const Tensor& x, const std::vector<int64_t>& pad,
                    const conv_padding_mode_t& mode) {
  Tensor out = x;
  const int64_t dims = int64_t(pad.size() / 2);
  for (int64_t k = 0; k < dims; ++k) {
    const int64_t dim = x.dim() - 1 - k, n = x.size(dim);
    const int64_t left = pad[size_t(2 * k)], right = pad[size_t(2 * k + 1)];
    if (left == 0 && right == 0) continue;
    if (holds_alternative<enumtype::kReflect>(mode) && (left >= n || right >= n))
      throw Error(
          "Argument #4: Padding size should be less than the corresponding input "
          "dimension, but got: padding (" +
          std::to_string(left) + ", " + std::to_string(right) + ") at dimension " +
          std::to_string(dim) + " of input " + to_string(x.sizes()));
    if (holds_alternative<enumtype::kCircular>(mode) && (left > n || right > n))
      throw Error("Padding value causes wrapping around more than once.");
    // Output position i reads input position src(i - left).
    std::vector<int64_t> idx;
    for (int64_t i = -left; i < n + right; ++i) {
      int64_t j = i;
      if (holds_alternative<enumtype::kReflect>(mode))
        j = i < 0 ? -i : (i >= n ? 2 * (n - 1) - i : i);
      else if (holds_alternative<enumtype::kReplicate>(mode))
        j = std::clamp<int64_t>(i, 0, n - 1);
      else
        j = ((i % n) + n) % n;
      idx.push_back(j);
    }
    out = out.index_select(dim, tg::tensor(idx, kLong));
  }
  return out;
}
}  // namespace detail

template <size_t D>
ConvNdImpl<D>::ConvNdImpl(const ConvOptions<D>& options_) : options(options_) {
  reset();
}

template <size_t D>
void ConvNdImpl<D>::reset() {
  const std::string layer = "Conv" + std::to_string(D) + "d";
  const int64_t in = options.in_channels(), out = options.out_channels(), g = options.groups();
  if (g <= 0) throw Error(layer + ": groups must be positive, got " + std::to_string(g));
  if (in % g != 0) throw Error("in_channels must be divisible by groups");
  if (out % g != 0) throw Error("out_channels must be divisible by groups");
  if (holds_alternative<enumtype::kSame>(options.padding()))
    for (size_t i = 0; i < D; ++i)
      if ((*options.stride())[i] != 1)
        throw Error("padding='same' is not supported for strided convolutions");
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
  if (!holds_alternative<enumtype::kZeros>(options.padding_mode()))
    stream << ", padding_mode=" << enumtype::get_enum_name(options.padding_mode());
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
  if (!holds_alternative<enumtype::kZeros>(options.padding_mode())) {
    // libtorch's _reversed_padding_repeated_twice: last dim first, left then right.
    std::vector<int64_t> pad;
    for (size_t i = D; i-- > 0;) {
      int64_t left = 0, right = 0;
      if (const auto* p = get_if<ExpandingArray<D>>(&options.padding())) {
        left = right = (**p)[i];
      } else if (holds_alternative<enumtype::kSame>(options.padding())) {
        const int64_t total = (*options.dilation())[i] * ((*options.kernel_size())[i] - 1);
        left = total / 2, right = total - left;
      }
      pad.push_back(left), pad.push_back(right);
    }
    Tensor padded = detail::pad_for_conv(input, pad, options.padding_mode());
    return detail::named_errors(layer, [&] {
      return conv<D>(padded, weight, bias, options.stride(), ExpandingArray<D>(0),
                     options.dilation(), options.groups());
    });
  }
  return detail::named_errors(layer, [&] {  // e.g. the kernel is larger than the padded input
    return conv<D>(input, weight, bias, options.stride(), options.padding(), options.dilation(),
                   options.groups());
  });
}

template class ConvNdImpl<1>;
template class ConvNdImpl<2>;
template class ConvNdImpl<3>;

// Convenience constructors, out of line: see the note at TG_MODULE in module.hpp.
Conv1dImpl::Conv1dImpl(int64_t input_channels, int64_t output_channels,
                       ExpandingArray<1> kernel_size)
    : Conv1dImpl(Conv1dOptions(input_channels, output_channels, kernel_size)) {}
Conv2dImpl::Conv2dImpl(int64_t input_channels, int64_t output_channels,
                       ExpandingArray<2> kernel_size)
    : Conv2dImpl(Conv2dOptions(input_channels, output_channels, kernel_size)) {}
Conv3dImpl::Conv3dImpl(int64_t input_channels, int64_t output_channels,
                       ExpandingArray<3> kernel_size)
    : Conv3dImpl(Conv3dOptions(input_channels, output_channels, kernel_size)) {}

// Each layer's clone() is compiled here, once, rather than in every program that includes its
// header (the extern templates there; nn/cloneable.hpp).
template class detail::CloneableAs<Conv1dImpl, ConvNdImpl<1>>;
template class detail::CloneableAs<Conv2dImpl, ConvNdImpl<2>>;
template class detail::CloneableAs<Conv3dImpl, ConvNdImpl<3>>;
}  // namespace tg::nn
