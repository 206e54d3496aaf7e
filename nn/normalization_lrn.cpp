// GroupNorm (tg::group_norm), and LocalResponseNorm, CrossMapLRN2d, normalize as composites of
// tape ops: their gradients come from the tape.
#include "normalization_lrn.hpp"

#include <algorithm>
#include <ostream>
#include <string>
#include <vector>

#include "../autograd/functions.hpp"
#include "init.hpp"
#include "layer_error.hpp"

namespace tg::nn {

namespace functional {

Tensor group_norm(const Tensor& input, const GroupNormFuncOptions& o) {
  return tg::group_norm(input, o.num_groups(), o.weight(), o.bias(), o.eps());
}

// libtorch's F::local_response_norm: the average of x^2 over `size` channels (an average
// pool with zero padding counted), then x / (k + alpha avg)^beta.
Tensor local_response_norm(const Tensor& input, const LocalResponseNormFuncOptions& o) {
  const int64_t dim = input.dim(), size = o.size();
  if (dim < 3)
    throw Error("Expected 3D or higher dimensionality input (got " + std::to_string(dim) +
                " dimensions)");
  const int64_t c = input.size(1);
  Tensor sq = input.mul(input);
  Shape pad_shape = sq.sizes();
  pad_shape[1] = size / 2;
  Tensor before = zeros(pad_shape, sq.scalar_type());
  pad_shape[1] = (size - 1) / 2;
  Tensor after = zeros(pad_shape, sq.scalar_type());
  Tensor padded = cat({before, sq, after}, 1);
  Tensor sum = padded.narrow(1, 0, c);
  for (int64_t j = 1; j < size; ++j) sum = sum + padded.narrow(1, j, c);
  // An integer average pool truncates (the squares are non-negative: floor = trunc).
  Tensor div = is_floating_point(sum.scalar_type()) ? sum / double(size) : sum.floor_divide(size);
  div = div.mul(o.alpha()).add(o.k()).pow(o.beta());
  return input / div;
}

Tensor normalize(const Tensor& input, NormalizeFuncOptions o) {
  Tensor denom = input.norm(o.p(), {o.dim()}, true).clamp_min(o.eps()).expand_as(input);
  if (!o.out()) return input / denom;
  Tensor out = *o.out();
  out.copy_(input / denom);
  return out;
}

}  // namespace functional

// ---- GroupNorm ----
GroupNormImpl::GroupNormImpl(const GroupNormOptions& options_) : options(options_) { reset(); }

void GroupNormImpl::reset() {
  if (options.affine()) {
    weight = register_parameter("weight", tg::empty({options.num_channels()}));
    bias = register_parameter("bias", tg::empty({options.num_channels()}));
  } else {
    weight = register_parameter("weight", Tensor(), /*requires_grad=*/false);
    bias = register_parameter("bias", Tensor(), /*requires_grad=*/false);
  }
  reset_parameters();
}

void GroupNormImpl::reset_parameters() {
  if (options.affine()) init::ones_(weight), init::zeros_(bias);
}

void GroupNormImpl::pretty_print(std::ostream& stream) const {
  stream << std::boolalpha << "torch::nn::GroupNorm(" << options.num_groups() << ", "
         << options.num_channels() << ", eps=" << options.eps() << ", affine=" << options.affine()
         << ")";
}

Tensor GroupNormImpl::forward(const Tensor& input) {
  return detail::named_errors("GroupNorm", [&] {
    return tg::group_norm(input, options.num_groups(), weight, bias, options.eps());
  });
}

GroupNormImpl::GroupNormImpl(int64_t num_groups, int64_t num_channels)
    : GroupNormImpl(GroupNormOptions(num_groups, num_channels)) {}

// ---- LocalResponseNorm ----
LocalResponseNormImpl::LocalResponseNormImpl(const LocalResponseNormOptions& options_)
    : options(options_) {}

void LocalResponseNormImpl::pretty_print(std::ostream& stream) const {
  stream << std::boolalpha << "torch::nn::LocalResponseNorm(" << options.size()
         << ", alpha=" << options.alpha() << ", beta=" << options.beta() << ", k=" << options.k()
         << ")";
}

Tensor LocalResponseNormImpl::forward(const Tensor& input) {
  return functional::local_response_norm(input, options);
}

// ---- CrossMapLRN2d ----
CrossMapLRN2dImpl::CrossMapLRN2dImpl(const CrossMapLRN2dOptions& options_) : options(options_) {}

void CrossMapLRN2dImpl::pretty_print(std::ostream& stream) const {
  stream << std::boolalpha << "torch::nn::CrossMapLRN2d(" << options.size()
         << ", alpha=" << options.alpha() << ", beta=" << options.beta() << ", k=" << options.k()
         << ")";
}

// libtorch's legacy CrossMapLRN2d forward: scale[c] is a running sum of squares over a
// channel window built incrementally (with pre_pad = (size - 1) / 2 + 1, channel c adds
// square[c + pre_pad - 1] and, for c > pre_pad only, drops square[c - pre_pad], so channel 0
// stays in every window, as in the original); y = x (k + alpha/size scale)^-beta.
// The gradient is the tape's exact one of this forward (libtorch's hand-written backward uses
// the symmetric window; the two agree when no channel is further than pre_pad from channel 0).
Tensor CrossMapLRN2dImpl::forward(const Tensor& input) {
  if (input.dim() != 4)
    throw Error("CrossMapLRN2d: Expected input.dim() == 4 to be true, but got false. (input of " +
                std::to_string(input.dim()) + " dims)");
  const int64_t channels = input.size(1), size = options.size();
  const int64_t pre_pad = (size - 1) / 2 + 1, pre_pad_crop = std::min(pre_pad, channels);
  Tensor sq = input.pow(2);
  std::vector<Tensor> scale;
  Tensor first = sq.select(1, 0) * 0;
  for (int64_t c = 0; c < pre_pad_crop; ++c) first = first + sq.select(1, c);
  scale.push_back(first);
  for (int64_t c = 1; c < channels; ++c) {
    Tensor cur = scale.back();
    if (c < channels - pre_pad + 1) cur = cur + sq.select(1, c + pre_pad - 1);
    if (c > pre_pad) cur = cur - sq.select(1, c - pre_pad);
    scale.push_back(cur);
  }
  Tensor s = stack(scale, 1).mul(options.alpha() / double(size)).add(double(options.k()));
  return s.pow(-options.beta()) * input;
}

// Each layer's clone() is compiled here, once, rather than in every program that includes its
// header (the extern templates there; nn/cloneable.hpp).
template class detail::CloneableAs<CrossMapLRN2dImpl, Module>;
template class detail::CloneableAs<GroupNormImpl, Module>;
template class detail::CloneableAs<LocalResponseNormImpl, Module>;
}  // namespace tg::nn
