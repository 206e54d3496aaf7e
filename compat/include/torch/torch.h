// tapegrad's drop-in for libtorch's <torch/torch.h> (pkg-config module tapegrad-torch).
// An unchanged libtorch program that uses the C++ frontend compiles against tapegrad: the
// namespaces libtorch spreads its names over all name tapegrad's one namespace, tg::
//   torch::  the frontend (torch::Tensor, torch::nn::Linear, torch::optim::Adam, ...)
//   at::     ATen (at::Tensor is torch::Tensor, at::kFloat, at::zeros, ...)
//   c10::    the core utilities (c10::str, c10::irange, c10::Device, c10::optional, ...)
// Every other libtorch header of this folder includes this one. What tapegrad lacks does not
// compile (TorchScript, <torch/script.h>, says so with #error); CUDA devices can be named but
// using one throws tg::Error, as a libtorch built without CUDA does.
#pragma once

#include <tapegrad.hpp>

#include <functional>
#include <unordered_map>

namespace torch = tg;
namespace at = tg;
namespace c10 = tg;

// ska::flat_hash_map (c10/util/flat_hash_map.h), the map type of libtorch's Optimizer::state():
// tapegrad's state() is a std::unordered_map, which this names.
namespace ska {
template <typename K, typename V, typename H = std::hash<K>, typename E = std::equal_to<K>,
          typename A = std::allocator<std::pair<const K, V>>>
using flat_hash_map = std::unordered_map<K, V, H, E, A>;
}  // namespace ska
