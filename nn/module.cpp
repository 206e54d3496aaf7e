// Module: registration, traversal, modes, dtype conversion and printing.
#include "module.hpp"

#include <cxxabi.h>

#include <cstdlib>
#include <ostream>
#include <typeinfo>

#include "../autograd/c10_util.hpp"
#include "../autograd/functions.hpp"
#include "../autograd/tensor_impl.hpp"
#include "cloneable.hpp"

namespace tg {
std::string demangle(const char* mangled) {
  int status = 0;
  char* out = abi::__cxa_demangle(mangled, nullptr, nullptr, &status);
  std::string r = (status == 0 && out) ? out : mangled;
  std::free(out);
  return r;
}
}  // namespace tg

namespace tg::nn {

namespace {
std::string join_name(const std::string& prefix, const std::string& name) {
  return prefix.empty() ? name : prefix + "." + name;
}

// Gives `t` a new dtype without changing which TensorImpl it is: every handle on the tensor (the
// module's `weight` member, the OrderedDict entry, an optimizer's list) sees the conversion.
void convert_in_place(const Tensor& t, ScalarType dtype) {
  if (!t.defined() || t.scalar_type() == dtype) return;
  // Like PyTorch's Module.to(dtype): integer buffers (counters, indices) keep their type.
  if (!t.is_floating_point() || !is_floating_point(dtype)) return;
  NoGradGuard no_grad;
  Tensor converted = t.detach().to(dtype);
  TensorImpl* dst = t.unsafeGetTensorImpl();
  TensorImpl* src = converted.unsafeGetTensorImpl();
  set_storage(dst, src->storage);
  dst->offset = src->offset;
  dst->dtype = dtype;
  if (dst->grad.defined()) dst->grad = dst->grad.detach().to(dtype);
}
}  // namespace

void detail::set_data(const Tensor& dst, const Tensor& src) {
  Tensor data = src.detach();
  TensorImpl* d = dst.unsafeGetTensorImpl();
  TensorImpl* s = data.unsafeGetTensorImpl();
  set_storage(d, s->storage);
  d->offset = s->offset;
  d->sizes = s->sizes;
  d->dtype = s->dtype;
}

Tensor detail::copy_to(const Tensor& tensor, const optional<Device>& device) {
  return device && tensor.device() != *device ? tensor.to(*device, tensor.scalar_type())
                                              : tensor.clone();
}

Module::Module(std::string name) : name_(std::move(name)), has_name_(true) {}
Module::Module() = default;

detail::ModuleHolderBase::ModuleHolderBase(Module* module) : impl_(module) {}

void detail::ModuleHolderBase::throw_empty() {
  throw Error("Accessing empty ModuleHolder (a ModuleHolder constructed from nullptr)");
}

const std::string& Module::name() const noexcept {
  // Computed lazily: in the constructor typeid(*this) would still be Module.
  if (!has_name_) {
    name_ = demangle(typeid(*this).name());
    has_name_ = true;
  }
  return name_;
}

void Module::check_name(const std::string& name, const char* method, const char* what) {
  if (name.empty())
    throw Error(std::string("Module::") + method + ": " + what + " name must not be empty");
  if (name.find('.') != std::string::npos)
    throw Error(std::string("Module::") + method + ": " + what +
                " name must not contain a dot (got '" + name + "')");
}

// ---- traversal ---------------------------------------------------------------------------
void Module::apply(const ModuleApplyFunction& fn) {
  fn(*this);
  apply_to_submodules([&fn](const std::string&, Module& m) { fn(m); }, "");
}

void Module::apply(const ConstModuleApplyFunction& fn) const {
  fn(*this);
  apply_to_submodules([&fn](const std::string&, Module& m) { fn(m); }, "");
}

void Module::apply(const NamedModuleApplyFunction& fn, const std::string& name_prefix) {
  fn(name_prefix, *this);
  apply_to_submodules(fn, name_prefix);
}

void Module::apply(const ConstNamedModuleApplyFunction& fn, const std::string& name_prefix) const {
  fn(name_prefix, *this);
  apply_to_submodules([&fn](const std::string& n, Module& m) { fn(n, m); }, name_prefix);
}

void Module::apply(const ModulePointerApplyFunction& fn) const {
  fn(shared_from_this_checked());
  for (const auto& m : modules(/*include_self=*/false)) fn(m);
}

void Module::apply(const NamedModulePointerApplyFunction& fn,
                   const std::string& name_prefix) const {
  for (const auto& item : named_modules(name_prefix)) fn(item.key(), item.value());
}

void Module::apply_to_submodules(const NamedModuleApplyFunction& fn,
                                 const std::string& name_prefix) const {
  for (const auto& child : children_) {
    std::string qualified = join_name(name_prefix, child.key());
    fn(qualified, *child.value());
    child.value()->apply_to_submodules(fn, qualified);
  }
}

std::shared_ptr<Module> Module::shared_from_this_checked() const {
  std::shared_ptr<const Module> ptr;
  try {
    ptr = shared_from_this();
  } catch (const std::bad_weak_ptr&) {
    AT_ERROR("It looks like you attempted to retrieve your top-level module ",
             "as a shared_ptr, but it is not stored in a shared_ptr. ", "Use std::make_shared<",
             name(), "> instead of creating your module on ",
             "the stack, or alternatively do not try to access your top-level ",
             "module at all by passing /*include_self=*/false ", "to modules() or named_modules()");
  }
  return std::const_pointer_cast<Module>(ptr);
}

// ---- parameters, buffers, children -------------------------------------------------------
OrderedDict<std::string, Tensor> Module::named_parameters(bool recurse) const {
  OrderedDict<std::string, Tensor> result("Parameter");
  auto add_own = [&result](const std::string& prefix, const Module& m) {
    for (const auto& p : m.parameters_)
      if (p.value().defined()) result.insert(join_name(prefix, p.key()), p.value());
  };
  add_own("", *this);
  if (recurse)
    apply_to_submodules([&add_own](const std::string& n, Module& m) { add_own(n, m); }, "");
  return result;
}

std::vector<Tensor> Module::parameters(bool recurse) const {
  return named_parameters(recurse).values();
}

OrderedDict<std::string, Tensor> Module::named_buffers(bool recurse) const {
  OrderedDict<std::string, Tensor> result("Buffer");
  auto add_own = [&result](const std::string& prefix, const Module& m) {
    for (const auto& b : m.buffers_)
      if (b.value().defined()) result.insert(join_name(prefix, b.key()), b.value());
  };
  add_own("", *this);
  if (recurse)
    apply_to_submodules([&add_own](const std::string& n, Module& m) { add_own(n, m); }, "");
  return result;
}

std::vector<Tensor> Module::buffers(bool recurse) const { return named_buffers(recurse).values(); }

OrderedDict<std::string, std::shared_ptr<Module>> Module::named_modules(
    const std::string& name_prefix, bool include_self) const {
  OrderedDict<std::string, std::shared_ptr<Module>> result("Module");
  if (include_self) result.insert(name_prefix, shared_from_this_checked());
  for (const auto& child : children_) {
    std::string qualified = join_name(name_prefix, child.key());
    result.update(child.value()->named_modules(qualified, /*include_self=*/true));
  }
  return result;
}

std::vector<std::shared_ptr<Module>> Module::modules(bool include_self) const {
  std::vector<std::shared_ptr<Module>> result;
  if (include_self) result.push_back(shared_from_this_checked());
  apply_to_submodules(
      [&result](const std::string&, Module& m) { result.push_back(m.shared_from_this()); }, "");
  return result;
}

std::vector<std::shared_ptr<Module>> Module::children() const { return children_.values(); }

OrderedDict<std::string, std::shared_ptr<Module>> Module::named_children() const {
  return children_;
}

Tensor& Module::register_parameter(std::string name, Tensor tensor, bool requires_grad) {
  check_name(name, "register_parameter", "Parameter");
  // An undefined tensor is a placeholder (Linear without bias): it is stored but never listed.
  if (tensor.defined())
    tensor.requires_grad_(requires_grad);
  else if (requires_grad)
    TORCH_WARN("An undefined tensor cannot require grad. ",
               "Ignoring the `requires_grad=true` function parameter.");
  return parameters_.insert(std::move(name), std::move(tensor));
}

Tensor& Module::register_buffer(std::string name, Tensor tensor) {
  check_name(name, "register_buffer", "Buffer");
  return buffers_.insert(std::move(name), std::move(tensor));
}

void Module::unregister_module(const std::string& name) {
  if (!children_.contains(name))
    throw Error("Module::unregister_module: No Module with name `" + name + "` is registered");
  children_.erase(name);
}

// ---- modes -------------------------------------------------------------------------------
void Module::train(bool on) {
  for (auto& child : children_) child.value()->train(on);
  is_training_ = on;
}

void Module::to(ScalarType dtype, bool /*non_blocking*/) {
  for (auto& child : children_) child.value()->to(dtype);
  for (auto& p : parameters_) convert_in_place(p.value(), dtype);
  for (auto& b : buffers_) convert_in_place(b.value(), dtype);
}

void Module::to(Device device, ScalarType dtype, bool non_blocking) {
  check_cpu(device, "Module::to");
  to(dtype, non_blocking);
}
void Module::to(Device device, bool) { check_cpu(device, "Module::to"); }

void Module::zero_grad(bool set_to_none) {
  for (auto& child : children_) child.value()->zero_grad(set_to_none);
  for (auto& p : parameters_) {
    if (!p.value().defined()) continue;
    Tensor& grad = p.value().mutable_grad();
    if (!grad.defined()) continue;
    if (set_to_none) {
      grad = Tensor();
    } else {
      // Detach first so a gradient recorded with create_graph stops referring to its history.
      grad = grad.detach();
      grad.zero_();
    }
  }
}

// ---- cloning and default arguments ------------------------------------------------------
std::shared_ptr<Module> Module::clone(const optional<Device>&) const {
  AT_ERROR("clone() has not been implemented for ", name(), ". Subclass torch::nn::Cloneable<",
           name(), "> instead of torch::nn::Module to inherit the ability to clone.");
}

// A child that is not a Cloneable keeps what its parent's reset() made of it: libtorch's
// Module::clone_ does nothing (every built-in layer is a Cloneable).
void Module::clone_(Module&, const optional<Device>&) {}

unsigned int Module::_forward_num_required_args() {
  AT_ERROR("torch::nn::Module subclass that has default arguments in `forward` method ",
           "must override `_forward_num_required_args` method. Please use ",
           "`FORWARD_HAS_DEFAULT_ARGS` macro to do so.");
}

std::vector<AnyValue> Module::_forward_populate_default_args(std::vector<AnyValue>&&) {
  AT_ERROR("torch::nn::Module subclass that has default arguments in `forward` method ",
           "must override `_forward_populate_default_args` method. Please use ",
           "`FORWARD_HAS_DEFAULT_ARGS` macro to do so.");
}

// ---- printing ----------------------------------------------------------------------------
void Module::pretty_print(std::ostream& stream) const { stream << name(); }

void Module::pretty_print_recursive(std::ostream& stream, const std::string& indentation) const {
  pretty_print(stream);
  if (children_.is_empty()) return;
  stream << "(\n";
  const std::string next = indentation + "  ";
  for (const auto& child : children_) {
    stream << next << "(" << child.key() << "): ";
    child.value()->pretty_print_recursive(stream, next);
    stream << '\n';
  }
  stream << indentation << ")";
}

std::ostream& operator<<(std::ostream& stream, const Module& module) {
  module.pretty_print_recursive(stream, "");
  return stream;
}

}  // namespace tg::nn
