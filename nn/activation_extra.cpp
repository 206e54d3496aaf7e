#include "activation_extra.hpp"

#include <ostream>

#include "../autograd/c10_util.hpp"
#include "../autograd/functions.hpp"

namespace tg::nn {

namespace F = functional;

// ---- functional forms ----
namespace functional {

namespace {
void check_defined(const Tensor& t, const char* op) {
  if (!t.defined()) throw Error(std::string(op) + ": input is an undefined tensor");
}
}  // namespace

Tensor selu(Tensor input, const SELUFuncOptions& options) {
  check_defined(input, "selu");
  return options.inplace() ? tg::selu_(input) : tg::selu(input);
}
Tensor celu(Tensor input, const CELUFuncOptions& options) {
  check_defined(input, "celu");
  return options.inplace() ? tg::celu_(input, options.alpha()) : tg::celu(input, options.alpha());
}
Tensor hardtanh(Tensor input, const HardtanhFuncOptions& options) {
  check_defined(input, "hardtanh");
  if (options.inplace()) return tg::hardtanh_(input, options.min_val(), options.max_val());
  return tg::hardtanh(input, options.min_val(), options.max_val());
}
Tensor relu6(Tensor input, const ReLU6FuncOptions& options) {
  check_defined(input, "relu6");
  return options.inplace() ? tg::relu6_(input) : tg::relu6(input);
}
Tensor rrelu(Tensor input, const RReLUFuncOptions& options) {
  check_defined(input, "rrelu");
  if (options.inplace())
    return tg::rrelu_(input, options.lower(), options.upper(), options.training());
  return tg::rrelu(input, options.lower(), options.upper(), options.training());
}
Tensor threshold(Tensor input, const ThresholdFuncOptions& options) {
  check_defined(input, "threshold");
  if (options.inplace()) return tg::threshold_(input, options.threshold(), options.value());
  return tg::threshold(input, options.threshold(), options.value());
}
Tensor hardshrink(const Tensor& input, const HardshrinkFuncOptions& options) {
  check_defined(input, "hardshrink");
  return tg::hardshrink(input, options.lambda());
}
Tensor softshrink(const Tensor& input, const SoftshrinkFuncOptions& options) {
  check_defined(input, "softshrink");
  return tg::softshrink(input, options.lambda());
}
Tensor logsigmoid(const Tensor& input) {
  check_defined(input, "logsigmoid");
  return tg::log_sigmoid(input);
}
Tensor softmin(const Tensor& input, const SoftminFuncOptions& options) {
  check_defined(input, "softmin");
  return (-input).softmax(options.dim(), options.dtype());
}
Tensor glu(const Tensor& input, const GLUFuncOptions& options) {
  check_defined(input, "glu");
  TORCH_CHECK(input.dim() != 0, "glu does not suppport scalars because halving size must be even");
  return tg::glu(input, options.dim());
}
Tensor mish(const Tensor& input) {
  check_defined(input, "mish");
  return tg::mish(input);
}
Tensor prelu(const Tensor& input, const Tensor& weight) {
  check_defined(input, "prelu");
  return tg::prelu(input, weight);
}
Tensor softsign(const Tensor& input) { return input / (input.abs() + 1); }
Tensor tanhshrink(const Tensor& input) { return input - input.tanh(); }

Tensor gumbel_softmax(const Tensor& logits, const GumbelSoftmaxFuncOptions& options) {
  check_defined(logits, "gumbel_softmax");
  const int dim = options.dim();
  Tensor gumbels = -empty_like(logits).exponential_().log();  // ~Gumbel(0, 1)
  Tensor y_soft = ((logits + gumbels) / options.tau()).softmax(dim);
  if (!options.hard()) return y_soft;
  Tensor index = std::get<1>(y_soft.max(dim, /*keepdim=*/true));
  Tensor y_hard = zeros_like(logits).scatter_add(
      dim, index, ones(index.sizes(), dtype(logits.scalar_type())));  // libtorch: scatter_ of 1
  return y_hard - y_soft.detach() + y_soft;  // the value of y_hard, the gradient of y_soft
}

}  // namespace functional

// ---- modules ----
SELUImpl::SELUImpl(const SELUOptions& options_) : options(options_) {}
void SELUImpl::pretty_print(std::ostream& stream) const {
  stream << "torch::nn::SELU(";
  if (options.inplace()) stream << std::boolalpha << "inplace=" << options.inplace();
  stream << ")";
}
Tensor SELUImpl::forward(Tensor input) { return F::selu(std::move(input), options); }

CELUImpl::CELUImpl(const CELUOptions& options_) : options(options_) {}
void CELUImpl::pretty_print(std::ostream& stream) const {
  stream << "torch::nn::CELU(alpha=" << options.alpha();
  if (options.inplace()) stream << std::boolalpha << ", inplace=" << options.inplace();
  stream << ")";
}
Tensor CELUImpl::forward(Tensor input) { return F::celu(std::move(input), options); }

ReLU6Impl::ReLU6Impl(const ReLU6Options& options_) : options(options_) {}
void ReLU6Impl::pretty_print(std::ostream& stream) const {
  stream << "torch::nn::ReLU6(";
  if (options.inplace()) stream << std::boolalpha << "inplace=" << options.inplace();
  stream << ")";
}
Tensor ReLU6Impl::forward(Tensor input) { return F::relu6(std::move(input), options); }

RReLUImpl::RReLUImpl(const RReLUOptions& options_) : options(options_) {}
void RReLUImpl::pretty_print(std::ostream& stream) const {
  stream << "torch::nn::RReLU(lower=" << options.lower() << ", upper=" << options.upper();
  if (options.inplace()) stream << std::boolalpha << ", inplace=" << options.inplace();
  stream << ")";
}
Tensor RReLUImpl::forward(Tensor input) {
  return F::rrelu(std::move(input), F::RReLUFuncOptions()
                                        .lower(options.lower())
                                        .upper(options.upper())
                                        .training(is_training())
                                        .inplace(options.inplace()));
}

GLUImpl::GLUImpl(const GLUOptions& options_) : options(options_) {}
void GLUImpl::pretty_print(std::ostream& stream) const {
  stream << "torch::nn::GLU(dim=" << options.dim() << ")";
}
Tensor GLUImpl::forward(const Tensor& input) { return F::glu(input, options); }

HardshrinkImpl::HardshrinkImpl(const HardshrinkOptions& options_) : options(options_) {}
void HardshrinkImpl::pretty_print(std::ostream& stream) const {
  stream << std::boolalpha << "torch::nn::Hardshrink(" << options.lambda() << ")";
}
Tensor HardshrinkImpl::forward(const Tensor& input) { return F::hardshrink(input, options); }

SoftshrinkImpl::SoftshrinkImpl(const SoftshrinkOptions& options_) : options(options_) {}
void SoftshrinkImpl::pretty_print(std::ostream& stream) const {
  stream << "torch::nn::Softshrink(" << options.lambda() << ")";
}
Tensor SoftshrinkImpl::forward(const Tensor& input) { return F::softshrink(input, options); }

HardtanhImpl::HardtanhImpl(const HardtanhOptions& options_) : options(options_) { reset(); }
void HardtanhImpl::reset() {
  TORCH_CHECK(options.max_val() > options.min_val(), "max_val must be greater than min_val");
}
void HardtanhImpl::pretty_print(std::ostream& stream) const {
  stream << std::boolalpha << "torch::nn::Hardtanh(min_val=" << options.min_val()
         << ", max_val=" << options.max_val();
  if (options.inplace()) stream << std::boolalpha << ", inplace=" << options.inplace();
  stream << ")";
}
Tensor HardtanhImpl::forward(Tensor input) { return F::hardtanh(std::move(input), options); }

ThresholdImpl::ThresholdImpl(double threshold, double value)
    : ThresholdImpl(ThresholdOptions(threshold, value)) {}
ThresholdImpl::ThresholdImpl(const ThresholdOptions& options_) : options(options_) {}
void ThresholdImpl::pretty_print(std::ostream& stream) const {
  stream << "torch::nn::Threshold(threshold=" << options.threshold()
         << ", value=" << options.value();
  if (options.inplace()) stream << std::boolalpha << ", inplace=" << options.inplace();
  stream << ")";
}
Tensor ThresholdImpl::forward(Tensor input) { return F::threshold(std::move(input), options); }

SoftminImpl::SoftminImpl(int64_t dim) : SoftminImpl(SoftminOptions(dim)) {}
SoftminImpl::SoftminImpl(const SoftminOptions& options_) : options(options_) {}
void SoftminImpl::pretty_print(std::ostream& stream) const {
  stream << "torch::nn::Softmin(dim=" << options.dim() << ")";
}
Tensor SoftminImpl::forward(const Tensor& input) { return F::softmin(input, options.dim()); }

PReLUImpl::PReLUImpl(const PReLUOptions& options_) : options(options_) { reset(); }
void PReLUImpl::reset() {
  weight = register_parameter("weight", full({options.num_parameters()}, options.init()));
}
void PReLUImpl::pretty_print(std::ostream& stream) const {
  stream << "torch::nn::PReLU(num_parameters=" << options.num_parameters() << ")";
}
Tensor PReLUImpl::forward(const Tensor& input) { return F::prelu(input, weight); }

void LogSigmoidImpl::pretty_print(std::ostream& stream) const {
  stream << "torch::nn::LogSigmoid()";
}
Tensor LogSigmoidImpl::forward(const Tensor& input) { return F::logsigmoid(input); }

void Softmax2dImpl::pretty_print(std::ostream& stream) const { stream << "torch::nn::Softmax2d()"; }
Tensor Softmax2dImpl::forward(const Tensor& input) {
  TORCH_CHECK(input.dim() == 4 || input.dim() == 3,
              "Softmax2d requires a 3D or 4D tensor as input");
  return input.softmax(-3);
}

void MishImpl::pretty_print(std::ostream& stream) const { stream << "torch::nn::Mish()"; }
Tensor MishImpl::forward(const Tensor& input) { return F::mish(input); }

void SoftsignImpl::pretty_print(std::ostream& stream) const { stream << "torch::nn::Softsign()"; }
Tensor SoftsignImpl::forward(const Tensor& input) { return F::softsign(input); }

void TanhshrinkImpl::pretty_print(std::ostream& stream) const {
  stream << "torch::nn::Tanhshrink()";
}
Tensor TanhshrinkImpl::forward(const Tensor& input) { return F::tanhshrink(input); }

// Each layer's clone() is compiled here, once, rather than in every program that includes its
// header (the extern templates there; nn/cloneable.hpp).
template class detail::CloneableAs<SELUImpl, Module>;
template class detail::CloneableAs<CELUImpl, Module>;
template class detail::CloneableAs<ReLU6Impl, Module>;
template class detail::CloneableAs<RReLUImpl, Module>;
template class detail::CloneableAs<GLUImpl, Module>;
template class detail::CloneableAs<HardshrinkImpl, Module>;
template class detail::CloneableAs<SoftshrinkImpl, Module>;
template class detail::CloneableAs<LogSigmoidImpl, Module>;
template class detail::CloneableAs<Softmax2dImpl, Module>;
template class detail::CloneableAs<MishImpl, Module>;
template class detail::CloneableAs<SoftsignImpl, Module>;
template class detail::CloneableAs<TanhshrinkImpl, Module>;
template class detail::CloneableAs<HardtanhImpl, Module>;
template class detail::CloneableAs<PReLUImpl, Module>;
template class detail::CloneableAs<SoftminImpl, Module>;
template class detail::CloneableAs<ThresholdImpl, Module>;
}  // namespace tg::nn
