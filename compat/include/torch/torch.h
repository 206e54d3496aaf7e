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

// libtorch's headers bring these in; programs rely on it (std::isnan, std::sqrt, ...).
#include <cmath>
#include <functional>
#include <unordered_map>

// Real namespaces, each naming tapegrad's with a using-directive, rather than aliases
// (`namespace torch = tg;`): programs and tests reopen them (`namespace torch { ... }`) to add
// their own helpers, which an alias does not allow. torch::X still finds tg::X (qualified lookup
// follows the using-directive). The nested ones (torch::nn, ...) are deliberately not declared:
// `using namespace torch;` then `nn::Linear` would find two namespaces named nn, torch::nn and
// tg::nn, and be ambiguous. A program that reopens `namespace torch { namespace nn {` gets a
// torch::nn of its own, as it would in libtorch; only its own names are reachable through it.
namespace torch {
using namespace ::tg;
}  // namespace torch
namespace at {
using namespace ::tg;
}
namespace c10 {
using namespace ::tg;
}

// ska::flat_hash_map (c10/util/flat_hash_map.h), the map type of libtorch's Optimizer::state():
// tapegrad's state() is a std::unordered_map, which this names.
namespace ska {
template <typename K, typename V, typename H = std::hash<K>, typename E = std::equal_to<K>,
          typename A = std::allocator<std::pair<const K, V>>>
using flat_hash_map = std::unordered_map<K, V, H, E, A>;
}  // namespace ska
