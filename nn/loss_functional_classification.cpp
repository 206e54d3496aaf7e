// The classification losses: binary_cross_entropy (+ with_logits), nll_loss, cross_entropy and
// sigmoid_focal_loss. Each is written with differentiable tg:: ops, except the elementwise
// binary cross-entropy, which is recorded on the tape as one op so that its gradient is exactly
// PyTorch's (x - y) / max(x (1 - x), 1e-12) even where the clamped logs are flat.
// Reference semantics: ATen's Loss.cpp / LossNLL.cpp and torch/nn/functional.py (PyTorch 1.13).
#include <string>
#include <vector>

#include "../autograd/functions.hpp"
#include "../autograd/tape.hpp"
#include "functional.hpp"
#include "loss_common.hpp"

namespace tg::nn::functional {

using namespace detail;

namespace {

// ---- binary cross-entropy as one tape op ----
// Saved: input x (0) and target y (1). Gradients are ATen's binary_cross_entropy_backward and
// binary_cross_entropy_target_backward (-logit(x)). ATen's EPSILON is the float 1e-12f, also in
// float64 (so x = 0, y = 1 gives -1.0000000039958e12, not -1e12).
constexpr double kBceEpsilon = static_cast<double>(1e-12f);

void bce_backward(const Entry& e, const Tensor& g, Tensor* gin) {
  const Tensor& x = e.saved_value(0);
  const Tensor& y = e.saved_value(1);
  if (e.edge(0).active()) gin[0] = g * (x - y) / clamp_min((1 - x) * x, kBceEpsilon);
  if (e.edge(1).active()) gin[1] = -(g * log(x / (1 - x)));
}

Tensor bce_elementwise(const Tensor& x, const Tensor& y) {
  Tensor out;
  {
    NoGradGuard no_grad;
    out = (y - 1) * clamp_min(log1p(-x), -100) - y * clamp_min(log(x), -100);
  }
  if (Entry* e = Tape::get().record("binary_cross_entropy", &bce_backward, {&x, &y}, out)) {
    e->save(0, x);
    e->save(1, y);
  }
  return out;
}

// ---- class-index targets, shared by nll_loss and cross_entropy ----
struct ClassTargets {
  Tensor index;   // int64, the target's shape; ignored entries point at class 0
  Tensor weight;  // input dtype, the target's shape: weight[target], 0 where ignored; undefined
                  // when there is no class weight and nothing is ignored (every weight is 1)
  Tensor keep;    // kBool, target != ignore_index; undefined when nothing is ignored
  int64_t n_classes = 0;
};

// Validates shapes, dtype and every class index (so gather never reads out of bounds), and
// looks up the per-element weights. Targets are data, never differentiated.
ClassTargets class_targets(const char* op, const Tensor& input, const Tensor& target,
                           const Tensor& weight, int64_t ignore_index) {
  if (input.dim() < 1)
    throw Error(std::string(op) + ": input must have a class dimension, got shape " + shape(input));
  if (!target.defined()) throw Error(std::string(op) + ": target is an undefined tensor");
  if (target.scalar_type() != kLong)
    throw Error(std::string(op) +
                ": expected a target of dtype Long (class indices) for input of "
                "shape " +
                shape(input) + ", got " + dtype_name(target.scalar_type()) + " target of shape " +
                shape(target) + " (class-probability targets must have the input's shape)");
  const int64_t class_dim = input.dim() == 1 ? 0 : 1;
  std::vector<int64_t> expected;
  for (int64_t d = 0; d < input.dim(); ++d)
    if (d != class_dim) expected.push_back(input.size(d));
  if (target.sizes() != IntArrayRef(expected))
    throw Error(std::string(op) + ": expected target of shape " + to_string(expected) +
                " for input of shape " + shape(input) + ", got target of shape " + shape(target));
  ClassTargets ct;
  ct.n_classes = input.size(class_dim);
  Tensor w;
  if (weight.defined()) {
    if (weight.dim() != 1 || weight.numel() != ct.n_classes)
      throw Error(std::string(op) + ": weight should have one element per class (" +
                  std::to_string(ct.n_classes) + "), got weight of shape " + shape(weight));
    if (weight.requires_grad() && GradMode::is_enabled())
      throw Error(std::string(op) + ": weight is not differentiable; it must not require grad");
    w = weight.detach().to(kDouble);
  }
  const int64_t n = target.numel();
  const int64_t* t = target.data_ptr<int64_t>();
  const double* wp = w.defined() ? w.data_ptr<double>() : nullptr;
  std::vector<int64_t> index(size_t(n), 0);
  std::vector<double> wt(size_t(n), 0.0);
  std::vector<bool> keep(size_t(n), true);
  bool any_ignored = false;
  for (int64_t i = 0; i < n; ++i) {
    if (t[i] == ignore_index) {
      keep[size_t(i)] = false;
      any_ignored = true;
      continue;
    }
    if (t[i] < 0 || t[i] >= ct.n_classes) throw class_out_of_bounds(op, t[i], ct.n_classes, input);
    index[size_t(i)] = t[i];
    wt[size_t(i)] = wp ? wp[t[i]] : 1.0;
  }
  ct.index = tg::tensor(index).reshape(target.sizes());
  if (wp || any_ignored)
    ct.weight = tg::tensor(wt, kDouble).reshape(target.sizes()).to(input.scalar_type());
  if (any_ignored) ct.keep = tg::tensor(keep).reshape(target.sizes());
  return ct;
}

// -w[t] logp[.., t, ..] per target element (0 where ignored), then reduced; mean divides by
// the total weight of the kept targets (NaN if there is none, as PyTorch).
Tensor nll_from_log_probs(const Tensor& logp, const ClassTargets& ct, Reduction r) {
  Tensor picked = logp.dim() == 1 ? logp.gather(0, ct.index.reshape({1})).reshape(ct.index.sizes())
                                  : logp.gather(1, ct.index.unsqueeze(1)).squeeze(1);
  if (!ct.weight.defined()) {  // all weights 1: the common case records two ops fewer
    if (r == Reduction::None) return -picked;
    if (r == Reduction::Sum) return -picked.sum();
    return picked.sum() / -double(picked.numel());  // NaN for no targets, as PyTorch
  }
  Tensor loss = -(picked * ct.weight);
  // `where`, not the zero weight alone: an ignored -inf log-probability would give -inf * 0.
  if (ct.keep.defined()) loss = where(ct.keep, loss, Scalar(0.0));
  if (r == Reduction::None) return loss;
  if (r == Reduction::Sum) return loss.sum();
  return loss.sum() / ct.weight.sum();
}

// The weight viewed so that it broadcasts along the class dimension of `input`.
Tensor class_weight_view(const Tensor& weight, const Tensor& input, int64_t class_dim) {
  std::vector<int64_t> s(size_t(input.dim()), 1);
  s[size_t(class_dim)] = weight.numel();
  return weight.to(input.scalar_type()).reshape(s);
}

}  // namespace

// ---------------------------------------------------------------------------------------------
Tensor binary_cross_entropy(const Tensor& input, const Tensor& target,
                            const BinaryCrossEntropyFuncOptions& options) {
  const char* op = "binary_cross_entropy";
  check_floating_input(input, op, "input");
  check_floating_input(target, op, "target");
  const Reduction r = reduction_enum(options.reduction(), op);
  if (target.sizes() != input.sizes())
    throw Error(str("binary_cross_entropy: Using a target size (", target.sizes(),
                    ") that is different to the input size (", input.sizes(),
                    ") is deprecated. Please ensure they have the same size."));
  if (target.scalar_type() != input.scalar_type())
    throw Error(std::string("binary_cross_entropy: target dtype ") +
                dtype_name(target.scalar_type()) + " does not match input dtype " +
                dtype_name(input.scalar_type()));
  {
    // Probabilities outside [0, 1] (or NaN) are a bug upstream, e.g. logits passed by mistake.
    Tensor xd = input.detach().to(kDouble);
    const double* p = xd.data_ptr<double>();
    for (int64_t i = 0; i < xd.numel(); ++i)
      if (!(p[i] >= 0 && p[i] <= 1))
        throw Error(
            "binary_cross_entropy: all elements of input should be between 0 and 1 (found " +
            std::to_string(p[i]) + " in input of shape " + shape(input) +
            "; use binary_cross_entropy_with_logits for logits)");
  }
  check_weight_broadcast(options.weight(), input, op, "weight");
  Tensor loss = bce_elementwise(input, target);
  if (options.weight().defined()) loss = loss * options.weight();
  return reduce(loss, r);
}

Tensor binary_cross_entropy_with_logits(const Tensor& input, const Tensor& target,
                                        const BinaryCrossEntropyWithLogitsFuncOptions& options) {
  const char* op = "binary_cross_entropy_with_logits";
  check_floating_input(input, op, "input");
  check_floating_input(target, op, "target");
  const Reduction r = reduction_enum(options.reduction(), op);
  if (target.sizes() != input.sizes())
    throw Error("binary_cross_entropy_with_logits: Target size (" + shape(target) +
                ") must be the same as input size (" + shape(input) + ")");
  check_weight_broadcast(options.weight(), input, op, "weight");
  check_weight_broadcast(options.pos_weight(), input, op, "pos_weight");
  // -[p t log σ(x) + (1 - t) log σ(-x)] with log σ(-x) = log σ(x) - x is
  //   (1 - t) x - (1 + (p - 1) t) log σ(x),
  // PyTorch's form: one log_sigmoid (which never overflows, so |logits| of 1e4 give finite
  // values and gradients) and four recorded ops instead of seven.
  Tensor log_weight =
      options.pos_weight().defined() ? (options.pos_weight() - 1) * target + 1 : Tensor();
  Tensor ls = log_sigmoid(input);
  Tensor loss = (1 - target) * input - (log_weight.defined() ? log_weight * ls : ls);
  if (options.weight().defined()) loss = loss * options.weight();
  return reduce(loss, r);
}

Tensor nll_loss(const Tensor& input, const Tensor& target, const NLLLossFuncOptions& options) {
  check_floating_input(input, "nll_loss", "input");
  const Reduction r = reduction_enum(options.reduction(), "nll_loss");
  ClassTargets ct =
      class_targets("nll_loss", input, target, options.weight(), options.ignore_index());
  return nll_from_log_probs(input, ct, r);
}

Tensor cross_entropy(const Tensor& input, const Tensor& target,
                     const CrossEntropyFuncOptions& options) {
  const char* op = "cross_entropy";
  check_floating_input(input, op, "input");
  if (!target.defined()) throw Error("cross_entropy: target is an undefined tensor");
  const Reduction r = reduction_enum(options.reduction(), op);
  if (input.dim() < 1)
    throw Error("cross_entropy: input must have a class dimension, got shape " + shape(input));
  const double ls = options.label_smoothing();
  if (!(ls >= 0.0 && ls <= 1.0))
    throw Error("cross_entropy: label_smoothing must be between 0.0 and 1.0, got " +
                std::to_string(ls));
  const int64_t class_dim = input.dim() == 1 ? 0 : 1;
  const int64_t n_classes = input.size(class_dim);
  if (n_classes == 0)
    throw Error("cross_entropy: input of shape " + shape(input) + " has no classes");
  const Tensor& weight = options.weight();
  Tensor logp = input.log_softmax(class_dim);

  if (target.sizes() == input.sizes()) {
    // Class probabilities (PyTorch decides by shape alone).
    if (!target.is_floating_point())
      throw Error(std::string("cross_entropy: expected a floating-point target for class "
                              "probabilities (target shape equals input shape ") +
                  shape(input) + "), got " + dtype_name(target.scalar_type()));
    if (options.ignore_index() >= 0)
      throw Error("cross_entropy: ignore_index (" + std::to_string(options.ignore_index()) +
                  ") is not supported for class-probability targets");
    if (weight.defined() && (weight.dim() != 1 || weight.numel() != n_classes))
      throw Error("cross_entropy: weight should have one element per class (" +
                  std::to_string(n_classes) + "), got weight of shape " + shape(weight));
    Tensor p = ls > 0 ? target * (1 - ls) + ls / double(n_classes) : target;
    Tensor terms = logp * p;
    if (weight.defined()) terms = terms * class_weight_view(weight, input, class_dim);
    switch (r) {
      case Reduction::None:
        return -terms.sum({class_dim});
      case Reduction::Sum:
        return -terms.sum();
      case Reduction::Mean:
        break;
    }
    // Mean over the samples (every element except the class dimension), not over classes.
    return -terms.sum() / double(input.numel() / n_classes);
  }

  ClassTargets ct = class_targets(op, input, target, weight, options.ignore_index());
  Tensor nll = nll_from_log_probs(logp, ct, r);
  if (ls == 0) return nll;
  // Label smoothing adds the (weighted) cross-entropy against the uniform distribution, with the
  // same ignore mask and the same denominator as the nll term.
  Tensor all = weight.defined() ? logp * class_weight_view(weight, input, class_dim) : logp;
  Tensor smooth = -all.sum({class_dim});
  if (ct.keep.defined()) smooth = where(ct.keep, smooth, Scalar(0.0));
  Tensor reduced = r == Reduction::None  ? smooth
                   : r == Reduction::Sum ? smooth.sum()
                   : ct.weight.defined() ? smooth.sum() / ct.weight.sum()
                                         : smooth.sum() / double(smooth.numel());
  return (1 - ls) * nll + reduced * (ls / double(n_classes));
}

Tensor sigmoid_focal_loss(const Tensor& inputs, const Tensor& targets, double alpha, double gamma,
                          loss_reduction_t reduction) {
  const char* op = "sigmoid_focal_loss";
  check_same_shape(inputs, targets, op, "inputs", "targets");
  const Reduction r = reduction_enum(reduction, op);
  // torchvision's definition, term for term; the cross-entropy part is the stable with-logits one.
  Tensor p = inputs.sigmoid();
  Tensor ce = -(targets * log_sigmoid(inputs) + (1 - targets) * log_sigmoid(-inputs));
  Tensor p_t = p * targets + (1 - p) * (1 - targets);
  Tensor loss = ce * pow(1 - p_t, gamma);
  if (alpha >= 0) loss = (alpha * targets + (1 - alpha) * (1 - targets)) * loss;
  return reduce(loss, r);
}

}  // namespace tg::nn::functional
