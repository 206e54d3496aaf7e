// Loss modules. Arguments are validated here, at construction, so a bad option fails where it
// is written rather than at the first forward.
#include "loss.hpp"

#include <ostream>

#include "functional.hpp"

namespace tg::nn {

namespace F = functional;

namespace {
void check_class_weight(const Tensor& w, const char* cls) {
  if (w.defined() && w.dim() != 1)
    throw Error(std::string(cls) + ": weight must be 1-D (one element per class), got shape " +
                to_string(w.sizes()));
}
void check_floating(const Tensor& w, const char* cls, const char* what) {
  if (w.defined() && !w.is_floating_point())
    throw Error(std::string(cls) + ": " + what + " must be floating point, got " +
                dtype_name(w.scalar_type()) + " of shape " + to_string(w.sizes()));
}
}  // namespace

// ---- MSELoss ----
MSELossImpl::MSELossImpl(MSELossOptions options_) : options(std::move(options_)) {}
void MSELossImpl::pretty_print(std::ostream& stream) const { stream << "torch::nn::MSELoss()"; }
Tensor MSELossImpl::forward(const Tensor& input, const Tensor& target) {
  return F::mse_loss(input, target, options);
}

// ---- BCELoss ----
BCELossImpl::BCELossImpl(BCELossOptions options_) : options(std::move(options_)) { reset(); }
void BCELossImpl::reset() {
  check_floating(options.weight(), "BCELoss", "weight");
  register_buffer("weight", options.weight());
}
void BCELossImpl::pretty_print(std::ostream& stream) const { stream << "torch::nn::BCELoss()"; }
Tensor BCELossImpl::forward(const Tensor& input, const Tensor& target) {
  return F::binary_cross_entropy(input, target, options);
}

// ---- BCEWithLogitsLoss ----
BCEWithLogitsLossImpl::BCEWithLogitsLossImpl(BCEWithLogitsLossOptions options_)
    : options(std::move(options_)) {
  reset();
}
void BCEWithLogitsLossImpl::reset() {
  check_floating(options.weight(), "BCEWithLogitsLoss", "weight");
  check_floating(options.pos_weight(), "BCEWithLogitsLoss", "pos_weight");
  weight = register_buffer("weight", options.weight());
  pos_weight = register_buffer("pos_weight", options.pos_weight());
}
void BCEWithLogitsLossImpl::pretty_print(std::ostream& stream) const {
  stream << "torch::nn::BCEWithLogitsLoss()";
}
Tensor BCEWithLogitsLossImpl::forward(const Tensor& input, const Tensor& target) {
  return F::binary_cross_entropy_with_logits(input, target, options);
}

// ---- NLLLoss ----
NLLLossImpl::NLLLossImpl(NLLLossOptions options_) : options(std::move(options_)) { reset(); }
void NLLLossImpl::reset() {
  check_class_weight(options.weight(), "NLLLoss");
  check_floating(options.weight(), "NLLLoss", "weight");
  weight = register_buffer("weight", options.weight());
}
void NLLLossImpl::pretty_print(std::ostream& stream) const { stream << "torch::nn::NLLLoss()"; }
Tensor NLLLossImpl::forward(const Tensor& input, const Tensor& target) {
  return F::nll_loss(input, target, options);
}

// ---- CrossEntropyLoss ----
CrossEntropyLossImpl::CrossEntropyLossImpl(CrossEntropyLossOptions options_)
    : options(std::move(options_)) {
  reset();
}
void CrossEntropyLossImpl::reset() {
  check_class_weight(options.weight(), "CrossEntropyLoss");
  check_floating(options.weight(), "CrossEntropyLoss", "weight");
  const double ls = options.label_smoothing();
  if (!(ls >= 0.0 && ls <= 1.0))
    throw Error("CrossEntropyLoss: label_smoothing must be between 0.0 and 1.0, got " +
                std::to_string(ls));
  weight = register_buffer("weight", options.weight());
}
void CrossEntropyLossImpl::pretty_print(std::ostream& stream) const {
  stream << "torch::nn::CrossEntropyLoss()";
}
Tensor CrossEntropyLossImpl::forward(const Tensor& input, const Tensor& target) {
  return F::cross_entropy(input, target, options);
}

}  // namespace tg::nn
