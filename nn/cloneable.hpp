// tg::nn::Cloneable<Derived>: libtorch's CRTP base that gives a module clone(), a deep copy.
//
//   struct NetImpl : tg::nn::Cloneable<NetImpl> {
//     NetImpl() { reset(); }
//     void reset() override { fc = register_module("fc", tg::nn::Linear(2, 3)); }
//     tg::nn::Linear fc{nullptr};
//   };
//   auto copy = std::dynamic_pointer_cast<NetImpl>(net->clone());
//
// clone() copy-constructs the module, clears what it registered, calls reset() to register
// fresh parameters, buffers and children, then gives them copies of the original's values (so
// member handles like `fc` refer to the copy's own tensors) and clones every child into place.
#pragma once

#include <memory>

#include "../autograd/functions.hpp"
#include "module.hpp"

namespace tg::nn {
namespace detail {
// Makes `dst` hold `src`'s data (storage, shape, dtype) in place: every handle on `dst` sees it,
// as libtorch's Tensor::set_data.
void set_data(const Tensor& dst, const Tensor& src);
// A clone's copy of a parameter or buffer: libtorch's tensor.to(device) when a different device
// is asked for (tapegrad's to() throws for anything but the CPU), else tensor.clone().
Tensor copy_to(const Tensor& tensor, const optional<Device>& device);

// clone() for `Derived`, a module deriving from `Base` (Module, or a layer family's shared base
// such as ConvNdImpl<2>): libtorch's Cloneable::clone, with Derived::reset() called statically.
// The built-in layers derive from Cloneable<XImpl>, or from CloneableAs<XImpl, FamilyBase>
// when they share a base, so every one of them clones as in libtorch.
template <typename Derived, typename Base>
class CloneableAs : public Base {
 public:
  using Base::Base;

  std::shared_ptr<Module> clone(const optional<Device>& device = nullopt) const override;

 private:
  void clone_(Module& other, const optional<Device>& device) final;
};

// Defined out of the class, so that the built-in layers' `extern template` declarations keep
// every program from compiling them again: each layer's .cpp instantiates its own clone() once.
// (A program's own Cloneable modules instantiate these here, as usual.)
template <typename Derived, typename Base>
std::shared_ptr<Module> CloneableAs<Derived, Base>::clone(const optional<Device>& device) const {
  NoGradGuard no_grad;
  const auto& self = static_cast<const Derived&>(*this);
  auto copy = std::make_shared<Derived>(self);
  copy->parameters_.clear();
  copy->buffers_.clear();
  copy->children_.clear();
  copy->reset();  // draws fresh values from the generator, as libtorch's clone does
  TORCH_CHECK(copy->parameters_.size() == this->parameters_.size(),
              "The cloned module does not have the same number of "
              "parameters as the original module after calling reset(). "
              "Are you sure you called register_parameter() inside reset() "
              "and not the constructor?");
  for (const auto& parameter : this->parameters_) {
    if (!parameter.value().defined()) continue;
    detail::set_data(copy->parameters_[parameter.key()], copy_to(parameter.value(), device));
  }
  TORCH_CHECK(copy->buffers_.size() == this->buffers_.size(),
              "The cloned module does not have the same number of "
              "buffers as the original module after calling reset(). "
              "Are you sure you called register_buffer() inside reset() "
              "and not the constructor?");
  for (const auto& buffer : this->buffers_) {
    if (!buffer.value().defined()) continue;
    detail::set_data(copy->buffers_[buffer.key()], copy_to(buffer.value(), device));
  }
  TORCH_CHECK(copy->children_.size() == this->children_.size(),
              "The cloned module does not have the same number of "
              "child modules as the original module after calling reset(). "
              "Are you sure you called register_module() inside reset() "
              "and not the constructor?");
  for (const auto& child : this->children_)
    copy->children_[child.key()]->clone_(*child.value(), device);
  return copy;
}

template <typename Derived, typename Base>
void CloneableAs<Derived, Base>::clone_(Module& other, const optional<Device>& device) {
  auto clone = std::dynamic_pointer_cast<Derived>(other.clone(device));
  TORCH_CHECK(clone != nullptr,
              "Attempted to clone submodule, but it is of a "
              "different type than the submodule it was to be cloned into");
  static_cast<Derived&>(*this) = std::move(*clone);
}
}  // namespace detail

template <typename Derived>
class Cloneable : public detail::CloneableAs<Derived, Module> {
 public:
  using detail::CloneableAs<Derived, Module>::CloneableAs;

  // Registers the module's parameters, buffers and children; clone() calls it on the copy.
  virtual void reset() = 0;
};

}  // namespace tg::nn
