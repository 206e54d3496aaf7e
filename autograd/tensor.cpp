// tg::Tensor's own methods: metadata, data access, autograd entry points and in-place ops.
// Arithmetic methods forward to the free functions (tensor_methods.cpp).
#include <algorithm>
#include <cstring>

#include "c10_util.hpp"
#include "functions.hpp"
#include "kernels.hpp"

namespace tg {
using detail::check_inplace;
using detail::write_back;

// ---- metadata ----
static const TensorImpl& impl_of(const Tensor& t, const char* what) {
  if (!t.defined()) fail(std::string(what) + ": called on an undefined tensor");
  return *t.unsafeGetTensorImpl();
}
int64_t Tensor::size(int64_t d) const {
  return impl_of(*this, "size").sizes[size_t(wrap_dim(d, dim(), "size"))];
}
std::vector<int64_t> Tensor::strides() const {
  IntArrayRef s = head("strides");
  std::vector<int64_t> st(s.size());
  int64_t step = 1;
  for (size_t d = s.size(); d-- > 0;) st[d] = step, step *= std::max<int64_t>(s[d], 1);
  return st;
}
std::string Tensor::toString() const {
  return std::string("CPU") + dtype_name(scalar_type()) + "Type";
}

// ---- data ----
void* Tensor::raw_data() const { return impl_of(*this, "data_ptr").data(); }
template <class T>
T* Tensor::data_ptr() const {
  if (kern::dtype_of<T>() != scalar_type())
    fail(std::string("data_ptr: expected scalar type ") + dtype_name(scalar_type()) +
         " but found " + dtype_name(kern::dtype_of<T>()));
  return static_cast<T*>(raw_data());
}
template float* Tensor::data_ptr<float>() const;
template double* Tensor::data_ptr<double>() const;
template int64_t* Tensor::data_ptr<int64_t>() const;
template bool* Tensor::data_ptr<bool>() const;
template uint8_t* Tensor::data_ptr<uint8_t>() const;
template int8_t* Tensor::data_ptr<int8_t>() const;
template int16_t* Tensor::data_ptr<int16_t>() const;
template int32_t* Tensor::data_ptr<int32_t>() const;

Scalar Tensor::item() const {
  if (numel() != 1)
    fail("item: a Tensor with " + std::to_string(numel()) +
         " elements cannot be converted to Scalar (shape " + to_string(sizes()) + ")");
  Scalar out;
  kern::dispatch(scalar_type(), [&](auto tag) {
    using T = decltype(tag);
    const T v = *ptr<T>(*this);
    if constexpr (std::is_floating_point_v<T>)
      out = Scalar(double(v));
    else if constexpr (std::is_same_v<T, bool>)
      out = Scalar(v);
    else
      out = Scalar(int64_t(v));
  });
  return out;
}
// Checked as c10::Scalar::to: a value the type cannot hold throws ("value cannot be converted
// to type uint8_t without overflow"); a fraction truncates.
template <class T>
T Tensor::item() const {
  if constexpr (std::is_same_v<T, long long>)
    return T(kern::checked<int64_t>(item()));
  else
    return kern::checked<T>(item());
}
template float Tensor::item<float>() const;
template double Tensor::item<double>() const;
template int Tensor::item<int>() const;
template long Tensor::item<long>() const;
template long long Tensor::item<long long>() const;
template bool Tensor::item<bool>() const;
template uint8_t Tensor::item<uint8_t>() const;
template int8_t Tensor::item<int8_t>() const;
template int16_t Tensor::item<int16_t>() const;

// to: a dtype cast; the gradient is cast back (the tape does that for every input).
static void to_backward(const Entry&, const Tensor& g, Tensor* gin) { gin[0] = g; }
Tensor Tensor::to(ScalarType t, bool, bool copy) const {
  check_defined(*this, "to");
  if (t == scalar_type()) return copy ? clone() : *this;
  Tensor out = kern::cast(*this, t);
  if (is_floating_point() && tg::is_floating_point(t)) record("to", to_backward, {this}, out);
  return out;
}
// The device forms: the CPU is the only device, so they are the dtype cast or nothing.
Tensor Tensor::to(const TensorOptions& o, bool non_blocking, bool copy) const {
  check_cpu(o.device(), "to");
  if (o.requires_grad())  // libtorch's check and words
    fail(
        "to: Operators taking TensorOptions cannot take a TensorOptions with "
        "options.requires_grad set as true. This isn't implemented yet.");
  return to(o.has_dtype() ? o.dtype() : scalar_type(), non_blocking, copy);
}
Tensor Tensor::to(Device device, ScalarType t, bool non_blocking, bool copy) const {
  check_cpu(device, "to");
  return to(t, non_blocking, copy);
}
Tensor Tensor::to(const Tensor& other, bool non_blocking, bool copy) const {
  return to(other.scalar_type(), non_blocking, copy);
}
Tensor Tensor::cuda() const {
  check_cpu(kCUDA, "cuda");
  return *this;
}

// resize_: only for tensors outside autograd (libtorch refuses the others the same way). The
// version bump makes a backward that saved this tensor refuse to use it.
const Tensor& Tensor::resize_(IntArrayRef size) const {
  check_defined(*this, "resize_");
  TensorImpl& i = *impl_;
  if (i.requires_grad) fail("resize_: cannot resize variables that require grad");
  Shape shape(size);
  for (int64_t s : size)
    if (s < 0)
      fail("resize_: Trying to create tensor with negative dimension " + std::to_string(s) + ": " +
           to_string(size));
  const size_t need = size_t(i.offset + shape.numel()) * element_size();
  if (need > i.storage->nbytes) {  // a new storage holding the old elements first
    Tensor grown = make_tensor(shape, i.dtype);
    const size_t keep = size_t(numel()) * element_size();
    if (keep > 0) std::memcpy(grown.raw_data(), raw_data(), keep);
    set_storage(&i, grown.unsafeGetTensorImpl()->storage);
    i.offset = 0;
  }
  i.sizes = shape;
  ++i.storage->version;
  return *this;
}

// transpose_: the transposed elements written back over the tensor's own (contiguous) ones.
// Unlike libtorch (which swaps strides only), other views of the storage see the moved elements.
const Tensor& Tensor::transpose_(int64_t dim0, int64_t dim1) const {
  check_defined(*this, "transpose_");
  TensorImpl& i = *impl_;
  if (i.requires_grad && GradMode::is_enabled())
    fail("transpose_: a leaf Variable that requires grad is being used in an in-place operation.");
  Tensor moved;
  {
    NoGradGuard no_grad;
    moved = transpose(dim0, dim1).clone();
  }
  if (numel() > 0) std::memcpy(raw_data(), moved.raw_data(), size_t(numel()) * element_size());
  i.sizes = Shape(moved.sizes());
  ++i.storage->version;
  return *this;
}

// clone: a copy; the gradient passes through unchanged.
Tensor Tensor::clone() const {
  check_defined(*this, "clone");
  Tensor out = make_tensor(sizes(), scalar_type());
  if (numel() > 0) std::memcpy(out.raw_data(), raw_data(), size_t(numel()) * element_size());
  record("clone", to_backward, {this}, out);
  return out;
}
Tensor Tensor::detach() const {
  check_defined(*this, "detach");
  return alias_with_shape(*this, sizes());
}
Tensor Tensor::tensor_data() const { return detach(); }
void Tensor::set_data(const Tensor& data) const {
  check_defined(*this, "set_data");
  check_defined(data, "set_data");
  TensorImpl& i = *impl_;
  const TensorImpl& d = *data.unsafeGetTensorImpl();
  set_storage(&i, d.storage);
  i.offset = d.offset;
  i.sizes = d.sizes;
  i.dtype = d.dtype;
}
namespace autograd {
Tensor make_variable(const Tensor& t, bool requires_grad) {
  Tensor v = t.detach();
  if (requires_grad) v.requires_grad_(true);
  return v;
}
}  // namespace autograd
const Tensor& Tensor::detach_() const {
  TensorImpl* i = impl_;
  Tape::get().output_died(i);
  i->node = -1;
  i->requires_grad = false;
  return *this;
}

// ---- autograd ----
TensorOptions Tensor::options() const {
  head("options");
  TensorOptions o(scalar_type());
  return o.device(Device(kCPU)).layout(kStrided);
}

bool Tensor::is_leaf() const { return !impl_ || impl_->node < 0; }
const Tensor& Tensor::requires_grad_(bool r) const {
  TensorImpl& i = *impl_;
  detail::check_requires_grad_settable(i, r);
  if (r && !tg::is_floating_point(i.dtype))
    fail(std::string("requires_grad_: Only Tensors of floating point and complex dtype can "
                     "require gradients (got ") +
         dtype_name(i.dtype) + ")");
  if (i.node >= 0) {
    if (!r)
      fail(
          "requires_grad_: you can only change requires_grad flags of leaf variables. If you "
          "want to use a computed variable in a subgraph that doesn't require differentiation "
          "use var_no_grad = var.detach().");
    return *this;
  }
  i.requires_grad = r;
  i.creation_meta = 0;  // asked for by hand: an ordinary leaf now (inference_mode.hpp)
  return *this;
}
// A non-leaf's .grad stays undefined unless retain_grad() was called: libtorch warns, in the
// same words, so that a program reading it by mistake hears about it.
const Tensor& Tensor::grad() const {
  const Tensor& g = impl_of(*this, "grad").grad;
  if (!g.defined() && !is_leaf() && !retains_grad())
    TORCH_WARN(
        "The .grad attribute of a Tensor that is not a leaf Tensor is being accessed. Its .grad "
        "attribute won't be populated during autograd.backward(). If you indeed want the .grad "
        "field to be populated for a non-leaf Tensor, use .retain_grad() on the non-leaf Tensor. "
        "If you access the non-leaf Tensor by mistake, make sure you access the leaf Tensor "
        "instead. See github.com/pytorch/pytorch/pull/30531 for more informations.");
  return g;
}
Tensor& Tensor::mutable_grad() const { return impl_->grad; }
void Tensor::set_grad(const Tensor& g) const { impl_->grad = g; }
// libtorch warns (once) that a create_graph backward into .grad makes a reference cycle.
static void warn_create_graph(bool create_graph) {
  if (create_graph)
    TORCH_WARN_ONCE(
        "Using backward() with create_graph=True will create a reference cycle between the "
        "parameter and its gradient which can cause a memory leak. We recommend using "
        "autograd.grad when creating the graph to avoid this. If you have to use this function, "
        "make sure to reset the .grad fields of your parameters to None after use to break the "
        "cycle and avoid the leak.");
}
// backward(..., inputs): the gradients of `inputs` only (autograd::grad's sweep), each added
// into that tensor's .grad -- a leaf's or not, as libtorch's.
static void backward_into(const std::vector<Tensor>& roots, const std::vector<Tensor>& grads,
                          bool retain_graph, bool create_graph, const std::vector<Tensor>& inputs) {
  if (inputs.empty()) fail("'inputs' argument to backward cannot be empty");
  std::vector<Tensor> g =
      Tape::get().run_backward(roots, grads, retain_graph, create_graph, inputs, true);
  for (size_t k = 0; k < inputs.size(); ++k) {
    if (!g[k].defined()) continue;
    Tensor& dst = inputs[k].unsafeGetTensorImpl()->grad;
    Tensor add = create_graph ? g[k] : g[k].detach();
    dst = dst.defined() ? dst + add : add;
  }
}
void Tensor::backward(const Tensor& gradient, std::optional<bool> retain_graph, bool create_graph,
                      std::optional<std::vector<Tensor>> inputs) const {
  warn_create_graph(create_graph);
  if (inputs)
    return backward_into({*this}, {gradient}, retain_graph.value_or(create_graph), create_graph,
                         *inputs);
  Tape::get().run_backward({*this}, {gradient}, retain_graph.value_or(create_graph), create_graph,
                           {}, false);
}
void Tensor::retain_grad() const {
  if (!requires_grad())
    fail("retain_grad: can't retain_grad on Tensor that has requires_grad=False");
  if (impl_->node >= 0) Tape::get().entry(impl_->node).retain = true;
}
bool Tensor::retains_grad() const {
  return impl_ && impl_->node >= 0 && Tape::get().entry(impl_->node).retain;
}
static unsigned next_hook_id = 1;
unsigned Tensor::add_hook(std::function<Tensor(const Tensor&)> hook) const {
  if (!requires_grad())
    fail("register_hook: cannot register a hook on a tensor that doesn't require gradient");
  unsigned id = next_hook_id++;
  auto& hooks = impl_->node >= 0 ? Tape::get().entry(impl_->node).make_extra().hooks : impl_->hooks;
  hooks.push_back({id, std::move(hook)});
  return id;
}
void Tensor::remove_hook(unsigned handle) const {
  auto& hooks = impl_->node >= 0 ? Tape::get().entry(impl_->node).make_extra().hooks : impl_->hooks;
  for (size_t k = 0; k < hooks.size(); ++k)
    if (hooks[k].id == handle) return void(hooks.erase(hooks.begin() + long(k)));
  fail("remove_hook: Invalid index, no hook at position " + std::to_string(handle));
}
int64_t Tensor::_version() const { return impl_of(*this, "_version").storage->version; }
std::string Tensor::grad_fn_name() const {
  if (!impl_ || impl_->node < 0) return "";
  return Tape::get().entry(impl_->node).op;
}

namespace autograd {
std::vector<Tensor> grad(const std::vector<Tensor>& outputs, const std::vector<Tensor>& inputs,
                         const std::vector<Tensor>& grad_outputs, std::optional<bool> retain_graph,
                         bool create_graph, bool allow_unused) {
  if (inputs.empty()) fail("autograd::grad: grad requires non-empty inputs.");
  return Tape::get().run_backward(outputs, grad_outputs, retain_graph.value_or(create_graph),
                                  create_graph, inputs, allow_unused);
}
void backward(const std::vector<Tensor>& tensors, const std::vector<Tensor>& grad_tensors,
              std::optional<bool> retain_graph, bool create_graph,
              const std::vector<Tensor>& inputs) {
  warn_create_graph(create_graph);
  if (!inputs.empty())
    return backward_into(tensors, grad_tensors, retain_graph.value_or(create_graph), create_graph,
                         inputs);
  Tape::get().run_backward(tensors, grad_tensors, retain_graph.value_or(create_graph), create_graph,
                           {}, false);
}
}  // namespace autograd

// ---- in-place ops ----
// An in-place op computes its result out of place, then writes it into the tensor's storage
// (so aliases see it) and bumps the version counter (so the tape can detect stale saved
// values). When the result was recorded, the tensor is re-based onto that tape entry. add_,
// sub_, mul_ and div_ write straight into the storage when nothing is recorded and the shapes
// and dtypes allow (kern::writes_in_place): optimizer steps then allocate no temporaries.
void detail::check_inplace(const Tensor& self, const char* op) {
  check_defined(self, op);
  const TensorImpl& i = *self.unsafeGetTensorImpl();
  check_inplace_modes(i);
  if (i.copied_view)
    fail(std::string(op) +
         ": in-place op on the result of transpose/permute/expand/narrow/select "
         "along an inner dim: in libtorch that is a view of the original, in tapegrad a copy, so "
         "the write would not reach the original. Write into a clone() instead.");
  if (grad_enabled() && i.requires_grad && i.is_view)
    fail(std::string(op) + ": in-place op on a view (shape " + to_string(self.sizes()) +
         ") of a tensor that is part of a recorded graph: the base's history would not see the "
         "write. Build the result out of place (e.g. with tg::cat), or write under NoGradGuard.");
  if (grad_enabled() && i.requires_grad && i.node < 0)
    fail(std::string(op) +
         ": a leaf Variable that requires grad is being used in an in-place "
         "operation (shape " +
         to_string(self.sizes()) + "). Use tg::NoGradGuard for updates.");
}
const Tensor& detail::write_back(const Tensor& self, const Tensor& result, const char* op) {
  if (result.sizes() != self.sizes())
    fail(std::string(op) + ": output with shape " + to_string(self.sizes()) +
         " doesn't match the broadcast shape " + to_string(result.sizes()));
  if (!is_floating_point(self.scalar_type()) && is_floating_point(result.scalar_type()))
    fail(std::string(op) + ": result type " + dtype_name(result.scalar_type()) +
         " can't be cast to the desired output type " + dtype_name(self.scalar_type()));
  Tensor data = kern::cast(result, self.scalar_type());
  TensorImpl& i = *self.unsafeGetTensorImpl();
  if (data.unsafeGetTensorImpl()->storage != i.storage && self.numel() > 0)
    std::memcpy(self.raw_data(), data.raw_data(), size_t(self.numel()) * self.element_size());
  ++i.storage->version;
  TensorImpl* r = result.unsafeGetTensorImpl();
  if (grad_enabled() && r->node >= 0 && r->node != i.node) {
    Tape::get().rebase_output(&i, r->node);
    ++i.storage->rebases;
  }
  return self;
}
// The fast path: written straight into self, nothing recorded (kern::writes_in_place).
static const Tensor& written(const Tensor& self) {
  ++self.unsafeGetTensorImpl()->storage->version;
  return self;
}
static Tensor wrap(const Tensor& self, const Scalar& o) {
  return kern::scalar_operand(o, kern::result_type(self, o));
}
const Tensor& Tensor::add_(const Tensor& o, const Scalar& a) const {
  check_inplace(*this, "add_");
  check_defined(o, "add_");
  if (kern::add_in_place(*this, o, a.to_double())) return written(*this);
  return write_back(*this, tg::add(*this, o, a), "add_");
}
const Tensor& Tensor::add_(const Scalar& o, const Scalar& a) const {
  check_inplace(*this, "add_");
  if (kern::add_in_place(*this, wrap(*this, o), a.to_double())) return written(*this);
  return write_back(*this, tg::add(*this, o, a), "add_");
}
const Tensor& Tensor::sub_(const Tensor& o, const Scalar& a) const {
  check_inplace(*this, "sub_");
  check_defined(o, "sub_");
  if (kern::add_in_place(*this, o, -a.to_double())) return written(*this);
  return write_back(*this, tg::sub(*this, o, a), "sub_");
}
const Tensor& Tensor::sub_(const Scalar& o, const Scalar& a) const {
  check_inplace(*this, "sub_");
  if (kern::add_in_place(*this, wrap(*this, o), -a.to_double())) return written(*this);
  return write_back(*this, tg::sub(*this, o, a), "sub_");
}
const Tensor& Tensor::mul_(const Tensor& o) const {
  check_inplace(*this, "mul_");
  check_defined(o, "mul_");
  if (kern::mul_in_place(*this, o)) return written(*this);
  return write_back(*this, tg::mul(*this, o), "mul_");
}
const Tensor& Tensor::mul_(const Scalar& o) const {
  check_inplace(*this, "mul_");
  if (kern::mul_in_place(*this, wrap(*this, o))) return written(*this);
  return write_back(*this, tg::mul(*this, o), "mul_");
}
const Tensor& Tensor::div_(const Tensor& o) const {
  check_inplace(*this, "div_");
  check_defined(o, "div_");
  if (kern::div_in_place(*this, o)) return written(*this);
  return write_back(*this, tg::div(*this, o), "div_");
}
const Tensor& Tensor::div_(const Scalar& o) const {
  check_inplace(*this, "div_");
  if (kern::div_in_place(*this, wrap(*this, o))) return written(*this);
  return write_back(*this, tg::div(*this, o), "div_");
}
const Tensor& Tensor::clamp_(std::optional<Scalar> min, std::optional<Scalar> max) const {
  check_inplace(*this, "clamp_");
  return write_back(*this, tg::clamp(*this, min, max), "clamp_");
}
// Overwriting a recorded tensor with a constant (fill_, copy_ from a tensor that needs no grad):
// the new value's history is an entry whose backward gives the old value nothing (d/dself = 0),
// as libtorch's FillBackward / CopyBackwards.
static void overwritten_backward(const Entry&, const Tensor&, Tensor*) {}
static const Tensor& overwrite(const Tensor& self, const Tensor& value, const char* op) {
  Tensor r = alias_with_shape(value, value.sizes());  // a fresh handle: value stays as it is
  record(op, overwritten_backward, {&self}, r);
  return write_back(self, r, op);
}
const Tensor& Tensor::copy_(const Tensor& src) const {
  check_inplace(*this, "copy_");
  check_defined(src, "copy_");
  broadcast_shapes(sizes(), src.sizes(), "copy_");
  Tensor v = src.expand(sizes());
  if (v.scalar_type() != scalar_type()) v = v.to(scalar_type());
  if (!v.requires_grad() && requires_grad() && grad_enabled()) return overwrite(*this, v, "copy_");
  return write_back(*this, v, "copy_");
}
const Tensor& Tensor::fill_(const Scalar& v) const {
  check_inplace(*this, "fill_");
  if (requires_grad() && grad_enabled()) {
    Tensor value = make_tensor(sizes(), scalar_type());
    {
      NoGradGuard no_grad;
      value.fill_(v);
    }
    return overwrite(*this, value, "fill_");
  }
  kern::dispatch(scalar_type(), [&](auto tag) {
    using T = decltype(tag);
    T val = kern::checked<T>(v);
    T* p = ptr<T>(*this);
    const T zero{};
    if (std::memcmp(&val, &zero, sizeof(T)) == 0)      // zero_() (optimizers' zero_grad): memset
      std::memset(p, 0, size_t(numel()) * sizeof(T));  // is vectorised, std::fill at -O2 is not
    else
      std::fill(p, p + numel(), val);
  });
  ++impl_->storage->version;
  return *this;
}
const Tensor& Tensor::zero_() const { return fill_(0); }

}  // namespace tg
