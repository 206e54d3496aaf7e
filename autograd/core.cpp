// Small value types (core.hpp) and the checks every op shares (tensor_impl.hpp).
#include <new>
#include <ostream>
#include <sstream>

#include "pool.hpp"
#include "tape.hpp"

namespace tg {

const char* dtype_name(ScalarType t) {
  switch (t) {
    case kFloat:
      return "Float";
    case kDouble:
      return "Double";
    case kLong:
      return "Long";
    case kBool:
      return "Bool";
    case kByte:
      return "Byte";
    case kChar:
      return "Char";
    case kShort:
      return "Short";
    case kInt:
      return "Int";
  }
  return "?";
}
std::ostream& operator<<(std::ostream& os, ScalarType t) { return os << dtype_name(t); }
std::ostream& operator<<(std::ostream& os, IntArrayRef s) { return os << to_string(s); }
std::string to_string(IntArrayRef s) {
  std::string r = "[";
  for (size_t i = 0; i < s.size(); ++i) r += (i ? ", " : "") + std::to_string(s[i]);
  return r + "]";
}

void Shape::too_many(IntArrayRef s) {
  fail("tapegrad tensors have at most " + std::to_string(kMaxDims) + " dimensions, got shape " +
       to_string(s));
}
void Shape::push_back(int64_t v) { insert(size(), v); }
void Shape::insert(size_t pos, int64_t v) {
  if (n_ >= kMaxDims)
    fail("tapegrad tensors have at most " + std::to_string(kMaxDims) + " dimensions");
  for (size_t i = size(); i > pos; --i) d_[i] = d_[i - 1];
  d_[pos] = v;
  ++n_;
}
void Shape::erase(size_t pos) {
  for (size_t i = pos; i + 1 < size(); ++i) d_[i] = d_[i + 1];
  --n_;
}

// ---- shared checks ------------------------------------------------------------------------
void fail(const std::string& msg) { throw Error(msg); }

int64_t wrap_dim(int64_t dim, int64_t ndim, const char* op) {
  int64_t lo = ndim == 0 ? -1 : -ndim, hi = ndim == 0 ? 0 : ndim - 1;
  if (dim < lo || dim > hi)
    fail(std::string(op) + ": dimension out of range (expected to be in range of [" +
         std::to_string(lo) + ", " + std::to_string(hi) + "], but got " + std::to_string(dim) +
         ")");
  return dim < 0 ? dim + (ndim == 0 ? 1 : ndim) : dim;
}

void check_defined(const Tensor& t, const char* op) {
  if (!t.defined()) fail(std::string(op) + ": got an undefined tensor");
}
void check_floating(const Tensor& t, const char* op) {
  check_defined(t, op);
  if (!is_floating_point(t.scalar_type()))
    fail(std::string(op) + ": expected a floating-point tensor (Float or Double), got " +
         dtype_name(t.scalar_type()) + " of shape " + to_string(t.sizes()));
}

// ---- storage and impl ---------------------------------------------------------------------
// 64-byte alignment lets SIMD kernels use aligned loads on fresh buffers; the extra 64 bytes
// avoid malloc(0) for empty tensors. Buffers are recycled through pool.hpp's per-thread cache.
static size_t padded(size_t n) { return ((n + 63) / 64) * 64 + 64; }
Storage::Storage(size_t n) : nbytes(n) { data = n <= kInline ? small : pool::allocate(padded(n)); }
Storage::~Storage() {
  if (external) {
    if (deleter) (*deleter)(data);
    delete deleter;
  } else if (data != small) {
    pool::release(data, padded(nbytes));
  }
}

TensorImpl::~TensorImpl() {
  if (node >= 0) Tape::get().output_died(this);
}

// ---- blocks (tensor_impl.hpp): [header][TensorImpl][Storage, small data] in one allocation --
namespace {
struct BlockHeader {
  _Atomic_word halves;  // the TensorImpl and the Storage, while they live
};
constexpr size_t kHeaderBytes = 64;                                 // keeps the rest 64-aligned
constexpr size_t kImplBytes = (sizeof(TensorImpl) + 63) / 64 * 64;  // Storage is 64-aligned
constexpr size_t kBlockBytes = kHeaderBytes + kImplBytes + sizeof(Storage);
static_assert(sizeof(BlockHeader) <= kHeaderBytes);

// One half of `block` is gone; the second to go returns the block to the cache. Atomic like
// the reference counts, so a tensor and its view may die on different threads.
void drop_half(void* block) {
  if (__gnu_cxx::__exchange_and_add_dispatch(&static_cast<BlockHeader*>(block)->halves, -1) == 1)
    pool::release(block, kBlockBytes);
}
void retain(Storage* s) { __gnu_cxx::__atomic_add_dispatch(&s->refs, 1); }
void release(Storage* s) {
  if (__gnu_cxx::__exchange_and_add_dispatch(&s->refs, -1) != 1) return;
  void* block = s->block;
  s->~Storage();
  drop_half(block);
}
}  // namespace

void set_storage(TensorImpl* t, Storage* s) {
  retain(s);
  if (t->storage) release(t->storage);
  t->storage = s;
}

namespace detail {
void destroy(TensorImpl* t) noexcept {
  Storage* s = t->storage;
  const bool in_block = t->in_block;
  t->~TensorImpl();
  if (in_block)
    drop_half(reinterpret_cast<char*>(t) - kHeaderBytes);
  else
    pool::release(t, sizeof(TensorImpl));  // an alias: an allocation of its own
  if (s) release(s);
}
}  // namespace detail
void Tensor::undefined(const char* what) {
  fail(std::string(what) + ": called on an undefined tensor");
}

Tensor make_tensor(IntArrayRef sizes, ScalarType dtype) {
  for (int64_t s : sizes)
    if (s < 0) fail("negative dimension in shape " + to_string(sizes));
  return make_tensor(Shape(sizes), dtype);  // Shape throws above kMaxDims
}

Tensor make_tensor(const Shape& shape, ScalarType dtype) {
  const size_t nbytes = size_t(shape.numel()) * element_size(dtype);
  char* block = static_cast<char*>(pool::allocate(kBlockBytes));
  Storage* st;
  try {
    st = new (block + kHeaderBytes + kImplBytes) Storage(nbytes);
  } catch (...) {  // the data buffer could not be allocated
    pool::release(block, kBlockBytes);
    throw;
  }
  st->block = block;
  new (block) BlockHeader{2};
  auto* impl = new (block + kHeaderBytes) TensorImpl;
  impl->in_block = true;
  set_storage(impl, st);
  impl->sizes = shape;
  impl->dtype = dtype;
  impl->inference = detail::inference_mode;
  return Tensor(impl);
}

Tensor make_external_tensor(void* data, IntArrayRef sizes, ScalarType dtype,
                            std::function<void(void*)> deleter) {
  Tensor t = make_tensor(IntArrayRef{}, dtype);  // a 0-d tensor's block: its data is inline
  for (int64_t s : sizes)
    if (s < 0) fail("from_blob: negative dimension in shape " + to_string(sizes));
  TensorImpl* impl = t.unsafeGetTensorImpl();
  impl->sizes = Shape(sizes);
  Storage* st = impl->storage;
  st->data = data;
  st->nbytes = size_t(impl->sizes.numel()) * element_size(dtype);
  st->external = true;
  if (deleter) st->deleter = new std::function<void(void*)>(std::move(deleter));
  return t;
}

Tensor alias_with_shape(const Tensor& x, IntArrayRef sizes, int64_t offset_elems) {
  Shape shape(sizes);
  const TensorImpl* src = x.unsafeGetTensorImpl();
  auto* impl = new (pool::allocate(sizeof(TensorImpl))) TensorImpl;
  set_storage(impl, src->storage);
  impl->offset = src->offset + offset_elems;
  impl->sizes = shape;
  impl->dtype = src->dtype;
  impl->inference = src->inference;
  return Tensor(impl);
}

Tensor view_of(const Tensor& x, IntArrayRef sizes, int64_t offset_elems) {
  Tensor v = alias_with_shape(x, sizes, offset_elems);
  TensorImpl* i = v.unsafeGetTensorImpl();
  i->is_view = true;
  i->view_rebases = i->storage->rebases;
  detail::init_view(i, x.unsafeGetTensorImpl());
  return v;
}

}  // namespace tg
