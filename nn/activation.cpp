#include "activation.hpp"

#include <ostream>

#include "functional.hpp"

namespace tg::nn {

namespace F = functional;

void ReLUImpl::pretty_print(std::ostream& stream) const {
  stream << "tg::nn::ReLU(";
  if (options.inplace()) stream << std::boolalpha << "inplace=" << options.inplace();
  stream << ")";
}
Tensor ReLUImpl::forward(Tensor input) { return F::relu(std::move(input), options); }

void SigmoidImpl::pretty_print(std::ostream& stream) const { stream << "tg::nn::Sigmoid()"; }
Tensor SigmoidImpl::forward(const Tensor& input) { return F::sigmoid(input); }

void TanhImpl::pretty_print(std::ostream& stream) const { stream << "tg::nn::Tanh()"; }
Tensor TanhImpl::forward(const Tensor& input) { return F::tanh(input); }

void SoftmaxImpl::pretty_print(std::ostream& stream) const {
  stream << "tg::nn::Softmax(dim=" << options.dim() << ")";
}
Tensor SoftmaxImpl::forward(const Tensor& input) { return F::softmax(input, options.dim()); }

void LogSoftmaxImpl::pretty_print(std::ostream& stream) const {
  stream << "tg::nn::LogSoftmax(dim=" << options.dim() << ")";
}
Tensor LogSoftmaxImpl::forward(const Tensor& input) { return F::log_softmax(input, options.dim()); }

}  // namespace tg::nn
