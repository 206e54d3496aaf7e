#include "dropout.hpp"

#include <ostream>
#include <string>

#include "../autograd/functions.hpp"
#include "layer_error.hpp"

namespace tg::nn {

namespace functional {
Tensor dropout(Tensor input, const DropoutFuncOptions& o) {
  Tensor out = tg::dropout(input, o.p(), o.training());
  if (!o.inplace() || !o.training()) return out;
  input.copy_(out);
  return input;
}
}  // namespace functional

DropoutImpl::DropoutImpl(const DropoutOptions& options_) : options(options_) { reset(); }

void DropoutImpl::reset() {
  if (!(options.p() >= 0 && options.p() <= 1))
    throw Error("Dropout: dropout probability has to be between 0 and 1, but got " +
                std::to_string(options.p()));
}

void DropoutImpl::pretty_print(std::ostream& stream) const {
  stream << std::boolalpha << "torch::nn::Dropout(p=" << options.p()
         << ", inplace=" << options.inplace() << ")";
}

Tensor DropoutImpl::forward(Tensor input) {
  return detail::named_errors("Dropout", [&] {
    return functional::dropout(std::move(input), functional::DropoutFuncOptions()
                                                     .p(options.p())
                                                     .inplace(options.inplace())
                                                     .training(is_training()));
  });
}

// Convenience constructors, out of line: see the note at TG_MODULE in module.hpp.
DropoutImpl::DropoutImpl(double p) : DropoutImpl(DropoutOptions(p)) {}

}  // namespace tg::nn
