// Shared by the loss test files: PyTorch reference cases (tests/ref/losses_ref.py writes them as
// `const RefCase kName{{values...}, {gradients...}}`) and the checks against them.
#pragma once

#include <doctest/doctest.h>

#include <cmath>
#include <functional>
#include <string>
#include <vector>

#include "helpers.hpp"

namespace test {

struct RefCase {
  std::vector<double> value;
  std::vector<double> grad;  // of every differentiable input, flattened and concatenated
};

// A reduction and the reference case computed with it.
struct Red {
  tg::nn::loss_reduction_t r;
  const RefCase& ref;
};

// Class indices as an int64 tensor.
inline tg::Tensor idx(const std::vector<int64_t>& v) { return tg::tensor(v); }

// expect_near (helpers.hpp) with the loss tests' argument order.
inline void expect_close(const tg::Tensor& got, const std::vector<double>& want,
                         double rtol = 1e-10, const char* what = "value") {
  expect_near(got, want, what, rtol);
}

// Runs `fn` on fresh leaf copies of x0s and compares the loss and the gradients with `ref`
// (a non-scalar loss is weighted by go(), as in losses_ref.py).
inline void check_cases(const RefCase& ref, const std::vector<tg::Tensor>& x0s,
                        const std::function<tg::Tensor(const tg::TensorList&)>& fn) {
  tg::TensorList xs;
  for (const auto& x0 : x0s) xs.push_back(x0.detach().clone().requires_grad_(true));
  tg::Tensor loss = fn(xs);
  if (loss.dim() == 0)
    loss.backward();
  else
    (loss * go(loss.sizes())).sum().backward();
  expect_close(loss, ref.value, 1e-10, "loss");
  tg::TensorList grads;
  for (const auto& x : xs) grads.push_back(x.grad().reshape({-1}));
  expect_close(tg::cat(grads), ref.grad, 1e-10, "grad");
}

inline void check_case(const RefCase& ref, const tg::Tensor& x0,
                       const std::function<tg::Tensor(const tg::Tensor&)>& fn) {
  check_cases(ref, {x0}, [&](const tg::TensorList& in) { return fn(in[0]); });
}

// First gradient with create_graph, then the gradient of (grad * go).sum(), against PyTorch.
inline void check_double(const RefCase& ref, const tg::Tensor& x0,
                         const std::function<tg::Tensor(const tg::Tensor&)>& fn) {
  tg::Tensor x = x0.detach().clone().requires_grad_(true);
  tg::Tensor g = tg::autograd::grad({fn(x)}, {x}, {}, true, /*create_graph=*/true)[0];
  expect_close(g, ref.value, 1e-10, "grad");
  tg::Tensor gg = tg::autograd::grad({(g * go(g.sizes())).sum()}, {x})[0];
  expect_close(gg, ref.grad, 1e-10, "grad of grad");
}

// Float64 gradcheck, and gradgradcheck when `twice` (the loss is twice differentiable there),
// each reported on failure.
inline void check_grads(const tg::autograd::GradcheckFn& fn, const std::vector<tg::Tensor>& x0s,
                        bool twice = true) {
  tg::TensorList xs;
  for (const auto& x0 : x0s) xs.push_back(x0.detach().clone().requires_grad_(true));
  auto r1 = tg::autograd::gradcheck(fn, xs);
  CHECK_MESSAGE(r1, r1);
  if (!twice) return;
  auto r2 = tg::autograd::gradgradcheck(fn, xs);
  CHECK_MESSAGE(r2, r2);
}

// The fixed inputs of losses_ref.py (same names).
namespace inputs {
inline tg::Tensor X34() { return seq({3, 4}, 0.0, 2.0); }
inline tg::Tensor T34() { return seq({3, 4}, 1.0); }
inline tg::Tensor P34() { return seq({3, 4}, 0.0, 0.45, 0.5); }
inline tg::Tensor Y34() { return seq({3, 4}, 2.0, 0.5, 0.5); }
inline tg::Tensor W4() { return seq({4}, 0.5, 0.4, 1.0); }
inline tg::Tensor W34() { return seq({3, 4}, 0.3, 0.4, 1.0); }
inline tg::Tensor PW4() { return seq({4}, 1.5, 0.8, 1.5); }
inline tg::Tensor L45() { return seq({4, 5}, 0.0, 2.0); }
inline tg::Tensor T4() { return idx({1, 0, 4, 2}); }
inline tg::Tensor T4_IGN() { return idx({1, 2, 4, 2}); }
inline tg::Tensor T4_DEF_IGN() { return idx({1, -100, 4, 2}); }
inline tg::Tensor W5() { return seq({5}, 0.2, 0.5, 1.0); }
inline tg::Tensor L3K() { return seq({2, 3, 2, 2}, 0.4, 2.0); }
inline tg::Tensor T3K() { return idx({0, 2, 1, 1, 2, 0, 1, 2}).reshape({2, 2, 2}); }
inline tg::Tensor W3() { return seq({3}, 0.9, 0.5, 1.0); }
inline tg::Tensor L5() { return seq({5}, 0.1, 2.0); }
inline tg::Tensor probs(std::vector<int64_t> shape, double phase) {
  return seq(shape, phase, 1.5).softmax(1);
}

inline tg::Tensor BIG() { return tg::tensor({{1e4, -1e4, 0.0}, {-1e4, 1e4, 5.0}}, tg::kDouble); }
}  // namespace inputs

}  // namespace test
