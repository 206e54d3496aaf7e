// autograd/: tensors and the tape. A worked example:
//
//   #include <tapegrad.hpp>
//   auto w = tg::tensor({0.5, -1.0}, tg::dtype(tg::kDouble).requires_grad(true));  // leaf
//   auto x = tg::tensor({{1.0, 2.0}, {3.0, 4.0}}, tg::kDouble);
//   auto loss = x.matmul(w).tanh().sum();  // records mm, tanh, sum on the tape (tape.hpp)
//   loss.backward();                       // reverse sweep: w.grad() = x^T (1 - tanh^2)
//   std::cout << w.grad() << "\n";
//
// Files: core.hpp (dtypes, shapes, errors), device.hpp (devices: the CPU), c10_util.hpp
// (libtorch's c10 helpers: str, irange, TORCH_CHECK, warnings), tensor.hpp (the handle), functions.hpp (every op),
// tape.hpp (recording and the reverse sweep), gradcheck.hpp (finite-difference checks),
// safetensors.hpp (reading and writing named tensors).
// Ops live in ops_*.cpp, forward and backward side by side.
#pragma once

#include "c10_util.hpp"
#include "core.hpp"
#include "custom_function.hpp"
#include "functional.hpp"
#include "functions.hpp"
#include "graph.hpp"
#include "gradcheck.hpp"
#include "indexing.hpp"
#include "inference_mode.hpp"
#include "safetensors.hpp"
#include "tape_print.hpp"
#include "tempfile.hpp"
#include "tensor.hpp"
#include "tensor_accessor.hpp"
