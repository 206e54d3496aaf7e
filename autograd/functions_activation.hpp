// The activation functions of ATen at tg:: (libtorch's torch::elu, torch::hardtanh_, ...), with
// ATen's signatures and defaults. nn::functional's forms (F::elu, ...) call these.
//
//   auto y = tg::hardtanh(x, -2, 2);
//   tg::relu6_(x);  // in place: writes the result into x and returns x
//
// Each is a composite of differentiable primitives (ops_activation_fn.cpp), so its gradient is
// the one of its formula; at the kinks it takes ATen's side (e.g. hardtanh's gradient is 0 at
// exactly min_val and max_val). The `_` forms copy the result into `self` (recorded by copy_).
#pragma once

#include <optional>
#include <string>

#include "generator.hpp"
#include "tensor.hpp"

namespace tg {

// x for x > 0, alpha scale (exp(x input_scale) - 1) otherwise.
Tensor elu(const Tensor& self, const Scalar& alpha = 1, const Scalar& scale = 1,
           const Scalar& input_scale = 1);
Tensor& elu_(Tensor& self, const Scalar& alpha = 1, const Scalar& scale = 1,
             const Scalar& input_scale = 1);
// scale elu(x, alpha), with SELU's fixed alpha = 1.6732632... and scale = 1.0507009...
Tensor selu(const Tensor& self);
Tensor& selu_(Tensor& self);
// max(0, x) + min(0, alpha (exp(x / alpha) - 1)).
Tensor celu(const Tensor& self, const Scalar& alpha = 1.0);
Tensor& celu_(Tensor& self, const Scalar& alpha = 1.0);
// x for x > 0, negative_slope x otherwise.
Tensor leaky_relu(const Tensor& self, const Scalar& negative_slope = 0.01);
Tensor& leaky_relu_(Tensor& self, const Scalar& negative_slope = 0.01);
// 0 for -lambd <= x <= lambd, x otherwise.
Tensor hardshrink(const Tensor& self, const Scalar& lambd = 0.5);
// x - lambd for x > lambd, x + lambd for x < -lambd, 0 otherwise (lambd >= 0).
Tensor softshrink(const Tensor& self, const Scalar& lambd = 0.5);
// min(max(x, min_val), max_val).
Tensor hardtanh(const Tensor& self, const Scalar& min_val = -1, const Scalar& max_val = 1);
Tensor& hardtanh_(Tensor& self, const Scalar& min_val = -1, const Scalar& max_val = 1);
// hardtanh(x, 0, 6).
Tensor relu6(const Tensor& self);
Tensor& relu6_(Tensor& self);
Tensor& relu_(Tensor& self);
// value for x <= threshold, x otherwise.
Tensor threshold(const Tensor& self, const Scalar& threshold, const Scalar& value);
Tensor& threshold_(Tensor& self, const Scalar& threshold, const Scalar& value);
// a sigmoid(b), where a and b are the two halves of x along dim.
Tensor glu(const Tensor& self, int64_t dim = -1);
// x Phi(x), or with approximate "tanh" x (1 + tanh(sqrt(2 / pi) (x + 0.044715 x^3))) / 2.
Tensor gelu(const Tensor& self, const std::string& approximate = "none");
// x sigmoid(x).
Tensor silu(const Tensor& self);
// x tanh(softplus(x)).
Tensor mish(const Tensor& self);
// log(1 + exp(beta x)) / beta, and x where beta x > threshold.
Tensor softplus(const Tensor& self, const Scalar& beta = 1, const Scalar& threshold = 20);
// x for x > 0, weight x otherwise; weight has 1 element or one per channel (dim 1).
Tensor prelu(const Tensor& self, const Tensor& weight);
// relu6(x + 3) / 6 and x relu6(x + 3) / 6.
Tensor hardsigmoid(const Tensor& self);
Tensor hardswish(const Tensor& self);
// Randomized leaky ReLU: in training, slope a ~ U(lower, upper) drawn per element x <= 0 in
// order (libtorch's generator order: one 64-bit draw each); otherwise slope (lower + upper) / 2.
Tensor rrelu(const Tensor& self, const Scalar& lower = 1.0 / 8.0, const Scalar& upper = 1.0 / 3.0,
             bool training = false, std::optional<Generator> generator = std::nullopt);
Tensor& rrelu_(Tensor& self, const Scalar& lower = 1.0 / 8.0, const Scalar& upper = 1.0 / 3.0,
               bool training = false, std::optional<Generator> generator = std::nullopt);
// The slopes rrelu draws in training: 1 where x > 0, U(lower, upper) elsewhere (random.cpp's
// file set: compiled without fused multiply-adds, as ATen's).
Tensor rrelu_noise(const Tensor& self, double lower, double upper,
                   std::optional<Generator> generator);

}  // namespace tg
