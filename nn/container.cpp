#include "container.hpp"

#include <ostream>

namespace tg::nn {

SequentialImpl::SequentialImpl(std::initializer_list<NamedAnyModule> named_modules) {
  for (const NamedAnyModule& m : named_modules) push_back(m.name(), m.module());
}

void SequentialImpl::push_back(std::string name, AnyModule any_module) {
  if (any_module.is_empty()) throw Error("Sequential::push_back: module '" + name + "' is empty");
  register_module(std::move(name), any_module.ptr());
  modules_.push_back(std::move(any_module));
}

const AnyModule& SequentialImpl::at_index(size_t index) const {
  if (index >= modules_.size())
    throw Error("Sequential: Index out of range (expected to be in range of [0, " +
                std::to_string(modules_.size()) + "), but got " + std::to_string(index) + ")");
  return modules_[index];
}

std::shared_ptr<Module> SequentialImpl::clone(const optional<Device>& device) const {
  auto copy = std::make_shared<SequentialImpl>();
  for (const auto& module : modules_) copy->push_back(module.clone(device));
  return copy;
}

void SequentialImpl::pretty_print(std::ostream& stream) const { stream << "torch::nn::Sequential"; }

Sequential::Sequential() : ModuleHolder() {}
Sequential::Sequential(std::initializer_list<NamedAnyModule> named_modules)
    : ModuleHolder(std::make_shared<SequentialImpl>(named_modules)) {}

// Each layer's clone() is compiled here, once, rather than in every program that includes its
// header (the extern templates there; nn/cloneable.hpp).
template class detail::CloneableAs<SequentialImpl, Module>;
}  // namespace tg::nn
