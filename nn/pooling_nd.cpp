#include "pooling_nd.hpp"

#include <ostream>
#include <string>

#include "../autograd/functions.hpp"
#include "layer_error.hpp"
#include "pooling.hpp"

namespace tg::nn {

namespace functional {
namespace {
// Optional output sizes: an absent entry keeps the input's size in that dim.
template <size_t D>
std::vector<int64_t> with_default(const ExpandingArrayWithOptionalElem<D>& size,
                                  const Tensor& input) {
  if (!input.defined() || input.dim() < int64_t(D))
    throw Error("expected an input with at least " + std::to_string(D) + " dims");
  std::vector<int64_t> out(D);
  for (size_t i = 0; i < D; ++i)
    out[i] = (*size)[i].value_or(input.size(input.dim() - int64_t(D) + int64_t(i)));
  return out;
}

// libtorch's _unpool_output_size: the default (in - 1) stride + kernel - 2 padding, or the given
// size (N, C, ... or the spatial sizes), which must lie within a stride of it.
std::vector<int64_t> unpool_output_size(const Tensor& input, IntArrayRef kernel_size,
                                        IntArrayRef stride, IntArrayRef padding,
                                        const std::optional<std::vector<int64_t>>& output_size) {
  const size_t dims = kernel_size.size();
  if (!input.defined() || input.dim() < int64_t(dims) + 1)
    throw Error("max_unpool: expected an input with at least " + std::to_string(dims + 1) +
                " dims");
  std::vector<int64_t> def;
  for (size_t d = 0; d < dims; ++d)
    def.push_back((input.size(input.dim() - int64_t(dims) + int64_t(d)) - 1) * stride[d] +
                  kernel_size[d] - 2 * padding[d]);
  if (!output_size) return def;
  // As libtorch, only the full (N, C, ...) form is taken (the spatial sizes alone end up empty).
  std::vector<int64_t> out;
  if (output_size->size() == dims + 2) out.assign(output_size->begin() + 2, output_size->end());
  if (out.size() != dims)
    throw Error("output_size should be a sequence containing " + std::to_string(dims) + " or " +
                std::to_string(dims + 2) + " elements, but it has a length of '" +
                std::to_string(out.size()) + "'");
  for (size_t d = 0; d < dims; ++d) {
    const int64_t lo = def[d] - stride[d], hi = def[d] + stride[d];
    if (out[d] < lo || out[d] > hi)
      throw Error("invalid output_size " + to_string(IntArrayRef(out)) + " (dim " +
                  std::to_string(d) + " must be between " + std::to_string(lo) + " and " +
                  std::to_string(hi) + ")");
  }
  return out;
}

template <size_t D>
std::tuple<Tensor, Tensor> fractional(const Tensor& input, const FractionalMaxPoolOptions<D>& o,
                                      const Tensor& samples) {
  const char* name = D == 2 ? "fractional_max_pool2d" : "fractional_max_pool3d";
  if (!o.output_size() && !o.output_ratio())
    throw Error(std::string(name) +
                " requires specifying either an output_size or an output_ratio");
  if (!input.defined() || input.dim() < int64_t(D) + 1)
    throw Error(std::string(name) + ": expected a " + std::to_string(D + 1) + "D or " +
                std::to_string(D + 2) + "D input");
  std::vector<int64_t> out(D);
  for (size_t i = 0; i < D; ++i)
    out[i] = o.output_size() ? (**o.output_size())[i]
                             : int64_t(double(input.size(input.dim() - int64_t(D) + int64_t(i))) *
                                       (**o.output_ratio())[i]);
  Tensor u = samples;
  if (!u.defined()) {
    const int64_t batch = input.dim() == int64_t(D) + 1 ? 1 : input.size(0);
    u = rand({batch, input.size(input.dim() - int64_t(D) - 1), int64_t(D)}, input.scalar_type());
  }
  return D == 2 ? tg::fractional_max_pool2d(input, o.kernel_size(), out, u)
                : tg::fractional_max_pool3d(input, o.kernel_size(), out, u);
}
}  // namespace

Tensor max_pool1d(const Tensor& input, const MaxPool1dFuncOptions& o) {
  return tg::max_pool1d(input, o.kernel_size(), o.stride(), o.padding(), o.dilation(),
                        o.ceil_mode());
}
std::tuple<Tensor, Tensor> max_pool1d_with_indices(const Tensor& input,
                                                   const MaxPool1dFuncOptions& o) {
  return tg::max_pool1d_with_indices(input, o.kernel_size(), o.stride(), o.padding(), o.dilation(),
                                     o.ceil_mode());
}
Tensor max_pool3d(const Tensor& input, const MaxPool3dFuncOptions& o) {
  return tg::max_pool3d(input, o.kernel_size(), o.stride(), o.padding(), o.dilation(),
                        o.ceil_mode());
}
std::tuple<Tensor, Tensor> max_pool3d_with_indices(const Tensor& input,
                                                   const MaxPool3dFuncOptions& o) {
  return tg::max_pool3d_with_indices(input, o.kernel_size(), o.stride(), o.padding(), o.dilation(),
                                     o.ceil_mode());
}
Tensor avg_pool1d(const Tensor& input, const AvgPool1dFuncOptions& o) {
  // libtorch's F::avg_pool1d ignores divisor_override (at::avg_pool1d has none).
  return tg::avg_pool1d(input, o.kernel_size(), o.stride(), o.padding(), o.ceil_mode(),
                        o.count_include_pad());
}
Tensor avg_pool3d(const Tensor& input, const AvgPool3dFuncOptions& o) {
  return tg::avg_pool3d(input, o.kernel_size(), o.stride(), o.padding(), o.ceil_mode(),
                        o.count_include_pad(), o.divisor_override());
}
std::tuple<Tensor, Tensor> adaptive_max_pool1d_with_indices(const Tensor& input,
                                                            const AdaptiveMaxPool1dFuncOptions& o) {
  return tg::adaptive_max_pool1d(input, o.output_size());
}
Tensor adaptive_max_pool1d(const Tensor& input, const AdaptiveMaxPool1dFuncOptions& o) {
  return std::get<0>(adaptive_max_pool1d_with_indices(input, o));
}
std::tuple<Tensor, Tensor> adaptive_max_pool2d_with_indices(const Tensor& input,
                                                            const AdaptiveMaxPool2dFuncOptions& o) {
  return tg::adaptive_max_pool2d(input, with_default(o.output_size(), input));
}
Tensor adaptive_max_pool2d(const Tensor& input, const AdaptiveMaxPool2dFuncOptions& o) {
  return std::get<0>(adaptive_max_pool2d_with_indices(input, o));
}
std::tuple<Tensor, Tensor> adaptive_max_pool3d_with_indices(const Tensor& input,
                                                            const AdaptiveMaxPool3dFuncOptions& o) {
  return tg::adaptive_max_pool3d(input, with_default(o.output_size(), input));
}
Tensor adaptive_max_pool3d(const Tensor& input, const AdaptiveMaxPool3dFuncOptions& o) {
  return std::get<0>(adaptive_max_pool3d_with_indices(input, o));
}
Tensor adaptive_avg_pool1d(const Tensor& input, const AdaptiveAvgPool1dFuncOptions& o) {
  return tg::adaptive_avg_pool1d(input, o.output_size());
}
Tensor adaptive_avg_pool3d(const Tensor& input, const AdaptiveAvgPool3dFuncOptions& o) {
  return tg::adaptive_avg_pool3d(input, with_default(o.output_size(), input));
}
Tensor max_unpool1d(const Tensor& input, const Tensor& indices, const MaxUnpool1dFuncOptions& o) {
  auto size = unpool_output_size(input, o.kernel_size(), o.stride(), o.padding(), o.output_size());
  size.push_back(1);
  return tg::max_unpool2d(input.unsqueeze(-1), indices.unsqueeze(-1), size).squeeze(-1);
}
Tensor max_unpool2d(const Tensor& input, const Tensor& indices, const MaxUnpool2dFuncOptions& o) {
  return tg::max_unpool2d(
      input, indices,
      unpool_output_size(input, o.kernel_size(), o.stride(), o.padding(), o.output_size()));
}
Tensor max_unpool3d(const Tensor& input, const Tensor& indices, const MaxUnpool3dFuncOptions& o) {
  return tg::max_unpool3d(
      input, indices,
      unpool_output_size(input, o.kernel_size(), o.stride(), o.padding(), o.output_size()),
      o.stride(), o.padding());
}
std::tuple<Tensor, Tensor> fractional_max_pool2d_with_indices(
    const Tensor& input, const FractionalMaxPool2dFuncOptions& o) {
  return fractional<2>(input, o, o._random_samples());
}
Tensor fractional_max_pool2d(const Tensor& input, const FractionalMaxPool2dFuncOptions& o) {
  return std::get<0>(fractional_max_pool2d_with_indices(input, o));
}
std::tuple<Tensor, Tensor> fractional_max_pool3d_with_indices(
    const Tensor& input, const FractionalMaxPool3dFuncOptions& o) {
  return fractional<3>(input, o, o._random_samples());
}
Tensor fractional_max_pool3d(const Tensor& input, const FractionalMaxPool3dFuncOptions& o) {
  return std::get<0>(fractional_max_pool3d_with_indices(input, o));
}
// out = avg_pool(x^p) * window; (sign(out) relu(|out|) * window)^(1/p), as libtorch.
Tensor lp_pool1d(const Tensor& input, const LPPool1dFuncOptions& o) {
  Tensor out =
      tg::avg_pool1d(input.pow(o.norm_type()), o.kernel_size(), o.stride(), 0, o.ceil_mode(), true);
  return (sign(out) * relu(abs(out))).mul(double((*o.kernel_size())[0])).pow(1. / o.norm_type());
}
Tensor lp_pool2d(const Tensor& input, const LPPool2dFuncOptions& o) {
  const auto& k = *o.kernel_size();
  Tensor out = tg::avg_pool2d(input.pow(o.norm_type()), o.kernel_size(), o.stride(), 0,
                              o.ceil_mode(), true, std::nullopt);
  return (sign(out) * relu(abs(out))).mul(double(k[0] * k[1])).pow(1. / o.norm_type());
}
}  // namespace functional

namespace F = functional;
using detail::named_errors;

template <size_t D>
void MaxPoolNdImpl<D>::pretty_print(std::ostream& stream) const {
  stream << std::boolalpha << "torch::nn::MaxPool" << D << "d(kernel_size=" << options.kernel_size()
         << ", stride=" << options.stride() << ", padding=" << options.padding()
         << ", dilation=" << options.dilation() << ", ceil_mode=" << options.ceil_mode() << ")";
}
template <size_t D>
void AvgPoolNdImpl<D>::pretty_print(std::ostream& stream) const {
  stream << "torch::nn::AvgPool" << D << "d(kernel_size=" << options.kernel_size()
         << ", stride=" << options.stride() << ", padding=" << options.padding() << ")";
}
template <size_t D, typename S>
void AdaptiveMaxPoolNdImpl<D, S>::pretty_print(std::ostream& stream) const {
  stream << "torch::nn::AdaptiveMaxPool" << D << "d(output_size=" << options.output_size() << ")";
}
template <size_t D, typename S>
void AdaptiveAvgPoolNdImpl<D, S>::pretty_print(std::ostream& stream) const {
  stream << "torch::nn::AdaptiveAvgPool" << D << "d(output_size=" << options.output_size() << ")";
}
template <size_t D>
void MaxUnpoolNdImpl<D>::pretty_print(std::ostream& stream) const {
  stream << "torch::nn::MaxUnpool" << D << "d(kernel_size=" << options.kernel_size()
         << ", stride=" << options.stride() << ", padding=" << options.padding() << ")";
}
template <size_t D>
Tensor MaxUnpoolNdImpl<D>::forward(const Tensor& input, const Tensor& indices,
                                   const std::optional<std::vector<int64_t>>& output_size) {
  F::MaxUnpoolFuncOptions<D> o(options.kernel_size());
  o.stride(options.stride()).padding(options.padding()).output_size(output_size);
  return named_errors("MaxUnpool" + std::to_string(D) + "d", [&] {
    if constexpr (D == 1)
      return F::max_unpool1d(input, indices, o);
    else if constexpr (D == 2)
      return F::max_unpool2d(input, indices, o);
    else
      return F::max_unpool3d(input, indices, o);
  });
}

template <size_t D>
FractionalMaxPoolNdImpl<D>::FractionalMaxPoolNdImpl(const FractionalMaxPoolOptions<D>& options_)
    : options(options_) {
  FractionalMaxPoolNdImpl<D>::reset();
}
template <size_t D>
void FractionalMaxPoolNdImpl<D>::reset() {
  const std::string name = "FractionalMaxPool" + std::to_string(D) + "d";
  _random_samples = register_buffer("_random_samples", options._random_samples());
  if (!options.output_size() && !options.output_ratio())
    throw Error(name + " requires specifying either an output size, or a pooling ratio");
  if (options.output_size() && options.output_ratio())
    throw Error("only one of output_size and output_ratio may be specified");
  if (options.output_ratio()) {
    const auto& r = **options.output_ratio();
    for (double v : r)
      if (!(0 < v && v < 1)) {
        std::string got = "[";
        for (size_t i = 0; i < D; ++i) got += (i ? ", " : "") + std::to_string(r[i]);
        throw Error("output_ratio must be between 0 and 1 (got " + got + "])");
      }
  }
}
template <size_t D>
void FractionalMaxPoolNdImpl<D>::pretty_print(std::ostream& stream) const {
  stream << "torch::nn::FractionalMaxPool" << D << "d()";
}
template <size_t D>
std::tuple<Tensor, Tensor> FractionalMaxPoolNdImpl<D>::forward_with_indices(const Tensor& input) {
  return named_errors("FractionalMaxPool" + std::to_string(D) + "d",
                      [&] { return F::fractional<D>(input, options, _random_samples); });
}
template <size_t D>
Tensor FractionalMaxPoolNdImpl<D>::forward(const Tensor& input) {
  return std::get<0>(forward_with_indices(input));
}

template <size_t D>
void LPPoolNdImpl<D>::pretty_print(std::ostream& stream) const {
  stream << std::boolalpha << "torch::nn::LPPool" << D << "d(norm_type=" << options.norm_type()
         << ", kernel_size=" << options.kernel_size() << ", stride=" << options.stride()
         << ", ceil_mode=" << options.ceil_mode() << ")";
}
template <size_t D>
Tensor LPPoolNdImpl<D>::forward(const Tensor& input) {
  return named_errors("LPPool" + std::to_string(D) + "d", [&] {
    if constexpr (D == 1)
      return F::lp_pool1d(input, options);
    else
      return F::lp_pool2d(input, options);
  });
}

template class MaxPoolNdImpl<1>;
template class MaxPoolNdImpl<3>;
template class AvgPoolNdImpl<1>;
template class AvgPoolNdImpl<3>;
template class AdaptiveMaxPoolNdImpl<1, ExpandingArray<1>>;
template class AdaptiveMaxPoolNdImpl<2, ExpandingArrayWithOptionalElem<2>>;
template class AdaptiveMaxPoolNdImpl<3, ExpandingArrayWithOptionalElem<3>>;
template class AdaptiveAvgPoolNdImpl<1, ExpandingArray<1>>;
template class AdaptiveAvgPoolNdImpl<3, ExpandingArrayWithOptionalElem<3>>;
template class MaxUnpoolNdImpl<1>;
template class MaxUnpoolNdImpl<2>;
template class MaxUnpoolNdImpl<3>;
template class FractionalMaxPoolNdImpl<2>;
template class FractionalMaxPoolNdImpl<3>;
template class LPPoolNdImpl<1>;
template class LPPoolNdImpl<2>;

// The layers' forwards and convenience constructors.
#define TG_POOL_FORWARD(Name, fn)                                      \
  Tensor Name##Impl::forward(const Tensor& input) {                    \
    return named_errors(#Name, [&] { return F::fn(input, options); }); \
  }
#define TG_POOL_FORWARD_INDICES(Name, fn)                                             \
  TG_POOL_FORWARD(Name, fn)                                                           \
  std::tuple<Tensor, Tensor> Name##Impl::forward_with_indices(const Tensor& input) {  \
    return named_errors(#Name, [&] { return F::fn##_with_indices(input, options); }); \
  }
TG_POOL_FORWARD_INDICES(MaxPool1d, max_pool1d)
TG_POOL_FORWARD_INDICES(MaxPool3d, max_pool3d)
TG_POOL_FORWARD(AvgPool1d, avg_pool1d)
TG_POOL_FORWARD(AvgPool3d, avg_pool3d)
TG_POOL_FORWARD_INDICES(AdaptiveMaxPool1d, adaptive_max_pool1d)
TG_POOL_FORWARD_INDICES(AdaptiveMaxPool2d, adaptive_max_pool2d)
TG_POOL_FORWARD_INDICES(AdaptiveMaxPool3d, adaptive_max_pool3d)
TG_POOL_FORWARD(AdaptiveAvgPool1d, adaptive_avg_pool1d)
TG_POOL_FORWARD(AdaptiveAvgPool3d, adaptive_avg_pool3d)
#undef TG_POOL_FORWARD_INDICES
#undef TG_POOL_FORWARD

#define TG_POOL_CTOR(Name, Arg) \
  Name##Impl::Name##Impl(Arg a) : Name##Impl(Name##Options(a)) {}
TG_POOL_CTOR(MaxPool1d, ExpandingArray<1>)
TG_POOL_CTOR(MaxPool3d, ExpandingArray<3>)
TG_POOL_CTOR(AvgPool1d, ExpandingArray<1>)
TG_POOL_CTOR(AvgPool3d, ExpandingArray<3>)
TG_POOL_CTOR(AdaptiveMaxPool1d, ExpandingArray<1>)
TG_POOL_CTOR(AdaptiveMaxPool2d, ExpandingArrayWithOptionalElem<2>)
TG_POOL_CTOR(AdaptiveMaxPool3d, ExpandingArrayWithOptionalElem<3>)
TG_POOL_CTOR(AdaptiveAvgPool1d, ExpandingArray<1>)
TG_POOL_CTOR(AdaptiveAvgPool3d, ExpandingArrayWithOptionalElem<3>)
TG_POOL_CTOR(MaxUnpool1d, ExpandingArray<1>)
TG_POOL_CTOR(MaxUnpool2d, ExpandingArray<2>)
TG_POOL_CTOR(MaxUnpool3d, ExpandingArray<3>)
TG_POOL_CTOR(FractionalMaxPool2d, ExpandingArray<2>)
TG_POOL_CTOR(FractionalMaxPool3d, ExpandingArray<3>)
#undef TG_POOL_CTOR
LPPool1dImpl::LPPool1dImpl(double norm_type, ExpandingArray<1> kernel_size)
    : LPPool1dImpl(LPPool1dOptions(norm_type, kernel_size)) {}
LPPool2dImpl::LPPool2dImpl(double norm_type, ExpandingArray<2> kernel_size)
    : LPPool2dImpl(LPPool2dOptions(norm_type, kernel_size)) {}

// Each layer's clone() is compiled here, once, rather than in every program that includes its
// header (the extern templates there; nn/cloneable.hpp).
template class detail::CloneableAs<AdaptiveAvgPool1dImpl,
                                   AdaptiveAvgPoolNdImpl<1, ExpandingArray<1>>>;
template class detail::CloneableAs<AdaptiveAvgPool3dImpl,
                                   AdaptiveAvgPoolNdImpl<3, ExpandingArrayWithOptionalElem<3>>>;
template class detail::CloneableAs<AdaptiveMaxPool1dImpl,
                                   AdaptiveMaxPoolNdImpl<1, ExpandingArray<1>>>;
template class detail::CloneableAs<AdaptiveMaxPool2dImpl,
                                   AdaptiveMaxPoolNdImpl<2, ExpandingArrayWithOptionalElem<2>>>;
template class detail::CloneableAs<AdaptiveMaxPool3dImpl,
                                   AdaptiveMaxPoolNdImpl<3, ExpandingArrayWithOptionalElem<3>>>;
template class detail::CloneableAs<AvgPool1dImpl, AvgPoolNdImpl<1>>;
template class detail::CloneableAs<AvgPool3dImpl, AvgPoolNdImpl<3>>;
template class detail::CloneableAs<FractionalMaxPool2dImpl, FractionalMaxPoolNdImpl<2>>;
template class detail::CloneableAs<FractionalMaxPool3dImpl, FractionalMaxPoolNdImpl<3>>;
template class detail::CloneableAs<LPPool1dImpl, LPPoolNdImpl<1>>;
template class detail::CloneableAs<LPPool2dImpl, LPPoolNdImpl<2>>;
template class detail::CloneableAs<MaxPool1dImpl, MaxPoolNdImpl<1>>;
template class detail::CloneableAs<MaxPool3dImpl, MaxPoolNdImpl<3>>;
template class detail::CloneableAs<MaxUnpool1dImpl, MaxUnpoolNdImpl<1>>;
template class detail::CloneableAs<MaxUnpool2dImpl, MaxUnpoolNdImpl<2>>;
template class detail::CloneableAs<MaxUnpool3dImpl, MaxUnpoolNdImpl<3>>;
}  // namespace tg::nn
