// Gradient checking: compare the tape's gradients with central finite differences in float64.
//
//   auto x = tg::randn({3, 4}, tg::dtype(tg::kDouble).requires_grad(true));
//   auto report = tg::autograd::gradcheck([](const tg::TensorList& in) { return in[0].tanh(); },
//                                         {x});
//   CHECK(report);                 // converts to bool: every element within atol + rtol*|numeric|
//   std::cout << report << "\n";   // the worst element: input, index, analytic, numeric, errors
#pragma once

#include <functional>
#include <iosfwd>
#include <string>

#include "tensor.hpp"

namespace tg::autograd {

struct GradcheckReport {
  bool ok = true;
  int64_t checked = 0;  // Jacobian elements compared
  int64_t input = -1;   // the worst element: which input,
  int64_t output = -1;  // which output element (flat index over all outputs),
  int64_t index = -1;   // which element of that input (flat index)
  double analytic = 0, numeric = 0, abs_err = 0, rel_err = 0;
  std::string message;  // a one-line description (also used for errors)
  explicit operator bool() const { return ok; }
};
std::ostream& operator<<(std::ostream& os, const GradcheckReport& r);

using GradcheckFn = std::function<Tensor(const TensorList&)>;

// Checks d fn(inputs) / d inputs, for every input that requires grad, element by element.
// Inputs must be float64. An element passes when |analytic - numeric| <= atol + rtol*|numeric|.
GradcheckReport gradcheck(const GradcheckFn& fn, const TensorList& inputs, double eps = 1e-6,
                          double atol = 1e-5, double rtol = 1e-3);

// Second derivatives: gradchecks (inputs, v) -> v^T J(inputs), the vector-Jacobian product that
// autograd::grad computes with create_graph=true. v defaults to a random float64 tensor.
GradcheckReport gradgradcheck(const GradcheckFn& fn, const TensorList& inputs,
                              const Tensor& grad_output = {}, double eps = 1e-6, double atol = 1e-5,
                              double rtol = 1e-3);

// Fast mode (PyTorch's fast_mode=True): compares the single number v^T J u for random u and v.
GradcheckReport gradcheck_fast(const GradcheckFn& fn, const TensorList& inputs, double eps = 1e-6,
                               double atol = 1e-5, double rtol = 1e-3, uint64_t seed = 0);

}  // namespace tg::autograd
