// InstanceNorm1d/2d/3d with libtorch's options, and F::instance_norm. The arithmetic is
// tg::instance_norm (autograd/ops_norm.cpp): each (sample, channel) is normalised over its own
// spatial elements.
//
//   tg::nn::InstanceNorm2d in(tg::nn::InstanceNorm2dOptions(16).affine(true));
//   auto y = in(x);   // x (N, 16, H, W) or unbatched (16, H, W)
// Unlike BatchNorm, affine and track_running_stats default to false, and momentum is a plain
// double. With track_running_stats, running_mean/running_var (and num_batches_tracked) are
// buffers updated in training mode and used in eval mode.
#pragma once

#include <iosfwd>

#include "cloneable.hpp"
#include "module.hpp"

namespace tg::nn {

struct InstanceNormOptions {
  /* implicit */ InstanceNormOptions(int64_t num_features)  // NOLINT
      : num_features_(num_features) {}
  TG_ARG(int64_t, num_features);
  TG_ARG(double, eps) = 1e-5;
  TG_ARG(double, momentum) = 0.1;
  TG_ARG(bool, affine) = false;
  TG_ARG(bool, track_running_stats) = false;
};
using InstanceNorm1dOptions = InstanceNormOptions;
using InstanceNorm2dOptions = InstanceNormOptions;
using InstanceNorm3dOptions = InstanceNormOptions;

namespace functional {
struct InstanceNormFuncOptions {
  TG_ARG(Tensor, running_mean) = Tensor();
  TG_ARG(Tensor, running_var) = Tensor();
  TG_ARG(Tensor, weight) = Tensor();
  TG_ARG(Tensor, bias) = Tensor();
  TG_ARG(bool, use_input_stats) = true;
  TG_ARG(double, momentum) = 0.1;
  TG_ARG(double, eps) = 1e-5;
};
Tensor instance_norm(const Tensor& input, const InstanceNormFuncOptions& options = {});
}  // namespace functional

// Shared by InstanceNorm1d/2d/3d (libtorch's InstanceNormImpl<D>): inputs have D spatial dims,
// with or without the batch dim.
template <size_t D>
class InstanceNormImplBase : public Module {
 public:
  explicit InstanceNormImplBase(const InstanceNormOptions& options_);
  void reset();
  void reset_running_stats();  // running_mean = 0, running_var = 1, num_batches_tracked = 0
  void reset_parameters();     // reset_running_stats(), weight = 1, bias = 0
  void pretty_print(std::ostream& stream) const override;
  Tensor forward(const Tensor& input);

  InstanceNormOptions options;
  Tensor weight, bias;                                    // undefined unless affine
  Tensor running_mean, running_var, num_batches_tracked;  // undefined unless tracking
};

class InstanceNorm1dImpl : public detail::CloneableAs<InstanceNorm1dImpl, InstanceNormImplBase<1>> {
 public:
  using CloneableAs::CloneableAs;
};
TG_MODULE(InstanceNorm1d);
extern template class detail::CloneableAs<InstanceNorm1dImpl, InstanceNormImplBase<1>>;

class InstanceNorm2dImpl : public detail::CloneableAs<InstanceNorm2dImpl, InstanceNormImplBase<2>> {
 public:
  using CloneableAs::CloneableAs;
};
TG_MODULE(InstanceNorm2d);
extern template class detail::CloneableAs<InstanceNorm2dImpl, InstanceNormImplBase<2>>;

class InstanceNorm3dImpl : public detail::CloneableAs<InstanceNorm3dImpl, InstanceNormImplBase<3>> {
 public:
  using CloneableAs::CloneableAs;
};
TG_MODULE(InstanceNorm3d);
extern template class detail::CloneableAs<InstanceNorm3dImpl, InstanceNormImplBase<3>>;

extern template class InstanceNormImplBase<1>;
extern template class InstanceNormImplBase<2>;
extern template class InstanceNormImplBase<3>;

}  // namespace tg::nn
