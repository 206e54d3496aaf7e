#include "pooling.hpp"

#include <ostream>
#include <string>

#include "../autograd/functions.hpp"
#include "layer_error.hpp"

namespace tg::nn {

namespace functional {
std::tuple<Tensor, Tensor> max_pool2d_with_indices(const Tensor& input,
                                                   const MaxPool2dFuncOptions& o) {
  return tg::max_pool2d_with_indices(input, o.kernel_size(), o.stride(), o.padding(), o.dilation(),
                                     o.ceil_mode());
}
Tensor max_pool2d(const Tensor& input, const MaxPool2dFuncOptions& o) {
  return tg::max_pool2d(input, o.kernel_size(), o.stride(), o.padding(), o.dilation(),
                        o.ceil_mode());
}
Tensor avg_pool2d(const Tensor& input, const AvgPool2dFuncOptions& o) {
  return tg::avg_pool2d(input, o.kernel_size(), o.stride(), o.padding(), o.ceil_mode(),
                        o.count_include_pad(), o.divisor_override());
}
Tensor adaptive_avg_pool2d(const Tensor& input, const AdaptiveAvgPool2dFuncOptions& o) {
  if (!input.defined() || input.dim() < 2)
    throw Error("adaptive_avg_pool2d: expected a 3-D or 4-D input, got " +
                (input.defined() ? to_string(input.sizes()) : std::string("an undefined tensor")));
  const auto& size = *o.output_size();
  const int64_t out[2] = {size[0].value_or(input.size(-2)), size[1].value_or(input.size(-1))};
  return tg::adaptive_avg_pool2d(input, IntArrayRef(out, 2));
}
}  // namespace functional

namespace F = functional;

using detail::named_errors;

void MaxPool2dImpl::pretty_print(std::ostream& stream) const {
  stream << std::boolalpha << "torch::nn::MaxPool2d(kernel_size=" << options.kernel_size()
         << ", stride=" << options.stride() << ", padding=" << options.padding()
         << ", dilation=" << options.dilation() << ", ceil_mode=" << options.ceil_mode() << ")";
}
Tensor MaxPool2dImpl::forward(const Tensor& input) {
  return named_errors("MaxPool2d", [&] { return F::max_pool2d(input, options); });
}
std::tuple<Tensor, Tensor> MaxPool2dImpl::forward_with_indices(const Tensor& input) {
  return named_errors("MaxPool2d", [&] { return F::max_pool2d_with_indices(input, options); });
}

void AvgPool2dImpl::pretty_print(std::ostream& stream) const {
  stream << "torch::nn::AvgPool2d(kernel_size=" << options.kernel_size()
         << ", stride=" << options.stride() << ", padding=" << options.padding() << ")";
}
Tensor AvgPool2dImpl::forward(const Tensor& input) {
  return named_errors("AvgPool2d", [&] { return F::avg_pool2d(input, options); });
}

void AdaptiveAvgPool2dImpl::pretty_print(std::ostream& stream) const {
  stream << "torch::nn::AdaptiveAvgPool2d(output_size=" << options.output_size() << ")";
}
Tensor AdaptiveAvgPool2dImpl::forward(const Tensor& input) {
  return named_errors("AdaptiveAvgPool2d", [&] { return F::adaptive_avg_pool2d(input, options); });
}

// Convenience constructors, out of line: see the note at TG_MODULE in module.hpp.
MaxPool2dImpl::MaxPool2dImpl(ExpandingArray<2> kernel_size)
    : MaxPool2dImpl(MaxPool2dOptions(kernel_size)) {}
AvgPool2dImpl::AvgPool2dImpl(ExpandingArray<2> kernel_size)
    : AvgPool2dImpl(AvgPool2dOptions(kernel_size)) {}
AdaptiveAvgPool2dImpl::AdaptiveAvgPool2dImpl(ExpandingArrayWithOptionalElem<2> output_size)
    : AdaptiveAvgPool2dImpl(AdaptiveAvgPool2dOptions(output_size)) {}

// Each layer's clone() is compiled here, once, rather than in every program that includes its
// header (the extern templates there; nn/cloneable.hpp).
template class detail::CloneableAs<AdaptiveAvgPool2dImpl, Module>;
template class detail::CloneableAs<AvgPool2dImpl, Module>;
template class detail::CloneableAs<MaxPool2dImpl, Module>;
}  // namespace tg::nn
