#include "normalization.hpp"

#include <ostream>
#include <string>

#include "../autograd/functions.hpp"
#include "init.hpp"
#include "layer_error.hpp"

namespace tg::nn {

namespace functional {
Tensor batch_norm(const Tensor& input, const Tensor& running_mean, const Tensor& running_var,
                  const BatchNormFuncOptions& o) {
  return tg::batch_norm(input, o.weight(), o.bias(), running_mean, running_var, o.training(),
                        o.momentum().value_or(0.0), o.eps());
}
Tensor layer_norm(const Tensor& input, const LayerNormFuncOptions& o) {
  return tg::layer_norm(input, o.normalized_shape(), o.weight(), o.bias(), o.eps());
}
}  // namespace functional

template <size_t D>
BatchNormImplBase<D>::BatchNormImplBase(const BatchNormOptions& options_) : options(options_) {
  reset();
}

template <size_t D>
void BatchNormImplBase<D>::reset() {
  const int64_t c = options.num_features();
  if (c <= 0)
    throw Error("BatchNorm" + std::to_string(D) + "d: num_features must be positive, got " +
                std::to_string(c));
  if (options.affine()) {
    weight = register_parameter("weight", tg::empty({c}));
    bias = register_parameter("bias", tg::empty({c}));
  } else {
    weight = register_parameter("weight", Tensor(), /*requires_grad=*/false);
    bias = register_parameter("bias", Tensor(), /*requires_grad=*/false);
  }
  if (options.track_running_stats()) {
    running_mean = register_buffer("running_mean", tg::zeros({c}));
    running_var = register_buffer("running_var", tg::ones({c}));
    num_batches_tracked = register_buffer("num_batches_tracked", tg::zeros({}, kLong));
  } else {
    running_mean = register_buffer("running_mean", Tensor());
    running_var = register_buffer("running_var", Tensor());
    num_batches_tracked = register_buffer("num_batches_tracked", Tensor());
  }
  reset_parameters();
}

template <size_t D>
void BatchNormImplBase<D>::reset_running_stats() {
  if (!options.track_running_stats()) return;
  NoGradGuard no_grad;
  running_mean.zero_();
  running_var.fill_(1);
  num_batches_tracked.zero_();
}

template <size_t D>
void BatchNormImplBase<D>::reset_parameters() {
  reset_running_stats();
  if (options.affine()) init::ones_(weight), init::zeros_(bias);
}

template <size_t D>
void BatchNormImplBase<D>::pretty_print(std::ostream& stream) const {
  stream << std::boolalpha << "torch::nn::BatchNorm" << D << "d(" << options.num_features()
         << ", eps=" << options.eps() << ", momentum=";
  if (options.momentum())
    stream << *options.momentum();
  else
    stream << "None";
  stream << ", affine=" << options.affine()
         << ", track_running_stats=" << options.track_running_stats() << ")";
}

template <size_t D>
Tensor BatchNormImplBase<D>::forward(const Tensor& input) {
  const std::string layer = "BatchNorm" + std::to_string(D) + "d";
  if (!input.defined()) throw Error(layer + ": input is an undefined tensor");
  const bool dims_ok = D == 1 ? (input.dim() == 2 || input.dim() == 3) : input.dim() == D + 2;
  if (!dims_ok)
    throw Error(layer + ": expected " + (D == 1 ? "2D or 3D" : std::to_string(D + 2) + "D") +
                " input (got " + std::to_string(input.dim()) + "D input of shape " +
                to_string(input.sizes()) + ")");
  if (input.size(1) != options.num_features())
    throw Error(layer + ": expected input with " + std::to_string(options.num_features()) +
                " channels (num_features), got shape " + to_string(input.sizes()));
  double factor = options.momentum().value_or(0.0);
  if (is_training() && options.track_running_stats()) {
    NoGradGuard no_grad;
    num_batches_tracked.add_(tg::ones({}, kLong));
    // Without momentum the running statistics are the cumulative average: weight 1/n.
    if (!options.momentum()) factor = 1.0 / double(num_batches_tracked.template item<int64_t>());
  }
  return detail::named_errors(layer, [&] {
    return tg::batch_norm(input, weight, bias, running_mean, running_var,
                          is_training() || !options.track_running_stats(), factor, options.eps());
  });
}

template class BatchNormImplBase<1>;
template class BatchNormImplBase<2>;
template class BatchNormImplBase<3>;

LayerNormImpl::LayerNormImpl(LayerNormOptions options_) : options(std::move(options_)) { reset(); }

void LayerNormImpl::reset() {
  if (options.elementwise_affine()) {
    weight = register_parameter("weight", tg::empty(options.normalized_shape()));
    bias = register_parameter("bias", tg::empty(options.normalized_shape()));
  } else {
    weight = register_parameter("weight", Tensor(), /*requires_grad=*/false);
    bias = register_parameter("bias", Tensor(), /*requires_grad=*/false);
  }
  reset_parameters();
}

void LayerNormImpl::reset_parameters() {
  if (options.elementwise_affine()) init::ones_(weight), init::zeros_(bias);
}

void LayerNormImpl::pretty_print(std::ostream& stream) const {
  stream << std::boolalpha << "torch::nn::LayerNorm(" << IntArrayRef(options.normalized_shape())
         << ", eps=" << options.eps() << ", elementwise_affine=" << options.elementwise_affine()
         << ")";
}

Tensor LayerNormImpl::forward(const Tensor& input) {
  return detail::named_errors("LayerNorm", [&] {
    return tg::layer_norm(input, options.normalized_shape(), weight, bias, options.eps());
  });
}

// Convenience constructors, out of line: see the note at TG_MODULE in module.hpp.
LayerNormImpl::LayerNormImpl(std::vector<int64_t> normalized_shape)
    : LayerNormImpl(LayerNormOptions(std::move(normalized_shape))) {}

// Each layer's clone() is compiled here, once, rather than in every program that includes its
// header (the extern templates there; nn/cloneable.hpp).
template class detail::CloneableAs<BatchNorm1dImpl, BatchNormImplBase<1>>;
template class detail::CloneableAs<BatchNorm2dImpl, BatchNormImplBase<2>>;
template class detail::CloneableAs<BatchNorm3dImpl, BatchNormImplBase<3>>;
template class detail::CloneableAs<LayerNormImpl, Module>;
}  // namespace tg::nn
