// Sequential: modules applied one after another, libtorch's torch::nn::Sequential.
//
//   tg::nn::Sequential net(tg::nn::Linear(4, 8), tg::nn::ReLU(), tg::nn::Linear(8, 1));
//   auto y = net->forward(x);           // or net(x); children are named "0", "1", "2"
//   tg::nn::Sequential named({{"fc", tg::nn::Linear(4, 8)}, {"act", tg::nn::ReLU()}});
//
// libtorch stores the elements as AnyModule, a type-erased module whose forward can take any
// arguments. tapegrad's AnyModule remembers only a Tensor -> Tensor call of the module's
// forward, captured from the concrete type when it is added -- which covers every layer and
// activation. A module without such a forward can be stored but not run.
#pragma once

#include <functional>
#include <initializer_list>
#include <iosfwd>
#include <memory>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include "module.hpp"

namespace tg::nn {

namespace detail {
// Whether M has a forward(const Tensor&) returning something convertible to Tensor.
template <typename M, typename = void>
struct has_tensor_forward : std::false_type {};
template <typename M>
struct has_tensor_forward<
    M, std::enable_if_t<std::is_convertible_v<
           decltype(std::declval<M&>().forward(std::declval<const Tensor&>())), Tensor>>>
    : std::true_type {};
}  // namespace detail

class AnyModule {
 public:
  AnyModule() = default;
  template <typename M>
  explicit AnyModule(std::shared_ptr<M> module) : module_(module), forward_(make_forward(module)) {
    static_assert(std::is_base_of_v<Module, M>, "AnyModule holds tg::nn::Module subclasses");
  }
  template <typename M>
  explicit AnyModule(const ModuleHolder<M>& holder) : AnyModule(holder.ptr()) {}
  // An impl passed by value (AnyModule(LinearImpl(3, 4))) is moved into a new shared_ptr.
  template <typename M, typename = std::enable_if_t<std::is_base_of_v<Module, std::decay_t<M>> &&
                                                    !detail::is_module_holder_v<M>>>
  explicit AnyModule(M&& module)
      : AnyModule(std::make_shared<std::decay_t<M>>(std::forward<M>(module))) {}

  // Runs the module's forward(Tensor); throws tg::Error if it has none.
  Tensor forward(const Tensor& input) const;
  const std::shared_ptr<Module>& ptr() const { return module_; }
  template <typename T>
  std::shared_ptr<T> ptr() const {
    return std::dynamic_pointer_cast<T>(module_);
  }
  // The module as its concrete type; throws tg::Error on a type mismatch.
  template <typename T>
  T& get() const {
    auto* p = dynamic_cast<T*>(module_.get());
    if (!p)
      throw Error("AnyModule::get: the module is a " + (module_ ? module_->name() : "null") +
                  ", not the requested type");
    return *p;
  }
  bool is_empty() const noexcept { return module_ == nullptr; }

 private:
  template <typename M>
  static std::function<Tensor(const Tensor&)> make_forward(const std::shared_ptr<M>& m) {
    if constexpr (detail::has_tensor_forward<M>::value) {
      M* raw = m.get();  // kept alive by module_, which is copied along with forward_
      return [raw](const Tensor& x) -> Tensor { return raw->forward(x); };
    } else {
      return {};
    }
  }
  std::shared_ptr<Module> module_;
  std::function<Tensor(const Tensor&)> forward_;
};

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

class SequentialImpl : public Module {
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

  void reset() {}
  void pretty_print(std::ostream& stream) const override;

  // Feeds `input` through every module in order. (A template only so that libtorch's
  // `seq->forward<tg::Tensor>(x)` spelling compiles; the result is always a Tensor.)
  template <typename ReturnType = Tensor>
  ReturnType forward(const Tensor& input) {
    static_assert(std::is_same_v<ReturnType, Tensor>,
                  "tg::nn::Sequential::forward only returns tg::Tensor");
    return run(input);
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
  std::shared_ptr<Module> operator[](size_t index) const { return ptr(index); }

  size_t size() const noexcept { return modules_.size(); }
  bool is_empty() const noexcept { return modules_.empty(); }
  Iterator begin() { return modules_.begin(); }
  ConstIterator begin() const { return modules_.begin(); }
  Iterator end() { return modules_.end(); }
  ConstIterator end() const { return modules_.end(); }

 private:
  Tensor run(const Tensor& input);
  const AnyModule& at_index(size_t index) const;
  std::vector<AnyModule> modules_;
};

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
