// tg::Tensor: a cheap-to-copy handle to shared, contiguous storage, like torch::Tensor.
//
// The handle is an intrusive reference-counted pointer to a TensorImpl (below): sizes, dtype,
// storage, and -- for a tensor produced by a recorded operation -- the index of its entry on
// the tape (autograd/tape.hpp). The count lives in the TensorImpl itself, so a new tensor is one
// allocation (its Storage and small data included, see core.cpp) and copying a handle, or
// reading its shape, is a few inline instructions. Methods here are thin wrappers over the free
// functions of autograd/functions.hpp, so `x.exp()` and `tg::exp(x)` are the same thing.
#pragma once

#include <ext/atomicity.h>  // libstdc++'s reference-count policy, as std::shared_ptr's
#include <functional>
#include <iosfwd>
#include <memory>
#include <tuple>
#include <type_traits>
#include <vector>

#include "core.hpp"
#include "generator.hpp"

namespace tg {

struct TensorImpl;
struct Storage;
class Tensor;
using TensorList = std::vector<Tensor>;
namespace indexing {
class TensorIndex;  // indexing.hpp
}
template <class T, size_t N>
class TensorAccessor;  // tensor_accessor.hpp

namespace autograd {
class Node;  // graph.hpp
}

class Tensor {
 public:
  Tensor() noexcept : impl_(nullptr) {}
  explicit Tensor(TensorImpl* impl) noexcept;  // internal: a new handle (reference) on impl
  Tensor(const Tensor& o) noexcept;
  Tensor(Tensor&& o) noexcept : impl_(o.impl_) { o.impl_ = nullptr; }
  // Assigning to a named tensor rebinds the handle; assigning to a temporary (`x[0] = y`,
  // `mask[0][1] = 1`) writes through it, as libtorch's rvalue operator= (copy_ / fill_).
  Tensor& operator=(const Tensor& o) & noexcept {
    Tensor(o).swap(*this);
    return *this;
  }
  Tensor& operator=(Tensor&& o) & noexcept {
    Tensor(std::move(o)).swap(*this);
    return *this;
  }
  Tensor& operator=(const Tensor& o) && {
    copy_(o);
    return *this;
  }
  Tensor& operator=(Tensor&& o) && {
    copy_(o);
    return *this;
  }
  ~Tensor();
  // `t[0] = 5`: assigning a number to a temporary handle fills the tensor it refers to, as
  // libtorch's Tensor::operator=(Scalar) &&.
  Tensor& operator=(const Scalar& v) && {
    fill_(v);
    return *this;
  }
  void swap(Tensor& o) noexcept { std::swap(impl_, o.impl_); }
  // Makes this handle undefined (libtorch's Tensor::reset).
  void reset() noexcept { Tensor().swap(*this); }
  size_t use_count() const noexcept;  // handles on this tensor (0 if undefined)

  // ---- metadata ----
  bool defined() const { return impl_ != nullptr; }
  int64_t dim() const { return int64_t(head("dim").size()); }
  int64_t ndimension() const { return dim(); }
  IntArrayRef sizes() const { return head("sizes"); }
  std::vector<int64_t> strides() const;  // contiguous row-major strides, in elements
  int64_t size(int64_t d) const;         // negative d counts from the end
  int64_t numel() const;
  ScalarType scalar_type() const;
  TypeMeta dtype() const { return scalar_type(); }  // prints as libtorch's ("float")
  // dtype, device and layout set, as libtorch's (requires_grad left unset).
  TensorOptions options() const;
  bool is_floating_point() const { return tg::is_floating_point(scalar_type()); }
  // c10::isSignedType: every dtype but Byte (uint8) and Bool.
  bool is_signed() const { return scalar_type() != kByte && scalar_type() != kBool; }
  bool is_contiguous() const { return true; }  // tapegrad tensors are always contiguous
  size_t element_size() const { return tg::element_size(scalar_type()); }
  std::string toString() const;  // "CPUFloatType", as libtorch
  // Every tensor lives on the CPU (autograd/device.hpp).
  Device device() const { return head("device"), Device(kCPU); }
  bool is_cpu() const { return true; }
  bool is_cuda() const { return false; }
  Layout layout() const { return head("layout"), kStrided; }

  // ---- data ----
  template <class T>
  T* data_ptr() const;  // checks that T matches the dtype
  void* raw_data() const;
  void* data_ptr() const { return raw_data(); }  // the first element, whatever the dtype
  template <class T>
  T item() const;  // one-element tensors only
  Scalar item() const;
  Tensor to(ScalarType t, bool non_blocking = false, bool copy = false) const;
  Tensor toType(ScalarType t) const { return to(t); }  // libtorch's older spelling of to(t)
  // A device other than the CPU throws tg::Error; dtype conversions as to(ScalarType).
  // `to(device)` is the TensorOptions form, as in libtorch.
  Tensor to(const TensorOptions& o, bool non_blocking = false, bool copy = false) const;
  Tensor to(Device device, ScalarType t, bool non_blocking = false, bool copy = false) const;
  Tensor to(const Tensor& other, bool non_blocking = false, bool copy = false) const;
  Tensor cpu() const { return *this; }
  Tensor cuda() const;  // throws: tapegrad has no CUDA device
  Tensor clone() const;
  Tensor detach() const;  // shares storage, records nothing
  const Tensor& detach_() const;
  Tensor data() const { return detach(); }  // libtorch's Tensor::data(): a detached alias
  // Shares storage but not the version counter or history (libtorch's tensor_data()).
  Tensor tensor_data() const;
  // This handle now shows `data`'s storage, shape and dtype (libtorch's set_data); its
  // requires_grad and history stay.
  void set_data(const Tensor& data) const;
  Tensor contiguous() const { return *this; }
  bool is_same(const Tensor& o) const { return impl_ == o.impl_; }

  // ---- autograd ----
  bool requires_grad() const;
  const Tensor& requires_grad_(bool r = true) const;
  const Tensor& set_requires_grad(bool r) const { return requires_grad_(r); }
  bool is_leaf() const;
  bool is_inference() const;  // made under c10::InferenceMode (tape.hpp)
  bool is_view() const;       // shares its base's storage (a view in libtorch too)
  const Tensor& grad() const;
  Tensor& mutable_grad() const;
  void set_grad(const Tensor& g) const;
  // With `inputs`, gradients accumulate into those tensors only (libtorch's inputs=).
  void backward(const Tensor& gradient = {}, std::optional<bool> retain_graph = std::nullopt,
                bool create_graph = false,
                std::optional<std::vector<Tensor>> inputs = std::nullopt) const;
  void backward(const Tensor& gradient, std::optional<bool> retain_graph, bool create_graph,
                std::initializer_list<Tensor> inputs) const {  // backward(g, r, c, {x})
    backward(gradient, retain_graph, create_graph, std::vector<Tensor>(inputs));
  }
  void retain_grad() const;
  bool retains_grad() const;
  // A hook sees the gradient flowing into this tensor; a hook that returns a tensor replaces
  // the gradient with it (libtorch's two kinds of hook).
  template <class F>
  unsigned register_hook(F&& hook) const {
    if constexpr (std::is_void_v<std::invoke_result_t<F&, const Tensor&>>)
      return add_hook([h = std::forward<F>(hook)](const Tensor& g) mutable {
        h(g);
        return Tensor();
      });
    else
      return add_hook(std::function<Tensor(const Tensor&)>(std::forward<F>(hook)));
  }
  unsigned add_hook(std::function<Tensor(const Tensor&)> hook) const;
  void remove_hook(unsigned handle) const;
  int64_t _version() const;          // bumped by every in-place op (version counter)
  std::string grad_fn_name() const;  // "" for leaves, else the recording op's name
  // The node that made this tensor (null for a leaf), and which of its outputs this is
  // (graph.hpp: PyTorch's node names, next_edges()).
  std::shared_ptr<autograd::Node> grad_fn() const;
  int64_t output_nr() const;

  // ---- arithmetic (see functions.hpp for the derivatives) ----
  Tensor add(const Tensor& o, const Scalar& alpha = 1) const;
  Tensor add(const Scalar& o, const Scalar& alpha = 1) const;
  Tensor sub(const Tensor& o, const Scalar& alpha = 1) const;
  Tensor sub(const Scalar& o, const Scalar& alpha = 1) const;
  Tensor mul(const Tensor& o) const;
  Tensor mul(const Scalar& o) const;
  Tensor div(const Tensor& o) const;
  Tensor div(const Scalar& o) const;
  Tensor floor_divide(const Tensor& o) const;
  Tensor floor_divide(const Scalar& o) const;
  Tensor remainder(const Tensor& o) const;
  Tensor remainder(const Scalar& o) const;
  Tensor pow(const Tensor& e) const;
  Tensor pow(const Scalar& e) const;
  Tensor neg() const;
  Tensor exp() const;
  Tensor log() const;
  Tensor log1p() const;
  Tensor expm1() const;
  Tensor erf() const;
  Tensor sqrt() const;
  Tensor rsqrt() const;
  Tensor square() const;
  Tensor abs() const;
  Tensor sin() const;
  Tensor cos() const;
  Tensor tanh() const;
  Tensor sigmoid() const;
  Tensor relu() const;
  Tensor sign() const;
  Tensor reciprocal() const;
  Tensor clamp(std::optional<Scalar> min, std::optional<Scalar> max = std::nullopt) const;
  Tensor clamp_min(const Scalar& min) const;
  Tensor clamp_max(const Scalar& max) const;
  Tensor maximum(const Tensor& o) const;
  Tensor minimum(const Tensor& o) const;
  Tensor gt(const Tensor& o) const;
  Tensor gt(const Scalar& o) const;
  Tensor ge(const Tensor& o) const;
  Tensor ge(const Scalar& o) const;
  Tensor lt(const Tensor& o) const;
  Tensor lt(const Scalar& o) const;
  Tensor le(const Tensor& o) const;
  Tensor le(const Scalar& o) const;
  Tensor eq(const Tensor& o) const;
  Tensor eq(const Scalar& o) const;
  Tensor ne(const Tensor& o) const;
  Tensor ne(const Scalar& o) const;
  Tensor logical_not() const;
  Tensor isnan() const;
  Tensor isinf() const;
  Tensor isfinite() const;
  Tensor all() const;
  Tensor all(int64_t dim, bool keepdim = false) const;
  Tensor any() const;
  Tensor any(int64_t dim, bool keepdim = false) const;
  bool allclose(const Tensor& o, double rtol = 1e-5, double atol = 1e-8,
                bool equal_nan = false) const;
  bool equal(const Tensor& o) const;

  // ---- linear algebra ----
  Tensor matmul(const Tensor& o) const;
  Tensor mm(const Tensor& o) const;
  Tensor bmm(const Tensor& o) const;
  Tensor dot(const Tensor& o) const;
  Tensor mv(const Tensor& o) const;
  Tensor t() const;
  Tensor addmm(const Tensor& mat1, const Tensor& mat2, const Scalar& beta = 1,
               const Scalar& alpha = 1) const;
  Tensor addcmul(const Tensor& t1, const Tensor& t2, const Scalar& value = 1) const;
  Tensor addcdiv(const Tensor& t1, const Tensor& t2, const Scalar& value = 1) const;

  // ---- reductions ----
  Tensor sum(std::optional<ScalarType> dtype = std::nullopt) const;
  Tensor sum(IntArrayRef dim, bool keepdim = false,
             std::optional<ScalarType> dtype = std::nullopt) const;
  Tensor mean(std::optional<ScalarType> dtype = std::nullopt) const;
  Tensor mean(IntArrayRef dim, bool keepdim = false,
              std::optional<ScalarType> dtype = std::nullopt) const;
  Tensor prod(std::optional<ScalarType> dtype = std::nullopt) const;
  Tensor prod(int64_t dim, bool keepdim = false,
              std::optional<ScalarType> dtype = std::nullopt) const;
  Tensor max() const;
  std::tuple<Tensor, Tensor> max(int64_t dim, bool keepdim = false) const;
  Tensor min() const;
  Tensor max(const Tensor& o) const;  // elementwise, as maximum
  Tensor min(const Tensor& o) const;  // elementwise, as minimum
  std::tuple<Tensor, Tensor> min(int64_t dim, bool keepdim = false) const;
  Tensor amax(IntArrayRef dim = {}, bool keepdim = false) const;
  Tensor amin(IntArrayRef dim = {}, bool keepdim = false) const;
  Tensor argmax(std::optional<int64_t> dim = std::nullopt, bool keepdim = false) const;
  Tensor argmin(std::optional<int64_t> dim = std::nullopt, bool keepdim = false) const;
  // var(bool) is a template only so that var({1}) picks the dim overload, as in libtorch.
  Tensor var() const { return var_all(true); }
  template <class B, std::enable_if_t<std::is_same_v<B, bool>, int> = 0>
  Tensor var(B unbiased) const {
    return var_all(unbiased);
  }
  Tensor var(IntArrayRef dim, bool unbiased = true, bool keepdim = false) const;
  Tensor std() const { return std_all(true); }
  template <class B, std::enable_if_t<std::is_same_v<B, bool>, int> = 0>
  Tensor std(B unbiased) const {
    return std_all(unbiased);
  }
  Tensor std(IntArrayRef dim, bool unbiased = true, bool keepdim = false) const;
  Tensor var_all(bool unbiased) const;
  Tensor std_all(bool unbiased) const;
  Tensor norm(const Scalar& p = 2) const;
  Tensor norm(std::optional<Scalar> p, IntArrayRef dim, bool keepdim = false) const;
  Tensor logsumexp(IntArrayRef dim, bool keepdim = false) const;
  Tensor softmax(int64_t dim, std::optional<ScalarType> dtype = std::nullopt) const;
  Tensor log_softmax(int64_t dim, std::optional<ScalarType> dtype = std::nullopt) const;

  // ---- shape ----
  Tensor view(IntArrayRef shape) const;
  Tensor reshape(IntArrayRef shape) const;
  Tensor view_as(const Tensor& o) const;
  Tensor reshape_as(const Tensor& o) const;
  Tensor flatten(int64_t start_dim = 0, int64_t end_dim = -1) const;
  Tensor unflatten(int64_t dim, IntArrayRef sizes) const;
  Tensor squeeze() const;
  Tensor squeeze(int64_t dim) const;
  Tensor unsqueeze(int64_t dim) const;
  Tensor transpose(int64_t d0, int64_t d1) const;
  Tensor permute(IntArrayRef dims) const;
  Tensor expand(IntArrayRef shape) const;
  Tensor expand_as(const Tensor& o) const;
  Tensor narrow(int64_t dim, int64_t start, int64_t length) const;
  // x[start:end:step] along dim (Python's clamping; step > 0), as libtorch's Tensor::slice.
  Tensor slice(int64_t dim = 0, std::optional<int64_t> start = std::nullopt,
               std::optional<int64_t> end = std::nullopt, int64_t step = 1) const;
  Tensor repeat(IntArrayRef repeats) const;
  Tensor select(int64_t dim, int64_t index) const;
  Tensor operator[](int64_t index) const { return select(0, index); }
  Tensor index_select(int64_t dim, const Tensor& index) const;
  Tensor gather(int64_t dim, const Tensor& index) const;
  Tensor scatter_add(int64_t dim, const Tensor& index, const Tensor& src) const;
  Tensor index_add(int64_t dim, const Tensor& index, const Tensor& source) const;
  std::vector<Tensor> chunk(int64_t chunks, int64_t dim = 0) const;
  std::vector<Tensor> split(int64_t split_size, int64_t dim = 0) const;
  std::vector<Tensor> split(IntArrayRef split_sizes, int64_t dim = 0) const;
  std::vector<Tensor> split_with_sizes(IntArrayRef split_sizes, int64_t dim = 0) const;
  std::vector<Tensor> unbind(int64_t dim = 0) const;
  // libtorch's x.index({0, Slice(1, None), None, mask}) (indexing.hpp for the forms).
  Tensor index(std::initializer_list<indexing::TensorIndex> indices) const;
  Tensor index(const std::vector<indexing::TensorIndex>& indices) const;
  Tensor take(const Tensor& index) const;
  Tensor masked_fill(const Tensor& mask, const Scalar& value) const;
  Tensor masked_fill(const Tensor& mask, const Tensor& value) const;
  std::tuple<Tensor, Tensor> sort(int64_t dim = -1, bool descending = false) const;
  Tensor argsort(int64_t dim = -1, bool descending = false) const;
  std::tuple<Tensor, Tensor> topk(int64_t k, int64_t dim = -1, bool largest = true,
                                  bool sorted = true) const;
  // a[i][j] over the data (T must match the dtype, N the dim); see tensor_accessor.hpp.
  template <class T, size_t N>
  TensorAccessor<T, N> accessor() const;
  void print() const;  // "[CPUFloatType [2, 3]]" to std::cerr, as libtorch's Tensor::print

  // ---- in-place (each bumps the version counter) ----
  const Tensor& zero_() const;
  const Tensor& fill_(const Scalar& v) const;
  const Tensor& copy_(const Tensor& src) const;
  const Tensor& add_(const Tensor& o, const Scalar& alpha = 1) const;
  const Tensor& add_(const Scalar& o, const Scalar& alpha = 1) const;
  const Tensor& sub_(const Tensor& o, const Scalar& alpha = 1) const;
  const Tensor& sub_(const Scalar& o, const Scalar& alpha = 1) const;
  const Tensor& mul_(const Tensor& o) const;
  const Tensor& mul_(const Scalar& o) const;
  const Tensor& div_(const Tensor& o) const;
  const Tensor& div_(const Scalar& o) const;
  const Tensor& clamp_(std::optional<Scalar> min, std::optional<Scalar> max = std::nullopt) const;
  // x.index_put_({...}, v): writes v where x.index({...}) reads (indexing.hpp).
  const Tensor& index_put_(std::initializer_list<indexing::TensorIndex> indices,
                           const Tensor& value) const;
  const Tensor& index_put_(std::initializer_list<indexing::TensorIndex> indices,
                           const Scalar& value) const;
  const Tensor& index_put_(const std::vector<indexing::TensorIndex>& indices,
                           const Tensor& value) const;
  const Tensor& index_put_(const std::vector<indexing::TensorIndex>& indices,
                           const Scalar& value) const;
  // ATen's form: one optional index tensor per leading dim; accumulate adds (index_put_).
  const Tensor& index_put_(const std::vector<std::optional<Tensor>>& indices, const Tensor& values,
                           bool accumulate) const;
  const Tensor& masked_fill_(const Tensor& mask, const Scalar& value) const;
  const Tensor& masked_fill_(const Tensor& mask, const Tensor& value) const;
  const Tensor& addcmul_(const Tensor& t1, const Tensor& t2, const Scalar& value = 1) const;
  const Tensor& addcdiv_(const Tensor& t1, const Tensor& t2, const Scalar& value = 1) const;
  // Random fills (random.cpp): libtorch's streams, from `generator` or the default one.
  const Tensor& uniform_(double from = 0, double to = 1,
                         std::optional<Generator> generator = std::nullopt) const;
  const Tensor& normal_(double mean = 0, double std = 1,
                        std::optional<Generator> generator = std::nullopt) const;
  const Tensor& bernoulli_(double p = 0.5, std::optional<Generator> generator = std::nullopt) const;
  const Tensor& bernoulli_(const Tensor& p,
                           std::optional<Generator> generator = std::nullopt) const;
  const Tensor& exponential_(double lambd = 1,
                             std::optional<Generator> generator = std::nullopt) const;
  const Tensor& random_(int64_t from, std::optional<int64_t> to,
                        std::optional<Generator> generator = std::nullopt) const;
  const Tensor& random_(int64_t to, std::optional<Generator> generator = std::nullopt) const;
  const Tensor& random_(std::optional<Generator> generator = std::nullopt) const;
  Tensor bernoulli(std::optional<Generator> generator = std::nullopt) const;
  Tensor multinomial(int64_t num_samples, bool replacement = false,
                     std::optional<Generator> generator = std::nullopt) const;
  // New sizes, keeping the first elements in order; new elements are uninitialised. The
  // storage grows when needed (other views keep the old one), never shrinks (as libtorch).
  const Tensor& resize_(IntArrayRef size) const;
  // Swaps two dimensions in place, moving the elements (outside autograd only).
  const Tensor& transpose_(int64_t dim0, int64_t dim1) const;

  TensorImpl* unsafeGetTensorImpl() const { return impl_; }

 private:
  IntArrayRef head(const char* what) const;  // the sizes; throws naming `what` if undefined
  [[noreturn]] static void undefined(const char* what);
  TensorImpl* impl_;
};

using Hook = std::function<Tensor(const Tensor&)>;
struct HookSlot {
  unsigned id;
  Hook fn;
};

// What a Tensor handle points at. Internal: ops and the tape use it (with the helpers of
// autograd/tensor_impl.hpp); it is defined here only so that the handle's reference counting
// and metadata accessors are inline.
struct TensorImpl {
  _Atomic_word refs = 0;       // handles on it; destroyed (core.cpp) when the last one goes
  Storage* storage = nullptr;  // owns one reference to it (see tensor_impl.hpp)
  int64_t offset = 0;          // in elements
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
  // Made by make_tensor: this TensorImpl shares one allocation with the Storage it was made
  // with (tensor_impl.hpp says who frees it); an alias has an allocation of its own.
  bool in_block = false;
  // Made while c10::InferenceMode was on (or a view of such a tensor): see tape.hpp.
  bool inference = false;
  // How a view was made (autograd::CreationMeta): a view taken under NoGradGuard or
  // InferenceMode of a tensor that requires grad requires grad too, but receives no gradient
  // and refuses in-place writes in grad mode, as libtorch's.
  uint8_t creation_meta = 0;

  TensorImpl() = default;
  TensorImpl(const TensorImpl&) = delete;
  TensorImpl& operator=(const TensorImpl&) = delete;
  ~TensorImpl();  // tells the tape that the entry's output is gone

  int64_t numel() const { return sizes.numel(); }
  void* data() const;  // first element (tensor_impl.hpp)
  // libtorch's version counter interface; an inference tensor has none
  // (autograd/inference_mode.cpp).
  struct VersionCounter {
    const TensorImpl* impl;
    uint32_t current_version() const;
  };
  VersionCounter version_counter() const { return {this}; }
  void bump_version();
};

namespace detail {
void destroy(TensorImpl* t) noexcept;  // the last handle went (core.cpp)
}
// The count follows std::shared_ptr's policy: plain increments while the process has one
// thread, atomic ones once it has several.
inline Tensor::Tensor(TensorImpl* impl) noexcept : impl_(impl) {
  if (impl_) __gnu_cxx::__atomic_add_dispatch(&impl_->refs, 1);
}
inline Tensor::Tensor(const Tensor& o) noexcept : Tensor(o.impl_) {}
inline Tensor::~Tensor() {
  if (impl_ && __gnu_cxx::__exchange_and_add_dispatch(&impl_->refs, -1) == 1)
    detail::destroy(impl_);
}
inline size_t Tensor::use_count() const noexcept { return impl_ ? size_t(impl_->refs) : 0; }
inline IntArrayRef Tensor::head(const char* what) const {
  if (!impl_) undefined(what);
  return impl_->sizes.ref();
}
inline int64_t Tensor::numel() const { return head("numel"), impl_->sizes.numel(); }
inline ScalarType Tensor::scalar_type() const { return head("scalar_type"), impl_->dtype; }
inline bool Tensor::requires_grad() const { return impl_ && impl_->requires_grad; }

// Prints values and a `[ CPUFloatType{2,3} ]` footer exactly as libtorch 1.13 (print.cpp);
// operator<< wraps lines at 80 characters, print() at `linesize` (at::print).
std::ostream& operator<<(std::ostream& os, const Tensor& t);
std::ostream& print(std::ostream& os, const Tensor& t, int64_t linesize);
void print(const Tensor& t, int64_t linesize = 80);  // to std::cout

}  // namespace tg

#include "tensor_operators.hpp"  // a + b, a * 2, a > b, a += b, ...
