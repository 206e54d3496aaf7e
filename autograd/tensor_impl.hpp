// Internal: a tensor's storage and the helpers every op file uses to make and read tensors.
// TensorImpl itself, what a tg::Tensor handle points at, is in autograd/tensor.hpp.
#pragma once

#include <cstdlib>
#include <functional>
#include <vector>

#include "tensor.hpp"

namespace tg {

// A flat buffer of elements. Views (reshape, detach, ...) share one Storage; in-place ops bump
// its version so that the tape can tell when a value it saved for backward was overwritten.
//
// Memory: make_tensor allocates one block from the buffer cache (autograd/pool.hpp) holding a
// small header, the new TensorImpl, then its Storage, then -- up to kInline bytes -- the data
// itself. The Storage counts the TensorImpls on it (the tensor and its views). The two halves
// of the block die separately -- a view keeps its base's Storage alive after the base tensor is
// gone, and a tensor may move to another Storage (Module::to) -- so the header counts the
// halves still alive, and the one that dies second returns the block to the cache (core.cpp).
struct Storage {
  explicit Storage(size_t nbytes);
  ~Storage();  // a separate data buffer goes back to the cache (autograd/pool.hpp)
  Storage(const Storage&) = delete;
  Storage& operator=(const Storage&) = delete;
  // Up to kInline bytes of data live here, in the tensor's own block: one-element and other
  // tiny tensors (scalars, losses, the ops of a small model) then cost one allocation in all.
  static constexpr size_t kInline = 64;
  alignas(64) unsigned char small[kInline + 64];  // the same 64 bytes of slack as a heap buffer
  void* data = nullptr;
  size_t nbytes = 0;
  uint32_t version = 0;
  uint32_t rebases = 0;   // in-place ops that were recorded (they re-based a tensor's history)
  _Atomic_word refs = 0;  // TensorImpls whose `storage` is this one
  void* block = nullptr;  // the allocation this Storage lives in
  // from_blob: `data` is the caller's memory, not ours. Its deleter (if any) runs when the
  // last tensor on it dies; it is a pointer so that ordinary storages pay 8 bytes, not 32.
  bool external = false;
  std::function<void(void*)>* deleter = nullptr;
};

inline void* TensorImpl::data() const {
  return static_cast<char*>(storage->data) + offset * int64_t(element_size(dtype));
}
// t->storage = s, keeping both storages' counts right (t may have had one before).
void set_storage(TensorImpl* t, Storage* s);

// Helpers used by every op file.
Tensor make_tensor(IntArrayRef sizes, ScalarType dtype);   // uninitialised, contiguous
Tensor make_tensor(const Shape& sizes, ScalarType dtype);  // the same, for a valid shape
inline Tensor make_tensor(std::initializer_list<int64_t> sizes, ScalarType dtype) {
  return make_tensor(IntArrayRef(sizes), dtype);
}
// A tensor on memory it does not own (from_blob); `deleter`, if set, frees it at the end.
Tensor make_external_tensor(void* data, IntArrayRef sizes, ScalarType dtype,
                            std::function<void(void*)> deleter);
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
namespace detail {
// A factory's last step (creation.cpp): checks device and layout, applies requires_grad.
Tensor finish_factory(Tensor t, const TensorOptions& o, const char* op);
}  // namespace detail
void check_defined(const Tensor& t, const char* op);
void check_floating(const Tensor& t, const char* op);  // autograd and math need float/double

// In-place ops' common steps (tensor.cpp): refusing writes that would not reach the original or
// would hide from the tape, and writing an out-of-place result back (re-basing self's history).
namespace detail {
void check_inplace(const Tensor& self, const char* op);
// Inference mode's and no-grad views' rules (inference_mode.cpp), with libtorch's messages.
void init_view(TensorImpl* view, const TensorImpl* base);  // a new view's mode metadata
void check_inplace_modes(const TensorImpl& t);  // inference tensor / no-grad view written
void check_view_grad_fn(const TensorImpl& t);   // a no-grad view whose base was written since
void check_savable(const TensorImpl& t);        // an inference tensor saved for backward
void check_requires_grad_settable(const TensorImpl& t, bool r);
const Tensor& write_back(const Tensor& self, const Tensor& result, const char* op);
}  // namespace detail
// Writes values (broadcast to off's shape) at the flat positions `off` of self, in place
// (ops_advanced_index.cpp): what index_put_ and masked_fill_ share.
void put_in_place(const Tensor& self, const Tensor& off, const Tensor& values, bool accumulate,
                  const char* op);

}  // namespace tg
