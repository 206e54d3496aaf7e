// tg::nn::functional: the stateless forms of the layers and losses (libtorch's
// torch::nn::functional). Users write `namespace F = tg::nn::functional;` and then
//   auto h = F::relu(F::linear(x, w, b));
//   auto loss = F::cross_entropy(h, labels, F::CrossEntropyFuncOptions().label_smoothing(0.1));
// Everything is built from differentiable tg:: ops, so every result can be backpropagated.
// Bad shapes, dtypes or class indices throw tg::Error naming the function and the shapes.
#pragma once

#include "../autograd/tensor.hpp"
#include "options.hpp"

namespace tg::nn::functional {

// ---- activations and layers ----
// With inplace=true, overwrites and returns `input` (as libtorch's relu_).
Tensor relu(Tensor input, const ReLUFuncOptions& options = {});
Tensor sigmoid(const Tensor& input);
Tensor tanh(const Tensor& input);
// input.matmul(weight.t()) + bias, for any number of leading dimensions of `input`.
Tensor linear(const Tensor& input, const Tensor& weight, const Tensor& bias = {});
Tensor softmax(const Tensor& input, const SoftmaxFuncOptions& options);
Tensor log_softmax(const Tensor& input, const LogSoftmaxFuncOptions& options);

// ---- losses (libtorch 1.13 / PyTorch semantics) ----
// (input - target)^2; target broadcasts against input, as in PyTorch.
Tensor mse_loss(const Tensor& input, const Tensor& target, const MSELossFuncOptions& options = {});

// -w [y log(x) + (1 - y) log(1 - x)] with both logs clamped at -100. `input` holds
// probabilities in [0, 1] and `target` must have the same shape; weight broadcasts to it.
Tensor binary_cross_entropy(const Tensor& input, const Tensor& target,
                            const BinaryCrossEntropyFuncOptions& options = {});

// -w [p y log sigmoid(x) + (1 - y) log sigmoid(-x)] on logits x, stable for any |x|.
// `pos_weight` p broadcasts over the last dimension (one per class).
Tensor binary_cross_entropy_with_logits(
    const Tensor& input, const Tensor& target,
    const BinaryCrossEntropyWithLogitsFuncOptions& options = {});

// -w[t] input[n, t] on log-probabilities. input (C), (N, C) or (N, C, d1, ...); target of class
// indices (int64) of shape (), (N) or (N, d1, ...). Mean divides by the sum of the weights of
// the targets that are not ignore_index.
Tensor nll_loss(const Tensor& input, const Tensor& target, const NLLLossFuncOptions& options = {});

// nll_loss(log_softmax(input, class dim)) for class-index targets; for a floating target of the
// input's shape, the targets are class probabilities. Supports label_smoothing with both.
Tensor cross_entropy(const Tensor& input, const Tensor& target,
                     const CrossEntropyFuncOptions& options = {});

}  // namespace tg::nn::functional
