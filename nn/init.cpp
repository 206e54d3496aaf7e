// Initialisers. The formulas are PyTorch's (torch/nn/init.py); only the random stream differs.
#include "init.hpp"

#include <algorithm>
#include <cmath>
#include <vector>

#include "../autograd/functions.hpp"

namespace tg::nn::init {

namespace {
void check_defined(const Tensor& t, const char* op) {
  if (!t.defined()) throw Error(std::string("nn::init::") + op + ": tensor is undefined");
}
void check_floating(const Tensor& t, const char* op) {
  check_defined(t, op);
  if (!t.is_floating_point())
    throw Error(std::string("nn::init::") + op + ": expected a floating-point tensor, got " +
                dtype_name(t.scalar_type()) + " of shape " + to_string(t.sizes()));
}

int64_t fan(const Tensor& t, const FanModeType& mode, const char* op) {
  check_floating(t, op);
  auto [fan_in, fan_out] = _calculate_fan_in_and_fan_out(t);
  return holds_alternative<enumtype::kFanIn>(mode) ? fan_in : fan_out;
}
}  // namespace

double calculate_gain(NonlinearityType nonlinearity, double param) {
  if (holds_alternative<enumtype::kTanh>(nonlinearity)) return 5.0 / 3.0;
  if (holds_alternative<enumtype::kReLU>(nonlinearity)) return std::sqrt(2.0);
  if (holds_alternative<enumtype::kLeakyReLU>(nonlinearity))
    return std::sqrt(2.0 / (1 + param * param));
  return 1.0;  // linear, conv*, sigmoid
}

Tensor uniform_(Tensor tensor, double low, double high) {
  check_floating(tensor, "uniform_");
  if (!(low <= high))
    throw Error("nn::init::uniform_: expected low <= high, got low=" + std::to_string(low) +
                ", high=" + std::to_string(high));
  NoGradGuard no_grad;
  tensor.uniform_(low, high);
  return tensor;
}

Tensor normal_(Tensor tensor, double mean, double std) {
  check_floating(tensor, "normal_");
  if (!(std >= 0)) throw Error("nn::init::normal_: expected std >= 0, got " + std::to_string(std));
  NoGradGuard no_grad;
  tensor.normal_(mean, std);
  return tensor;
}

Tensor constant_(Tensor tensor, Scalar value) {
  check_defined(tensor, "constant_");
  NoGradGuard no_grad;
  tensor.fill_(value);
  return tensor;
}

Tensor zeros_(Tensor tensor) { return constant_(std::move(tensor), 0); }
Tensor ones_(Tensor tensor) { return constant_(std::move(tensor), 1); }

Tensor eye_(Tensor matrix) {
  check_defined(matrix, "eye_");
  if (matrix.dim() != 2)
    throw Error("nn::init::eye_: only tensors with 2 dimensions are supported, got shape " +
                to_string(matrix.sizes()));
  NoGradGuard no_grad;
  matrix.copy_(tg::eye(matrix.size(0), matrix.size(1), matrix.scalar_type()));
  return matrix;
}

Tensor dirac_(Tensor tensor) {
  check_defined(tensor, "dirac_");
  const int64_t d = tensor.dim();
  if (d < 3 || d > 5)
    throw Error(
        "nn::init::dirac_: only tensors with 3, 4, or 5 dimensions are supported, got "
        "shape " +
        to_string(tensor.sizes()));
  // Built as a flat buffer and copied in: element (i, i, centre...) for i < min(out, in).
  const int64_t n = tensor.numel();
  if (n == 0) return tensor;
  std::vector<double> v(size_t(n), 0.0);
  int64_t kernel = 1, centre = 0;
  for (int64_t k = 2; k < d; ++k) {
    kernel *= tensor.size(k);
    centre = centre * tensor.size(k) + tensor.size(k) / 2;
  }
  const int64_t in = tensor.size(1);
  for (int64_t i = 0; i < std::min(tensor.size(0), in); ++i)
    v[size_t((i * in + i) * kernel + centre)] = 1.0;
  NoGradGuard no_grad;
  tensor.copy_(tg::tensor(v, kDouble).reshape(tensor.sizes()));
  return tensor;
}

std::tuple<int64_t, int64_t> _calculate_fan_in_and_fan_out(const Tensor& tensor) {
  check_defined(tensor, "_calculate_fan_in_and_fan_out");
  if (tensor.dim() < 2)
    throw Error(
        "nn::init: fan in and fan out can not be computed for a tensor with fewer than 2 "
        "dimensions (shape " +
        to_string(tensor.sizes()) + ")");
  int64_t receptive = 1;
  for (int64_t d = 2; d < tensor.dim(); ++d) receptive *= tensor.size(d);
  return {tensor.size(1) * receptive, tensor.size(0) * receptive};
}

Tensor kaiming_uniform_(Tensor tensor, double a) {
  return kaiming_uniform_(std::move(tensor), a, tg::kFanIn, tg::kLeakyReLU);
}
Tensor kaiming_uniform_(Tensor tensor, double a, FanModeType mode) {
  return kaiming_uniform_(std::move(tensor), a, mode, tg::kLeakyReLU);
}
Tensor kaiming_normal_(Tensor tensor, double a) {
  return kaiming_normal_(std::move(tensor), a, tg::kFanIn, tg::kLeakyReLU);
}
Tensor kaiming_normal_(Tensor tensor, double a, FanModeType mode) {
  return kaiming_normal_(std::move(tensor), a, mode, tg::kLeakyReLU);
}

Tensor kaiming_uniform_(Tensor tensor, double a, FanModeType mode, NonlinearityType nonlinearity) {
  if (tensor.defined() && tensor.numel() == 0) return tensor;  // PyTorch: a no-op, not an error
  const int64_t f = fan(tensor, mode, "kaiming_uniform_");
  const double std = calculate_gain(nonlinearity, a) / std::sqrt(double(f));
  const double bound = std::sqrt(3.0) * std;  // U(-b, b) has standard deviation b / sqrt(3)
  return uniform_(std::move(tensor), -bound, bound);
}

Tensor kaiming_normal_(Tensor tensor, double a, FanModeType mode, NonlinearityType nonlinearity) {
  if (tensor.defined() && tensor.numel() == 0) return tensor;
  const int64_t f = fan(tensor, mode, "kaiming_normal_");
  return normal_(std::move(tensor), 0, calculate_gain(nonlinearity, a) / std::sqrt(double(f)));
}

Tensor xavier_uniform_(Tensor tensor, double gain) {
  check_floating(tensor, "xavier_uniform_");
  if (tensor.numel() == 0) return tensor;
  auto [fan_in, fan_out] = _calculate_fan_in_and_fan_out(tensor);
  const double std = gain * std::sqrt(2.0 / double(fan_in + fan_out));
  const double bound = std::sqrt(3.0) * std;
  return uniform_(std::move(tensor), -bound, bound);
}

Tensor xavier_normal_(Tensor tensor, double gain) {
  check_floating(tensor, "xavier_normal_");
  if (tensor.numel() == 0) return tensor;
  auto [fan_in, fan_out] = _calculate_fan_in_and_fan_out(tensor);
  return normal_(std::move(tensor), 0, gain * std::sqrt(2.0 / double(fan_in + fan_out)));
}

}  // namespace tg::nn::init
