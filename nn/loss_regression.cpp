// Loss modules of the regression losses: each forward is its functional form with the options.
#include <ostream>

#include "functional.hpp"
#include "loss.hpp"

namespace tg::nn {

namespace F = functional;

Tensor L1LossImpl::forward(const Tensor& input, const Tensor& target) {
  return F::l1_loss(input, target, options);
}

Tensor MSELossImpl::forward(const Tensor& input, const Tensor& target) {
  return F::mse_loss(input, target, options);
}

// libtorch prints these two without parentheses.
void HuberLossImpl::pretty_print(std::ostream& stream) const {
  detail::print_loss_name(*this, stream, false);
}
Tensor HuberLossImpl::forward(const Tensor& input, const Tensor& target) {
  return F::huber_loss(input, target, options);
}

void SmoothL1LossImpl::pretty_print(std::ostream& stream) const {
  detail::print_loss_name(*this, stream, false);
}
Tensor SmoothL1LossImpl::forward(const Tensor& input, const Tensor& target) {
  // As libtorch's module: options.beta() passed explicitly (the functional's 4th argument).
  return F::smooth_l1_loss(input, target, options, options.beta());
}

Tensor KLDivLossImpl::forward(const Tensor& input, const Tensor& target) {
  return F::kl_div(input, target, options);
}

Tensor PoissonNLLLossImpl::forward(const Tensor& log_input, const Tensor& targets) {
  return F::poisson_nll_loss(log_input, targets, options);
}

Tensor GaussianNLLLossImpl::forward(const Tensor& input, const Tensor& target, const Tensor& var) {
  return F::gaussian_nll_loss(input, target, var, options);
}

// Each layer's clone() is compiled here, once, rather than in every program that includes its
// header (the extern templates there; nn/cloneable.hpp).
template class detail::CloneableAs<GaussianNLLLossImpl, detail::LossModule<GaussianNLLLossOptions>>;
template class detail::CloneableAs<HuberLossImpl, detail::LossModule<HuberLossOptions>>;
template class detail::CloneableAs<KLDivLossImpl, detail::LossModule<KLDivLossOptions>>;
template class detail::CloneableAs<L1LossImpl, detail::LossModule<L1LossOptions>>;
template class detail::CloneableAs<MSELossImpl, detail::LossModule<MSELossOptions>>;
template class detail::CloneableAs<PoissonNLLLossImpl, detail::LossModule<PoissonNLLLossOptions>>;
template class detail::CloneableAs<SmoothL1LossImpl, detail::LossModule<SmoothL1LossOptions>>;
}  // namespace tg::nn
