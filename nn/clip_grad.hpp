// Gradient clipping, libtorch's torch::nn::utils::clip_grad_norm_ / clip_grad_value_. Call
// between backward() and the optimizer's step():
//   loss.backward();
//   double norm = tg::nn::utils::clip_grad_norm_(model->parameters(), /*max_norm=*/1.0);
//   opt.step();
// Parameters whose .grad() is undefined are skipped.
#pragma once

#include <initializer_list>
#include <vector>

#include "../autograd/autograd.hpp"

namespace tg::nn::utils {

// Scales all gradients together so that their joint norm (the norm_type-norm of the vector
// of per-parameter norms; inf = the largest |g|; 0 = the number of gradients, as libtorch)
// is at most max_norm: each is multiplied by min(1, max_norm / (total + 1e-6)). Returns the
// total norm before clipping (0 if no parameter has a gradient). Throws tg::Error for a
// negative norm_type, or, with error_if_nonfinite, when the total norm is nan or inf.
double clip_grad_norm_(const std::vector<Tensor>& parameters, double max_norm,
                       double norm_type = 2.0, bool error_if_nonfinite = false);
double clip_grad_norm_(std::initializer_list<Tensor> parameters, double max_norm,
                       double norm_type = 2.0, bool error_if_nonfinite = false);
double clip_grad_norm_(const Tensor& parameter, double max_norm, double norm_type = 2.0,
                       bool error_if_nonfinite = false);

// Clamps every gradient element into [-clip_value, clip_value].
void clip_grad_value_(const std::vector<Tensor>& parameters, double clip_value);
void clip_grad_value_(std::initializer_list<Tensor> parameters, double clip_value);
void clip_grad_value_(const Tensor& parameter, double clip_value);

// Every parameter flattened and concatenated into one vector (libtorch's
// torch::nn::utils::parameters_to_vector), and back: vector_to_parameters gives each parameter
// its slice of `vec` in place (the parameter's handles see the new values).
Tensor parameters_to_vector(const std::vector<Tensor>& parameters);
void vector_to_parameters(const Tensor& vec, const std::vector<Tensor>& parameters);

}  // namespace tg::nn::utils
