// Padding layers and F::pad with libtorch's options: ReflectionPad1d/2d/3d,
// ReplicationPad1d/2d/3d, ZeroPad2d, ConstantPad1d/2d/3d. Padding lists (left, right) pairs
// from the last dim backwards; one value pads every side. Kernels: autograd/ops_pad.cpp.
//
//   tg::nn::ReflectionPad2d pad(tg::nn::ReflectionPad2dOptions({1, 1, 2, 0}));
//   auto y = F::pad(x, F::PadFuncOptions({1, 2}).mode(tg::kCircular));
#pragma once

#include <iosfwd>
#include <vector>

#include "cloneable.hpp"
#include "enum.hpp"
#include "expanding_array.hpp"
#include "module.hpp"

namespace tg::nn {

template <size_t D>
struct ReflectionPadOptions {
  ReflectionPadOptions(ExpandingArray<D * 2> padding) : padding_(padding) {}  // NOLINT
  TG_ARG(ExpandingArray<D * 2>, padding);
};
using ReflectionPad1dOptions = ReflectionPadOptions<1>;
using ReflectionPad2dOptions = ReflectionPadOptions<2>;
using ReflectionPad3dOptions = ReflectionPadOptions<3>;

template <size_t D>
struct ReplicationPadOptions {
  ReplicationPadOptions(ExpandingArray<D * 2> padding) : padding_(padding) {}  // NOLINT
  TG_ARG(ExpandingArray<D * 2>, padding);
};
using ReplicationPad1dOptions = ReplicationPadOptions<1>;
using ReplicationPad2dOptions = ReplicationPadOptions<2>;
using ReplicationPad3dOptions = ReplicationPadOptions<3>;

struct ZeroPad2dOptions {
  ZeroPad2dOptions(ExpandingArray<4> padding) : padding_(padding) {}  // NOLINT
  TG_ARG(ExpandingArray<4>, padding);
};

template <size_t D>
struct ConstantPadOptions {
  ConstantPadOptions(ExpandingArray<D * 2> padding, double value)
      : padding_(padding), value_(value) {}
  TG_ARG(ExpandingArray<D * 2>, padding);
  TG_ARG(double, value);
};
using ConstantPad1dOptions = ConstantPadOptions<1>;
using ConstantPad2dOptions = ConstantPadOptions<2>;
using ConstantPad3dOptions = ConstantPadOptions<3>;

namespace functional {
struct PadFuncOptions {
  using mode_t = enumtype::variant<enumtype::kConstant, enumtype::kReflect, enumtype::kReplicate,
                                   enumtype::kCircular>;
  PadFuncOptions(std::vector<int64_t> pad);  // NOLINT: implicit, as libtorch
  TG_ARG(std::vector<int64_t>, pad);
  TG_ARG(mode_t, mode) = tg::kConstant;
  TG_ARG(double, value) = 0;
};
Tensor pad(const Tensor& input, const PadFuncOptions& options);
}  // namespace functional

// One class per padding family; the layers are its instances (printing names D).
template <size_t D>
class ReflectionPadNdImpl : public Module {
 public:
  explicit ReflectionPadNdImpl(const ReflectionPadOptions<D>& options_) : options(options_) {}
  void reset() {}
  void pretty_print(std::ostream& stream) const override;
  Tensor forward(const Tensor& input);
  ReflectionPadOptions<D> options;
};
template <size_t D>
class ReplicationPadNdImpl : public Module {
 public:
  explicit ReplicationPadNdImpl(const ReplicationPadOptions<D>& options_) : options(options_) {}
  void reset() {}
  void pretty_print(std::ostream& stream) const override;
  Tensor forward(const Tensor& input);
  ReplicationPadOptions<D> options;
};
template <size_t D>
class ConstantPadNdImpl : public Module {
 public:
  explicit ConstantPadNdImpl(const ConstantPadOptions<D>& options_) : options(options_) {}
  void reset() {}
  void pretty_print(std::ostream& stream) const override;
  Tensor forward(const Tensor& input);
  ConstantPadOptions<D> options;
};
class ZeroPad2dImpl : public Cloneable<ZeroPad2dImpl> {
 public:
  ZeroPad2dImpl(ExpandingArray<4> padding);
  explicit ZeroPad2dImpl(const ZeroPad2dOptions& options_) : options(options_) {}
  void reset() override {}
  void pretty_print(std::ostream& stream) const override;
  Tensor forward(const Tensor& input);
  ZeroPad2dOptions options;
};
TG_MODULE(ZeroPad2d);
extern template class detail::CloneableAs<ZeroPad2dImpl, Module>;

// Compiled once, in padding.cpp.
extern template class ReflectionPadNdImpl<1>;
extern template class ReflectionPadNdImpl<2>;
extern template class ReflectionPadNdImpl<3>;
extern template class ReplicationPadNdImpl<1>;
extern template class ReplicationPadNdImpl<2>;
extern template class ReplicationPadNdImpl<3>;
extern template class ConstantPadNdImpl<1>;
extern template class ConstantPadNdImpl<2>;
extern template class ConstantPadNdImpl<3>;

class ReflectionPad1dImpl
    : public detail::CloneableAs<ReflectionPad1dImpl, ReflectionPadNdImpl<1>> {
 public:
  ReflectionPad1dImpl(ExpandingArray<2> padding);
  explicit ReflectionPad1dImpl(const ReflectionPad1dOptions& options_) : CloneableAs(options_) {}
};
TG_MODULE(ReflectionPad1d);
extern template class detail::CloneableAs<ReflectionPad1dImpl, ReflectionPadNdImpl<1>>;
class ReflectionPad2dImpl
    : public detail::CloneableAs<ReflectionPad2dImpl, ReflectionPadNdImpl<2>> {
 public:
  ReflectionPad2dImpl(ExpandingArray<4> padding);
  explicit ReflectionPad2dImpl(const ReflectionPad2dOptions& options_) : CloneableAs(options_) {}
};
TG_MODULE(ReflectionPad2d);
extern template class detail::CloneableAs<ReflectionPad2dImpl, ReflectionPadNdImpl<2>>;
class ReflectionPad3dImpl
    : public detail::CloneableAs<ReflectionPad3dImpl, ReflectionPadNdImpl<3>> {
 public:
  ReflectionPad3dImpl(ExpandingArray<6> padding);
  explicit ReflectionPad3dImpl(const ReflectionPad3dOptions& options_) : CloneableAs(options_) {}
};
TG_MODULE(ReflectionPad3d);
extern template class detail::CloneableAs<ReflectionPad3dImpl, ReflectionPadNdImpl<3>>;
class ReplicationPad1dImpl
    : public detail::CloneableAs<ReplicationPad1dImpl, ReplicationPadNdImpl<1>> {
 public:
  ReplicationPad1dImpl(ExpandingArray<2> padding);
  explicit ReplicationPad1dImpl(const ReplicationPad1dOptions& options_) : CloneableAs(options_) {}
};
TG_MODULE(ReplicationPad1d);
extern template class detail::CloneableAs<ReplicationPad1dImpl, ReplicationPadNdImpl<1>>;
class ReplicationPad2dImpl
    : public detail::CloneableAs<ReplicationPad2dImpl, ReplicationPadNdImpl<2>> {
 public:
  ReplicationPad2dImpl(ExpandingArray<4> padding);
  explicit ReplicationPad2dImpl(const ReplicationPad2dOptions& options_) : CloneableAs(options_) {}
};
TG_MODULE(ReplicationPad2d);
extern template class detail::CloneableAs<ReplicationPad2dImpl, ReplicationPadNdImpl<2>>;
class ReplicationPad3dImpl
    : public detail::CloneableAs<ReplicationPad3dImpl, ReplicationPadNdImpl<3>> {
 public:
  ReplicationPad3dImpl(ExpandingArray<6> padding);
  explicit ReplicationPad3dImpl(const ReplicationPad3dOptions& options_) : CloneableAs(options_) {}
};
TG_MODULE(ReplicationPad3d);
extern template class detail::CloneableAs<ReplicationPad3dImpl, ReplicationPadNdImpl<3>>;
class ConstantPad1dImpl : public detail::CloneableAs<ConstantPad1dImpl, ConstantPadNdImpl<1>> {
 public:
  explicit ConstantPad1dImpl(const ConstantPad1dOptions& options_) : CloneableAs(options_) {}
};
TG_MODULE(ConstantPad1d);
extern template class detail::CloneableAs<ConstantPad1dImpl, ConstantPadNdImpl<1>>;
class ConstantPad2dImpl : public detail::CloneableAs<ConstantPad2dImpl, ConstantPadNdImpl<2>> {
 public:
  explicit ConstantPad2dImpl(const ConstantPad2dOptions& options_) : CloneableAs(options_) {}
};
TG_MODULE(ConstantPad2d);
extern template class detail::CloneableAs<ConstantPad2dImpl, ConstantPadNdImpl<2>>;
class ConstantPad3dImpl : public detail::CloneableAs<ConstantPad3dImpl, ConstantPadNdImpl<3>> {
 public:
  explicit ConstantPad3dImpl(const ConstantPad3dOptions& options_) : CloneableAs(options_) {}
};
TG_MODULE(ConstantPad3d);
extern template class detail::CloneableAs<ConstantPad3dImpl, ConstantPadNdImpl<3>>;

}  // namespace tg::nn
