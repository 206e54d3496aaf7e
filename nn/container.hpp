// Sequential: modules applied one after another, libtorch's torch::nn::Sequential.
//
//   tg::nn::Sequential net(tg::nn::Linear(4, 8), tg::nn::ReLU(), tg::nn::Linear(8, 1));
//   auto y = net->forward(x);           // or net(x); children are named "0", "1", "2"
//   tg::nn::Sequential named({{"fc", tg::nn::Linear(4, 8)}, {"act", tg::nn::ReLU()}});
//
// The elements are AnyModules (any_module.hpp), so each may take and return any types: the first
// gets forward's arguments, each next one the previous one's result.
#pragma once

#include <functional>
#include <initializer_list>
#include <iosfwd>
#include <memory>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include "any_module.hpp"
#include "cloneable.hpp"
#include "module.hpp"

namespace tg::nn {

// A (name, module) pair, so that Sequential({{"fc", Linear(2, 3)}, {"act", ReLU()}}) works.
class NamedAnyModule {
 public:
  template <typename M>
  NamedAnyModule(std::string name, std::shared_ptr<M> module)
      : name_(std::move(name)), module_(std::move(module)) {}
  template <typename M>
  NamedAnyModule(std::string name, const ModuleHolder<M>& holder)
      : name_(std::move(name)), module_(holder) {}
  template <typename M, typename = std::enable_if_t<std::is_base_of_v<Module, std::decay_t<M>> &&
                                                    !detail::is_module_holder_v<M>>>
  NamedAnyModule(std::string name, M&& module)
      : name_(std::move(name)), module_(std::forward<M>(module)) {}
  NamedAnyModule(std::string name, AnyModule module)
      : name_(std::move(name)), module_(std::move(module)) {}
  const std::string& name() const noexcept { return name_; }
  const AnyModule& module() const noexcept { return module_; }

 private:
  std::string name_;
  AnyModule module_;
};

class SequentialImpl : public Cloneable<SequentialImpl> {
 public:
  using Iterator = std::vector<AnyModule>::iterator;
  using ConstIterator = std::vector<AnyModule>::const_iterator;

  SequentialImpl() = default;
  template <typename... Modules,
            typename =
                std::enable_if_t<(sizeof...(Modules) > 0) &&
                                 !(sizeof...(Modules) == 1 &&
                                   (std::is_same_v<std::decay_t<Modules>, SequentialImpl> && ...))>>
  explicit SequentialImpl(Modules&&... modules) {
    (push_back(std::forward<Modules>(modules)), ...);
  }
  explicit SequentialImpl(std::initializer_list<NamedAnyModule> named_modules);

  explicit SequentialImpl(OrderedDict<std::string, AnyModule>&& ordered_dict) {
    for (auto& item : ordered_dict) push_back(item.key(), std::move(item.value()));
  }

  std::shared_ptr<Module> clone(const optional<Device>& device = nullopt) const override;
  void reset() override {}
  void pretty_print(std::ostream& stream) const override;

  // Feeds the inputs to the first module, its result to the next, and so on; the last result
  // must be a ReturnType.
  template <typename ReturnType = Tensor, typename... InputTypes>
  ReturnType forward(InputTypes&&... inputs) {
    TORCH_CHECK(!is_empty(), "Cannot call forward() on an empty Sequential");
    auto it = modules_.begin();
    AnyValue value = it->any_forward(std::forward<InputTypes>(inputs)...);
    for (++it; it != modules_.end(); ++it) value = it->any_forward(std::move(value));
    if (auto* result = value.template try_get<ReturnType>()) return std::move(*result);
    AT_ERROR("The type of the return value is ", demangle(value.type_info().name()),
             ", but you asked for type ", demangle(typeid(ReturnType).name()));
  }

  // Appends a module (holder, shared_ptr, impl by value, or AnyModule) named by its position,
  // or by `name`.
  template <typename M>
  void push_back(M&& module) {
    push_back(std::to_string(modules_.size()), std::forward<M>(module));
  }
  template <typename M>
  void push_back(std::string name, M&& module) {
    push_back(std::move(name), AnyModule(std::forward<M>(module)));
  }
  void push_back(std::string name, AnyModule any_module);
  void push_back(AnyModule any_module) {
    push_back(std::to_string(modules_.size()), std::move(any_module));
  }
  // Appends every module of another Sequential (or any container of modules).
  template <typename Container>
  void extend(const Container& container) {
    for (const auto& m : container) push_back(m);
  }

  std::shared_ptr<Module> ptr(size_t index) const { return at_index(index).ptr(); }
  template <typename T>
  std::shared_ptr<T> ptr(size_t index) const {
    return at_index(index).template ptr<T>();
  }
  template <typename T>
  T& at(size_t index) const {
    return at_index(index).template get<T>();
  }
  template <typename T>
  T& at(size_t index) {
    return at_index(index).template get<T>();
  }
  std::shared_ptr<Module> operator[](size_t index) const { return ptr(index); }

  size_t size() const noexcept { return modules_.size(); }
  bool is_empty() const noexcept { return modules_.empty(); }
  Iterator begin() { return modules_.begin(); }
  ConstIterator begin() const { return modules_.begin(); }
  Iterator end() { return modules_.end(); }
  ConstIterator end() const { return modules_.end(); }

 private:
  const AnyModule& at_index(size_t index) const;
  std::vector<AnyModule> modules_;
};
extern template class detail::CloneableAs<SequentialImpl, Module>;

// Written out (not TG_MODULE) for the braced named-module constructor, as in libtorch.
class Sequential : public ModuleHolder<SequentialImpl> {
 public:
  using ModuleHolder<SequentialImpl>::ModuleHolder;
  using Impl = SequentialImpl;
  // Out of line (container.cpp): inline, they would instantiate make_shared<SequentialImpl> and
  // SequentialImpl's destructor in every program.
  Sequential();
  Sequential(std::initializer_list<NamedAnyModule> named_modules);  // NOLINT: implicit on purpose
};

}  // namespace tg::nn
