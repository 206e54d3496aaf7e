// Activation modules: ReLU, Sigmoid, Tanh, Softmax, LogSoftmax, LeakyReLU, ELU, GELU, SiLU,
// Softplus (libtorch's names and options). Each forwards to the functional form; they exist so
// activations can sit in a Sequential. The options and functional forms of the later five are
// declared here too (the first five have theirs in options.hpp and functional.hpp).
#pragma once

#include <iosfwd>
#include <string>

#include "cloneable.hpp"
#include "module.hpp"
#include "options.hpp"

namespace tg::nn {

class ReLUImpl : public Cloneable<ReLUImpl> {
 public:
  explicit ReLUImpl(const ReLUOptions& options_ = {}) : options(options_) {}
  void reset() override {}
  void pretty_print(std::ostream& stream) const override;
  Tensor forward(Tensor input);
  ReLUOptions options;
};
TG_MODULE(ReLU);
extern template class detail::CloneableAs<ReLUImpl, Module>;

class SigmoidImpl : public Cloneable<SigmoidImpl> {
 public:
  void reset() override {}
  void pretty_print(std::ostream& stream) const override;
  Tensor forward(const Tensor& input);
};
TG_MODULE(Sigmoid);
extern template class detail::CloneableAs<SigmoidImpl, Module>;

class TanhImpl : public Cloneable<TanhImpl> {
 public:
  void reset() override {}
  void pretty_print(std::ostream& stream) const override;
  Tensor forward(const Tensor& input);
};
TG_MODULE(Tanh);
extern template class detail::CloneableAs<TanhImpl, Module>;

class SoftmaxImpl : public Cloneable<SoftmaxImpl> {
 public:
  explicit SoftmaxImpl(int64_t dim);
  explicit SoftmaxImpl(const SoftmaxOptions& options_) : options(options_) {}
  void reset() override {}
  void pretty_print(std::ostream& stream) const override;
  Tensor forward(const Tensor& input);
  SoftmaxOptions options;
};
TG_MODULE(Softmax);
extern template class detail::CloneableAs<SoftmaxImpl, Module>;

class LogSoftmaxImpl : public Cloneable<LogSoftmaxImpl> {
 public:
  explicit LogSoftmaxImpl(int64_t dim);
  explicit LogSoftmaxImpl(const LogSoftmaxOptions& options_) : options(options_) {}
  void reset() override {}
  void pretty_print(std::ostream& stream) const override;
  Tensor forward(const Tensor& input);
  LogSoftmaxOptions options;
};
TG_MODULE(LogSoftmax);
extern template class detail::CloneableAs<LogSoftmaxImpl, Module>;

// ---- options (torch/nn/options/activation.h) ----
struct LeakyReLUOptions {
  TG_ARG(double, negative_slope) = 1e-2;
  TG_ARG(bool, inplace) = false;
};
struct ELUOptions {
  TG_ARG(double, alpha) = 1.0;
  TG_ARG(bool, inplace) = false;
};
struct GELUOptions {
  TG_ARG(std::string, approximate) = "none";  // "none" (erf) or "tanh"
};
struct SoftplusOptions {
  TG_ARG(double, beta) = 1.0;
  TG_ARG(double, threshold) = 20.0;
};
namespace functional {
using LeakyReLUFuncOptions = LeakyReLUOptions;
using ELUFuncOptions = ELUOptions;
using GELUFuncOptions = GELUOptions;
using SoftplusFuncOptions = SoftplusOptions;

// x for x > 0, negative_slope * x otherwise. With inplace, overwrites and returns `input`.
Tensor leaky_relu(Tensor input, const LeakyReLUFuncOptions& options = {});
// x for x > 0, alpha (e^x - 1) otherwise. With inplace, overwrites and returns `input`.
Tensor elu(Tensor input, const ELUFuncOptions& options = {});
// x Phi(x) = x (1 + erf(x / sqrt 2)) / 2, or with approximate "tanh"
// x (1 + tanh(sqrt(2 / pi) (x + 0.044715 x^3))) / 2.
Tensor gelu(const Tensor& input, const GELUFuncOptions& options = {});
// x sigmoid(x).
Tensor silu(const Tensor& input);
// log(1 + e^(beta x)) / beta, and x itself where beta x > threshold (as PyTorch).
Tensor softplus(const Tensor& input, const SoftplusFuncOptions& options = {});
}  // namespace functional

// ---- modules ----
class LeakyReLUImpl : public Cloneable<LeakyReLUImpl> {
 public:
  explicit LeakyReLUImpl(const LeakyReLUOptions& options_ = {}) : options(options_) {}
  void reset() override {}
  void pretty_print(std::ostream& stream) const override;
  Tensor forward(Tensor input);
  LeakyReLUOptions options;
};
TG_MODULE(LeakyReLU);
extern template class detail::CloneableAs<LeakyReLUImpl, Module>;

class ELUImpl : public Cloneable<ELUImpl> {
 public:
  explicit ELUImpl(const ELUOptions& options_ = {}) : options(options_) {}
  void reset() override {}
  void pretty_print(std::ostream& stream) const override;
  Tensor forward(Tensor input);
  ELUOptions options;
};
TG_MODULE(ELU);
extern template class detail::CloneableAs<ELUImpl, Module>;

class GELUImpl : public Cloneable<GELUImpl> {
 public:
  explicit GELUImpl(GELUOptions options_ = {});
  void reset() override {}
  void pretty_print(std::ostream& stream) const override;
  Tensor forward(const Tensor& input);
  GELUOptions options;
};
TG_MODULE(GELU);
extern template class detail::CloneableAs<GELUImpl, Module>;

class SiLUImpl : public Cloneable<SiLUImpl> {
 public:
  void reset() override {}
  void pretty_print(std::ostream& stream) const override;
  Tensor forward(const Tensor& input);
};
TG_MODULE(SiLU);
extern template class detail::CloneableAs<SiLUImpl, Module>;

class SoftplusImpl : public Cloneable<SoftplusImpl> {
 public:
  explicit SoftplusImpl(const SoftplusOptions& options_ = {}) : options(options_) {}
  void reset() override {}
  void pretty_print(std::ostream& stream) const override;
  Tensor forward(const Tensor& input);
  SoftplusOptions options;
};
TG_MODULE(Softplus);
extern template class detail::CloneableAs<SoftplusImpl, Module>;

}  // namespace tg::nn
