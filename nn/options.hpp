// Option structs of the nn layers (the losses' are in loss_options.hpp), with libtorch's names,
// defaults and setters.
//
// Every option is declared with TG_ARG (libtorch's TORCH_ARG), which gives a chained setter and
// a getter of the same name:
//   auto o = tg::nn::LinearOptions(3, 4).bias(false);
//   o.bias();  // false
// The `...FuncOptions` of tg::nn::functional are aliases of the module options, as in libtorch.
#pragma once

#include <cstdint>
#include <optional>
#include <utility>

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

}  // namespace tg::nn
