// The regression and distribution-matching losses: l1, mse, huber, smooth_l1, kl_div,
// poisson_nll and gaussian_nll. All are composites of differentiable tg:: ops, so double backward
// works. Reference semantics: ATen's Loss.cpp and PointwiseOps (PyTorch 1.13), and
// torch/nn/functional.py for gaussian_nll_loss.
#include <cmath>
#include <string>
#include <vector>

#include "functional.hpp"
#include "loss_common.hpp"

namespace tg::nn::functional {

using namespace detail;

namespace {

// x log x, 0 at x = 0 (ATen's xlogy(x, x)); the `where` keeps log(0) out of the gradient too.
Tensor xlogx(const Tensor& x) { return x * log(where(x == 0, Scalar(1.0), x)); }

}  // namespace

Tensor l1_loss(const Tensor& input, const Tensor& target, const L1LossFuncOptions& options) {
  check_broadcast_target(input, target, "l1_loss");
  return reduce(abs(input - target), reduction_enum(options.reduction(), "l1_loss"));
}

namespace detail {
Tensor mse_loss_impl(const Tensor& input, const Tensor& target, Reduction r) {
  check_broadcast_target(input, target, "mse_loss");
  Tensor d = input - target;
  return reduce(d * d, r);
}
}  // namespace detail
Tensor mse_loss(const Tensor& input, const Tensor& target, const MSELossFuncOptions& options) {
  warn_target_size(input, target);
  return mse_loss_impl(input, target, reduction_enum(options.reduction(), "mse_loss"));
}

namespace detail {
Tensor huber_loss_impl(const Tensor& input, const Tensor& target, Reduction r, double delta) {
  check_broadcast_target(input, target, "huber_loss");
  if (!(delta > 0)) throw Error("huber_loss: delta must be positive, got " + std::to_string(delta));
  Tensor d = input - target;
  Tensor a = abs(d);
  return reduce(where(a < delta, 0.5 * d * d, delta * (a - 0.5 * delta)), r);
}
}  // namespace detail
Tensor huber_loss(const Tensor& input, const Tensor& target, const HuberLossFuncOptions& options) {
  warn_target_size(input, target);
  return huber_loss_impl(input, target, reduction_enum(options.reduction(), "huber_loss"),
                         options.delta());
}

namespace detail {
Tensor smooth_l1_loss_impl(const Tensor& input, const Tensor& target, Reduction r, double beta) {
  check_broadcast_target(input, target, "smooth_l1_loss");
  if (!(beta >= 0))
    throw Error("smooth_l1_loss: beta must not be negative, got " + std::to_string(beta));
  Tensor d = input - target;
  Tensor a = abs(d);
  if (beta == 0) return reduce(a, r);  // the quadratic part is empty: L1 (as ATen)
  return reduce(where(a < beta, 0.5 * d * d / beta, a - 0.5 * beta), r);
}
}  // namespace detail
Tensor smooth_l1_loss(const Tensor& input, const Tensor& target,
                      const SmoothL1LossFuncOptions& options, std::optional<double> beta) {
  warn_target_size(input, target);
  return smooth_l1_loss_impl(input, target, reduction_enum(options.reduction(), "smooth_l1_loss"),
                             beta ? *beta : options.beta());
}

Tensor kl_div(const Tensor& input, const Tensor& target, const KLDivFuncOptions& options) {
  if (get_if<enumtype::kMean>(&options.reduction()))  // libtorch's warning, word for word
    TORCH_WARN(
        "reduction: 'mean' divides the total loss by both the batch size and the support size."
        "'batchmean' divides only by the batch size, and aligns with the KL div math definition."
        "'mean' will be changed to behave the same as 'batchmean' in the next major release.");
  check_broadcast_target(input, target, "kl_div");
  Tensor loss =
      options.log_target() ? exp(target) * (target - input) : xlogx(target) - target * input;
  const auto& red = options.reduction();
  if (get_if<enumtype::kBatchMean>(&red))
    return input.dim() == 0 ? loss.sum() : loss.sum() / double(input.size(0));
  Reduction r = get_if<enumtype::kNone>(&red)  ? Reduction::None
                : get_if<enumtype::kSum>(&red) ? Reduction::Sum
                                               : Reduction::Mean;
  return reduce(loss, r);
}

Tensor poisson_nll_loss(const Tensor& input, const Tensor& target,
                        const PoissonNLLLossFuncOptions& options) {
  check_broadcast_target(input, target, "poisson_nll_loss");
  const Reduction r = reduction_enum(options.reduction(), "poisson_nll_loss");
  Tensor loss = options.log_input() ? exp(input) - target * input
                                    : input - target * log(input + options.eps());
  if (options.full()) {
    // Stirling's log(y!) ~ y log y - y + 0.5 log(2 pi y), only where y > 1 (ATen's mask); the
    // masked-out entries are evaluated at 1 so that their (discarded) logs stay finite.
    Tensor big = target > 1;
    Tensor y = where(big, target, Scalar(1.0));
    Tensor stirling = y * log(y) - y + 0.5 * log(2 * M_PI * y);
    loss = loss + where(big, stirling, Scalar(0.0));
  }
  return reduce(loss, r);
}

Tensor gaussian_nll_loss(const Tensor& input, const Tensor& target, const Tensor& var,
                         const GaussianNLLLossFuncOptions& options) {
  const char* op = "gaussian_nll_loss";
  check_broadcast_target(input, target, op);
  check_floating_input(var, op, "var");
  const Reduction r = reduction_enum(options.reduction(), op);
  Tensor v = var;
  if (var.sizes() != input.sizes()) {
    // var may drop the input's last dimension, or have size 1 there (one variance per sample).
    std::vector<int64_t> lead = input.sizes().vec(), vlead = var.sizes().vec();
    if (!lead.empty()) lead.pop_back();
    const bool last_is_one = !vlead.empty() && vlead.back() == 1;
    if (!vlead.empty()) vlead.pop_back();
    if (input.dim() > 0 && var.sizes() == IntArrayRef(lead))
      v = var.unsqueeze(-1);
    else if (!(input.dim() > 0 && last_is_one && vlead == lead))
      throw Error(std::string(op) + ": var of shape " + shape(var) +
                  " must have the input's shape " + shape(input) +
                  ", or that shape without its last dimension, or with a last dimension of 1");
  }
  {
    Tensor vd = var.detach().to(kDouble);
    const double* p = vd.data_ptr<double>();
    for (int64_t i = 0; i < vd.numel(); ++i)
      if (p[i] < 0)
        throw Error(std::string(op) + ": var has negative entries (var shape " + shape(var) + ")");
  }
  // PyTorch clamps a clone of var in place under no_grad: the value is max(var, eps) but the
  // gradient passes through unchanged. Adding the (constant) clamp offset does the same.
  Tensor vd = v.detach();
  v = v + (clamp_min(vd, options.eps()) - vd);
  Tensor d = input - target;
  Tensor loss = 0.5 * (log(v) + d * d / v);
  if (options.full()) loss = loss + 0.5 * std::log(2 * M_PI);
  return reduce(loss, r);
}

}  // namespace tg::nn::functional
