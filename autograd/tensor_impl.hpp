// What a tg::Tensor handle points at. Internal: users see only autograd/tensor.hpp.
#pragma once

#include <cstdlib>
#include <functional>
#include <memory>
#include <vector>

#include "tensor.hpp"

namespace tg {

// A flat buffer of elements. Views (reshape, detach, ...) share one Storage; in-place ops bump
// its version so that the tape can tell when a value it saved for backward was overwritten.
struct Storage {
  explicit Storage(size_t nbytes);
  ~Storage();  // the buffer goes back to the per-thread cache (autograd/pool.hpp)
  Storage(const Storage&) = delete;
  Storage& operator=(const Storage&) = delete;
  // Up to kInline bytes of data live here, in the Storage's own allocation: one-element and
  // other tiny tensors (scalars, losses, the ops of a small model) then cost one allocation less.
  static constexpr size_t kInline = 64;
  alignas(64) unsigned char small[kInline + 64];  // the same 64 bytes of slack as a heap buffer
  void* data = nullptr;
  size_t nbytes = 0;
  uint32_t version = 0;
  uint32_t rebases = 0;  // in-place ops that were recorded (they re-based a tensor's history)
};

using Hook = std::function<Tensor(const Tensor&)>;
struct HookSlot {
  unsigned id;
  Hook fn;
};

struct TensorImpl {
  std::shared_ptr<Storage> storage;
  int64_t offset = 0;  // in elements
  Shape sizes;
  ScalarType dtype = kFloat;
  bool requires_grad = false;  // leaves: the user's flag; non-leaves: node >= 0
  int64_t node = -1;           // index of the tape entry that produced this tensor; -1 = leaf
  Tensor grad;                 // accumulated gradient (leaves, or non-leaves with retain_grad)
  // Leaf bookkeeping for one backward sweep: gradients from all uses are summed here first,
  // so hooks see the total (as PyTorch's AccumulateGrad does), then added into `grad`.
  Tensor pending;
  std::vector<HookSlot> hooks;  // leaf hooks; a non-leaf's hooks live on its tape entry
  // Set on results of transpose/permute/expand/strided slices: a view in libtorch, a copy here,
  // so in-place ops on it are refused instead of silently not reaching the original.
  bool copied_view = false;
  // Set on results of reshape-like ops and leading slices, which share the input's storage.
  // In a recorded graph, writing through such a view (or a recorded write into its base after
  // taking it) would change values behind the tape's back; tapegrad refuses both (tensor.cpp,
  // tape.cpp). Writes under NoGradGuard (optimizer steps) are fine: a view's history stays true.
  bool is_view = false;
  uint32_t view_rebases = 0;  // storage->rebases when the view was taken

  TensorImpl() = default;
  TensorImpl(const TensorImpl&) = delete;
  TensorImpl& operator=(const TensorImpl&) = delete;
  ~TensorImpl();  // tells the tape that the entry's output is gone

  int64_t numel() const { return sizes.numel(); }
  void* data() const {
    return static_cast<char*>(storage->data) + offset * int64_t(element_size(dtype));
  }
};

// Helpers used by every op file.
Tensor make_tensor(IntArrayRef sizes, ScalarType dtype);  // uninitialised, contiguous
// A new handle on the same storage with another shape (reshape/view/detach); records nothing.
Tensor alias_with_shape(const Tensor& x, IntArrayRef sizes, int64_t offset_elems = 0);
// The same, marked as a view of x (see TensorImpl::is_view).
Tensor view_of(const Tensor& x, IntArrayRef sizes, int64_t offset_elems = 0);
// Template accessors (defined for float, double, int64_t, bool).
template <class T>
inline T* ptr(const Tensor& t) {
  return static_cast<T*>(t.unsafeGetTensorImpl()->data());
}
int64_t wrap_dim(int64_t dim, int64_t ndim,
                 const char* op);                // negative dims; throws if out of range
[[noreturn]] void fail(const std::string& msg);  // throws tg::Error
void check_defined(const Tensor& t, const char* op);
void check_floating(const Tensor& t, const char* op);  // autograd and math need float/double

}  // namespace tg
