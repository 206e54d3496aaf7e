// The rest of libtorch 1.13's activation modules, their options and functional forms: SELU,
// CELU, GLU, Hardshrink, Hardtanh, LogSigmoid, Softmin, Softmax2d, PReLU, ReLU6, RReLU, Mish,
// Softshrink, Softsign, Tanhshrink, Threshold, and F::gumbel_softmax. Names, defaults, implicit
// option constructors and printing are libtorch's; the functional forms call tg::'s ATen-level
// functions (autograd/functions_activation.hpp).
//
//   tg::nn::Hardtanh ht(tg::nn::HardtanhOptions().min_val(-2).max_val(2));
//   auto y = F::glu(x, /*dim=*/1);
#pragma once

#include <iosfwd>

#include "cloneable.hpp"
#include "module.hpp"
#include "options.hpp"

namespace tg::nn {

// ---- options (torch/nn/options/activation.h) ----
struct SELUOptions {
  /* implicit */ SELUOptions(bool inplace = false) : inplace_(inplace) {}  // NOLINT
  TG_ARG(bool, inplace);
};
struct GLUOptions {
  /* implicit */ GLUOptions(int64_t dim = -1) : dim_(dim) {}  // NOLINT
  TG_ARG(int64_t, dim);
};
struct HardshrinkOptions {
  /* implicit */ HardshrinkOptions(double lambda = 0.5) : lambda_(lambda) {}  // NOLINT
  TG_ARG(double, lambda);
};
struct HardtanhOptions {
  TG_ARG(double, min_val) = -1.0;
  TG_ARG(double, max_val) = 1.0;
  TG_ARG(bool, inplace) = false;
};
struct SoftminOptions {
  /* implicit */ SoftminOptions(int64_t dim) : dim_(dim) {}  // NOLINT
  TG_ARG(int64_t, dim);
};
struct PReLUOptions {
  TG_ARG(int64_t, num_parameters) = 1;
  TG_ARG(double, init) = 0.25;
};
struct ReLU6Options {
  /* implicit */ ReLU6Options(bool inplace = false) : inplace_(inplace) {}  // NOLINT
  TG_ARG(bool, inplace);
};
struct RReLUOptions {
  TG_ARG(double, lower) = 1.0 / 8.0;
  TG_ARG(double, upper) = 1.0 / 3.0;
  TG_ARG(bool, inplace) = false;
};
struct CELUOptions {
  TG_ARG(double, alpha) = 1.0;
  TG_ARG(bool, inplace) = false;
};
struct SoftshrinkOptions {
  /* implicit */ SoftshrinkOptions(double lambda = 0.5) : lambda_(lambda) {}  // NOLINT
  TG_ARG(double, lambda);
};
struct ThresholdOptions {
  ThresholdOptions(double threshold, double value) : threshold_(threshold), value_(value) {}
  TG_ARG(double, threshold);
  TG_ARG(double, value);
  TG_ARG(bool, inplace) = false;
};

namespace functional {
using SELUFuncOptions = SELUOptions;
using GLUFuncOptions = GLUOptions;
using HardshrinkFuncOptions = HardshrinkOptions;
using HardtanhFuncOptions = HardtanhOptions;
using ReLU6FuncOptions = ReLU6Options;
using CELUFuncOptions = CELUOptions;
using SoftshrinkFuncOptions = SoftshrinkOptions;
using ThresholdFuncOptions = ThresholdOptions;
struct SoftminFuncOptions {
  /* implicit */ SoftminFuncOptions(int64_t dim) : dim_(dim) {}  // NOLINT
  TG_ARG(int64_t, dim);
  TG_ARG(std::optional<ScalarType>, dtype) = std::nullopt;
};
// training defaults to false here (the module passes its own mode).
struct RReLUFuncOptions {
  TG_ARG(double, lower) = 1.0 / 8.0;
  TG_ARG(double, upper) = 1.0 / 3.0;
  TG_ARG(bool, training) = false;
  TG_ARG(bool, inplace) = false;
};
struct GumbelSoftmaxFuncOptions {
  TG_ARG(double, tau) = 1.0;
  TG_ARG(bool, hard) = false;
  TG_ARG(int, dim) = -1;
};

// With inplace, these overwrite and return `input` (libtorch's selu_, hardtanh_, ...).
Tensor selu(Tensor input, const SELUFuncOptions& options = {});
Tensor celu(Tensor input, const CELUFuncOptions& options = {});
Tensor hardtanh(Tensor input, const HardtanhFuncOptions& options = {});
Tensor relu6(Tensor input, const ReLU6FuncOptions& options = {});
Tensor rrelu(Tensor input, const RReLUFuncOptions& options = {});
Tensor threshold(Tensor input, const ThresholdFuncOptions& options);
Tensor hardshrink(const Tensor& input, const HardshrinkFuncOptions& options = {});
Tensor softshrink(const Tensor& input, const SoftshrinkFuncOptions& options = {});
// log(sigmoid(x)).
Tensor logsigmoid(const Tensor& input);
// softmax(-x) along dim.
Tensor softmin(const Tensor& input, const SoftminFuncOptions& options);
// a sigmoid(b) with a, b the halves of input along dim (default the last).
Tensor glu(const Tensor& input, const GLUFuncOptions& options = {});
Tensor mish(const Tensor& input);
Tensor prelu(const Tensor& input, const Tensor& weight);
// x / (1 + |x|) and x - tanh(x).
Tensor softsign(const Tensor& input);
Tensor tanhshrink(const Tensor& input);
// softmax((logits + g) / tau) with Gumbel noise g = -log(Exp(1)); with hard, the one-hot of
// its argmax, whose gradient is the soft sample's (straight-through).
Tensor gumbel_softmax(const Tensor& logits, const GumbelSoftmaxFuncOptions& options = {});
}  // namespace functional

// ---- modules ----
// Declares an activation module whose only state is its options `Opt`.
#define TG_ACTIVATION_MODULE(Name, Opt, Arg)                     \
  class Name##Impl : public Cloneable<Name##Impl> {              \
   public:                                                       \
    explicit Name##Impl(const Opt& options_ = {});               \
    void reset() override {}                                     \
    void pretty_print(std::ostream& stream) const override;      \
    Tensor forward(Arg input);                                   \
    Opt options;                                                 \
  };                                                             \
  extern template class detail::CloneableAs<Name##Impl, Module>; \
  TG_MODULE(Name)

TG_ACTIVATION_MODULE(SELU, SELUOptions, Tensor);
TG_ACTIVATION_MODULE(CELU, CELUOptions, Tensor);
TG_ACTIVATION_MODULE(ReLU6, ReLU6Options, Tensor);
TG_ACTIVATION_MODULE(RReLU, RReLUOptions, Tensor);
TG_ACTIVATION_MODULE(GLU, GLUOptions, const Tensor&);
TG_ACTIVATION_MODULE(Hardshrink, HardshrinkOptions, const Tensor&);
TG_ACTIVATION_MODULE(Softshrink, SoftshrinkOptions, const Tensor&);
#undef TG_ACTIVATION_MODULE

// Checks max_val > min_val, at construction and in reset().
class HardtanhImpl : public Cloneable<HardtanhImpl> {
 public:
  explicit HardtanhImpl(const HardtanhOptions& options_ = {});
  void reset() override;
  void pretty_print(std::ostream& stream) const override;
  Tensor forward(Tensor input);
  HardtanhOptions options;
};
TG_MODULE(Hardtanh);
extern template class detail::CloneableAs<HardtanhImpl, Module>;

class ThresholdImpl : public Cloneable<ThresholdImpl> {
 public:
  ThresholdImpl(double threshold, double value);
  explicit ThresholdImpl(const ThresholdOptions& options_);
  void reset() override {}
  void pretty_print(std::ostream& stream) const override;
  Tensor forward(Tensor input);
  ThresholdOptions options;
};
TG_MODULE(Threshold);
extern template class detail::CloneableAs<ThresholdImpl, Module>;

class SoftminImpl : public Cloneable<SoftminImpl> {
 public:
  explicit SoftminImpl(int64_t dim);
  explicit SoftminImpl(const SoftminOptions& options_);
  void reset() override {}
  void pretty_print(std::ostream& stream) const override;
  Tensor forward(const Tensor& input);
  SoftminOptions options;
};
TG_MODULE(Softmin);
extern template class detail::CloneableAs<SoftminImpl, Module>;

// One slope per channel (num_parameters of them, or 1 shared), initialised to init.
class PReLUImpl : public Cloneable<PReLUImpl> {
 public:
  explicit PReLUImpl(const PReLUOptions& options_ = {});
  void reset() override;
  void pretty_print(std::ostream& stream) const override;
  Tensor forward(const Tensor& input);
  PReLUOptions options;
  Tensor weight;
};
TG_MODULE(PReLU);
extern template class detail::CloneableAs<PReLUImpl, Module>;

// Option-less modules.
#define TG_PLAIN_ACTIVATION_MODULE(Name)                         \
  class Name##Impl : public Cloneable<Name##Impl> {              \
   public:                                                       \
    void reset() override {}                                     \
    void pretty_print(std::ostream& stream) const override;      \
    Tensor forward(const Tensor& input);                         \
  };                                                             \
  extern template class detail::CloneableAs<Name##Impl, Module>; \
  TG_MODULE(Name)

TG_PLAIN_ACTIVATION_MODULE(LogSigmoid);
TG_PLAIN_ACTIVATION_MODULE(Softmax2d);  // softmax over the channels of (C, H, W) / (N, C, H, W)
TG_PLAIN_ACTIVATION_MODULE(Mish);
TG_PLAIN_ACTIVATION_MODULE(Softsign);
TG_PLAIN_ACTIVATION_MODULE(Tanhshrink);
#undef TG_PLAIN_ACTIVATION_MODULE

}  // namespace tg::nn
