// c10::InferenceMode and the view rules that grad mode and inference mode share, as libtorch
// 1.13's. The mode flags themselves sit beside the tape (tape.hpp); autograd/inference_mode.cpp
// holds the checks the ops call.
//
//   {
//     c10::InferenceMode guard;         // grad mode off, and every new tensor is an inference
//     auto y = model(x);                // tensor: y.is_inference(), nothing recorded
//   }
//   y.add_(1);    // throws "Inplace update to inference tensor outside InferenceMode ..."
//   (y * w).backward();  // with w requiring grad: "Inference tensors cannot be saved for
//                        // backward" (mul saves y)
//
// A view taken under NoGradGuard or InferenceMode of a tensor that requires grad requires grad
// too (it is a leaf and receives no gradient); writing into it in grad mode throws libtorch's
// "A view was created in no_grad mode and is being modified inplace ...".
#pragma once

#include <cstdint>

namespace tg {

struct InferenceMode {
  explicit InferenceMode(bool enabled = true);
  ~InferenceMode();
  InferenceMode(const InferenceMode&) = delete;
  InferenceMode& operator=(const InferenceMode&) = delete;
  static bool is_enabled();

 private:
  bool prev_inference_, prev_grad_;
};

// at::AutoNonVariableTypeMode, deprecated in libtorch 1.13: it warns once (libtorch's words)
// and, here, turns grad mode off while it lives.
struct AutoNonVariableTypeMode {
  explicit AutoNonVariableTypeMode(bool enabled = true);
  ~AutoNonVariableTypeMode();
  AutoNonVariableTypeMode(const AutoNonVariableTypeMode&) = delete;
  AutoNonVariableTypeMode& operator=(const AutoNonVariableTypeMode&) = delete;

 private:
  bool prev_;
};

// The few dispatch-key queries PyTorch's tests make about the modes: the autograd keys are
// excluded exactly while InferenceMode is on, ADInplaceOrView is included exactly while it is
// off. Nothing in tapegrad dispatches on keys; these only report the mode.
enum class DispatchKey : uint8_t { ADInplaceOrView, Autograd };
struct DispatchKeySet {
  DispatchKey key;
};
inline constexpr DispatchKeySet autograd_dispatch_keyset{DispatchKey::Autograd};
namespace impl {
bool tls_is_dispatch_key_excluded(DispatchKey k);
bool tls_is_dispatch_key_included(DispatchKey k);
bool tls_is_dispatch_keyset_excluded(DispatchKeySet ks);
bool tls_is_dispatch_keyset_included(DispatchKeySet ks);
}  // namespace impl

namespace autograd {
using tg::InferenceMode;
// How a view was made (TensorImpl::creation_meta), libtorch's names and order.
enum class CreationMeta : uint8_t {
  DEFAULT,
  IN_CUSTOM_FUNCTION,
  MULTI_OUTPUT_NODE,
  NO_GRAD_MODE,
  INFERENCE_MODE
};
}  // namespace autograd

}  // namespace tg
