#include "wrappers.hpp"

#include <ostream>

#include "../autograd/functions.hpp"

namespace tg::nn {

void IdentityImpl::pretty_print(std::ostream& stream) const { stream << "torch::nn::Identity()"; }

void FlattenImpl::pretty_print(std::ostream& stream) const {
  stream << "torch::nn::Flatten(start_dim=" << options.start_dim()
         << ", end_dim=" << options.end_dim() << ")";
}

Tensor FlattenImpl::forward(const Tensor& input) {
  if (!input.defined()) throw Error("Flatten: input is an undefined tensor");
  try {
    return input.flatten(options.start_dim(), options.end_dim());
  } catch (const Error& e) {
    throw Error("Flatten: " + std::string(e.what()) + " (input shape " + to_string(input.sizes()) +
                ")");
  }
}

FunctionalImpl::FunctionalImpl(Function function) : function_(std::move(function)) {
  if (!function_) throw Error("Functional: the wrapped function is empty");
}

void FunctionalImpl::pretty_print(std::ostream& stream) const {
  stream << "torch::nn::Functional()";
}

Tensor FunctionalImpl::forward(Tensor input) { return function_(std::move(input)); }

}  // namespace tg::nn
