// ModuleList: an indexable list of submodules registered as "0", "1", ... (libtorch's
// torch::nn::ModuleList). It has no forward: the owner decides how to call its elements.
//
//   tg::nn::ModuleList blocks(tg::nn::Linear(4, 4), tg::nn::ReLU());
//   blocks->push_back(tg::nn::Linear(4, 2));
//   for (const auto& m : *blocks) ...;             // std::shared_ptr<tg::nn::Module>
//   auto fc = blocks->ptr<tg::nn::LinearImpl>(0);  // null if the type differs
//   x = blocks[0]->as<tg::nn::Linear>()->forward(x);
#pragma once

#include <iosfwd>
#include <memory>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include "cloneable.hpp"
#include "module.hpp"

namespace tg::nn {

class ModuleListImpl : public Cloneable<ModuleListImpl> {
 public:
  using Iterator = std::vector<std::shared_ptr<Module>>::iterator;
  using ConstIterator = std::vector<std::shared_ptr<Module>>::const_iterator;

  ModuleListImpl() = default;
  template <typename... Modules, typename = std::enable_if_t<(sizeof...(Modules) > 0)>>
  explicit ModuleListImpl(Modules&&... modules) {
    (push_back(std::forward<Modules>(modules)), ...);
  }

  void reset() override {}
  void pretty_print(std::ostream& stream) const override;
  // A list of clones of the elements (libtorch's ModuleListImpl::clone).
  std::shared_ptr<Module> clone(const optional<Device>& device = nullopt) const override;

  void push_back(std::shared_ptr<Module> module);
  template <typename M>
  void push_back(const ModuleHolder<M>& holder) {
    push_back(std::shared_ptr<Module>(holder.ptr()));
  }
  template <typename M, typename = std::enable_if_t<std::is_base_of_v<Module, std::decay_t<M>> &&
                                                    !detail::is_module_holder_v<M>>>
  void push_back(M&& module) {
    push_back(std::shared_ptr<Module>(std::make_shared<std::decay_t<M>>(std::forward<M>(module))));
  }
  // Inserts before position `index` (index == size() appends); the elements after it move up
  // one name ("1" becomes "2", ...).
  void insert(size_t index, std::shared_ptr<Module> module);
  template <typename M>
  void insert(size_t index, const ModuleHolder<M>& holder) {
    insert(index, std::shared_ptr<Module>(holder.ptr()));
  }
  template <typename M, typename = std::enable_if_t<std::is_base_of_v<Module, std::decay_t<M>> &&
                                                    !detail::is_module_holder_v<M>>>
  void insert(size_t index, M&& module) {
    insert(index,
           std::shared_ptr<Module>(std::make_shared<std::decay_t<M>>(std::forward<M>(module))));
  }
  template <typename Container>
  void extend(const Container& container) {
    for (const auto& m : container) push_back(m);
  }

  // Throws tg::Error when index >= size().
  const std::shared_ptr<Module>& ptr(size_t index) const;
  template <typename T>
  std::shared_ptr<T> ptr(size_t index) const {
    return std::dynamic_pointer_cast<T>(ptr(index));
  }
  // The element as its concrete type; throws tg::Error on a type mismatch.
  template <typename T>
  T& at(size_t index) const {
    auto* p = dynamic_cast<T*>(ptr(index).get());
    if (!p) throw Error("ModuleList::at: element " + std::to_string(index) + " has another type");
    return *p;
  }
  std::shared_ptr<Module> operator[](size_t index) const { return ptr(index); }

  size_t size() const noexcept { return modules_.size(); }
  bool is_empty() const noexcept { return modules_.empty(); }
  Iterator begin() { return modules_.begin(); }
  ConstIterator begin() const { return modules_.begin(); }
  Iterator end() { return modules_.end(); }
  ConstIterator end() const { return modules_.end(); }

 private:
  std::vector<std::shared_ptr<Module>> modules_;
};
TG_MODULE(ModuleList);
extern template class detail::CloneableAs<ModuleListImpl, Module>;

}  // namespace tg::nn
