// tg::nn::init: in-place initialisers with libtorch's signatures and distributions.
//
//   tg::nn::init::kaiming_uniform_(linear->weight, std::sqrt(5.0));  // Linear's default
//   tg::nn::init::zeros_(linear->bias);
// Each runs under NoGradGuard (initialising a parameter is not part of any graph) and returns
// the tensor it filled, which shares storage with the argument.
#pragma once

#include <cstdint>
#include <tuple>

#include "../autograd/tensor.hpp"
#include "enum.hpp"

namespace tg::nn::init {

using NonlinearityType =
    enumtype::variant<enumtype::kLinear, enumtype::kConv1D, enumtype::kConv2D, enumtype::kConv3D,
                      enumtype::kConvTranspose1D, enumtype::kConvTranspose2D,
                      enumtype::kConvTranspose3D, enumtype::kSigmoid, enumtype::kTanh,
                      enumtype::kReLU, enumtype::kLeakyReLU>;
using FanModeType = enumtype::variant<enumtype::kFanIn, enumtype::kFanOut>;

// The recommended gain for a nonlinearity (PyTorch's table); `param` is leaky_relu's slope.
double calculate_gain(NonlinearityType nonlinearity, double param = 0.01);

Tensor uniform_(Tensor tensor, double low = 0, double high = 1);
Tensor normal_(Tensor tensor, double mean = 0, double std = 1);
Tensor constant_(Tensor tensor, Scalar value);
Tensor zeros_(Tensor tensor);
Tensor ones_(Tensor tensor);
// The identity in a 2-D tensor (ones on the diagonal of a rectangular matrix too).
Tensor eye_(Tensor matrix);
// The Dirac delta for a 3-, 4- or 5-D convolution weight (out, in, *kernel): channel i of the
// input passes unchanged to output i through the kernel's centre; the rest is zero.
Tensor dirac_(Tensor tensor);

// He et al. 2015: U(-b, b) with b = gain * sqrt(3 / fan); `a` is the leaky_relu slope.
// libtorch's defaults (a = 0, mode = kFanIn, nonlinearity = kLeakyReLU) are spelled as
// overloads, not default arguments: a variant-typed default argument makes every program that
// includes <tapegrad.hpp> instantiate NonlinearityType (11 alternatives) and FanModeType
// (~5 MB of the compiler's memory when they were std::variants); now only calls that pass them
// do.
Tensor kaiming_uniform_(Tensor tensor, double a = 0);
Tensor kaiming_uniform_(Tensor tensor, double a, FanModeType mode);
Tensor kaiming_uniform_(Tensor tensor, double a, FanModeType mode, NonlinearityType nonlinearity);
Tensor kaiming_normal_(Tensor tensor, double a = 0);
Tensor kaiming_normal_(Tensor tensor, double a, FanModeType mode);
Tensor kaiming_normal_(Tensor tensor, double a, FanModeType mode, NonlinearityType nonlinearity);
// Glorot & Bengio 2010: U(-b, b) with b = gain * sqrt(6 / (fan_in + fan_out)).
Tensor xavier_uniform_(Tensor tensor, double gain = 1.0);
Tensor xavier_normal_(Tensor tensor, double gain = 1.0);

// Saxe et al. 2013: a (semi-)orthogonal matrix from the QR of a normal one, times gain.
Tensor orthogonal_(Tensor tensor, double gain = 1.0);
// Martens 2010: N(0, std^2) with ceil(sparsity * rows) zeros in each column (2-D only).
Tensor sparse_(Tensor tensor, double sparsity, double std = 0.01);

// (fan_in, fan_out) of a weight of shape (out, in, *kernel): in * prod(kernel), out * prod(kernel).
std::tuple<int64_t, int64_t> _calculate_fan_in_and_fan_out(const Tensor& tensor);

}  // namespace tg::nn::init
