#include "padding.hpp"

#include <ostream>
#include <string>

#include "../autograd/functions.hpp"
#include "layer_error.hpp"

namespace tg::nn {

namespace functional {
PadFuncOptions::PadFuncOptions(std::vector<int64_t> pad) : pad_(std::move(pad)) {}

Tensor pad(const Tensor& input, const PadFuncOptions& options) {
  const auto& m = options.mode();
  const char* mode = holds_alternative<enumtype::kConstant>(m)    ? "constant"
                     : holds_alternative<enumtype::kReflect>(m)   ? "reflect"
                     : holds_alternative<enumtype::kReplicate>(m) ? "replicate"
                                                                  : "circular";
  // As libtorch: a zero value is "no value" (which the non-constant modes require).
  std::optional<double> value;
  if (options.value() != 0.0) value = options.value();
  return tg::pad(input, options.pad(), mode, value);
}
}  // namespace functional

namespace F = functional;
using detail::named_errors;

template <size_t D>
void ReflectionPadNdImpl<D>::pretty_print(std::ostream& stream) const {
  stream << "torch::nn::ReflectionPad" << D << "d(padding=" << options.padding() << ")";
}
template <size_t D>
Tensor ReflectionPadNdImpl<D>::forward(const Tensor& input) {
  return named_errors("ReflectionPad" + std::to_string(D) + "d", [&] {
    return F::pad(input, F::PadFuncOptions(IntArrayRef(options.padding()).vec()).mode(kReflect));
  });
}
template <size_t D>
void ReplicationPadNdImpl<D>::pretty_print(std::ostream& stream) const {
  stream << "torch::nn::ReplicationPad" << D << "d(padding=" << options.padding() << ")";
}
template <size_t D>
Tensor ReplicationPadNdImpl<D>::forward(const Tensor& input) {
  return named_errors("ReplicationPad" + std::to_string(D) + "d", [&] {
    return F::pad(input, F::PadFuncOptions(IntArrayRef(options.padding()).vec()).mode(kReplicate));
  });
}
template <size_t D>
void ConstantPadNdImpl<D>::pretty_print(std::ostream& stream) const {
  stream << "torch::nn::ConstantPad" << D << "d(padding=" << options.padding()
         << ", value=" << options.value() << ")";
}
template <size_t D>
Tensor ConstantPadNdImpl<D>::forward(const Tensor& input) {
  return named_errors("ConstantPad" + std::to_string(D) + "d", [&] {
    return tg::constant_pad_nd(input, options.padding(), options.value());
  });
}
void ZeroPad2dImpl::pretty_print(std::ostream& stream) const {
  stream << "torch::nn::ZeroPad2d(padding=" << options.padding() << ")";
}
Tensor ZeroPad2dImpl::forward(const Tensor& input) {
  return named_errors("ZeroPad2d", [&] { return tg::constant_pad_nd(input, options.padding()); });
}

template class ReflectionPadNdImpl<1>;
template class ReflectionPadNdImpl<2>;
template class ReflectionPadNdImpl<3>;
template class ReplicationPadNdImpl<1>;
template class ReplicationPadNdImpl<2>;
template class ReplicationPadNdImpl<3>;
template class ConstantPadNdImpl<1>;
template class ConstantPadNdImpl<2>;
template class ConstantPadNdImpl<3>;

// Convenience constructors, out of line: see the note at TG_MODULE in module.hpp.
ZeroPad2dImpl::ZeroPad2dImpl(ExpandingArray<4> padding)
    : ZeroPad2dImpl(ZeroPad2dOptions(padding)) {}
ReflectionPad1dImpl::ReflectionPad1dImpl(ExpandingArray<2> p)
    : ReflectionPad1dImpl(ReflectionPad1dOptions(p)) {}
ReflectionPad2dImpl::ReflectionPad2dImpl(ExpandingArray<4> p)
    : ReflectionPad2dImpl(ReflectionPad2dOptions(p)) {}
ReflectionPad3dImpl::ReflectionPad3dImpl(ExpandingArray<6> p)
    : ReflectionPad3dImpl(ReflectionPad3dOptions(p)) {}
ReplicationPad1dImpl::ReplicationPad1dImpl(ExpandingArray<2> p)
    : ReplicationPad1dImpl(ReplicationPad1dOptions(p)) {}
ReplicationPad2dImpl::ReplicationPad2dImpl(ExpandingArray<4> p)
    : ReplicationPad2dImpl(ReplicationPad2dOptions(p)) {}
ReplicationPad3dImpl::ReplicationPad3dImpl(ExpandingArray<6> p)
    : ReplicationPad3dImpl(ReplicationPad3dOptions(p)) {}

// Each layer's clone() is compiled here, once, rather than in every program that includes its
// header (the extern templates there; nn/cloneable.hpp).
template class detail::CloneableAs<ConstantPad1dImpl, ConstantPadNdImpl<1>>;
template class detail::CloneableAs<ConstantPad2dImpl, ConstantPadNdImpl<2>>;
template class detail::CloneableAs<ConstantPad3dImpl, ConstantPadNdImpl<3>>;
template class detail::CloneableAs<ReflectionPad1dImpl, ReflectionPadNdImpl<1>>;
template class detail::CloneableAs<ReflectionPad2dImpl, ReflectionPadNdImpl<2>>;
template class detail::CloneableAs<ReflectionPad3dImpl, ReflectionPadNdImpl<3>>;
template class detail::CloneableAs<ReplicationPad1dImpl, ReplicationPadNdImpl<1>>;
template class detail::CloneableAs<ReplicationPad2dImpl, ReplicationPadNdImpl<2>>;
template class detail::CloneableAs<ReplicationPad3dImpl, ReplicationPadNdImpl<3>>;
template class detail::CloneableAs<ZeroPad2dImpl, Module>;
}  // namespace tg::nn
