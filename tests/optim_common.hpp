// Shared by the optimizer and scheduler test files: reading tensors back, 1e-10 comparisons
// and the two fixed problems of tests/ref/optim_ref.py.
#pragma once

#include <doctest/doctest.h>

#include <cmath>
#include <string>
#include <vector>

#include "helpers.hpp"
#include "tapegrad.hpp"

namespace test {

// Relative 1e-10 (plus 1e-13 absolute for values near zero).
inline void expect_close(const std::vector<double>& got, const std::vector<double>& want,
                         const char* what) {
  expect_near(got, want, what);
}

// Recorded trajectory: the loss before each step, then the final parameters.
struct TrajRef {
  std::vector<double> losses;
  std::vector<double> w, b;
};

// optim_ref.py's non-quadratic problem: soft-label logistic regression plus a quartic penalty,
//   loss(w, b) = mean(log(1 + exp(X w + b)) - t (X w + b)) + 0.05 sum(w^4).
struct Logistic {
  tg::Tensor X = seq({8, 3}, 0.0);
  tg::Tensor t = seq({8}, 1.3) * 0.5 + 0.5;
  tg::Tensor w = seq({3}, 0.4, 0.5).requires_grad_(true);
  tg::Tensor b = tg::tensor({0.1}, tg::kDouble).requires_grad_(true);
  tg::Tensor loss() const {
    tg::Tensor z = X.matmul(w) + b;
    return ((z.exp() + 1).log() - t * z).mean() + ((w * w) * (w * w)).sum() * 0.05;
  }
};

// ref.losses.size() steps of zero_grad / backward / step against the PyTorch trajectory; a
// Problem has tensors w, b and loss().
template <class Problem>
void check_trajectory(Problem& pb, tg::optim::Optimizer& opt, const TrajRef& ref) {
  std::vector<double> losses;
  for (size_t step = 0; step < ref.losses.size(); ++step) {
    opt.zero_grad();
    tg::Tensor loss = pb.loss();
    losses.push_back(loss.item<double>());
    loss.backward();
    opt.step();
  }
  expect_close(losses, ref.losses, "loss");
  expect_close(values(pb.w), ref.w, "w");
  expect_close(values(pb.b), ref.b, "b");
}

// Two groups: w with the defaults, b with `b_options`.
template <class Options>
std::vector<tg::optim::OptimizerParamGroup> groups_w_b(const Logistic& pb, Options b_options) {
  std::vector<tg::optim::OptimizerParamGroup> groups;
  groups.emplace_back(std::vector<tg::Tensor>{pb.w});
  groups.emplace_back(std::vector<tg::Tensor>{pb.b}, std::make_unique<Options>(b_options));
  return groups;
}

}  // namespace test
