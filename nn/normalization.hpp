// BatchNorm1d, BatchNorm2d, BatchNorm3d and LayerNorm with libtorch's options, and F::batch_norm,
// F::layer_norm. The arithmetic is tg::batch_norm / tg::layer_norm (autograd/ops_norm.cpp).
//
//   tg::nn::BatchNorm2d bn(16);       // weight = 1, bias = 0, running_mean = 0, running_var = 1
//   bn->train();  auto y = bn(x);     // batch statistics; running ones updated with momentum
//   bn->eval();   auto z = bn(x);     // running statistics
//   tg::nn::LayerNorm ln(tg::nn::LayerNormOptions({10}).eps(1e-6));
// Buffers (register_buffer): running_mean, running_var (unbiased, as PyTorch), and
// num_batches_tracked (int64), which drives the cumulative average when momentum is nullopt.
#pragma once

#include <iosfwd>
#include <optional>
#include <vector>

#include "cloneable.hpp"
#include "module.hpp"

namespace tg::nn {

struct BatchNormOptions {
  /* implicit */ BatchNormOptions(int64_t num_features) : num_features_(num_features) {}  // NOLINT
  TG_ARG(int64_t, num_features);
  TG_ARG(double, eps) = 1e-5;
  // nullopt: running statistics are the plain average of every batch seen.
  TG_ARG(std::optional<double>, momentum) = 0.1;
  TG_ARG(bool, affine) = true;
  TG_ARG(bool, track_running_stats) = true;
};
using BatchNorm1dOptions = BatchNormOptions;
using BatchNorm2dOptions = BatchNormOptions;
using BatchNorm3dOptions = BatchNormOptions;

struct LayerNormOptions {
  /* implicit */ LayerNormOptions(std::vector<int64_t> normalized_shape)  // NOLINT
      : normalized_shape_(std::move(normalized_shape)) {}
  TG_ARG(std::vector<int64_t>, normalized_shape);
  TG_ARG(double, eps) = 1e-5;
  TG_ARG(bool, elementwise_affine) = true;
};

namespace functional {
struct BatchNormFuncOptions {
  TG_ARG(Tensor, weight) = Tensor();
  TG_ARG(Tensor, bias) = Tensor();
  TG_ARG(bool, training) = false;
  TG_ARG(std::optional<double>, momentum) = 0.1;
  TG_ARG(double, eps) = 1e-5;
};
struct LayerNormFuncOptions {
  /* implicit */ LayerNormFuncOptions(std::vector<int64_t> normalized_shape)  // NOLINT
      : normalized_shape_(std::move(normalized_shape)) {}
  TG_ARG(std::vector<int64_t>, normalized_shape);
  TG_ARG(Tensor, weight) = {};
  TG_ARG(Tensor, bias) = {};
  TG_ARG(double, eps) = 1e-5;
};
// When training, updates running_mean/running_var in place (if defined).
Tensor batch_norm(const Tensor& input, const Tensor& running_mean, const Tensor& running_var,
                  const BatchNormFuncOptions& options = {});
Tensor layer_norm(const Tensor& input, const LayerNormFuncOptions& options);
}  // namespace functional

// Shared by BatchNorm1d/2d/3d (libtorch's BatchNormImplBase); D is 1, 2 or 3.
template <size_t D>
class BatchNormImplBase : public Module {
 public:
  explicit BatchNormImplBase(const BatchNormOptions& options_);
  void reset();
  // running_mean = 0, running_var = 1, num_batches_tracked = 0.
  void reset_running_stats();
  // reset_running_stats(), then weight = 1 and bias = 0.
  void reset_parameters();
  void pretty_print(std::ostream& stream) const override;
  // BatchNorm1d takes (N, C) or (N, C, L), BatchNorm2d (N, C, H, W), BatchNorm3d
  // (N, C, D, H, W), with C = num_features.
  Tensor forward(const Tensor& input);

  BatchNormOptions options;
  Tensor weight, bias;                                    // undefined unless affine
  Tensor running_mean, running_var, num_batches_tracked;  // undefined unless tracking
};

class BatchNorm1dImpl : public detail::CloneableAs<BatchNorm1dImpl, BatchNormImplBase<1>> {
 public:
  using CloneableAs::CloneableAs;
};
TG_MODULE(BatchNorm1d);
extern template class detail::CloneableAs<BatchNorm1dImpl, BatchNormImplBase<1>>;

class BatchNorm2dImpl : public detail::CloneableAs<BatchNorm2dImpl, BatchNormImplBase<2>> {
 public:
  using CloneableAs::CloneableAs;
};
TG_MODULE(BatchNorm2d);
extern template class detail::CloneableAs<BatchNorm2dImpl, BatchNormImplBase<2>>;

class BatchNorm3dImpl : public detail::CloneableAs<BatchNorm3dImpl, BatchNormImplBase<3>> {
 public:
  using CloneableAs::CloneableAs;
};
TG_MODULE(BatchNorm3d);
extern template class detail::CloneableAs<BatchNorm3dImpl, BatchNormImplBase<3>>;

extern template class BatchNormImplBase<1>;
extern template class BatchNormImplBase<2>;
extern template class BatchNormImplBase<3>;

class LayerNormImpl : public Cloneable<LayerNormImpl> {
 public:
  LayerNormImpl(std::vector<int64_t> normalized_shape);  // NOLINT: implicit, as libtorch
  explicit LayerNormImpl(LayerNormOptions options_);
  void reset() override;
  void reset_parameters();  // weight = 1, bias = 0
  void pretty_print(std::ostream& stream) const override;
  Tensor forward(const Tensor& input);

  LayerNormOptions options;
  Tensor weight, bias;  // of shape normalized_shape; undefined unless elementwise_affine
};
TG_MODULE(LayerNorm);
extern template class detail::CloneableAs<LayerNormImpl, Module>;

}  // namespace tg::nn
