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

UnflattenImpl::UnflattenImpl(UnflattenOptions options_) : options(std::move(options_)) {}

void UnflattenImpl::pretty_print(std::ostream& stream) const {
  const auto& named = options.namedshape();
  if (!named.empty()) {
    stream << "torch::nn::Unflatten(dim=\"" << options.dimname() << "\", unflattened_size={";
    for (size_t i = 0; i < named.size(); ++i)
      stream << (i ? ", " : "") << "{\"" << named[i].first << "\", " << named[i].second << "}";
    stream << "})";
  } else {
    stream << "torch::nn::Unflatten(dim=" << options.dim() << ", unflattened_size={";
    for (size_t i = 0; i < options.sizes().size(); ++i)
      stream << (i ? ", " : "") << options.sizes()[i];
    stream << "})";
  }
}

Tensor UnflattenImpl::forward(const Tensor& input) {
  if (!options.namedshape().empty())
    throw Error("Unflatten: named tensors (dimname \"" + options.dimname() +
                "\") are not supported by tapegrad");
  return input.unflatten(options.dim(), options.sizes());
}

// Convenience constructors, out of line: see the note at TG_MODULE in module.hpp.
UnflattenImpl::UnflattenImpl(int64_t dim, std::vector<int64_t> sizes)
    : UnflattenImpl(UnflattenOptions(dim, std::move(sizes))) {}
UnflattenImpl::UnflattenImpl(std::string dimname, UnflattenOptions::namedshape_t namedshape)
    : UnflattenImpl(UnflattenOptions(std::move(dimname), std::move(namedshape))) {}

FunctionalImpl::FunctionalImpl(Function function) : function_(std::move(function)) {
  if (!function_) throw Error("Functional: the wrapped function is empty");
}

void FunctionalImpl::pretty_print(std::ostream& stream) const {
  stream << "torch::nn::Functional()";
}

Tensor FunctionalImpl::forward(Tensor input) { return function_(std::move(input)); }

// Each layer's clone() is compiled here, once, rather than in every program that includes its
// header (the extern templates there; nn/cloneable.hpp).
template class detail::CloneableAs<FlattenImpl, Module>;
template class detail::CloneableAs<FunctionalImpl, Module>;
template class detail::CloneableAs<IdentityImpl, Module>;
template class detail::CloneableAs<UnflattenImpl, Module>;
}  // namespace tg::nn
