// Follows libtorch 1.13's nn/utils/clip_grad.h: one norm per gradient, the norm of those
// norms, and a clamped coefficient max_norm / (total + 1e-6) computed as a tensor the way
// ATen does (Scalar / Tensor is reciprocal() * Scalar).
#include "clip_grad.hpp"

#include <cmath>
#include <limits>
#include <sstream>

#include "cloneable.hpp"  // detail::set_data

namespace tg::nn::utils {

double clip_grad_norm_(const std::vector<Tensor>& parameters, double max_norm, double norm_type,
                       bool error_if_nonfinite) {
  if (!(norm_type >= 0)) {
    std::ostringstream s;
    s << "clip_grad_norm_: norm_type must be >= 0 or inf, got " << norm_type;
    throw Error(s.str());
  }
  NoGradGuard no_grad;
  std::vector<Tensor> grads;
  for (const auto& p : parameters)
    if (p.grad().defined()) grads.push_back(p.grad());
  if (grads.empty()) return 0.0;

  Tensor total;
  if (norm_type == 0) {
    total = full({}, double(grads.size()), grads[0].options());
  } else {
    const bool inf = norm_type == std::numeric_limits<double>::infinity();
    std::vector<Tensor> norms;
    for (const auto& g : grads) norms.push_back(inf ? g.abs().max() : g.norm(norm_type));
    if (norms.size() == 1)
      total = norms[0];
    else
      total = inf ? stack(norms).max() : stack(norms).norm(norm_type);
  }
  const double total_norm = total.item<double>();
  if (error_if_nonfinite && !std::isfinite(total_norm)) {
    std::ostringstream s;
    s << "clip_grad_norm_: The total norm of order " << norm_type
      << " for gradients from `parameters` is non-finite, so it cannot be clipped. To disable "
         "this error and scale the gradients with the non-finite norm anyway, set "
         "`error_if_nonfinite=false`";
    throw Error(s.str());
  }
  const Tensor clip_coef = total.add(1e-6).reciprocal().mul(max_norm).clamp(std::nullopt, 1.0);
  for (auto& g : grads) g.mul_(clip_coef);
  return total_norm;
}

double clip_grad_norm_(std::initializer_list<Tensor> parameters, double max_norm, double norm_type,
                       bool error_if_nonfinite) {
  return clip_grad_norm_(std::vector<Tensor>(parameters), max_norm, norm_type, error_if_nonfinite);
}

double clip_grad_norm_(const Tensor& parameter, double max_norm, double norm_type,
                       bool error_if_nonfinite) {
  return clip_grad_norm_(std::vector<Tensor>{parameter}, max_norm, norm_type, error_if_nonfinite);
}

void clip_grad_value_(const std::vector<Tensor>& parameters, double clip_value) {
  NoGradGuard no_grad;
  for (const auto& p : parameters)
    if (p.grad().defined()) p.grad().clamp_(-clip_value, clip_value);
}

void clip_grad_value_(std::initializer_list<Tensor> parameters, double clip_value) {
  clip_grad_value_(std::vector<Tensor>(parameters), clip_value);
}

void clip_grad_value_(const Tensor& parameter, double clip_value) {
  clip_grad_value_(std::vector<Tensor>{parameter}, clip_value);
}

Tensor parameters_to_vector(const std::vector<Tensor>& parameters) {
  std::vector<Tensor> flat;
  flat.reserve(parameters.size());
  for (const Tensor& param : parameters) flat.push_back(param.view(-1));
  return cat(flat);
}

void vector_to_parameters(const Tensor& vec, const std::vector<Tensor>& parameters) {
  int64_t pointer = 0;
  for (const Tensor& param : parameters) {
    const int64_t n = param.numel();
    ::tg::nn::detail::set_data(param,
                               vec.slice(0, pointer, pointer + n).view_as(param).detach().clone());
    pointer += n;
  }
}

}  // namespace tg::nn::utils
