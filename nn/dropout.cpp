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

namespace {
template <typename Options>
Tensor in_place_or_not(Tensor input, Tensor out, const Options& o) {
  if (!o.inplace() || !o.training()) return out;
  input.copy_(out);
  return input;
}
// libtorch's _dropoutNd_helper: input of other than `batched_dim` dims is one sample.
Tensor channel_dropout(Tensor input, const DropoutFuncOptions& o, int64_t batched_dim) {
  const bool batched = input.dim() == batched_dim;
  Tensor out = tg::feature_dropout(batched ? input : input.unsqueeze(0), o.p(), o.training());
  return in_place_or_not(std::move(input), batched ? out : out.squeeze(0), o);
}
}  // namespace

Tensor dropout2d(Tensor input, const Dropout2dFuncOptions& o) {
  return channel_dropout(std::move(input), o, 4);
}
Tensor dropout3d(Tensor input, const Dropout3dFuncOptions& o) {
  return channel_dropout(std::move(input), o, 5);
}
Tensor alpha_dropout(Tensor input, const AlphaDropoutFuncOptions& o) {
  Tensor out = tg::alpha_dropout(input, o.p(), o.training());
  return in_place_or_not(std::move(input), out, o);
}
Tensor feature_alpha_dropout(Tensor input, const FeatureAlphaDropoutFuncOptions& o) {
  Tensor out = tg::feature_alpha_dropout(input, o.p(), o.training());
  return in_place_or_not(std::move(input), out, o);
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

namespace detail {
DropoutVariantImpl::DropoutVariantImpl(const DropoutOptions& options_, const char* name,
                                       Functional f)
    : options(options_), name_(name), functional_(f) {
  reset();
}
void DropoutVariantImpl::reset() {
  if (!(options.p() >= 0 && options.p() <= 1))
    throw Error(std::string(name_) + ": dropout probability has to be between 0 and 1, but got " +
                std::to_string(options.p()));
}
void DropoutVariantImpl::pretty_print(std::ostream& stream) const {
  stream << std::boolalpha << "torch::nn::" << name_ << "(p=" << options.p()
         << ", inplace=" << options.inplace() << ")";
}
Tensor DropoutVariantImpl::apply(Tensor input) {
  return nn::detail::named_errors(name_, [&] {
    return functional_(std::move(input), functional::DropoutFuncOptions()
                                             .p(options.p())
                                             .inplace(options.inplace())
                                             .training(is_training()));
  });
}
}  // namespace detail

Dropout2dImpl::Dropout2dImpl(const Dropout2dOptions& o)
    : CloneableAs(o, "Dropout2d", functional::dropout2d) {}
Dropout3dImpl::Dropout3dImpl(const Dropout3dOptions& o)
    : CloneableAs(o, "Dropout3d", functional::dropout3d) {}
namespace {
functional::AlphaDropoutFuncOptions alpha_options(const functional::DropoutFuncOptions& o) {
  return functional::AlphaDropoutFuncOptions().p(o.p()).training(o.training()).inplace(o.inplace());
}
}  // namespace
AlphaDropoutImpl::AlphaDropoutImpl(const AlphaDropoutOptions& o)
    : CloneableAs(o, "AlphaDropout", [](Tensor x, const functional::DropoutFuncOptions& f) {
        return functional::alpha_dropout(std::move(x), alpha_options(f));
      }) {}
FeatureAlphaDropoutImpl::FeatureAlphaDropoutImpl(const FeatureAlphaDropoutOptions& o)
    : CloneableAs(o, "FeatureAlphaDropout", [](Tensor x, const functional::DropoutFuncOptions& f) {
        return functional::feature_alpha_dropout(std::move(x), alpha_options(f));
      }) {}

// Convenience constructors, out of line: see the note at TG_MODULE in module.hpp.
DropoutImpl::DropoutImpl(double p) : DropoutImpl(DropoutOptions(p)) {}
Dropout2dImpl::Dropout2dImpl(double p) : Dropout2dImpl(Dropout2dOptions(p)) {}
Dropout3dImpl::Dropout3dImpl(double p) : Dropout3dImpl(Dropout3dOptions(p)) {}
AlphaDropoutImpl::AlphaDropoutImpl(double p) : AlphaDropoutImpl(AlphaDropoutOptions(p)) {}
FeatureAlphaDropoutImpl::FeatureAlphaDropoutImpl(double p)
    : FeatureAlphaDropoutImpl(FeatureAlphaDropoutOptions(p)) {}

// Each layer's clone() is compiled here, once, rather than in every program that includes its
// header (the extern templates there; nn/cloneable.hpp).
template class detail::CloneableAs<DropoutImpl, Module>;
template class detail::CloneableAs<Dropout2dImpl, detail::DropoutVariantImpl>;
template class detail::CloneableAs<Dropout3dImpl, detail::DropoutVariantImpl>;
template class detail::CloneableAs<AlphaDropoutImpl, detail::DropoutVariantImpl>;
template class detail::CloneableAs<FeatureAlphaDropoutImpl, detail::DropoutVariantImpl>;
}  // namespace tg::nn
