#include "instancenorm.hpp"

#include <ostream>
#include <string>

#include "../autograd/functions.hpp"
#include "init.hpp"
#include "layer_error.hpp"

namespace tg::nn {

namespace functional {
Tensor instance_norm(const Tensor& input, const InstanceNormFuncOptions& o) {
  return tg::instance_norm(input, o.weight(), o.bias(), o.running_mean(), o.running_var(),
                           o.use_input_stats(), o.momentum(), o.eps());
}
}  // namespace functional

template <size_t D>
InstanceNormImplBase<D>::InstanceNormImplBase(const InstanceNormOptions& options_)
    : options(options_) {
  reset();
}

// As libtorch's NormImplBase::reset.
template <size_t D>
void InstanceNormImplBase<D>::reset() {
  const int64_t c = options.num_features();
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
void InstanceNormImplBase<D>::reset_running_stats() {
  if (!options.track_running_stats()) return;
  NoGradGuard no_grad;
  running_mean.zero_();
  running_var.fill_(1);
  num_batches_tracked.zero_();
}

template <size_t D>
void InstanceNormImplBase<D>::reset_parameters() {
  reset_running_stats();
  if (options.affine()) init::ones_(weight), init::zeros_(bias);
}

template <size_t D>
void InstanceNormImplBase<D>::pretty_print(std::ostream& stream) const {
  stream << std::boolalpha << "torch::nn::InstanceNorm" << D << "d(" << options.num_features()
         << ", eps=" << options.eps() << ", momentum=" << options.momentum()
         << ", affine=" << options.affine()
         << ", track_running_stats=" << options.track_running_stats() << ")";
}

template <size_t D>
Tensor InstanceNormImplBase<D>::forward(const Tensor& input) {
  const int64_t batched = int64_t(D) + 2;
  if (input.dim() != batched && input.dim() != batched - 1)
    throw Error("expected " + std::to_string(batched - 1) + "D or " + std::to_string(batched) +
                "D input (got " + std::to_string(input.dim()) + "D input)");
  // Unbatched: as libtorch's handle_no_batch_input.
  if (input.dim() == batched - 1) return forward(input.unsqueeze(0)).squeeze(0);
  return detail::named_errors("InstanceNorm" + std::to_string(D) + "d", [&] {
    return tg::instance_norm(input, weight, bias, running_mean, running_var,
                             is_training() || !options.track_running_stats(), options.momentum(),
                             options.eps());
  });
}

template class InstanceNormImplBase<1>;
template class InstanceNormImplBase<2>;
template class InstanceNormImplBase<3>;

// Each layer's clone() is compiled here, once, rather than in every program that includes its
// header (the extern templates there; nn/cloneable.hpp).
template class detail::CloneableAs<InstanceNorm1dImpl, InstanceNormImplBase<1>>;
template class detail::CloneableAs<InstanceNorm2dImpl, InstanceNormImplBase<2>>;
template class detail::CloneableAs<InstanceNorm3dImpl, InstanceNormImplBase<3>>;
}  // namespace tg::nn
