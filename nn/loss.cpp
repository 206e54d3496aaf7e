// Loss modules: shared printing, and the classification losses, whose class weights are checked
// here, at construction, so a bad option fails where it is written rather than at the first
// forward. The other modules are in loss_regression.cpp and loss_margin.cpp.
#include "loss.hpp"

#include <ostream>

#include "functional.hpp"

namespace tg::nn {

namespace F = functional;

namespace detail {
void print_loss_name(const Module& m, std::ostream& stream, bool parens) {
  std::string n = m.name();  // "tg::nn::NLLLossImpl", printed as libtorch's "torch::nn::NLLLoss"
  if (n.size() > 4 && n.compare(n.size() - 4, 4, "Impl") == 0) n.resize(n.size() - 4);
  if (n.rfind("tg::", 0) == 0) n = "torch::" + n.substr(4);
  stream << n << (parens ? "()" : "");
}
}  // namespace detail

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

// ---- BCELoss ----
BCELossImpl::BCELossImpl(BCELossOptions options_) : CloneableAs(std::move(options_)) { reset(); }
void BCELossImpl::reset() {
  check_floating(options.weight(), "BCELoss", "weight");
  register_buffer("weight", options.weight());
}
Tensor BCELossImpl::forward(const Tensor& input, const Tensor& target) {
  return F::binary_cross_entropy(input, target, options);
}

// ---- BCEWithLogitsLoss ----
BCEWithLogitsLossImpl::BCEWithLogitsLossImpl(BCEWithLogitsLossOptions options_)
    : CloneableAs(std::move(options_)) {
  reset();
}
void BCEWithLogitsLossImpl::reset() {
  check_floating(options.weight(), "BCEWithLogitsLoss", "weight");
  check_floating(options.pos_weight(), "BCEWithLogitsLoss", "pos_weight");
  weight = register_buffer("weight", options.weight());
  pos_weight = register_buffer("pos_weight", options.pos_weight());
}
Tensor BCEWithLogitsLossImpl::forward(const Tensor& input, const Tensor& target) {
  return F::binary_cross_entropy_with_logits(input, target, options);
}

// ---- NLLLoss ----
NLLLossImpl::NLLLossImpl(NLLLossOptions options_) : CloneableAs(std::move(options_)) { reset(); }
void NLLLossImpl::reset() {
  check_class_weight(options.weight(), "NLLLoss");
  check_floating(options.weight(), "NLLLoss", "weight");
  weight = register_buffer("weight", options.weight());
}
Tensor NLLLossImpl::forward(const Tensor& input, const Tensor& target) {
  return F::nll_loss(input, target, options);
}

// ---- CrossEntropyLoss ----
CrossEntropyLossImpl::CrossEntropyLossImpl(CrossEntropyLossOptions options_)
    : CloneableAs(std::move(options_)) {
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
Tensor CrossEntropyLossImpl::forward(const Tensor& input, const Tensor& target) {
  return F::cross_entropy(input, target, options);
}

// ---- MultiLabelSoftMarginLoss, MultiMarginLoss (class weights, forwards in loss_margin.cpp) ----
MultiLabelSoftMarginLossImpl::MultiLabelSoftMarginLossImpl(MultiLabelSoftMarginLossOptions options_)
    : CloneableAs(std::move(options_)) {
  reset();
}
void MultiLabelSoftMarginLossImpl::reset() {
  check_floating(options.weight(), "MultiLabelSoftMarginLoss", "weight");
  register_buffer("weight", options.weight());
}

MultiMarginLossImpl::MultiMarginLossImpl(MultiMarginLossOptions options_)
    : CloneableAs(std::move(options_)) {
  reset();
}
void MultiMarginLossImpl::reset() {
  check_class_weight(options.weight(), "MultiMarginLoss");
  check_floating(options.weight(), "MultiMarginLoss", "weight");
  if (options.p() != 1 && options.p() != 2)
    throw Error("MultiMarginLoss: only p == 1 and p == 2 are supported, got p = " +
                std::to_string(options.p()));
  register_buffer("weight", options.weight());
}

// Each layer's clone() is compiled here, once, rather than in every program that includes its
// header (the extern templates there; nn/cloneable.hpp).
template class detail::CloneableAs<BCELossImpl, detail::LossModule<BCELossOptions>>;
template class detail::CloneableAs<BCEWithLogitsLossImpl,
                                   detail::LossModule<BCEWithLogitsLossOptions>>;
template class detail::CloneableAs<CrossEntropyLossImpl,
                                   detail::LossModule<CrossEntropyLossOptions>>;
template class detail::CloneableAs<MultiLabelSoftMarginLossImpl,
                                   detail::LossModule<MultiLabelSoftMarginLossOptions>>;
template class detail::CloneableAs<MultiMarginLossImpl, detail::LossModule<MultiMarginLossOptions>>;
template class detail::CloneableAs<NLLLossImpl, detail::LossModule<NLLLossOptions>>;
template class detail::CloneableAs<SoftMarginLossImpl, detail::LossModule<SoftMarginLossOptions>>;
}  // namespace tg::nn
