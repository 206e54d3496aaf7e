// Gradient checking: compare the tape's gradients with central finite differences in float64.
//
//   auto x = tg::randn({3, 4}, tg::dtype(tg::kDouble).requires_grad(true));
//   auto report = tg::autograd::gradcheck([](const tg::TensorList& in) { return in[0].tanh(); },
//                                         {x});
//   CHECK(report);                 // converts to bool; on failure doctest prints the report:
//   std::cout << report << "\n";   // a summary line, then one row per failing element (input,
//                                  // element, output element, analytic, numeric, errors)
//
// Kinks: where the function is not differentiable (relu, abs, max at a tie) the central
// difference averages two slopes. gradcheck also takes the one-sided differences; where they
// disagree by more than 100x the tolerance the element is a kink. With allow_kinks (default)
// an out-of-tolerance kink element passes if the analytic value lies between the two one-sided
// slopes (a valid one-sided derivative or subgradient) and is listed in report.kinks instead of
// report.failures; with allow_kinks = false it fails like any other element.
#pragma once

#include <functional>
#include <iosfwd>
#include <string>
#include <vector>

#include "tensor.hpp"

namespace tg::autograd {

// One compared Jacobian element: d output[output] / d input[input][index] (flat indices).
struct GradcheckElement {
  int64_t input = -1, index = -1, output = -1;
  double analytic = 0, numeric = 0, abs_err = 0, rel_err = 0;
  double forward = 0, backward = 0;  // the one-sided differences (f(x+e)-f(x))/e, (f(x)-f(x-e))/e
  bool kink = false;
};

struct GradcheckReport {
  bool ok = true;
  int64_t checked = 0;  // Jacobian elements compared
  int64_t input = -1;   // the worst element: which input,
  int64_t output = -1;  // which output element (flat index over all outputs),
  int64_t index = -1;   // which element of that input (flat index)
  double analytic = 0, numeric = 0, abs_err = 0, rel_err = 0;
  std::string message;                     // a one-line summary
  std::vector<GradcheckElement> failures;  // every element out of tolerance (kinks excepted)
  std::vector<GradcheckElement> kinks;     // out of tolerance at a kink, excused (allow_kinks)
  explicit operator bool() const { return ok; }
  // The summary, then up to max_rows rows of failures and of kinks.
  std::string str(size_t max_rows = 20) const;
};
std::ostream& operator<<(std::ostream& os, const GradcheckReport& r);

using GradcheckFn = std::function<Tensor(const TensorList&)>;

// Checks d fn(inputs) / d inputs, for every input that requires grad, element by element.
// Inputs must be float64. An element passes when |analytic - numeric| <= atol + rtol*|numeric|.
GradcheckReport gradcheck(const GradcheckFn& fn, const TensorList& inputs, double eps = 1e-6,
                          double atol = 1e-5, double rtol = 1e-3, bool allow_kinks = true);

// Second derivatives: gradchecks (inputs, v) -> v^T J(inputs), the vector-Jacobian product that
// autograd::grad computes with create_graph=true. v defaults to a random float64 tensor.
GradcheckReport gradgradcheck(const GradcheckFn& fn, const TensorList& inputs,
                              const Tensor& grad_output = {}, double eps = 1e-6, double atol = 1e-5,
                              double rtol = 1e-3, bool allow_kinks = true);

// Fast mode (PyTorch's fast_mode=True): compares the single number v^T J u for random u and v.
GradcheckReport gradcheck_fast(const GradcheckFn& fn, const TensorList& inputs, double eps = 1e-6,
                               double atol = 1e-5, double rtol = 1e-3, uint64_t seed = 0);

}  // namespace tg::autograd
