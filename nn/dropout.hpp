// Dropout with libtorch's options, and F::dropout. In training mode each element is zeroed
// with probability p and the rest are scaled by 1/(1-p); in eval mode it is the identity.
//
//   tg::nn::Dropout drop(0.2);
//   drop->train(); auto y = drop(x);   // random mask from tg::manual_seed's generator
//   drop->eval();  auto z = drop(x);   // z is x
#pragma once

#include <iosfwd>

#include "module.hpp"

namespace tg::nn {

struct DropoutOptions {
  /* implicit */ DropoutOptions(double p = 0.5) : p_(p) {}  // NOLINT
  TG_ARG(double, p) = 0.5;
  TG_ARG(bool, inplace) = false;
};

namespace functional {
struct DropoutFuncOptions {
  TG_ARG(double, p) = 0.5;
  TG_ARG(bool, training) = true;
  TG_ARG(bool, inplace) = false;
};
// With inplace, the result is written into `input`, which is returned.
Tensor dropout(Tensor input, const DropoutFuncOptions& options = {});
}  // namespace functional

class DropoutImpl : public Module {
 public:
  explicit DropoutImpl(double p);
  explicit DropoutImpl(const DropoutOptions& options_ = {});
  void reset();  // checks 0 <= p <= 1
  void pretty_print(std::ostream& stream) const override;
  Tensor forward(Tensor input);
  DropoutOptions options;
};
TG_MODULE(Dropout);

}  // namespace tg::nn
