// ModuleDict, ParameterDict, ParameterList: printing and the out-of-line members.
#include "containers.hpp"

#include <ostream>

namespace tg::nn {

namespace {
void print_parameters(std::ostream& stream, const char* title,
                      const OrderedDict<std::string, Tensor>& parameters) {
  stream << title << "(" << std::endl;
  for (const auto& pair : parameters)
    stream << "(" << pair.key() << "): Parameter containing: [" << pair.value().scalar_type()
           << " of size " << pair.value().sizes() << "]" << std::endl;
  stream << ")";
}
}  // namespace

std::shared_ptr<Module> ModuleDictImpl::clone(const optional<Device>& device) const {
  auto copy = std::make_shared<ModuleDictImpl>();
  for (const auto& module : modules_) copy->insert(module.key(), module.value()->clone(device));
  return copy;
}

void ModuleDictImpl::pretty_print(std::ostream& stream) const { stream << "torch::nn::ModuleDict"; }

std::shared_ptr<Module> ModuleDictImpl::pop(const std::string& key) {
  auto module = modules_[key];
  modules_.erase(key);
  return module;
}

void ModuleDictImpl::insert(const std::string& key, std::shared_ptr<Module> module) {
  if (contains(key)) {
    modules_[key] = std::move(module);
    replace_module(key, modules_[key]);
  } else {
    modules_.insert(key, std::move(module));
    register_module(key, modules_.back().value());
  }
}

void ParameterDictImpl::pretty_print(std::ostream& stream) const {
  print_parameters(stream, "torch::nn::ParameterDict", parameters_);
}

void ParameterListImpl::pretty_print(std::ostream& stream) const {
  print_parameters(stream, "torch::nn::ParameterList", parameters_);
}

// Each layer's clone() is compiled here, once, rather than in every program that includes its
// header (the extern templates there; nn/cloneable.hpp).
template class detail::CloneableAs<ModuleDictImpl, Module>;
template class detail::CloneableAs<ParameterDictImpl, Module>;
template class detail::CloneableAs<ParameterListImpl, Module>;
}  // namespace tg::nn
