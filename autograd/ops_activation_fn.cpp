// ATen's activation functions (functions_activation.hpp) as composites of differentiable
// primitives. The formulas and the sides taken at the kinks are ATen's
// (aten/src/ATen/native/Activation.cpp and cpu/Activation.cpp).
#include <bit>
#include <cmath>
#include <numbers>

#include "c10_util.hpp"
#include "functions.hpp"
#include "functions_activation.hpp"
#include "tape.hpp"
#include "tensor_impl.hpp"

namespace tg {

namespace {
// libtorch's in-place forms: the result written into `self` (recorded by copy_).
Tensor& write_back(Tensor& self, const Tensor& result) {
  self.copy_(result);
  return self;
}
}  // namespace

// elu: d/dx = scale for x > 0, alpha scale input_scale exp(x input_scale) otherwise. Recorded as
// one op so that its backward is ATen's elu_backward to the last bit: celu's passes an input
// scale of 1 / float(alpha) (derivatives.yaml), not the forward's 1 / alpha.
static void elu_backward(const Entry& e, const Tensor& g, Tensor* gin) {
  Tensor x = e.saved_value(0);
  const double negcoef = e.d[0], poscoef = e.d[1], negip = std::bit_cast<double>(e.i[0]);
  gin[0] = where(x <= 0, g * negip * negcoef * (x * negip).exp(), g * poscoef);
}
static Tensor elu_op(const Tensor& self, double alpha, double scale, double input_scale,
                     double backward_input_scale) {
  Tensor x = self.detach();
  // expm1 of min(x, 0): exact near 0, and the unused branch cannot overflow.
  Tensor out = where(x > 0, scale == 1 ? x : x * scale,
                     (x.clamp_max(0) * input_scale).expm1() * (alpha * scale));
  if (Entry* e = record("elu", elu_backward, {&self}, out)) {
    e->save(0, self);
    e->d[0] = alpha * scale, e->d[1] = scale;
    e->i[0] = std::bit_cast<int64_t>(backward_input_scale);
  }
  return out;
}
Tensor elu(const Tensor& self, const Scalar& alpha, const Scalar& scale,
           const Scalar& input_scale) {
  return elu_op(self, alpha.to_double(), scale.to_double(), input_scale.to_double(),
                input_scale.to_double());
}
Tensor& elu_(Tensor& self, const Scalar& alpha, const Scalar& scale, const Scalar& input_scale) {
  return write_back(self, elu(self, alpha, scale, input_scale));
}

constexpr double kSeluAlpha = 1.6732632423543772848170429916717;
constexpr double kSeluScale = 1.0507009873554804934193349852946;
Tensor selu(const Tensor& self) { return elu(self, kSeluAlpha, kSeluScale); }
Tensor& selu_(Tensor& self) { return write_back(self, selu(self)); }

// celu(x, alpha) = elu(x, alpha, 1, 1 / alpha)
Tensor celu(const Tensor& self, const Scalar& alpha) {
  TORCH_CHECK(alpha.to_double() != 0,
              "ZeroDivisionError: alpha cannot be 0 for CELU");  // ATen's wording
  return elu_op(self, alpha.to_double(), 1.0, 1.0 / alpha.to_double(),
                1.0 / double(float(alpha.to_double())));
}
Tensor& celu_(Tensor& self, const Scalar& alpha) { return write_back(self, celu(self, alpha)); }

// leaky_relu: d/dx = 1 for x > 0, negative_slope otherwise
Tensor leaky_relu(const Tensor& self, const Scalar& negative_slope) {
  return where(self > 0, self, self * negative_slope.to_double());
}
Tensor& leaky_relu_(Tensor& self, const Scalar& negative_slope) {
  return write_back(self, leaky_relu(self, negative_slope));
}

// hardshrink: d/dx = 0 on [-lambd, lambd], 1 elsewhere
Tensor hardshrink(const Tensor& self, const Scalar& lambd) {
  const double l = lambd.to_double();
  return where(logical_and(self >= -l, self <= l), 0.0, self);
}

// softshrink: d/dx = 1 outside [-lambd, lambd], 0 inside
Tensor softshrink(const Tensor& self, const Scalar& lambd) {
  const double l = lambd.to_double();
  TORCH_CHECK(l >= 0, "lambda must be greater or equal to 0, but found to be ", l, ".");
  return where(self > l, self - l, where(self < -l, self + l, 0.0));
}

// hardtanh: d/dx = 1 for min_val < x < max_val, 0 elsewhere (ATen's hardtanh_backward)
Tensor hardtanh(const Tensor& self, const Scalar& min_val, const Scalar& max_val) {
  const double lo = min_val.to_double(), hi = max_val.to_double();
  return where(self <= lo, lo, where(self >= hi, hi, self));
}
Tensor& hardtanh_(Tensor& self, const Scalar& min_val, const Scalar& max_val) {
  return write_back(self, hardtanh(self, min_val, max_val));
}
Tensor relu6(const Tensor& self) { return hardtanh(self, 0, 6); }
Tensor& relu6_(Tensor& self) { return write_back(self, relu6(self)); }
Tensor& relu_(Tensor& self) { return write_back(self, relu(self)); }

// threshold: d/dx = 1 for x > threshold, 0 otherwise
Tensor threshold(const Tensor& self, const Scalar& threshold, const Scalar& value) {
  return where(self <= threshold.to_double(), value.to_double(), self);
}
Tensor& threshold_(Tensor& self, const Scalar& threshold, const Scalar& value) {
  return write_back(self, tg::threshold(self, threshold, value));
}

// glu: d a sigmoid(b) = sigmoid(b) da + a sigmoid(b) (1 - sigmoid(b)) db
Tensor glu(const Tensor& self, int64_t dim) {
  TORCH_CHECK(self.dim() > 0, "glu does not support scalars because halving size must be even");
  const int64_t d = dim < 0 ? dim + self.dim() : dim;
  TORCH_CHECK(d >= 0 && d < self.dim(), "Dimension out of range (expected to be in range of [",
              -self.dim(), ", ", self.dim() - 1, "], but got ", dim, ")");
  const int64_t n = self.size(d);
  TORCH_CHECK(n % 2 == 0, "Halving dimension must be even, but dimension ", d, " is size ", n);
  return self.narrow(d, 0, n / 2) * self.narrow(d, n / 2, n / 2).sigmoid();
}

Tensor gelu(const Tensor& self, const std::string& approximate) {
  if (approximate == "none") return self * ((self * (1 / std::numbers::sqrt2)).erf() + 1) * 0.5;
  if (approximate == "tanh") {
    const double k = std::sqrt(2.0) * std::numbers::inv_sqrtpi;
    return self * (((self + self * self * self * 0.044715) * k).tanh() + 1) * 0.5;
  }
  fail("approximate argument must be either none or tanh.");
}

Tensor silu(const Tensor& self) { return self * self.sigmoid(); }

Tensor softplus(const Tensor& self, const Scalar& beta, const Scalar& threshold) {
  const double b = beta.to_double(), t = threshold.to_double();
  // log1p(exp(z)) on z clamped to the threshold, so the branch `where` drops never overflows.
  Tensor z = (self * b).clamp_max(t);
  return where(self * b > t, self, z.exp().log1p() / b);
}

Tensor mish(const Tensor& self) { return self * softplus(self).tanh(); }

// prelu: d/dx = 1 for x > 0, w otherwise; d/dw = x for x <= 0 (summed over the broadcast)
Tensor prelu(const Tensor& self, const Tensor& weight) {
  TORCH_CHECK(
      weight.dim() <= 1,
      "prelu: Expected `weight` to be a scalar or 1D tensor, but got ndim = ", weight.dim());
  const int64_t channels = self.dim() > 1 ? self.size(1) : 1, n = weight.numel();
  TORCH_CHECK(n == 1 || n == channels,
              "Mismatch of parameter numbers and input channel size. Found parameter numbers = ", n,
              " and channel size = ", channels, ".");
  Tensor w = weight;
  if (n > 1) {  // one slope per channel: shape (C, 1, ..., 1) against (N, C, ...)
    std::vector<int64_t> shape(size_t(self.dim() - 1), 1);
    shape[0] = n;
    w = weight.reshape(shape);
  } else {
    w = weight.reshape({});
  }
  return where(self > 0, self, w * self);
}

// hardsigmoid: d/dx = 1/6 for -3 < x < 3, 0 elsewhere. ATen's backward multiplies by
// 1.0f / 6.0f, a float constant even for double tensors; so does this one.
static void hardsigmoid_backward(const Entry& e, const Tensor& g, Tensor* gin) {
  Tensor x = e.saved_value(0);
  gin[0] = where(logical_and(x > -3.0, x < 3.0), g * double(1.0f / 6.0f), 0.0);
}
Tensor hardsigmoid(const Tensor& self) {
  Tensor out = hardtanh(self.detach() + 3.0, 0, 6) / 6.0;
  if (Entry* e = record("hardsigmoid", hardsigmoid_backward, {&self}, out)) e->save(0, self);
  return out;
}
// hardswish: d/dx = 0 for x < -3, x / 3 + 1/2 for x <= 3, 1 above (ATen's hardswish_backward)
static void hardswish_backward(const Entry& e, const Tensor& g, Tensor* gin) {
  Tensor x = e.saved_value(0);
  gin[0] = where(x < -3.0, 0.0, where(x <= 3.0, g * (x / 3.0 + 0.5), g));
}
Tensor hardswish(const Tensor& self) {
  Tensor x = self.detach();
  Tensor out = x * hardtanh(x + 3.0, 0, 6) / 6.0;
  if (Entry* e = record("hardswish", hardswish_backward, {&self}, out)) e->save(0, self);
  return out;
}

Tensor rrelu(const Tensor& self, const Scalar& lower, const Scalar& upper, bool training,
             std::optional<Generator> generator) {
  const double lo = lower.to_double(), hi = upper.to_double();
  TORCH_CHECK(lo <= hi, "Lower bound should be less than or equal to the upper bound");
  // d/dx = the slope drawn (training), the mean slope (evaluation)
  if (training) return self * rrelu_noise(self, lo, hi, std::move(generator));
  return leaky_relu(self, (lo + hi) / 2);
}
Tensor& rrelu_(Tensor& self, const Scalar& lower, const Scalar& upper, bool training,
               std::optional<Generator> generator) {
  return write_back(self, rrelu(self, lower, upper, training, std::move(generator)));
}

}  // namespace tg
