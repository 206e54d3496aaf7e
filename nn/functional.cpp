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
  return tg::linear(input, weight, bias);  // one primitive: gemm with W transposed in place
}

Tensor softmax(const Tensor& input, const SoftmaxFuncOptions& options) {
  check_defined(input, "softmax", "input");
  return input.softmax(options.dim(), options.dtype());
}

Tensor log_softmax(const Tensor& input, const LogSoftmaxFuncOptions& options) {
  check_defined(input, "log_softmax", "input");
  return input.log_softmax(options.dim(), options.dtype());
}

Tensor one_hot(const Tensor& tensor, int64_t num_classes) {
  return tg::one_hot(tensor, num_classes);
}

}  // namespace tg::nn::functional
