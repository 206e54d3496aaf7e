// tg::nn::AnyModule: any module, with its forward() callable whatever its argument and return
// types -- libtorch's torch::nn::AnyModule, on which Sequential is built.
//
//   struct M : tg::nn::Module { std::string forward(int x, double f); };
//   tg::nn::AnyModule any(M{});
//   any.forward<std::string>(4, 3.14);     // arguments checked against forward's types at run
//   any.any_forward(4, 3.14);              // the result as an AnyValue
//   any.get<M>(); any.ptr<M>(); any.ptr(); // the module (get/ptr<T> need T to be its exact type)
//
// The module's forward must be a single non-template member function (its argument types are
// read from &M::forward). Arguments are matched by their decayed types exactly (an int does not
// convert to a float). Trailing arguments with defaults may be left out if the module declares
// them with FORWARD_HAS_DEFAULT_ARGS (any_value.hpp). A module whose forward is overloaded is
// called with one Tensor; one without forward can be stored and read but not run.
#pragma once

#include <memory>
#include <string>
#include <type_traits>
#include <typeinfo>
#include <utility>
#include <vector>

#include "any_value.hpp"
#include "module.hpp"

namespace tg::nn {

// The type-erased part of an AnyModule.
struct AnyModulePlaceholder {
  explicit AnyModulePlaceholder(const std::type_info& info) noexcept : type_info(info) {}
  virtual ~AnyModulePlaceholder() = default;
  virtual AnyValue forward(std::vector<AnyValue>&& arguments) = 0;
  virtual std::shared_ptr<Module> ptr() = 0;
  virtual std::unique_ptr<AnyModulePlaceholder> copy() const = 0;
  virtual std::unique_ptr<AnyModulePlaceholder> clone_module(optional<Device> device) const = 0;
  const std::type_info& type_info;
};

namespace detail {
[[noreturn]] void any_module_bad_argument(size_t index, const std::type_info& expected,
                                          const std::type_info& received);
void any_module_check_count(const std::type_info& module, size_t expected, size_t received);
void any_module_check_count_range(const std::type_info& module, size_t required, size_t all,
                                  size_t received);
[[noreturn]] void any_module_no_forward(const std::type_info& module);
}  // namespace detail

template <typename ModuleType, typename... ArgumentTypes>
struct AnyModuleHolder : AnyModulePlaceholder {
  explicit AnyModuleHolder(std::shared_ptr<ModuleType>&& m)
      : AnyModulePlaceholder(typeid(ModuleType)), module(std::move(m)) {}

  AnyValue forward(std::vector<AnyValue>&& arguments) override {
    constexpr size_t count = sizeof...(ArgumentTypes);
    if (module->_forward_has_default_args()) {
      detail::any_module_check_count_range(type_info, module->_forward_num_required_args(), count,
                                           arguments.size());
      arguments = module->_forward_populate_default_args(std::move(arguments));
    } else {
      detail::any_module_check_count(type_info, count, arguments.size());
    }
    return invoke(arguments, std::index_sequence_for<ArgumentTypes...>{});
  }
  std::shared_ptr<Module> ptr() override { return module; }
  std::unique_ptr<AnyModulePlaceholder> copy() const override {
    return std::make_unique<AnyModuleHolder>(*this);
  }
  std::unique_ptr<AnyModulePlaceholder> clone_module(optional<Device> device) const override {
    return std::make_unique<AnyModuleHolder>(
        // Through the base: a module may hide Module::clone with a clone() of its own.
        std::dynamic_pointer_cast<ModuleType>(static_cast<const Module&>(*module).clone(device)));
  }

  std::shared_ptr<ModuleType> module;

 private:
  template <typename T>
  static std::decay_t<T>&& argument(std::vector<AnyValue>& arguments, size_t index) {
    auto& value = arguments[index];
    if (auto* v = value.template try_get<std::decay_t<T>>()) return std::move(*v);
    detail::any_module_bad_argument(index, typeid(T), value.type_info());
  }
  template <size_t... I>
  AnyValue invoke(std::vector<AnyValue>& arguments, std::index_sequence<I...>) {
    return AnyValue(module->forward(argument<ArgumentTypes>(arguments, I)...));
  }
};

// A module without a (single) forward: stored, but forward() throws.
template <typename ModuleType>
struct AnyModuleHolderNoForward : AnyModulePlaceholder {
  explicit AnyModuleHolderNoForward(std::shared_ptr<ModuleType>&& m)
      : AnyModulePlaceholder(typeid(ModuleType)), module(std::move(m)) {}
  AnyValue forward(std::vector<AnyValue>&&) override { detail::any_module_no_forward(type_info); }
  std::shared_ptr<Module> ptr() override { return module; }
  std::unique_ptr<AnyModulePlaceholder> copy() const override {
    return std::make_unique<AnyModuleHolderNoForward>(*this);
  }
  std::unique_ptr<AnyModulePlaceholder> clone_module(optional<Device> device) const override {
    return std::make_unique<AnyModuleHolderNoForward>(
        // Through the base: a module may hide Module::clone with a clone() of its own.
        std::dynamic_pointer_cast<ModuleType>(static_cast<const Module&>(*module).clone(device)));
  }
  std::shared_ptr<ModuleType> module;
};

namespace detail {
// Whether &M::forward names one member function (not overloaded, not a template).
template <typename M, typename = void>
struct has_unique_forward : std::false_type {};
template <typename M>
struct has_unique_forward<M, std::void_t<decltype(&M::forward)>> : std::true_type {};
// Whether M has a forward callable with one Tensor.
template <typename M, typename = void>
struct has_tensor_forward : std::false_type {};
template <typename M>
struct has_tensor_forward<M,
                          std::void_t<decltype(std::declval<M&>().forward(std::declval<Tensor>()))>>
    : std::true_type {};
}  // namespace detail

class AnyModule {
 public:
  AnyModule() = default;
  template <typename ModuleType>
  explicit AnyModule(std::shared_ptr<ModuleType> module)
      : content_(make_holder(std::move(module))) {
    static_assert(std::is_base_of_v<Module, ModuleType>,
                  "Can only store object derived from nn::Module into AnyModule");
  }
  template <typename ModuleType,
            typename = std::enable_if_t<std::is_base_of_v<Module, std::decay_t<ModuleType>> &&
                                        !detail::is_module_holder_v<ModuleType>>>
  explicit AnyModule(ModuleType&& module)
      : AnyModule(std::make_shared<std::decay_t<ModuleType>>(std::forward<ModuleType>(module))) {}
  template <typename ModuleType>
  explicit AnyModule(const ModuleHolder<ModuleType>& module_holder)
      : AnyModule(module_holder.ptr()) {}

  AnyModule(AnyModule&&) = default;
  AnyModule& operator=(AnyModule&&) = default;
  AnyModule(const AnyModule& other) : content_(other.content_ ? other.content_->copy() : nullptr) {}
  AnyModule& operator=(const AnyModule& other) {
    if (this != &other) content_ = other.content_ ? other.content_->copy() : nullptr;
    return *this;
  }
  template <typename ModuleType>
  AnyModule& operator=(std::shared_ptr<ModuleType> module) {
    return (*this = AnyModule(std::move(module)));
  }

  // A deep copy of the module (Module::clone).
  AnyModule clone(optional<Device> device = nullopt) const {
    AnyModule result;
    result.content_ = content_ ? content_->clone_module(device) : nullptr;
    return result;
  }

  template <typename... ArgumentTypes>
  AnyValue any_forward(ArgumentTypes&&... arguments) {
    TORCH_CHECK(!is_empty(), "Cannot call forward() on an empty AnyModule");
    std::vector<AnyValue> values;
    values.reserve(sizeof...(ArgumentTypes));
    (values.emplace_back(std::forward<ArgumentTypes>(arguments)), ...);
    return content_->forward(std::move(values));
  }
  template <typename ReturnType = Tensor, typename... ArgumentTypes>
  ReturnType forward(ArgumentTypes&&... arguments) {
    return any_forward(std::forward<ArgumentTypes>(arguments)...).template get<ReturnType>();
  }

  // The module as its exact type T (a reference), or, for a holder type, a new holder on it.
  template <typename T, typename = std::enable_if_t<!detail::is_module_holder_v<T>>>
  T& get() const {
    TORCH_CHECK(!is_empty(), "Cannot call get() on an empty AnyModule");
    return get_<T>();
  }
  template <typename T, typename ContainedType = typename T::ContainedType>
  T get() const {
    return T(ptr<ContainedType>());
  }

  std::shared_ptr<Module> ptr() const {
    TORCH_CHECK(!is_empty(), "Cannot call ptr() on an empty AnyModule");
    return content_->ptr();
  }
  template <typename T, typename = std::enable_if_t<!detail::is_module_holder_v<T>>>
  std::shared_ptr<T> ptr() const {
    TORCH_CHECK(!is_empty(), "Cannot call ptr() on an empty AnyModule");
    get_<T>();
    return std::dynamic_pointer_cast<T>(ptr());
  }

  const std::type_info& type_info() const {
    TORCH_CHECK(!is_empty(), "Cannot call type_info() on an empty AnyModule");
    return content_->type_info;
  }
  bool is_empty() const noexcept { return content_ == nullptr; }

 private:
  template <typename M>
  static std::unique_ptr<AnyModulePlaceholder> make_holder(std::shared_ptr<M>&& module) {
    using D = std::decay_t<M>;
    if constexpr (detail::has_unique_forward<D>::value)
      return make_holder_from(std::move(module), &D::forward);
    else if constexpr (detail::has_tensor_forward<D>::value)
      return std::make_unique<AnyModuleHolder<D, Tensor>>(std::move(module));
    else
      return std::make_unique<AnyModuleHolderNoForward<D>>(std::move(module));
  }
  template <typename M, typename Class, typename ReturnType, typename... ArgumentTypes>
  static std::unique_ptr<AnyModulePlaceholder> make_holder_from(
      std::shared_ptr<M>&& module, ReturnType (Class::*)(ArgumentTypes...)) {
    return make_holder_checked<M, ReturnType, ArgumentTypes...>(std::move(module));
  }
  template <typename M, typename Class, typename ReturnType, typename... ArgumentTypes>
  static std::unique_ptr<AnyModulePlaceholder> make_holder_from(
      std::shared_ptr<M>&& module, ReturnType (Class::*)(ArgumentTypes...) const) {
    return make_holder_checked<M, ReturnType, ArgumentTypes...>(std::move(module));
  }
  template <typename M, typename ReturnType, typename... ArgumentTypes>
  static std::unique_ptr<AnyModulePlaceholder> make_holder_checked(std::shared_ptr<M>&& module) {
    static_assert(((!std::is_lvalue_reference_v<ArgumentTypes> ||
                    std::is_const_v<std::remove_reference_t<ArgumentTypes>>)&&...),
                  "Modules stored inside AnyModule must not take references. "
                  "Use pointers instead.");
    static_assert(!std::is_void_v<ReturnType>,
                  "AnyModule cannot store modules that return void "
                  "(you can return a dummy value).");
    return std::make_unique<AnyModuleHolder<std::decay_t<M>, ArgumentTypes...>>(std::move(module));
  }
  template <typename T>
  T& get_() const {
    if (typeid(T).hash_code() == type_info().hash_code())
      if (auto* p = dynamic_cast<T*>(content_->ptr().get())) return *p;
    AT_ERROR("Attempted to cast module of type ", demangle(type_info().name()), " to type ",
             demangle(typeid(T).name()));
  }

  std::unique_ptr<AnyModulePlaceholder> content_;
};

}  // namespace tg::nn
