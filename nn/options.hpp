// Option structs of the nn layers and losses, with libtorch's names, defaults and setters.
//
// Every option is declared with TG_ARG (libtorch's TORCH_ARG), which gives a chained setter and
// a getter of the same name:
//   auto o = tg::nn::CrossEntropyLossOptions().ignore_index(3).label_smoothing(0.1);
//   o.ignore_index();  // 3
// The `...FuncOptions` of tg::nn::functional are aliases of the module options, as in libtorch.
#pragma once

#include <cstdint>
#include <optional>
#include <utility>
#include <variant>

#include "../autograd/tensor.hpp"
#include "enum.hpp"

// Lets `F::mse_loss(x, y, tg::kSum)` convert the tag into the options (see torch/enum.h).
#define TG_OPTIONS_CTOR_VARIANT_ARG3(OPTIONS_NAME, ARG_NAME, TYPE1, TYPE2, TYPE3) \
  OPTIONS_NAME() {}                                                               \
  OPTIONS_NAME(tg::enumtype::TYPE1) : ARG_NAME##_(tg::TYPE1) {}                   \
  OPTIONS_NAME(tg::enumtype::TYPE2) : ARG_NAME##_(tg::TYPE2) {}                   \
  OPTIONS_NAME(tg::enumtype::TYPE3) : ARG_NAME##_(tg::TYPE3) {}

namespace tg::nn {

// ---- layers ------------------------------------------------------------------------------
struct LinearOptions {
  LinearOptions(int64_t in_features, int64_t out_features)
      : in_features_(in_features), out_features_(out_features) {}
  TG_ARG(int64_t, in_features);
  TG_ARG(int64_t, out_features);
  TG_ARG(bool, bias) = true;
};

// ---- activations -------------------------------------------------------------------------
struct ReLUOptions {
  /* implicit */ ReLUOptions(bool inplace = false) : inplace_(inplace) {}  // NOLINT
  TG_ARG(bool, inplace);
};

struct SoftmaxOptions {
  /* implicit */ SoftmaxOptions(int64_t dim) : dim_(dim) {}  // NOLINT
  TG_ARG(int64_t, dim);
};

struct LogSoftmaxOptions {
  /* implicit */ LogSoftmaxOptions(int64_t dim) : dim_(dim) {}  // NOLINT
  TG_ARG(int64_t, dim);
};

namespace functional {
using ReLUFuncOptions = ReLUOptions;

struct SoftmaxFuncOptions {
  /* implicit */ SoftmaxFuncOptions(int64_t dim) : dim_(dim) {}  // NOLINT
  TG_ARG(int64_t, dim);
  TG_ARG(std::optional<ScalarType>, dtype) = std::nullopt;
};

struct LogSoftmaxFuncOptions {
  /* implicit */ LogSoftmaxFuncOptions(int64_t dim) : dim_(dim) {}  // NOLINT
  TG_ARG(int64_t, dim);
  TG_ARG(std::optional<ScalarType>, dtype) = std::nullopt;
};
}  // namespace functional

// ---- losses ------------------------------------------------------------------------------
// All default to kMean, as in libtorch. `weight`/`pos_weight` are undefined unless set.
struct MSELossOptions {
  typedef std::variant<enumtype::kNone, enumtype::kMean, enumtype::kSum> reduction_t;
  TG_OPTIONS_CTOR_VARIANT_ARG3(MSELossOptions, reduction, kNone, kMean, kSum)
  TG_ARG(reduction_t, reduction) = tg::kMean;
};

struct BCELossOptions {
  typedef std::variant<enumtype::kNone, enumtype::kMean, enumtype::kSum> reduction_t;
  // Rescales each element's loss; broadcast against the input.
  TG_ARG(Tensor, weight) = {};
  TG_ARG(reduction_t, reduction) = tg::kMean;
};

struct BCEWithLogitsLossOptions {
  typedef std::variant<enumtype::kNone, enumtype::kMean, enumtype::kSum> reduction_t;
  TG_ARG(Tensor, weight) = {};
  TG_ARG(reduction_t, reduction) = tg::kMean;
  // Weight of the positive term (one per class, broadcast over the last dimension).
  TG_ARG(Tensor, pos_weight) = {};
};

struct NLLLossOptions {
  typedef std::variant<enumtype::kNone, enumtype::kMean, enumtype::kSum> reduction_t;
  // One weight per class (1-D, C elements).
  TG_ARG(Tensor, weight) = {};
  // Targets equal to this contribute nothing, not even to the mean's denominator.
  TG_ARG(int64_t, ignore_index) = -100;
  TG_ARG(reduction_t, reduction) = tg::kMean;
};

struct CrossEntropyLossOptions {
  typedef std::variant<enumtype::kNone, enumtype::kMean, enumtype::kSum> reduction_t;
  TG_ARG(Tensor, weight) = {};
  TG_ARG(int64_t, ignore_index) = -100;
  TG_ARG(reduction_t, reduction) = tg::kMean;
  // In [0, 1]: the target is mixed with the uniform distribution over classes by this amount.
  TG_ARG(double, label_smoothing) = 0.0;
};

namespace functional {
using MSELossFuncOptions = MSELossOptions;
using BinaryCrossEntropyFuncOptions = BCELossOptions;
using BinaryCrossEntropyWithLogitsFuncOptions = BCEWithLogitsLossOptions;
using NLLLossFuncOptions = NLLLossOptions;
using CrossEntropyFuncOptions = CrossEntropyLossOptions;
}  // namespace functional

}  // namespace tg::nn
