// Normalisation and dropout, composites of existing primitives (mean, var, rsqrt, mul, add):
// their gradients and second derivatives come from the tape. A fused batch_norm backward
// would save a few passes over the input, but these layers are not where time goes in the
// small CNNs tapegrad targets (the convolutions are), so readability wins.
#include <cmath>
#include <string>
#include <utility>

#include "functions.hpp"
#include "tape.hpp"

namespace tg {

// Dropout, libtorch's _dropout_impl: a Bernoulli(1 - p) mask (one value per element, or per
// (sample, channel) for the feature variants), drawn in libtorch's order so a seed gives the
// same mask. Plain: y = x * m / (1 - p). Alpha (for SELU nets; keeps mean 0 and variance 1):
// y = x * m a + (m - 1) alpha' a + alpha' a p, with alpha' = 1.7580993408473766 and
// a = 1 / sqrt((alpha'^2 p + 1)(1 - p)): dropped values go to SELU's negative saturation.
static Tensor dropout_impl(const Tensor& input, double p, bool train, bool feature, bool alpha,
                           const char* op) {
  check_defined(input, op);
  if (!(p >= 0 && p <= 1))
    fail(std::string(op) + ": dropout probability has to be between 0 and 1, but got " +
         std::to_string(p));
  if (p == 0 || !train || input.numel() == 0) return input;
  check_floating(input, op);
  if (p == 1) return input * zeros({}, input.scalar_type());
  std::vector<int64_t> noise_shape = input.sizes().vec();
  if (feature) {
    if (input.dim() < 2)
      fail(std::string(op) + ": Feature dropout requires at least 2 dimensions in the input");
    for (size_t d = 2; d < noise_shape.size(); ++d) noise_shape[d] = 1;
  }
  Tensor noise = empty(noise_shape, input.scalar_type());
  noise.bernoulli_(1 - p);
  if (!alpha) return input * noise.div_(1 - p);
  constexpr double kAlpha = 1.7580993408473766;
  const double a = 1. / std::sqrt((kAlpha * kAlpha * p + 1) * (1 - p));
  Tensor b = noise.add(-1).mul_(kAlpha * a).add_(kAlpha * a * p);
  noise.mul_(a);
  return input * noise + b;
}
Tensor dropout(const Tensor& input, double p, bool train) {
  return dropout_impl(input, p, train, false, false, "dropout");
}
Tensor feature_dropout(const Tensor& input, double p, bool train) {
  return dropout_impl(input, p, train, true, false, "feature_dropout");
}
Tensor alpha_dropout(const Tensor& input, double p, bool train) {
  return dropout_impl(input, p, train, false, true, "alpha_dropout");
}
Tensor feature_alpha_dropout(const Tensor& input, double p, bool train) {
  return dropout_impl(input, p, train, true, true, "feature_alpha_dropout");
}

// Shape (1, C, 1, ...) that broadcasts a per-channel vector over an (N, C, ...) input.
static Shape channel_shape(const Tensor& x) {
  Shape s;
  for (int64_t d = 0; d < x.dim(); ++d) s.push_back(d == 1 ? x.size(1) : 1);
  return s;
}

static void check_channel_vector(const Tensor& v, int64_t c, const char* what,
                                 const Tensor& input) {
  if (v.defined() && (v.dim() != 1 || v.size(0) != c))
    fail(std::string("batch_norm: expected ") + what + " of shape [" + std::to_string(c) +
         "], got " + to_string(v.sizes()) + " (input shape " + to_string(input.sizes()) + ")");
}

// batch_norm: y = (x - mean) / sqrt(var + eps) * weight + bias over every dim but 1. Training
// uses the batch's statistics (biased variance) and updates the running ones in place with
// r = (1 - momentum) r + momentum s, where the running variance takes the unbiased estimate.
Tensor batch_norm(const Tensor& input, const Tensor& weight, const Tensor& bias,
                  const Tensor& running_mean, const Tensor& running_var, bool training,
                  double momentum, double eps, bool /*cudnn_enabled*/) {
  check_defined(input, "batch_norm");
  check_floating(input, "batch_norm");
  if (input.dim() < 2)
    fail("batch_norm: expected an input of shape (N, C, ...), got " + to_string(input.sizes()));
  const int64_t c = input.size(1), count = input.numel() / std::max<int64_t>(c, 1);
  check_channel_vector(weight, c, "weight", input);
  check_channel_vector(bias, c, "bias", input);
  check_channel_vector(running_mean, c, "running_mean", input);
  check_channel_vector(running_var, c, "running_var", input);
  const Shape cs = channel_shape(input);
  std::vector<int64_t> dims;
  for (int64_t d = 0; d < input.dim(); ++d)
    if (d != 1) dims.push_back(d);
  Tensor y;
  if (training || !running_mean.defined() || !running_var.defined()) {
    if (training && count <= 1)
      fail("batch_norm: expected more than 1 value per channel when training, got input size " +
           to_string(input.sizes()));
    Tensor mean = input.mean(dims, true);
    Tensor var = input.var(dims, false, true);
    if (training && running_mean.defined() && running_var.defined()) {
      NoGradGuard no_grad;
      const double unbias = double(count) / double(count - 1);
      running_mean.mul_(1 - momentum).add_(mean.detach().reshape({c}), momentum);
      running_var.mul_(1 - momentum).add_(var.detach().reshape({c}), momentum * unbias);
    }
    y = (input - mean) * rsqrt(var + eps);
  } else {
    y = (input - running_mean.reshape(cs)) * rsqrt(running_var.reshape(cs) + eps);
  }
  if (weight.defined()) y = y * weight.reshape(cs);
  if (bias.defined()) y = y + bias.reshape(cs);
  return y;
}

// layer_norm: normalises over the trailing dims given by normalized_shape (biased variance).
Tensor layer_norm(const Tensor& input, IntArrayRef normalized_shape, const Tensor& weight,
                  const Tensor& bias, double eps, bool /*cudnn_enable*/) {
  check_defined(input, "layer_norm");
  check_floating(input, "layer_norm");
  const int64_t k = int64_t(normalized_shape.size()), nd = input.dim();
  bool ok = k >= 1 && k <= nd;
  for (int64_t j = 0; ok && j < k; ++j) ok = input.size(nd - k + j) == normalized_shape[size_t(j)];
  if (!ok)
    fail("layer_norm: given normalized_shape=" + to_string(normalized_shape) +
         ", expected input with shape [*, " + to_string(normalized_shape).substr(1) +
         ", but got input of size " + to_string(input.sizes()));
  for (const Tensor* p : {&weight, &bias})
    if (p->defined() && p->sizes() != normalized_shape)
      fail("layer_norm: expected weight and bias of shape " + to_string(normalized_shape) +
           ", got " + to_string(p->sizes()));
  std::vector<int64_t> dims;
  for (int64_t d = nd - k; d < nd; ++d) dims.push_back(d);
  Tensor y = (input - input.mean(dims, true)) * rsqrt(input.var(dims, false, true) + eps);
  if (weight.defined()) y = y * weight;
  if (bias.defined()) y = y + bias;
  return y;
}

// instance_norm (ATen's): batch_norm of the input seen as (1, N*C, ...), so each (sample,
// channel) pair is normalised over its own spatial elements. The running statistics (when
// given) are updated per channel with the mean over the batch of the per-sample updates.
Tensor instance_norm(const Tensor& input, const Tensor& weight, const Tensor& bias,
                     const Tensor& running_mean, const Tensor& running_var, bool use_input_stats,
                     double momentum, double eps, bool /*cudnn_enabled*/) {
  check_defined(input, "instance_norm");
  if (!use_input_stats && !(running_mean.defined() && running_var.defined()))
    fail("Expected running_mean and running_var to be defined when use_input_stats is false");
  if (input.dim() < 2)
    fail("instance_norm: expected an input of shape (N, C, ...), got " + to_string(input.sizes()));
  const int64_t b = input.size(0), c = input.size(1);
  Shape shape = input.sizes();
  shape[1] = b * c;
  shape[0] = 1;
  auto repeat_b = [b](const Tensor& t) { return t.defined() ? t.repeat({b}) : t; };
  Tensor rm = repeat_b(running_mean), rv = repeat_b(running_var);
  Tensor out = batch_norm(input.reshape(shape), repeat_b(weight), repeat_b(bias), rm, rv,
                          use_input_stats, momentum, eps)
                   .view(input.sizes());
  NoGradGuard no_grad;
  if (running_mean.defined()) running_mean.copy_(rm.view({b, c}).mean({0}));
  if (running_var.defined()) running_var.copy_(rv.view({b, c}).mean({0}));
  return out;
}

// group_norm: the C channels split into num_groups groups of C/G; each (sample, group) is
// normalised over its channels and spatial elements (biased variance), then the per-channel
// weight and bias apply.
Tensor group_norm(const Tensor& input, int64_t num_groups, const Tensor& weight, const Tensor& bias,
                  double eps, bool /*cudnn_enabled*/) {
  check_defined(input, "group_norm");
  check_floating(input, "group_norm");
  if (input.dim() < 2)
    fail("group_norm: expected an input of shape (N, C, ...), got " + to_string(input.sizes()));
  const int64_t n = input.size(0), c = input.size(1);
  if (num_groups <= 0 || c % num_groups != 0)
    fail(
        "Expected number of channels in input to be divisible by num_groups, but got input of "
        "shape " +
        to_string(input.sizes()) + " and num_groups=" + std::to_string(num_groups));
  for (const auto& [p, name] : {std::pair{&weight, "weight"}, std::pair{&bias, "bias"}})
    if (p->defined() && (p->dim() != 1 || p->numel() != c))
      fail(std::string("Expected ") + name +
           " to be a vector of size equal to the number of channels in input, but got " + name +
           " of shape " + to_string(p->sizes()) + " and input of shape " +
           to_string(input.sizes()));
  Tensor g = input.reshape({n, num_groups, -1});
  Tensor y = ((g - g.mean({2}, true)) * rsqrt(g.var({2}, false, true) + eps)).view(input.sizes());
  const Shape cs = channel_shape(input);
  if (weight.defined()) y = y * weight.reshape(cs);
  if (bias.defined()) y = y + bias.reshape(cs);
  return y;
}

}  // namespace tg
