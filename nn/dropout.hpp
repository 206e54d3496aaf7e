// Dropout layers with libtorch's options, and their functionals. In training mode each element
// (Dropout, AlphaDropout) or each whole channel (Dropout2d, Dropout3d, FeatureAlphaDropout) is
// dropped with probability p; in eval mode they are the identity. The masks are libtorch's
// draws (autograd/ops_norm.cpp), so a seed gives libtorch's masks.
//
//   tg::nn::Dropout drop(0.2);
//   drop->train(); auto y = drop(x);   // random mask from tg::manual_seed's generator
//   drop->eval();  auto z = drop(x);   // z is x
#pragma once

#include <iosfwd>

#include "cloneable.hpp"
#include "module.hpp"

namespace tg::nn {

struct DropoutOptions {
  /* implicit */ DropoutOptions(double p = 0.5) : p_(p) {}  // NOLINT
  TG_ARG(double, p) = 0.5;
  TG_ARG(bool, inplace) = false;
};

using Dropout2dOptions = DropoutOptions;
using Dropout3dOptions = DropoutOptions;
using AlphaDropoutOptions = DropoutOptions;
using FeatureAlphaDropoutOptions = DropoutOptions;

namespace functional {
struct DropoutFuncOptions {
  TG_ARG(double, p) = 0.5;
  TG_ARG(bool, training) = true;
  TG_ARG(bool, inplace) = false;
};
using Dropout2dFuncOptions = DropoutFuncOptions;
using Dropout3dFuncOptions = DropoutFuncOptions;
// As libtorch, the alpha dropouts' functional options default to training(false), unlike
// dropout's: F::alpha_dropout(x) alone returns x.
struct AlphaDropoutFuncOptions {
  TG_ARG(double, p) = 0.5;
  TG_ARG(bool, training) = false;
  TG_ARG(bool, inplace) = false;
};
using FeatureAlphaDropoutFuncOptions = AlphaDropoutFuncOptions;
// With inplace, the result is written into `input`, which is returned.
Tensor dropout(Tensor input, const DropoutFuncOptions& options = {});
// Whole channels of (N, C, H, W) / (N, C, D, H, W) input; unbatched (C, H, W) / (C, D, H, W)
// input is treated as one sample.
Tensor dropout2d(Tensor input, const Dropout2dFuncOptions& options = {});
Tensor dropout3d(Tensor input, const Dropout3dFuncOptions& options = {});
Tensor alpha_dropout(Tensor input, const AlphaDropoutFuncOptions& options = {});
Tensor feature_alpha_dropout(Tensor input, const FeatureAlphaDropoutFuncOptions& options = {});
}  // namespace functional

class DropoutImpl : public Cloneable<DropoutImpl> {
 public:
  explicit DropoutImpl(double p);
  explicit DropoutImpl(const DropoutOptions& options_ = {});
  void reset() override;  // checks 0 <= p <= 1
  void pretty_print(std::ostream& stream) const override;
  Tensor forward(Tensor input);
  DropoutOptions options;
};
TG_MODULE(Dropout);
extern template class detail::CloneableAs<DropoutImpl, Module>;

namespace detail {
// What Dropout2d, Dropout3d, AlphaDropout and FeatureAlphaDropout share: options, the check of
// p, the printout; each names its functional.
class DropoutVariantImpl : public Module {
 public:
  void reset();  // checks 0 <= p <= 1
  void pretty_print(std::ostream& stream) const override;
  DropoutOptions options;

 protected:
  using Functional = Tensor (*)(Tensor, const functional::DropoutFuncOptions&);
  DropoutVariantImpl(const DropoutOptions& options_, const char* name, Functional f);
  Tensor apply(Tensor input);

 private:
  const char* name_;
  Functional functional_;
};
}  // namespace detail

#define TG_DROPOUT_VARIANT(Name)                                                          \
  class Name##Impl : public detail::CloneableAs<Name##Impl, detail::DropoutVariantImpl> { \
   public:                                                                                \
    explicit Name##Impl(double p);                                                        \
    explicit Name##Impl(const Name##Options& options_ = {});                              \
    Tensor forward(Tensor input) { return apply(std::move(input)); }                      \
  };                                                                                      \
  extern template class detail::CloneableAs<Name##Impl, detail::DropoutVariantImpl>;      \
  TG_MODULE(Name)
TG_DROPOUT_VARIANT(Dropout2d);
TG_DROPOUT_VARIANT(Dropout3d);
TG_DROPOUT_VARIANT(AlphaDropout);
TG_DROPOUT_VARIANT(FeatureAlphaDropout);
#undef TG_DROPOUT_VARIANT

}  // namespace tg::nn
