// tg::nn::Module, the ModuleHolder handle and the TG_MODULE macro: libtorch's module system.
//
// A module owns named parameters (tensors an optimizer updates), buffers (state that is not
// trained, e.g. a loss's class weights) and child modules. Names of nested tensors are dotted
// paths ("fc1.weight", "0.bias"), built on demand by walking the children, so a parameter
// is stored exactly once, in the module that registered it.
//
// User modules are written exactly as in libtorch:
//   struct NetImpl : tg::nn::Module {
//     NetImpl() { fc = register_module("fc", tg::nn::Linear(4, 2)); }
//     tg::Tensor forward(tg::Tensor x) { return fc(x).relu(); }
//     tg::nn::Linear fc{nullptr};
//   };
//   TG_MODULE(Net);   // Net is a ModuleHolder<NetImpl>: `Net net; net->forward(x); net(x);`
#pragma once

#include <functional>
#include <iosfwd>
#include <memory>
#include <optional>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include "../autograd/tensor.hpp"
#include "any_value.hpp"
#include "ordered_dict.hpp"

namespace tg::serialize {
class OutputArchive;
class InputArchive;
}  // namespace tg::serialize

namespace tg::nn {

template <typename Contained>
class ModuleHolder;
template <typename ModuleType, typename... ArgumentTypes>
struct AnyModuleHolder;
namespace detail {
template <typename Derived, typename Base>
class CloneableAs;
}  // namespace detail

namespace detail {
// Base of every ModuleHolder, so templates can tell a holder (Linear) from an impl (LinearImpl).
struct ModuleHolderIndicator {};
template <class T>
inline constexpr bool is_module_holder_v =
    std::is_base_of_v<ModuleHolderIndicator, std::decay_t<T>>;
template <class T, class C>
inline constexpr bool is_module_holder_of_v = std::is_base_of_v<ModuleHolder<C>, std::decay_t<T>>;
}  // namespace detail

class Module : public std::enable_shared_from_this<Module> {
 public:
  using ModuleApplyFunction = std::function<void(Module&)>;
  using ConstModuleApplyFunction = std::function<void(const Module&)>;
  using NamedModuleApplyFunction = std::function<void(const std::string&, Module&)>;
  using ConstNamedModuleApplyFunction = std::function<void(const std::string&, const Module&)>;
  using ModulePointerApplyFunction = std::function<void(const std::shared_ptr<Module>&)>;
  using NamedModulePointerApplyFunction =
      std::function<void(const std::string&, const std::shared_ptr<Module>&)>;

  explicit Module(std::string name);
  Module();
  virtual ~Module() = default;

  // The demangled C++ type name, e.g. "tg::nn::LinearImpl" (libtorch 1.13 keeps the "Impl").
  const std::string& name() const noexcept;

  // Calls `fn` on this module and then on every descendant, depth first in registration order.
  void apply(const ModuleApplyFunction& fn);
  void apply(const ConstModuleApplyFunction& fn) const;
  void apply(const NamedModuleApplyFunction& fn, const std::string& name_prefix = std::string());
  void apply(const ConstNamedModuleApplyFunction& fn,
             const std::string& name_prefix = std::string()) const;
  void apply(const ModulePointerApplyFunction& fn) const;
  void apply(const NamedModulePointerApplyFunction& fn,
             const std::string& name_prefix = std::string()) const;

  // Defined parameters only (an absent bias is registered as an undefined tensor and skipped).
  std::vector<Tensor> parameters(bool recurse = true) const;
  OrderedDict<std::string, Tensor> named_parameters(bool recurse = true) const;
  std::vector<Tensor> buffers(bool recurse = true) const;
  OrderedDict<std::string, Tensor> named_buffers(bool recurse = true) const;
  // With include_self, this module must be owned by a shared_ptr (a holder always is).
  std::vector<std::shared_ptr<Module>> modules(bool include_self = true) const;
  OrderedDict<std::string, std::shared_ptr<Module>> named_modules(
      const std::string& name_prefix = std::string(), bool include_self = true) const;
  std::vector<std::shared_ptr<Module>> children() const;
  OrderedDict<std::string, std::shared_ptr<Module>> named_children() const;

  // Training mode is a flag for layers that behave differently (dropout, batch norm).
  virtual void train(bool on = true);
  void eval() { train(false); }
  virtual bool is_training() const noexcept { return is_training_; }

  // Converts every parameter and floating buffer in place, so handles held elsewhere (the
  // `weight` member, an optimizer's parameter list) see the new dtype, like libtorch's set_data.
  virtual void to(ScalarType dtype, bool non_blocking = false);
  // Devices: the CPU only (anything else throws tg::Error); then the dtype, if given.
  virtual void to(Device device, ScalarType dtype, bool non_blocking = false);
  virtual void to(Device device, bool non_blocking = false);

  // libtorch 1.13's default is set_to_none = false: gradients are zeroed, not reset.
  virtual void zero_grad(bool set_to_none = false);

  // Downcast: model->as<tg::nn::Linear>() or model->as<tg::nn::LinearImpl>(); null on mismatch.
  template <typename T>
  auto* as() noexcept {
    if constexpr (detail::is_module_holder_v<T>)
      return dynamic_cast<typename T::ContainedType*>(this);
    else
      return dynamic_cast<T*>(this);
  }
  template <typename T>
  const auto* as() const noexcept {
    if constexpr (detail::is_module_holder_v<T>)
      return dynamic_cast<const typename T::ContainedType*>(this);
    else
      return dynamic_cast<const T*>(this);
  }

  // One line describing this module (without children); layers override it.
  virtual void pretty_print(std::ostream& stream) const;

  // libtorch's archive form (serialize.cpp): parameters and buffers by name, each serializable
  // child as a nested archive. A module that returns false from is_serializable() (Functional)
  // is skipped.
  virtual void save(serialize::OutputArchive& archive) const;
  virtual void load(serialize::InputArchive& archive);
  virtual bool is_serializable() const;

  // A deep copy (parameters and buffers copied, not shared). Throws unless the module derives
  // from tg::nn::Cloneable<Derived> (cloneable.hpp), which implements it, as every built-in
  // layer does.
  virtual std::shared_ptr<Module> clone(const optional<Device>& device = nullopt) const;

  // Returns a reference to the stored tensor. Names must be non-empty and contain no dot
  // (dots separate path components).
  Tensor& register_parameter(std::string name, Tensor tensor, bool requires_grad = true);
  Tensor& register_buffer(std::string name, Tensor tensor);

  template <typename ModuleType>
  std::shared_ptr<ModuleType> register_module(std::string name,
                                              std::shared_ptr<ModuleType> module) {
    check_name(name, "register_module", "Submodule");
    if (!module) throw Error("Module::register_module: submodule '" + name + "' is null");
    auto& stored = children_.insert(std::move(name), std::shared_ptr<Module>(module));
    return std::dynamic_pointer_cast<ModuleType>(stored);
  }
  template <typename ModuleType>
  std::shared_ptr<ModuleType> register_module(std::string name,
                                              ModuleHolder<ModuleType> module_holder) {
    return register_module(std::move(name), module_holder.ptr());
  }
  template <typename ModuleType>
  std::shared_ptr<ModuleType> replace_module(const std::string& name,
                                             std::shared_ptr<ModuleType> module) {
    auto& stored = (children_[name] = std::move(module));
    return std::dynamic_pointer_cast<ModuleType>(stored);
  }
  template <typename ModuleType>
  std::shared_ptr<ModuleType> replace_module(const std::string& name,
                                             ModuleHolder<ModuleType> module_holder) {
    return replace_module(name, module_holder.ptr());
  }
  void unregister_module(const std::string& name);

  friend std::ostream& operator<<(std::ostream& stream, const Module& module);

 protected:
  // Overridden by FORWARD_HAS_DEFAULT_ARGS (any_value.hpp), for AnyModule's calls.
  virtual bool _forward_has_default_args() { return false; }
  virtual unsigned int _forward_num_required_args();
  virtual std::vector<AnyValue> _forward_populate_default_args(std::vector<AnyValue>&& arguments);

  OrderedDict<std::string, Tensor> parameters_{"Parameter"};

 private:
  template <typename ModuleType, typename... ArgumentTypes>
  friend struct AnyModuleHolder;
  template <typename Derived, typename Base>
  friend class detail::CloneableAs;
  // Makes this module a clone of `other` (Cloneable's, for cloning children in place).
  virtual void clone_(Module& other, const optional<Device>& device);

  static void check_name(const std::string& name, const char* method, const char* what);
  void pretty_print_recursive(std::ostream& stream, const std::string& indentation) const;
  void apply_to_submodules(const NamedModuleApplyFunction& fn,
                           const std::string& name_prefix) const;
  std::shared_ptr<Module> shared_from_this_checked() const;

  OrderedDict<std::string, Tensor> buffers_{"Buffer"};
  OrderedDict<std::string, std::shared_ptr<Module>> children_{"Submodule"};
  // Set by the constructor, or computed on first use by name() (a bool rather than an
  // optional<string>: one class template fewer for every program to instantiate).
  mutable std::string name_;
  mutable bool has_name_ = false;
  bool is_training_ = true;
};

namespace detail {
// The untyped part of every ModuleHolder. The module is owned through a shared_ptr<Module>, not
// a shared_ptr<Contained>: a data member of type shared_ptr<LinearImpl> would instantiate that
// class template (with its bases and ~40 constructor and operator templates) for each of the ~50
// holders declared in the library headers, in every program that includes <tapegrad.hpp>, used
// or not (measured: ~20 MB of the compiler's ~250 MB for the seed example).
class ModuleHolderBase : public ModuleHolderIndicator {
 public:
  explicit operator bool() const noexcept { return impl_ != nullptr; }
  bool is_empty() const noexcept { return impl_ == nullptr; }

 protected:
  ModuleHolderBase() = default;
  explicit ModuleHolderBase(std::shared_ptr<Module> impl) noexcept : impl_(std::move(impl)) {}
  // Takes ownership of a new module. Out of line (module.cpp), so the shared_ptr's control block
  // is compiled once, for Module, rather than for each module type in every user's program.
  explicit ModuleHolderBase(Module* module);
  void check_nonempty() const {
    if (!impl_) throw_empty();
  }
  [[noreturn]] static void throw_empty();

  std::shared_ptr<Module> impl_;
};
}  // namespace detail

// A shared_ptr to a module with value syntax: `Linear fc(3, 4); fc->weight; fc(x);`.
// Copies share the module (as in libtorch); `Linear fc{nullptr}` is the empty state.
template <typename Contained>
class ModuleHolder : public detail::ModuleHolderBase {
 public:
  using ContainedType = Contained;

  // Default-constructs the module when it has a default constructor, else stays empty.
  ModuleHolder() : ModuleHolder(default_construct()) {}
  /* implicit */ ModuleHolder(std::nullptr_t) {}  // NOLINT
  // Forwards to Contained's constructor (but never hijacks copying a holder).
  template <typename Head, typename... Tail,
            typename = std::enable_if_t<!(detail::is_module_holder_of_v<Head, Contained> &&
                                          sizeof...(Tail) == 0)>>
  explicit ModuleHolder(Head&& head, Tail&&... tail)
      : ModuleHolder(new Contained(std::forward<Head>(head), std::forward<Tail>(tail)...)) {}
  /* implicit */ ModuleHolder(std::shared_ptr<Contained> module)  // NOLINT
      : ModuleHolderBase(module), typed_(module.get()) {}

  Contained* operator->() { return get(); }
  const Contained* operator->() const { return get(); }
  Contained& operator*() { return *get(); }
  const Contained& operator*() const { return *get(); }
  // Returned by value (libtorch returns a const reference to its member): the typed shared_ptr
  // shares ownership with the stored one.
  std::shared_ptr<Contained> ptr() const {
    check_nonempty();
    return std::shared_ptr<Contained>(impl_, typed_);
  }
  Contained* get() {
    check_nonempty();
    return typed_;
  }
  const Contained* get() const {
    check_nonempty();
    return typed_;
  }
  // `model(x)` is `model->forward(x)`.
  // (C makes the return type dependent, so modules without forward, e.g. ModuleList, still
  // get a holder.)
  template <typename... Args, typename C = Contained>
  auto operator()(Args&&... args)
      -> decltype(std::declval<C&>().forward(std::forward<Args>(args)...)) {
    return get()->forward(std::forward<Args>(args)...);
  }
  template <typename Arg>
  decltype(auto) operator[](Arg&& arg) {
    return (*get())[std::forward<Arg>(arg)];
  }

 private:
  // Takes ownership of a new module (shared_ptr<Module> needs no shared_ptr<Contained>).
  explicit ModuleHolder(Contained* module)
      : ModuleHolderBase(static_cast<Module*>(module)), typed_(module) {}
  static Contained* default_construct() {
    if constexpr (std::is_default_constructible_v<Contained>)
      return new Contained();
    else
      return nullptr;
  }

  // The same object as impl_, as its own type (also right when Contained derives from Module
  // virtually, where a static_cast from Module* would not compile).
  Contained* typed_ = nullptr;
};

template <typename ModuleType>
std::ostream& operator<<(std::ostream& stream, const ModuleHolder<ModuleType>& module) {
  return stream << *module;
}

}  // namespace tg::nn

// TG_MODULE(Linear) declares `class Linear : public ModuleHolder<LinearImpl>`.
// A layer's convenience constructors (`LinearImpl(in, out)`, which delegates to
// `LinearImpl(LinearOptions(in, out))`) are defined in its .cpp, not inline: a delegating
// constructor odr-uses the destructor, so inline it would make every user's program synthesize
// the layer's destructor and its options'.
#define TG_MODULE_IMPL(Name, ImplType)                              \
  class Name : public tg::nn::ModuleHolder<ImplType> { /* NOLINT */ \
   public:                                                          \
    using tg::nn::ModuleHolder<ImplType>::ModuleHolder;             \
    using Impl = ImplType;                                          \
  }
#define TG_MODULE(Name) TG_MODULE_IMPL(Name, Name##Impl)

// libtorch spelling, so sources written for libtorch compile with `namespace torch = tg;`.
#ifndef TORCH_MODULE
#define TORCH_MODULE_IMPL(Name, ImplType) TG_MODULE_IMPL(Name, ImplType)
#define TORCH_MODULE(Name) TG_MODULE(Name)
#endif
