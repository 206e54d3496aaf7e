// The pooling layers beyond pooling.hpp's 2-D ones, with libtorch's options and functional
// forms: MaxPool1d/3d, AvgPool1d/3d, AdaptiveMaxPool1d/2d/3d, AdaptiveAvgPool1d/3d,
// MaxUnpool1d/2d/3d, FractionalMaxPool2d/3d and LPPool1d/2d. Kernels: autograd/ops_pool_nd.cpp.
//
//   tg::nn::MaxPool3d pool(tg::nn::MaxPool3dOptions(3).stride(2));
//   auto [y, idx] = pool->forward_with_indices(x);
//   tg::nn::MaxUnpool3d unpool(tg::nn::MaxUnpool3dOptions(3).stride(2));
//   auto x2 = unpool(y, idx, x.sizes().vec());     // zeros except the maxima
#pragma once

#include <iosfwd>
#include <optional>
#include <tuple>
#include <vector>

#include "cloneable.hpp"
#include "expanding_array.hpp"
#include "module.hpp"
#include "pooling.hpp"  // the options shared with the 2-D layers

namespace tg::nn {

template <typename output_size_t>
struct AdaptiveMaxPoolOptions {
  AdaptiveMaxPoolOptions(output_size_t output_size)  // NOLINT: implicit, as libtorch
      : output_size_(output_size) {}
  TG_ARG(output_size_t, output_size);
};
using AdaptiveMaxPool1dOptions = AdaptiveMaxPoolOptions<ExpandingArray<1>>;
using AdaptiveMaxPool2dOptions = AdaptiveMaxPoolOptions<ExpandingArrayWithOptionalElem<2>>;
using AdaptiveMaxPool3dOptions = AdaptiveMaxPoolOptions<ExpandingArrayWithOptionalElem<3>>;

template <size_t D>
struct MaxUnpoolOptions {
  MaxUnpoolOptions(ExpandingArray<D> kernel_size)  // NOLINT: implicit, as libtorch
      : kernel_size_(kernel_size), stride_(kernel_size) {}
  TG_ARG(ExpandingArray<D>, kernel_size);
  TG_ARG(ExpandingArray<D>, stride);
  TG_ARG(ExpandingArray<D>, padding) = 0;
};
using MaxUnpool1dOptions = MaxUnpoolOptions<1>;
using MaxUnpool2dOptions = MaxUnpoolOptions<2>;
using MaxUnpool3dOptions = MaxUnpoolOptions<3>;

template <size_t D>
struct FractionalMaxPoolOptions {
  FractionalMaxPoolOptions(ExpandingArray<D> kernel_size)  // NOLINT: implicit, as libtorch
      : kernel_size_(kernel_size) {}
  TG_ARG(ExpandingArray<D>, kernel_size);
  TG_ARG(std::optional<ExpandingArray<D>>, output_size) = std::nullopt;
  using ExpandingArrayDouble = ExpandingArray<D, double>;
  TG_ARG(std::optional<ExpandingArrayDouble>, output_ratio) = std::nullopt;
  // (N, C, D) uniform samples placing the windows; drawn with tg::rand when undefined.
  TG_ARG(Tensor, _random_samples) = Tensor();
};
using FractionalMaxPool2dOptions = FractionalMaxPoolOptions<2>;
using FractionalMaxPool3dOptions = FractionalMaxPoolOptions<3>;

template <size_t D>
struct LPPoolOptions {
  LPPoolOptions(double norm_type, ExpandingArray<D> kernel_size)
      : norm_type_(norm_type), kernel_size_(kernel_size), stride_(kernel_size) {}
  TG_ARG(double, norm_type);
  TG_ARG(ExpandingArray<D>, kernel_size);
  TG_ARG(ExpandingArray<D>, stride);
  TG_ARG(bool, ceil_mode) = false;
};
using LPPool1dOptions = LPPoolOptions<1>;
using LPPool2dOptions = LPPoolOptions<2>;

namespace functional {
using MaxPool1dFuncOptions = MaxPool1dOptions;
using MaxPool3dFuncOptions = MaxPool3dOptions;
using AvgPool1dFuncOptions = AvgPool1dOptions;
using AvgPool3dFuncOptions = AvgPool3dOptions;
using AdaptiveMaxPool1dFuncOptions = AdaptiveMaxPool1dOptions;
using AdaptiveMaxPool2dFuncOptions = AdaptiveMaxPool2dOptions;
using AdaptiveMaxPool3dFuncOptions = AdaptiveMaxPool3dOptions;
using AdaptiveAvgPool1dFuncOptions = AdaptiveAvgPool1dOptions;
using AdaptiveAvgPool3dFuncOptions = AdaptiveAvgPool3dOptions;
using FractionalMaxPool2dFuncOptions = FractionalMaxPool2dOptions;
using FractionalMaxPool3dFuncOptions = FractionalMaxPool3dOptions;
using LPPool1dFuncOptions = LPPool1dOptions;
using LPPool2dFuncOptions = LPPool2dOptions;
template <size_t D>
struct MaxUnpoolFuncOptions {
  MaxUnpoolFuncOptions(ExpandingArray<D> kernel_size)  // NOLINT: implicit, as libtorch
      : kernel_size_(kernel_size), stride_(kernel_size) {}
  TG_ARG(ExpandingArray<D>, kernel_size);
  TG_ARG(ExpandingArray<D>, stride);
  TG_ARG(ExpandingArray<D>, padding) = 0;
  // (N, C, ...) sizes; default (in - 1) stride + kernel - 2 padding in each spatial dim.
  TG_ARG(std::optional<std::vector<int64_t>>, output_size) = std::nullopt;
};
using MaxUnpool1dFuncOptions = MaxUnpoolFuncOptions<1>;
using MaxUnpool2dFuncOptions = MaxUnpoolFuncOptions<2>;
using MaxUnpool3dFuncOptions = MaxUnpoolFuncOptions<3>;

Tensor max_pool1d(const Tensor& input, const MaxPool1dFuncOptions& options);
std::tuple<Tensor, Tensor> max_pool1d_with_indices(const Tensor& input,
                                                   const MaxPool1dFuncOptions& options);
Tensor max_pool3d(const Tensor& input, const MaxPool3dFuncOptions& options);
std::tuple<Tensor, Tensor> max_pool3d_with_indices(const Tensor& input,
                                                   const MaxPool3dFuncOptions& options);
Tensor avg_pool1d(const Tensor& input, const AvgPool1dFuncOptions& options);
Tensor avg_pool3d(const Tensor& input, const AvgPool3dFuncOptions& options);
Tensor adaptive_max_pool1d(const Tensor& input, const AdaptiveMaxPool1dFuncOptions& options);
std::tuple<Tensor, Tensor> adaptive_max_pool1d_with_indices(
    const Tensor& input, const AdaptiveMaxPool1dFuncOptions& options);
Tensor adaptive_max_pool2d(const Tensor& input, const AdaptiveMaxPool2dFuncOptions& options);
std::tuple<Tensor, Tensor> adaptive_max_pool2d_with_indices(
    const Tensor& input, const AdaptiveMaxPool2dFuncOptions& options);
Tensor adaptive_max_pool3d(const Tensor& input, const AdaptiveMaxPool3dFuncOptions& options);
std::tuple<Tensor, Tensor> adaptive_max_pool3d_with_indices(
    const Tensor& input, const AdaptiveMaxPool3dFuncOptions& options);
Tensor adaptive_avg_pool1d(const Tensor& input, const AdaptiveAvgPool1dFuncOptions& options);
Tensor adaptive_avg_pool3d(const Tensor& input, const AdaptiveAvgPool3dFuncOptions& options);
Tensor max_unpool1d(const Tensor& input, const Tensor& indices,
                    const MaxUnpool1dFuncOptions& options);
Tensor max_unpool2d(const Tensor& input, const Tensor& indices,
                    const MaxUnpool2dFuncOptions& options);
Tensor max_unpool3d(const Tensor& input, const Tensor& indices,
                    const MaxUnpool3dFuncOptions& options);
Tensor fractional_max_pool2d(const Tensor& input, const FractionalMaxPool2dFuncOptions& options);
std::tuple<Tensor, Tensor> fractional_max_pool2d_with_indices(
    const Tensor& input, const FractionalMaxPool2dFuncOptions& options);
Tensor fractional_max_pool3d(const Tensor& input, const FractionalMaxPool3dFuncOptions& options);
std::tuple<Tensor, Tensor> fractional_max_pool3d_with_indices(
    const Tensor& input, const FractionalMaxPool3dFuncOptions& options);
// (sum over each window of x^p)^(1/p): avg_pool of x^p times the window size (libtorch's way).
Tensor lp_pool1d(const Tensor& input, const LPPool1dFuncOptions& options);
Tensor lp_pool2d(const Tensor& input, const LPPool2dFuncOptions& options);
}  // namespace functional

// One module class per layer; the shared parts (options, printing) in a base per family.
template <size_t D>
class MaxPoolNdImpl : public Module {
 public:
  explicit MaxPoolNdImpl(const MaxPoolOptions<D>& options_) : options(options_) {}
  void reset() {}
  void pretty_print(std::ostream& stream) const override;
  MaxPoolOptions<D> options;
};
template <size_t D>
class AvgPoolNdImpl : public Module {
 public:
  explicit AvgPoolNdImpl(const AvgPoolOptions<D>& options_) : options(options_) {}
  void reset() {}
  void pretty_print(std::ostream& stream) const override;
  AvgPoolOptions<D> options;
};
template <size_t D, typename output_size_t>
class AdaptiveMaxPoolNdImpl : public Module {
 public:
  explicit AdaptiveMaxPoolNdImpl(const AdaptiveMaxPoolOptions<output_size_t>& options_)
      : options(options_) {}
  void reset() {}
  void pretty_print(std::ostream& stream) const override;
  AdaptiveMaxPoolOptions<output_size_t> options;
};
template <size_t D, typename output_size_t>
class AdaptiveAvgPoolNdImpl : public Module {
 public:
  explicit AdaptiveAvgPoolNdImpl(const AdaptiveAvgPoolOptions<output_size_t>& options_)
      : options(options_) {}
  void reset() {}
  void pretty_print(std::ostream& stream) const override;
  AdaptiveAvgPoolOptions<output_size_t> options;
};
template <size_t D>
class MaxUnpoolNdImpl : public Module {
 public:
  explicit MaxUnpoolNdImpl(const MaxUnpoolOptions<D>& options_) : options(options_) {}
  void reset() {}
  void pretty_print(std::ostream& stream) const override;
  Tensor forward(const Tensor& input, const Tensor& indices,
                 const std::optional<std::vector<int64_t>>& output_size = std::nullopt);
  MaxUnpoolOptions<D> options;

 protected:
  TG_FORWARD_HAS_DEFAULT_ARGS({2, AnyValue(std::optional<std::vector<int64_t>>())})
};
template <size_t D>
class FractionalMaxPoolNdImpl : public Module {
 public:
  explicit FractionalMaxPoolNdImpl(const FractionalMaxPoolOptions<D>& options_);
  void reset();
  void pretty_print(std::ostream& stream) const override;
  Tensor forward(const Tensor& input);
  std::tuple<Tensor, Tensor> forward_with_indices(const Tensor& input);
  FractionalMaxPoolOptions<D> options;
  Tensor _random_samples;
};
template <size_t D>
class LPPoolNdImpl : public Module {
 public:
  explicit LPPoolNdImpl(const LPPoolOptions<D>& options_) : options(options_) {}
  void reset() {}
  void pretty_print(std::ostream& stream) const override;
  Tensor forward(const Tensor& input);
  LPPoolOptions<D> options;
};

// Compiled once, in pooling_nd.cpp.
extern template class MaxPoolNdImpl<1>;
extern template class MaxPoolNdImpl<3>;
extern template class AvgPoolNdImpl<1>;
extern template class AvgPoolNdImpl<3>;
extern template class AdaptiveMaxPoolNdImpl<1, ExpandingArray<1>>;
extern template class AdaptiveMaxPoolNdImpl<2, ExpandingArrayWithOptionalElem<2>>;
extern template class AdaptiveMaxPoolNdImpl<3, ExpandingArrayWithOptionalElem<3>>;
extern template class AdaptiveAvgPoolNdImpl<1, ExpandingArray<1>>;
extern template class AdaptiveAvgPoolNdImpl<3, ExpandingArrayWithOptionalElem<3>>;
extern template class MaxUnpoolNdImpl<1>;
extern template class MaxUnpoolNdImpl<2>;
extern template class MaxUnpoolNdImpl<3>;
extern template class FractionalMaxPoolNdImpl<2>;
extern template class FractionalMaxPoolNdImpl<3>;
extern template class LPPoolNdImpl<1>;
extern template class LPPoolNdImpl<2>;

// The layers: the convenience constructors are out of line (see the note at TG_MODULE).
class MaxPool1dImpl : public detail::CloneableAs<MaxPool1dImpl, MaxPoolNdImpl<1>> {
 public:
  MaxPool1dImpl(ExpandingArray<1> kernel_size);
  explicit MaxPool1dImpl(const MaxPool1dOptions& options_) : CloneableAs(options_) {}
  Tensor forward(const Tensor& input);
  std::tuple<Tensor, Tensor> forward_with_indices(const Tensor& input);
};
TG_MODULE(MaxPool1d);
extern template class detail::CloneableAs<MaxPool1dImpl, MaxPoolNdImpl<1>>;
class MaxPool3dImpl : public detail::CloneableAs<MaxPool3dImpl, MaxPoolNdImpl<3>> {
 public:
  MaxPool3dImpl(ExpandingArray<3> kernel_size);
  explicit MaxPool3dImpl(const MaxPool3dOptions& options_) : CloneableAs(options_) {}
  Tensor forward(const Tensor& input);
  std::tuple<Tensor, Tensor> forward_with_indices(const Tensor& input);
};
TG_MODULE(MaxPool3d);
extern template class detail::CloneableAs<MaxPool3dImpl, MaxPoolNdImpl<3>>;
class AvgPool1dImpl : public detail::CloneableAs<AvgPool1dImpl, AvgPoolNdImpl<1>> {
 public:
  AvgPool1dImpl(ExpandingArray<1> kernel_size);
  explicit AvgPool1dImpl(const AvgPool1dOptions& options_) : CloneableAs(options_) {}
  Tensor forward(const Tensor& input);
};
TG_MODULE(AvgPool1d);
extern template class detail::CloneableAs<AvgPool1dImpl, AvgPoolNdImpl<1>>;
class AvgPool3dImpl : public detail::CloneableAs<AvgPool3dImpl, AvgPoolNdImpl<3>> {
 public:
  AvgPool3dImpl(ExpandingArray<3> kernel_size);
  explicit AvgPool3dImpl(const AvgPool3dOptions& options_) : CloneableAs(options_) {}
  Tensor forward(const Tensor& input);
};
TG_MODULE(AvgPool3d);
extern template class detail::CloneableAs<AvgPool3dImpl, AvgPoolNdImpl<3>>;
class AdaptiveMaxPool1dImpl
    : public detail::CloneableAs<AdaptiveMaxPool1dImpl,
                                 AdaptiveMaxPoolNdImpl<1, ExpandingArray<1>>> {
 public:
  AdaptiveMaxPool1dImpl(ExpandingArray<1> output_size);
  explicit AdaptiveMaxPool1dImpl(const AdaptiveMaxPool1dOptions& options_)
      : CloneableAs(options_) {}
  Tensor forward(const Tensor& input);
  std::tuple<Tensor, Tensor> forward_with_indices(const Tensor& input);
};
TG_MODULE(AdaptiveMaxPool1d);
extern template class detail::CloneableAs<AdaptiveMaxPool1dImpl,
                                          AdaptiveMaxPoolNdImpl<1, ExpandingArray<1>>>;
class AdaptiveMaxPool2dImpl
    : public detail::CloneableAs<AdaptiveMaxPool2dImpl,
                                 AdaptiveMaxPoolNdImpl<2, ExpandingArrayWithOptionalElem<2>>> {
 public:
  AdaptiveMaxPool2dImpl(ExpandingArrayWithOptionalElem<2> output_size);
  explicit AdaptiveMaxPool2dImpl(const AdaptiveMaxPool2dOptions& options_)
      : CloneableAs(options_) {}
  Tensor forward(const Tensor& input);
  std::tuple<Tensor, Tensor> forward_with_indices(const Tensor& input);
};
TG_MODULE(AdaptiveMaxPool2d);
extern template class detail::CloneableAs<
    AdaptiveMaxPool2dImpl, AdaptiveMaxPoolNdImpl<2, ExpandingArrayWithOptionalElem<2>>>;
class AdaptiveMaxPool3dImpl
    : public detail::CloneableAs<AdaptiveMaxPool3dImpl,
                                 AdaptiveMaxPoolNdImpl<3, ExpandingArrayWithOptionalElem<3>>> {
 public:
  AdaptiveMaxPool3dImpl(ExpandingArrayWithOptionalElem<3> output_size);
  explicit AdaptiveMaxPool3dImpl(const AdaptiveMaxPool3dOptions& options_)
      : CloneableAs(options_) {}
  Tensor forward(const Tensor& input);
  std::tuple<Tensor, Tensor> forward_with_indices(const Tensor& input);
};
TG_MODULE(AdaptiveMaxPool3d);
extern template class detail::CloneableAs<
    AdaptiveMaxPool3dImpl, AdaptiveMaxPoolNdImpl<3, ExpandingArrayWithOptionalElem<3>>>;
class AdaptiveAvgPool1dImpl
    : public detail::CloneableAs<AdaptiveAvgPool1dImpl,
                                 AdaptiveAvgPoolNdImpl<1, ExpandingArray<1>>> {
 public:
  AdaptiveAvgPool1dImpl(ExpandingArray<1> output_size);
  explicit AdaptiveAvgPool1dImpl(const AdaptiveAvgPool1dOptions& options_)
      : CloneableAs(options_) {}
  Tensor forward(const Tensor& input);
};
TG_MODULE(AdaptiveAvgPool1d);
extern template class detail::CloneableAs<AdaptiveAvgPool1dImpl,
                                          AdaptiveAvgPoolNdImpl<1, ExpandingArray<1>>>;
class AdaptiveAvgPool3dImpl
    : public detail::CloneableAs<AdaptiveAvgPool3dImpl,
                                 AdaptiveAvgPoolNdImpl<3, ExpandingArrayWithOptionalElem<3>>> {
 public:
  AdaptiveAvgPool3dImpl(ExpandingArrayWithOptionalElem<3> output_size);
  explicit AdaptiveAvgPool3dImpl(const AdaptiveAvgPool3dOptions& options_)
      : CloneableAs(options_) {}
  Tensor forward(const Tensor& input);
};
TG_MODULE(AdaptiveAvgPool3d);
extern template class detail::CloneableAs<
    AdaptiveAvgPool3dImpl, AdaptiveAvgPoolNdImpl<3, ExpandingArrayWithOptionalElem<3>>>;
class MaxUnpool1dImpl : public detail::CloneableAs<MaxUnpool1dImpl, MaxUnpoolNdImpl<1>> {
 public:
  MaxUnpool1dImpl(ExpandingArray<1> kernel_size);
  explicit MaxUnpool1dImpl(const MaxUnpool1dOptions& options_) : CloneableAs(options_) {}
};
TG_MODULE(MaxUnpool1d);
extern template class detail::CloneableAs<MaxUnpool1dImpl, MaxUnpoolNdImpl<1>>;
class MaxUnpool2dImpl : public detail::CloneableAs<MaxUnpool2dImpl, MaxUnpoolNdImpl<2>> {
 public:
  MaxUnpool2dImpl(ExpandingArray<2> kernel_size);
  explicit MaxUnpool2dImpl(const MaxUnpool2dOptions& options_) : CloneableAs(options_) {}
};
TG_MODULE(MaxUnpool2d);
extern template class detail::CloneableAs<MaxUnpool2dImpl, MaxUnpoolNdImpl<2>>;
class MaxUnpool3dImpl : public detail::CloneableAs<MaxUnpool3dImpl, MaxUnpoolNdImpl<3>> {
 public:
  MaxUnpool3dImpl(ExpandingArray<3> kernel_size);
  explicit MaxUnpool3dImpl(const MaxUnpool3dOptions& options_) : CloneableAs(options_) {}
};
TG_MODULE(MaxUnpool3d);
extern template class detail::CloneableAs<MaxUnpool3dImpl, MaxUnpoolNdImpl<3>>;
class FractionalMaxPool2dImpl
    : public detail::CloneableAs<FractionalMaxPool2dImpl, FractionalMaxPoolNdImpl<2>> {
 public:
  FractionalMaxPool2dImpl(ExpandingArray<2> kernel_size);
  explicit FractionalMaxPool2dImpl(const FractionalMaxPool2dOptions& options_)
      : CloneableAs(options_) {}
};
TG_MODULE(FractionalMaxPool2d);
extern template class detail::CloneableAs<FractionalMaxPool2dImpl, FractionalMaxPoolNdImpl<2>>;
class FractionalMaxPool3dImpl
    : public detail::CloneableAs<FractionalMaxPool3dImpl, FractionalMaxPoolNdImpl<3>> {
 public:
  FractionalMaxPool3dImpl(ExpandingArray<3> kernel_size);
  explicit FractionalMaxPool3dImpl(const FractionalMaxPool3dOptions& options_)
      : CloneableAs(options_) {}
};
TG_MODULE(FractionalMaxPool3d);
extern template class detail::CloneableAs<FractionalMaxPool3dImpl, FractionalMaxPoolNdImpl<3>>;
class LPPool1dImpl : public detail::CloneableAs<LPPool1dImpl, LPPoolNdImpl<1>> {
 public:
  LPPool1dImpl(double norm_type, ExpandingArray<1> kernel_size);
  explicit LPPool1dImpl(const LPPool1dOptions& options_) : CloneableAs(options_) {}
};
TG_MODULE(LPPool1d);
extern template class detail::CloneableAs<LPPool1dImpl, LPPoolNdImpl<1>>;
class LPPool2dImpl : public detail::CloneableAs<LPPool2dImpl, LPPoolNdImpl<2>> {
 public:
  LPPool2dImpl(double norm_type, ExpandingArray<2> kernel_size);
  explicit LPPool2dImpl(const LPPool2dOptions& options_) : CloneableAs(options_) {}
};
TG_MODULE(LPPool2d);
extern template class detail::CloneableAs<LPPool2dImpl, LPPoolNdImpl<2>>;

}  // namespace tg::nn
