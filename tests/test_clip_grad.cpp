// tg::nn::utils::clip_grad_norm_ / clip_grad_value_ vs torch.nn.utils (float64, 1e-10
// relative): total norms and clipped gradients for norm types 1, 2, 3 and inf, and 100-step
// SGD trajectories with clipping between backward() and step(). Reference numbers:
// tests/ref/optim_ref.py -> clip_grad_ref.inc.
#include <doctest/doctest.h>

#include <limits>

#include "optim_common.hpp"

using test::check_trajectory;
using test::contains;
using test::error_of;
using test::expect_close;
using test::Logistic;
using test::seq;
using test::TrajRef;
using test::values;

namespace {
using tg::Tensor;
namespace utils = tg::nn::utils;

struct ClipRef {
  double norm_type;  // -1 for inf
  double max_norm, total;
  std::vector<double> a, b;  // the clipped gradients
};
#include "ref/clip_grad_ref.inc"

// An optimizer wrapper that clips before SGD's step, so check_trajectory can drive it.
struct ClippedSGD : tg::optim::SGD {
  std::function<void(std::vector<Tensor>&)> clip;
  ClippedSGD(std::vector<Tensor> p, std::function<void(std::vector<Tensor>&)> c)
      : SGD(std::move(p), tg::optim::SGDOptions(0.5).momentum(0.5)), clip(std::move(c)) {}
  Tensor step(LossClosure closure = nullptr) override {
    clip(parameters());
    return SGD::step(std::move(closure));
  }
};
}  // namespace

TEST_CASE("clip_grad_norm_: total norm and clipped gradients (norm types 1, 2, 3, inf)") {
  for (const auto& c : kClipNorm) {
    const double norm_type =
        c.norm_type < 0 ? std::numeric_limits<double>::infinity() : c.norm_type;
    CAPTURE(norm_type);
    CAPTURE(c.max_norm);
    Tensor a = tg::zeros({2, 3}, tg::kDouble).requires_grad_(true);
    Tensor b = tg::zeros({4}, tg::kDouble).requires_grad_(true);
    Tensor unused = tg::zeros({2}, tg::kDouble).requires_grad_(true);  // no grad: skipped
    a.mutable_grad() = seq({2, 3}, 0.3, 2.0);
    b.mutable_grad() = seq({4}, 1.1, 0.5);
    const double total = utils::clip_grad_norm_({a, unused, b}, c.max_norm, norm_type);
    expect_close({total}, {c.total}, "total norm");
    expect_close(values(a.grad()), c.a, "a.grad");
    expect_close(values(b.grad()), c.b, "b.grad");
    CHECK_FALSE(unused.grad().defined());
  }
}

TEST_CASE("clip_grad_norm_: norm_type 0 counts the gradients; edge cases and errors") {
  Tensor a = tg::zeros({3}, tg::kDouble).requires_grad_(true);
  CHECK(utils::clip_grad_norm_(a, 1.0) == 0.0);  // no gradient yet
  a.mutable_grad() = tg::tensor({3.0, 0.0, -4.0}, tg::kDouble);
  CHECK(utils::clip_grad_norm_(a, 100.0, 0.0) == 1.0);  // libtorch: the number of gradients
  CHECK(values(a.grad()) == std::vector<double>{3.0, 0.0, -4.0});
  CHECK(utils::clip_grad_norm_(a, 1.0) == doctest::Approx(5.0).epsilon(1e-15));
  expect_close(values(a.grad()), {3.0 / (5 + 1e-6), 0, -4.0 / (5 + 1e-6)}, "single grad");
  a.mutable_grad() = tg::tensor({std::numeric_limits<double>::infinity(), 1.0}, tg::kDouble);
  CHECK(contains(error_of([&] { utils::clip_grad_norm_(a, 1.0, 2.0, true); }),
                 "The total norm of order 2 for gradients from `parameters` is non-finite"));
  CHECK(std::isinf(utils::clip_grad_norm_(a, 1.0)));  // without the check: scaled anyway
  CHECK(
      contains(error_of([&] { utils::clip_grad_norm_(a, 1.0, -1.0); }), "norm_type must be >= 0"));
}

TEST_CASE("clip_grad_value_: clamps every element") {
  Tensor a = tg::zeros({4}, tg::kDouble).requires_grad_(true);
  Tensor b = tg::zeros({2}, tg::kDouble).requires_grad_(true);
  a.mutable_grad() = tg::tensor({-3.0, -0.1, 0.2, 5.0}, tg::kDouble);
  utils::clip_grad_value_({a, b}, 0.15);
  CHECK(values(a.grad()) == std::vector<double>{-0.15, -0.1, 0.15, 0.15});
  CHECK_FALSE(b.grad().defined());
}

TEST_CASE("Gradient clipping inside a training loop: PyTorch's trajectories") {
  {
    Logistic pb;
    ClippedSGD opt({pb.w, pb.b}, [](std::vector<Tensor>& ps) { utils::clip_grad_norm_(ps, 0.05); });
    check_trajectory(pb, opt, kClipNormTraining);
  }
  {
    Logistic pb;
    ClippedSGD opt({pb.w, pb.b},
                   [](std::vector<Tensor>& ps) { utils::clip_grad_value_(ps, 0.02); });
    check_trajectory(pb, opt, kClipValueTraining);
  }
}
