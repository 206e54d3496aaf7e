// Functional activations and layers. The losses are in loss_functional.cpp.
#include "functional.hpp"

#include "../autograd/functions.hpp"

namespace tg::nn::functional {

namespace {
void check_defined(const Tensor& t, const char* op, const char* what) {
  if (!t.defined()) throw Error(std::string(op) + ": " + what + " is an undefined tensor");
}
}  // namespace

Tensor relu(Tensor input, const ReLUFuncOptions& options) {
  check_defined(input, "relu", "input");
  if (!options.inplace()) return tg::relu(input);
  // Written back with copy_ (recorded), so the gradient is relu's, 0 at exactly 0 as PyTorch's.
  input.copy_(tg::relu(input));
  return input;
}

Tensor sigmoid(const Tensor& input) {
  check_defined(input, "sigmoid", "input");
  return tg::sigmoid(input);
}

Tensor tanh(const Tensor& input) {
  check_defined(input, "tanh", "input");
  return tg::tanh(input);
}

Tensor linear(const Tensor& input, const Tensor& weight, const Tensor& bias) {
  check_defined(input, "linear", "input");
  check_defined(weight, "linear", "weight");
  if (weight.dim() != 2)
    throw Error("linear: weight must be 2-D (out_features, in_features), got shape " +
                to_string(weight.sizes()));
  if (input.dim() < 1 || input.size(-1) != weight.size(1))
    throw Error("linear: input of shape " + to_string(input.sizes()) +
                " does not match weight of shape " + to_string(weight.sizes()) +
                " (the last dimension of the input must be " + std::to_string(weight.size(1)) +
                ")");
  Tensor out = input.matmul(weight.t());
  if (!bias.defined()) return out;
  if (bias.dim() != 1 || bias.size(0) != weight.size(0))
    throw Error("linear: bias of shape " + to_string(bias.sizes()) +
                " does not match weight of shape " + to_string(weight.sizes()) + " (expected [" +
                std::to_string(weight.size(0)) + "])");
  return out + bias;
}

Tensor softmax(const Tensor& input, const SoftmaxFuncOptions& options) {
  check_defined(input, "softmax", "input");
  return input.softmax(options.dim(), options.dtype());
}

Tensor log_softmax(const Tensor& input, const LogSoftmaxFuncOptions& options) {
  check_defined(input, "log_softmax", "input");
  return input.log_softmax(options.dim(), options.dtype());
}

}  // namespace tg::nn::functional
