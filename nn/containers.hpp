// ModuleDict, ParameterDict and ParameterList: libtorch's torch::nn containers keyed by name
// or position.
//
//   tg::nn::ModuleDict dict({{"fc", tg::nn::Linear(3, 4).ptr()}});   // submodules by name
//   dict["fc"]; dict->at<tg::nn::LinearImpl>("fc"); dict->pop("fc");
//   tg::nn::ParameterDict params(ordered_dict);   // parameters by name: insert/get/pop/update
//   tg::nn::ParameterList list(a, b, c);          // parameters "0", "1", ...: append/extend/at
// Each registers what it holds, so parameters() and named_modules() of an owner see them.
#pragma once

#include <iosfwd>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "cloneable.hpp"
#include "module.hpp"

namespace tg::nn {

class ModuleDictImpl : public Cloneable<ModuleDictImpl> {
 public:
  using Iterator = OrderedDict<std::string, std::shared_ptr<Module>>::Iterator;
  using ConstIterator = OrderedDict<std::string, std::shared_ptr<Module>>::ConstIterator;

  ModuleDictImpl() = default;
  explicit ModuleDictImpl(
      const std::vector<std::pair<std::string, std::shared_ptr<Module>>>& modules) {
    update(modules);
  }
  explicit ModuleDictImpl(const OrderedDict<std::string, std::shared_ptr<Module>>& modules) {
    update(modules);
  }

  std::vector<std::pair<std::string, std::shared_ptr<Module>>> items() const {
    return modules_.pairs();
  }
  std::vector<std::string> keys() const { return modules_.keys(); }
  std::vector<std::shared_ptr<Module>> values() const { return modules_.values(); }
  Iterator begin() { return modules_.begin(); }
  ConstIterator begin() const { return modules_.begin(); }
  Iterator end() { return modules_.end(); }
  ConstIterator end() const { return modules_.end(); }
  size_t size() const noexcept { return modules_.size(); }
  bool empty() const noexcept { return modules_.is_empty(); }
  bool contains(const std::string& key) const noexcept { return modules_.contains(key); }
  // Forgets the modules (they stay registered as submodules, as in libtorch).
  void clear() { modules_.clear(); }

  std::shared_ptr<Module> clone(const optional<Device>& device = nullopt) const override;
  void reset() override {}
  void pretty_print(std::ostream& stream) const override;

  // Throws tg::Error "... 'key' is not defined" for an unknown key.
  std::shared_ptr<Module> operator[](const std::string& key) const { return modules_[key]; }
  template <typename T>
  T& at(const std::string& key) {
    return *modules_[key]->as<T>();
  }
  template <typename T>
  const T& at(const std::string& key) const {
    return *modules_[key]->as<T>();
  }
  // Removes the module from the dict (it stays a registered submodule, as in libtorch).
  std::shared_ptr<Module> pop(const std::string& key);
  // Inserts or replaces each (key, module).
  void update(const std::vector<std::pair<std::string, std::shared_ptr<Module>>>& modules) {
    for (const auto& item : modules) insert(item.first, item.second);
  }
  template <typename Container>
  void update(const Container& container) {
    for (const auto& item : container) insert(item.key(), item.value());
  }

 private:
  void insert(const std::string& key, std::shared_ptr<Module> module);
  OrderedDict<std::string, std::shared_ptr<Module>> modules_;
};
TG_MODULE(ModuleDict);
extern template class detail::CloneableAs<ModuleDictImpl, Module>;

class ParameterDictImpl : public Cloneable<ParameterDictImpl> {
 public:
  using Iterator = OrderedDict<std::string, Tensor>::Iterator;
  using ConstIterator = OrderedDict<std::string, Tensor>::ConstIterator;

  ParameterDictImpl() = default;
  explicit ParameterDictImpl(const OrderedDict<std::string, Tensor>& params) {
    parameters_ = params;
  }

  void reset() override {}
  void pretty_print(std::ostream& stream) const override;

  // Registers `param` under `key`, keeping its requires_grad.
  Tensor& insert(std::string key, Tensor param) {
    const bool requires_grad = param.requires_grad();
    return register_parameter(std::move(key), std::move(param), requires_grad);
  }
  Tensor pop(const std::string& key) {
    Tensor v = parameters_[key];
    parameters_.erase(key);
    return v;
  }
  std::vector<std::string> keys() const { return parameters_.keys(); }
  std::vector<Tensor> values() const { return parameters_.values(); }
  Iterator begin() { return parameters_.begin(); }
  ConstIterator begin() const { return parameters_.begin(); }
  Iterator end() { return parameters_.end(); }
  ConstIterator end() const { return parameters_.end(); }
  size_t size() const noexcept { return parameters_.size(); }
  bool empty() const noexcept { return parameters_.is_empty(); }
  // Assigns each item's value to the existing key (throws "Parameter 'k' is not defined").
  template <typename Container>
  void update(const Container& container) {
    for (const auto& item : container) parameters_[item.key()] = item.value();
  }
  void clear() { parameters_.clear(); }
  bool contains(const std::string& key) const noexcept { return parameters_.contains(key); }
  const Tensor& get(const std::string& key) const { return parameters_[key]; }
  Tensor& get(const std::string& key) { return parameters_[key]; }
  Tensor& operator[](const std::string& key) { return parameters_[key]; }
  const Tensor& operator[](const std::string& key) const { return parameters_[key]; }
};
TG_MODULE(ParameterDict);
extern template class detail::CloneableAs<ParameterDictImpl, Module>;

class ParameterListImpl : public Cloneable<ParameterListImpl> {
 public:
  using Iterator = std::vector<OrderedDict<std::string, Tensor>::Item>::iterator;
  using ConstIterator = std::vector<OrderedDict<std::string, Tensor>::Item>::const_iterator;

  ParameterListImpl() = default;
  template <typename... Tensors, typename = std::enable_if_t<(sizeof...(Tensors) > 0)>>
  explicit ParameterListImpl(Tensors&&... params) {
    (append(std::forward<Tensors>(params)), ...);
  }

  void reset() override {}
  void pretty_print(std::ostream& stream) const override;

  // Registers the tensor as parameter "<size()>", keeping its requires_grad.
  void append(const Tensor& param) {
    register_parameter(std::to_string(parameters_.size()), param, param.requires_grad());
  }
  void append(const OrderedDict<std::string, Tensor>::Item& pair) { append(pair.value()); }
  template <typename Container>
  void extend(const Container& container) {
    for (const auto& param : container) append(param);
  }

  Iterator begin() { return parameters_.begin(); }
  ConstIterator begin() const { return parameters_.begin(); }
  Iterator end() { return parameters_.end(); }
  ConstIterator end() const { return parameters_.end(); }
  Tensor& at(size_t idx) {
    TORCH_CHECK(idx < size(), "Index out of range");
    return parameters_[std::to_string(idx)];
  }
  const Tensor& at(size_t idx) const {
    TORCH_CHECK(idx < size(), "Index out of range");
    return parameters_[std::to_string(idx)];
  }
  Tensor& operator[](size_t idx) { return at(idx); }
  const Tensor& operator[](size_t idx) const { return at(idx); }
  size_t size() const noexcept { return parameters_.size(); }
  bool is_empty() const noexcept { return parameters_.is_empty(); }
  template <typename Container>
  Container& operator+=(const Container& other) {
    extend(other);
    return *this;
  }
};
TG_MODULE(ParameterList);
extern template class detail::CloneableAs<ParameterListImpl, Module>;

}  // namespace tg::nn
