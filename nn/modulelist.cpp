#include "modulelist.hpp"

#include <ostream>

namespace tg::nn {

void ModuleListImpl::push_back(std::shared_ptr<Module> module) {
  if (!module) throw Error("ModuleList::push_back: module is null");
  register_module(std::to_string(modules_.size()), module);
  modules_.push_back(std::move(module));
}

const std::shared_ptr<Module>& ModuleListImpl::ptr(size_t index) const {
  if (index >= modules_.size())
    throw Error("ModuleList: index " + std::to_string(index) + " is out of range (size " +
                std::to_string(modules_.size()) + ")");
  return modules_[index];
}

void ModuleListImpl::pretty_print(std::ostream& stream) const { stream << "torch::nn::ModuleList"; }

}  // namespace tg::nn
