// The margin losses on scores: soft_margin, multilabel_soft_margin, multilabel_margin,
// multi_margin and hinge_embedding. All are composites of differentiable tg:: ops (double
// backward works; the hinges have a kink at the margin, where the gradient is 0 as in ATen).
// Reference semantics: ATen's Loss.cpp, LossMultiLabelMargin.cpp, LossMultiMargin.cpp and
// torch/nn/functional/loss.h (PyTorch 1.13).
#include <string>
#include <vector>

#include "functional.hpp"
#include "loss_common.hpp"

namespace tg::nn::functional {

using namespace detail;

namespace {

// Class indices must be int64 (a float tensor here is almost always a mix-up of two losses).
void check_index_target(const Tensor& target, const Tensor& input, const char* op) {
  check_defined(target, op, "target");
  if (target.scalar_type() != kLong)
    throw Error(std::string(op) +
                ": expected a target of dtype Long (class indices) for input of " + "shape " +
                shape(input) + ", got " + dtype_name(target.scalar_type()) + " target of shape " +
                shape(target));
}

// input (C) or (N, C) viewed as (N, C); 0-d input is one sample of one class, as in ATen.
Tensor as_rows(const Tensor& input, const char* op) {
  if (input.dim() > 2)
    throw Error(std::string(op) + ": expected a 0-D, 1-D or 2-D input, got shape " + shape(input));
  return input.dim() == 2 ? input : input.reshape({1, input.numel()});
}

// The per-sample losses (N) back to the unbatched shape () when the input had no batch.
Tensor per_sample(const Tensor& loss, const Tensor& input) {
  return input.dim() == 2 ? loss : loss.reshape({});
}

}  // namespace

Tensor soft_margin_loss(const Tensor& input, const Tensor& target,
                        const SoftMarginLossFuncOptions& options) {
  check_broadcast_target(input, target, "soft_margin_loss");
  const Reduction r = reduction_enum(options.reduction(), "soft_margin_loss");
  // log(1 + exp(-y x)) written as -log sigmoid(y x): equal, but finite for any |x| (ATen's
  // log1p(exp(.)) overflows to inf beyond |x| ~ 710 in float64, ~ 88 in float32).
  return reduce(-log_sigmoid(input * target), r);
}

Tensor multilabel_soft_margin_loss(const Tensor& input, const Tensor& target,
                                   const MultilabelSoftMarginLossFuncOptions& options) {
  const char* op = "multilabel_soft_margin_loss";
  check_same_shape(input, target, op, "input", "target");
  const Reduction r = reduction_enum(options.reduction(), op);
  if (input.dim() < 1)
    throw Error(std::string(op) + ": input must have a class dimension, got shape " + shape(input));
  check_weight_broadcast(options.weight(), input, op, "weight");
  Tensor loss = -(target * log_sigmoid(input) + (1 - target) * log_sigmoid(-input));
  if (options.weight().defined()) loss = loss * options.weight();
  const int64_t class_dim = input.dim() - 1;
  return reduce(loss.sum({class_dim}) / double(input.size(class_dim)), r);
}

Tensor multilabel_margin_loss(const Tensor& input, const Tensor& target,
                              const MultilabelMarginLossFuncOptions& options) {
  const char* op = "multilabel_margin_loss";
  check_floating_input(input, op, "input");
  check_index_target(target, input, op);
  const Reduction r = reduction_enum(options.reduction(), op);
  Tensor x = as_rows(input, op);
  if (target.sizes() != input.sizes())
    throw Error(std::string(op) + ": target size " + shape(target) + " must match input size " +
                shape(input));
  const int64_t n = x.size(0), c = x.size(1);
  // Each row of target lists class indices up to its first -1; mark them, check the range.
  Tensor t = target.reshape({n, c});
  const int64_t* tp = t.data_ptr<int64_t>();
  std::vector<int64_t> index(size_t(n * c), 0);
  std::vector<double> listed(size_t(n * c), 0.0), is_target(size_t(n * c), 0.0);
  for (int64_t i = 0; i < n; ++i)
    for (int64_t j = 0; j < c; ++j) {
      const int64_t k = tp[i * c + j];
      if (k == -1) break;
      if (k < -1 || k >= c) throw class_out_of_bounds(op, k, c, input);
      index[size_t(i * c + j)] = k;
      listed[size_t(i * c + j)] = 1.0;
      is_target[size_t(i * c + k)] = 1.0;
    }
  auto as = [&](const std::vector<double>& v) {
    return tg::tensor(v, kDouble).reshape({n, c}).to(input.scalar_type());
  };
  Tensor picked = x.gather(1, tg::tensor(index).reshape({n, c}));  // x[y_j], (N, C)
  // hinge[n, j, i] = max(0, 1 - x[y_j] + x[i]) for listed j and non-target i.
  Tensor hinge = tg::relu(1 - picked.unsqueeze(2) + x.unsqueeze(1));
  Tensor pairs = as(listed).unsqueeze(2) * (1 - as(is_target)).unsqueeze(1);
  Tensor loss = (hinge * pairs).sum({1, 2}) / double(c);
  return reduce(per_sample(loss, input), r);
}

Tensor multi_margin_loss(const Tensor& input, const Tensor& target,
                         const MultiMarginLossFuncOptions& options) {
  const char* op = "multi_margin_loss";
  check_floating_input(input, op, "input");
  check_index_target(target, input, op);
  const Reduction r = reduction_enum(options.reduction(), op);
  if (options.p() != 1 && options.p() != 2)
    throw Error(std::string(op) +
                ": only p == 1 and p == 2 are supported, got p = " + std::to_string(options.p()));
  Tensor x = as_rows(input, op);
  const int64_t n = x.size(0), c = x.size(1);
  if (target.numel() != n || target.dim() > 1 || (input.dim() == 2) != (target.dim() == 1))
    throw Error(std::string(op) + ": expected target of shape " +
                (input.dim() == 2 ? "[" + std::to_string(n) + "]" : std::string("[]")) +
                " for input of shape " + shape(input) + ", got target of shape " + shape(target));
  const Tensor& w = options.weight();
  if (w.defined() && (w.dim() != 1 || w.numel() != c))
    throw Error(std::string(op) + ": weight should have one element per class (" +
                std::to_string(c) + "), got weight of shape " + shape(w));
  Tensor y = target.reshape({n, 1});
  const int64_t* yp = y.data_ptr<int64_t>();
  for (int64_t i = 0; i < n; ++i)
    if (yp[i] < 0 || yp[i] >= c) throw class_out_of_bounds(op, yp[i], c, input);
  // w[y] max(0, margin - x[y] + x[i])^p over i != y (ATen weights after the power).
  Tensor h = tg::relu(options.margin() - x.gather(1, y) + x);
  if (options.p() == 2) h = h * h;
  h = where(arange(c, kLong).reshape({1, c}) == y, Scalar(0.0), h);
  if (w.defined())
    h = h * w.detach().to(input.scalar_type()).gather(0, y.reshape({n})).unsqueeze(1);
  return reduce(per_sample(h.sum({1}) / double(c), input), r);
}

Tensor hinge_embedding_loss(const Tensor& input, const Tensor& target,
                            const HingeEmbeddingLossFuncOptions& options) {
  check_broadcast_target(input, target, "hinge_embedding_loss");
  const Reduction r = reduction_enum(options.reduction(), "hinge_embedding_loss");
  // ATen's exact form: a label that is neither 1 nor -1 gets both terms.
  Tensor margin_part = where(target != 1, clamp_min(options.margin() - input, 0), Scalar(0.0));
  Tensor self_part = where(target != -1, input, Scalar(0.0));
  return reduce(margin_part + self_part, r);
}

}  // namespace tg::nn::functional
