// Internal (not installed): runs a layer's computation and prefixes any tg::Error with the
// layer's name, so "max_pool2d: Output size is too small" reads "MaxPool2d: max_pool2d: ...".
#pragma once

#include <string>

#include "../autograd/core.hpp"

namespace tg::nn::detail {
template <class Fn>
auto named_errors(const std::string& layer, Fn&& fn) -> decltype(fn()) {
  try {
    return fn();
  } catch (const Error& e) {
    throw Error(layer + ": " + e.what());
  }
}
}  // namespace tg::nn::detail
