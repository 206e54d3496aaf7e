// Internal to optim/ (not installed): what the fused per-parameter update loops share. Each
// optimizer's step walks a parameter's raw data once, doing in one pass the arithmetic that the
// tensor formulation spreads over a dozen full passes and temporaries (PyTorch's fused/foreach
// kernels do the same). Every loop keeps the tensor formulation's operation order and computes
// in the parameter's dtype with constants rounded to it, as ATen's kernels do.
#pragma once

#include <initializer_list>
#include <type_traits>

#include "../autograd/tensor.hpp"

namespace tg::optim::detail {

// Elements per chunk: the update loops run `for chunk { for k < kChunk ... }`, whose fixed trip
// count lets GCC -O2 vectorise the body (its cheap cost model refuses loops with an epilogue).
// The loops take __restrict pointers and are [[gnu::noinline]]: inlined into their caller, they
// lose the restrict guarantee and GCC no longer vectorises them.
inline constexpr int64_t kChunk = 16;

// Calls f(std::true_type{}) or f(std::false_type{}): loop bodies test their options with
// `if constexpr`, because a run-time test inside the loop stops GCC from vectorising it.
template <class F>
void with_flag(bool b, F&& f) {
  if (b)
    f(std::true_type{});
  else
    f(std::false_type{});
}

// True when every tensor is float or double like the first, has its element count, and no two
// share memory: then a fused loop may write through data_ptr (restrict pointers).
bool fusable(std::initializer_list<const Tensor*> ts);

// Writing through data_ptr bypasses the in-place ops: bump the version counter as they do, so
// that a recorded graph that saved the tensor still refuses to backward through stale values.
void bump_version(const Tensor& t);

}  // namespace tg::optim::detail
