#include "activation.hpp"

#include <cmath>
#include <numbers>
#include <ostream>

#include "../autograd/functions.hpp"
#include "functional.hpp"

namespace tg::nn {

namespace F = functional;

void ReLUImpl::pretty_print(std::ostream& stream) const {
  stream << "torch::nn::ReLU(";
  if (options.inplace()) stream << std::boolalpha << "inplace=" << options.inplace();
  stream << ")";
}
Tensor ReLUImpl::forward(Tensor input) { return F::relu(std::move(input), options); }

void SigmoidImpl::pretty_print(std::ostream& stream) const { stream << "torch::nn::Sigmoid()"; }
Tensor SigmoidImpl::forward(const Tensor& input) { return F::sigmoid(input); }

void TanhImpl::pretty_print(std::ostream& stream) const { stream << "torch::nn::Tanh()"; }
Tensor TanhImpl::forward(const Tensor& input) { return F::tanh(input); }

void SoftmaxImpl::pretty_print(std::ostream& stream) const {
  stream << "torch::nn::Softmax(dim=" << options.dim() << ")";
}
Tensor SoftmaxImpl::forward(const Tensor& input) { return F::softmax(input, options.dim()); }

void LogSoftmaxImpl::pretty_print(std::ostream& stream) const {
  stream << "torch::nn::LogSoftmax(dim=" << options.dim() << ")";
}
Tensor LogSoftmaxImpl::forward(const Tensor& input) { return F::log_softmax(input, options.dim()); }

// ---- LeakyReLU, ELU, GELU, SiLU, Softplus: composites of differentiable primitives ----------
namespace functional {

namespace {
void check_input(const Tensor& input, const char* op) {
  if (!input.defined()) throw Error(std::string(op) + ": input is an undefined tensor");
  if (!input.is_floating_point())
    throw Error(std::string(op) + ": expected a floating-point input, got " +
                dtype_name(input.scalar_type()) + " of shape " + to_string(input.sizes()));
}
}  // namespace

Tensor leaky_relu(Tensor input, const LeakyReLUFuncOptions& options) {
  check_input(input, "leaky_relu");
  if (options.inplace()) return tg::leaky_relu_(input, options.negative_slope());
  return tg::leaky_relu(input, options.negative_slope());
}

Tensor elu(Tensor input, const ELUFuncOptions& options) {
  check_input(input, "elu");
  return options.inplace() ? tg::elu_(input, options.alpha()) : tg::elu(input, options.alpha());
}

Tensor gelu(const Tensor& input, const GELUFuncOptions& options) {
  check_input(input, "gelu");
  return tg::gelu(input, options.approximate());
}

Tensor silu(const Tensor& input) {
  check_input(input, "silu");
  return tg::silu(input);
}

Tensor softplus(const Tensor& input, const SoftplusFuncOptions& options) {
  check_input(input, "softplus");
  return tg::softplus(input, options.beta(), options.threshold());
}

}  // namespace functional

void LeakyReLUImpl::pretty_print(std::ostream& stream) const {
  stream << "torch::nn::LeakyReLU(negative_slope=" << options.negative_slope();
  if (options.inplace()) stream << std::boolalpha << ", inplace=" << options.inplace();
  stream << ")";
}
Tensor LeakyReLUImpl::forward(Tensor input) { return F::leaky_relu(std::move(input), options); }

void ELUImpl::pretty_print(std::ostream& stream) const {
  stream << "torch::nn::ELU(alpha=" << options.alpha();
  if (options.inplace()) stream << std::boolalpha << ", inplace=" << options.inplace();
  stream << ")";
}
Tensor ELUImpl::forward(Tensor input) { return F::elu(std::move(input), options); }

GELUImpl::GELUImpl(GELUOptions options_) : options(std::move(options_)) {
  if (options.approximate() != "none" && options.approximate() != "tanh")
    throw Error("GELU: approximate must be \"none\" or \"tanh\", got \"" + options.approximate() +
                "\"");
}
void GELUImpl::pretty_print(std::ostream& stream) const { stream << "torch::nn::GELU()"; }
Tensor GELUImpl::forward(const Tensor& input) { return F::gelu(input, options); }

void SiLUImpl::pretty_print(std::ostream& stream) const { stream << "torch::nn::SiLU()"; }
Tensor SiLUImpl::forward(const Tensor& input) { return F::silu(input); }

void SoftplusImpl::pretty_print(std::ostream& stream) const {
  stream << "torch::nn::Softplus(beta=" << options.beta() << ", threshold=" << options.threshold()
         << ")";
}
Tensor SoftplusImpl::forward(const Tensor& input) { return F::softplus(input, options); }

// Convenience constructors, out of line: see the note at TG_MODULE in module.hpp.
SoftmaxImpl::SoftmaxImpl(int64_t dim) : SoftmaxImpl(SoftmaxOptions(dim)) {}
LogSoftmaxImpl::LogSoftmaxImpl(int64_t dim) : LogSoftmaxImpl(LogSoftmaxOptions(dim)) {}

// Each layer's clone() is compiled here, once, rather than in every program that includes its
// header (the extern templates there; nn/cloneable.hpp).
template class detail::CloneableAs<ELUImpl, Module>;
template class detail::CloneableAs<GELUImpl, Module>;
template class detail::CloneableAs<LeakyReLUImpl, Module>;
template class detail::CloneableAs<LogSoftmaxImpl, Module>;
template class detail::CloneableAs<ReLUImpl, Module>;
template class detail::CloneableAs<SiLUImpl, Module>;
template class detail::CloneableAs<SigmoidImpl, Module>;
template class detail::CloneableAs<SoftmaxImpl, Module>;
template class detail::CloneableAs<SoftplusImpl, Module>;
template class detail::CloneableAs<TanhImpl, Module>;
}  // namespace tg::nn
