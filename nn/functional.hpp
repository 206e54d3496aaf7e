// tg::nn::functional: the stateless forms of the layers and losses (libtorch's
// torch::nn::functional). Users write `namespace F = tg::nn::functional;` and then
//   auto h = F::relu(F::linear(x, w, b));
//   auto loss = F::cross_entropy(h, labels, F::CrossEntropyFuncOptions().label_smoothing(0.1));
// Everything is built from differentiable tg:: ops, so every result can be backpropagated.
// Bad shapes, dtypes or class indices throw tg::Error naming the function and the shapes.
#pragma once

#include "../autograd/tensor.hpp"
#include "loss_functional.hpp"  // the losses
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
// tg::one_hot: int64 (*tensor.shape, num_classes); -1 infers max + 1.
Tensor one_hot(const Tensor& tensor, int64_t num_classes = -1);

}  // namespace tg::nn::functional
