// Inference mode's and no-grad views' rules (inference_mode.hpp has the picture), with
// libtorch 1.13's error messages. The ops call these few functions; the tape keeps its own
// single question, grad mode (tape.hpp).
#include "inference_mode.hpp"

#include "c10_util.hpp"
#include "functions.hpp"
#include "tape.hpp"

namespace tg {

InferenceMode::InferenceMode(bool enabled)
    : prev_inference_(detail::inference_mode), prev_grad_(detail::grad_mode) {
  detail::inference_mode = enabled;
  detail::grad_mode = !enabled;  // as libtorch's AutogradState(grad_mode = !enabled, ...)
}
InferenceMode::~InferenceMode() {
  detail::inference_mode = prev_inference_;
  detail::grad_mode = prev_grad_;
}
bool InferenceMode::is_enabled() { return detail::inference_mode; }

AutoNonVariableTypeMode::AutoNonVariableTypeMode(bool) : prev_(detail::grad_mode) {
  TORCH_WARN_ONCE(
      "AutoNonVariableTypeMode is deprecated and will be removed in 1.10 release. "
      "For kernel implementations please use AutoDispatchBelowADInplaceOrView instead, "
      "If you are looking for a user facing API to enable running your inference-only "
      "workload, please use c10::InferenceMode. Using AutoDispatchBelowADInplaceOrView in user "
      "code is under risk of producing silent wrong result in some edge cases. "
      "See Note [AutoDispatchBelowAutograd] for more details.");
  detail::grad_mode = false;
}
AutoNonVariableTypeMode::~AutoNonVariableTypeMode() { detail::grad_mode = prev_; }

namespace impl {
bool tls_is_dispatch_key_excluded(DispatchKey) { return false; }
bool tls_is_dispatch_key_included(DispatchKey k) {
  return k == DispatchKey::ADInplaceOrView && !detail::inference_mode;
}
bool tls_is_dispatch_keyset_excluded(DispatchKeySet ks) {
  return ks.key == DispatchKey::Autograd && detail::inference_mode;
}
bool tls_is_dispatch_keyset_included(DispatchKeySet) { return false; }
}  // namespace impl

using autograd::CreationMeta;

namespace detail {
static const char* kInplaceOnInference =
    "Inplace update to inference tensor outside InferenceMode is not allowed.You can make a "
    "clone to get a normal tensor before doing inplace update.See "
    "https://github.com/pytorch/rfcs/pull/17 for more details.";

// A new view's metadata (core.cpp's alias_with_shape and view_of call it): an inference base
// gives an inference view; a view taken with grad mode off of a tensor that requires grad
// requires grad and remembers how it was made (libtorch's propagate_creation_meta: the
// strictest of its base's and its own).
void init_view(TensorImpl* view, const TensorImpl* base) {
  view->inference = base->inference;
  if (base->inference) return;
  auto meta = CreationMeta(base->creation_meta);
  if (!grad_mode && base->requires_grad) {
    view->requires_grad = true;
    auto now = inference_mode ? CreationMeta::INFERENCE_MODE : CreationMeta::NO_GRAD_MODE;
    if (meta != CreationMeta::INFERENCE_MODE) meta = now;
  }
  view->creation_meta = uint8_t(meta);
}

// libtorch's handle_view_on_rebase: `indirect` when the write went through the base or
// another view rather than this one.
[[noreturn]] static void view_rebase_error(CreationMeta meta, bool indirect) {
  const char* what = indirect ? "its base or another view of its base has been" : "is being";
  bool inf = meta == CreationMeta::INFERENCE_MODE;
  fail(str("A view was created in ", inf ? "inference mode" : "no_grad mode", " and ", what,
           inf ? " modified inplace in normal mode." : " modified inplace with grad mode enabled.",
           " Given that this use case is ambiguous and error-prone, it is forbidden. You can "
           "clarify your code by moving both the view and the inplace either both inside the ",
           inf ? "inference_mode" : "no_grad",
           " block (if you don't want the inplace to be tracked) or both outside (if you want "
           "the inplace to be tracked)."));
}

void check_inplace_modes(const TensorImpl& t) {
  if (t.inference && !inference_mode) fail(kInplaceOnInference);
  if (grad_mode && t.requires_grad && t.creation_meta != uint8_t(CreationMeta::DEFAULT))
    view_rebase_error(CreationMeta(t.creation_meta), false);
}

void check_view_grad_fn(const TensorImpl& t) {
  if (t.is_view && t.requires_grad && t.creation_meta != uint8_t(CreationMeta::DEFAULT) &&
      t.storage->rebases != t.view_rebases)
    view_rebase_error(CreationMeta(t.creation_meta), true);
}

void check_savable(const TensorImpl& t) {
  if (t.inference)
    fail(
        "Inference tensors cannot be saved for backward. To work around you can make a clone to "
        "get a normal tensor and use it in autograd.");
}

void check_requires_grad_settable(const TensorImpl& t, bool r) {
  if (r && t.inference && !inference_mode)
    fail("Setting requires_grad=True on inference tensor outside InferenceMode is not allowed.");
}
}  // namespace detail

uint32_t TensorImpl::VersionCounter::current_version() const {
  if (impl->inference) fail("Inference tensors do not track version counter.");
  return impl->storage->version;
}
void TensorImpl::bump_version() {
  if (inference && !detail::inference_mode) fail(detail::kInplaceOnInference);
  ++storage->version;
}

bool Tensor::is_inference() const { return impl_ && impl_->inference; }
bool Tensor::is_view() const { return impl_ && impl_->is_view && !impl_->inference; }

}  // namespace tg
