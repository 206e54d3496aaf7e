// GroupNorm, LocalResponseNorm and CrossMapLRN2d with libtorch's options, and their functional
// forms F::group_norm, F::local_response_norm, plus F::normalize (x / max(||x||_p, eps) along a
// dim).
//
//   tg::nn::GroupNorm gn(tg::nn::GroupNormOptions(/*num_groups=*/4, /*num_channels=*/16));
//   tg::nn::LocalResponseNorm lrn(tg::nn::LocalResponseNormOptions(5).alpha(1e-3));
//   auto u = F::normalize(x, F::NormalizeFuncOptions().p(1).dim(-1));
// LocalResponseNorm: y = x / (k + alpha/size * sum of x^2 over `size` neighbouring channels)^beta
// (the window zero-padded by size/2 before and (size-1)/2 after). CrossMapLRN2d is libtorch's
// legacy (Lua torch) variant on 4-D inputs, with its own channel window.
#pragma once

#include <iosfwd>
#include <optional>

#include "cloneable.hpp"
#include "module.hpp"

namespace tg::nn {

struct GroupNormOptions {
  GroupNormOptions(int64_t num_groups, int64_t num_channels)
      : num_groups_(num_groups), num_channels_(num_channels) {}
  TG_ARG(int64_t, num_groups);
  TG_ARG(int64_t, num_channels);
  TG_ARG(double, eps) = 1e-5;
  TG_ARG(bool, affine) = true;
};

struct LocalResponseNormOptions {
  /* implicit */ LocalResponseNormOptions(int64_t size) : size_(size) {}  // NOLINT
  TG_ARG(int64_t, size);
  TG_ARG(double, alpha) = 1e-4;
  TG_ARG(double, beta) = 0.75;
  TG_ARG(double, k) = 1.;
};

struct CrossMapLRN2dOptions {
  /* implicit */ CrossMapLRN2dOptions(int64_t size) : size_(size) {}  // NOLINT
  TG_ARG(int64_t, size);
  TG_ARG(double, alpha) = 1e-4;
  TG_ARG(double, beta) = 0.75;
  TG_ARG(int64_t, k) = 1;
};

namespace functional {
struct GroupNormFuncOptions {
  /* implicit */ GroupNormFuncOptions(int64_t num_groups) : num_groups_(num_groups) {}  // NOLINT
  TG_ARG(int64_t, num_groups);
  TG_ARG(Tensor, weight) = {};
  TG_ARG(Tensor, bias) = {};
  TG_ARG(double, eps) = 1e-5;
};
using LocalResponseNormFuncOptions = LocalResponseNormOptions;
struct NormalizeFuncOptions {
  TG_ARG(double, p) = 2.0;
  TG_ARG(int64_t, dim) = 1;
  TG_ARG(double, eps) = 1e-12;
  TG_ARG(std::optional<Tensor>, out) = std::nullopt;  // written with the result when given
};

Tensor group_norm(const Tensor& input, const GroupNormFuncOptions& options);
// input of 3 or more dims (N, C, ...); integer inputs give a float result, as libtorch.
Tensor local_response_norm(const Tensor& input, const LocalResponseNormFuncOptions& options);
Tensor normalize(const Tensor& input, NormalizeFuncOptions options = {});
}  // namespace functional

class GroupNormImpl : public Cloneable<GroupNormImpl> {
 public:
  GroupNormImpl(int64_t num_groups, int64_t num_channels);
  explicit GroupNormImpl(const GroupNormOptions& options_);
  void reset() override;
  void reset_parameters();  // weight = 1, bias = 0
  void pretty_print(std::ostream& stream) const override;
  Tensor forward(const Tensor& input);

  GroupNormOptions options;
  Tensor weight, bias;  // (num_channels); undefined unless affine
};
TG_MODULE(GroupNorm);
extern template class detail::CloneableAs<GroupNormImpl, Module>;

class LocalResponseNormImpl : public Cloneable<LocalResponseNormImpl> {
 public:
  explicit LocalResponseNormImpl(const LocalResponseNormOptions& options_);
  void reset() override {}
  void pretty_print(std::ostream& stream) const override;
  Tensor forward(const Tensor& input);

  LocalResponseNormOptions options;
};
TG_MODULE(LocalResponseNorm);
extern template class detail::CloneableAs<LocalResponseNormImpl, Module>;

class CrossMapLRN2dImpl : public Cloneable<CrossMapLRN2dImpl> {
 public:
  explicit CrossMapLRN2dImpl(const CrossMapLRN2dOptions& options_);
  void reset() override {}
  void pretty_print(std::ostream& stream) const override;
  // input (N, C, H, W).
  Tensor forward(const Tensor& input);

  CrossMapLRN2dOptions options;
};
TG_MODULE(CrossMapLRN2d);
extern template class detail::CloneableAs<CrossMapLRN2dImpl, Module>;

}  // namespace tg::nn
