// Regression and distribution losses vs PyTorch 1.13 (float64, 1e-10 relative): l1, huber,
// smooth_l1, kl_div, poisson_nll, gaussian_nll and torchvision's sigmoid_focal_loss -- values and
// input gradients for every reduction and the main options, gradcheck + gradgradcheck, bad input.
// Reference numbers: tests/ref/losses_ref.py -> losses_more_ref.inc.
#include <doctest/doctest.h>

#include <cmath>
#include <vector>

#include "loss_check.hpp"
#include "tapegrad.hpp"

using namespace test;
using namespace test::inputs;

namespace {

namespace F = tg::nn::functional;
using tg::Tensor;
using L = tg::TensorList;
using R = tg::nn::loss_reduction_t;

#include "ref/losses_more_ref.inc"

// The extra inputs of losses_ref.py's second part.
Tensor BIN34() { return (seq({3, 4}, 0.9) > 0.0).to(tg::kDouble); }
Tensor COUNT34() {
  std::vector<double> v = values(seq({3, 4}, 0.2, 2.5, 2.5));
  for (double& x : v) x = std::floor(x);
  return tg::tensor(v, tg::kDouble).reshape({3, 4});
}
Tensor VAR34() { return seq({3, 4}, 0.6, 0.4, 0.6); }
Tensor LP34() { return seq({3, 4}, 0.0, 1.5).log_softmax(1); }
Tensor Q34() { return probs({3, 4}, 1.3); }
Tensor XP34() { return seq({3, 4}, 0.5, 1.0, 1.5); }

}  // namespace

TEST_CASE("l1_loss: every reduction, broadcast target, module") {
  for (const Red& c : {Red{tg::kMean, kL1_mean}, Red{tg::kSum, kL1_sum}, Red{tg::kNone, kL1_none}})
    check_case(c.ref, X34(), [&](const Tensor& x) {
      return F::l1_loss(x, T34(), F::L1LossFuncOptions().reduction(c.r));
    });
  check_case(kL1_broadcast, X34(), [](const Tensor& x) { return F::l1_loss(x, T34()[0]); });
  tg::nn::L1Loss m(tg::kSum);
  check_case(kL1_sum, X34(), [&](const Tensor& x) { return m(x, T34()); });
}

TEST_CASE("huber_loss: every reduction, delta, broadcast, module") {
  for (const Red& c :
       {Red{tg::kMean, kHuber_mean}, Red{tg::kSum, kHuber_sum}, Red{tg::kNone, kHuber_none}})
    check_case(c.ref, X34(), [&](const Tensor& x) {
      return F::huber_loss(x, T34(), F::HuberLossFuncOptions().reduction(c.r));
    });
  for (const Red& c : {Red{tg::kMean, kHuber_d05_mean}, Red{tg::kSum, kHuber_d05_sum},
                       Red{tg::kNone, kHuber_d05_none}}) {
    tg::nn::HuberLoss m(tg::nn::HuberLossOptions().delta(0.5).reduction(c.r));
    check_case(c.ref, X34(), [&](const Tensor& x) { return m(x, T34()); });
  }
  check_case(kHuber_broadcast, X34(), [](const Tensor& x) {
    return F::huber_loss(x, T34()[1], F::HuberLossFuncOptions().delta(2.0));
  });
}

TEST_CASE("smooth_l1_loss: every reduction and beta, including libtorch's 4th-argument beta") {
  using O = F::SmoothL1LossFuncOptions;
  for (const Red& c :
       {Red{tg::kMean, kSl1_mean}, Red{tg::kSum, kSl1_sum}, Red{tg::kNone, kSl1_none}})
    check_case(c.ref, X34(),
               [&](const Tensor& x) { return F::smooth_l1_loss(x, T34(), O().reduction(c.r)); });
  for (const Red& c : {Red{tg::kMean, kSl1_b05_mean}, Red{tg::kSum, kSl1_b05_sum},
                       Red{tg::kNone, kSl1_b05_none}}) {
    // libtorch 1.13's call: beta as the 4th argument (options.beta() ignored by libtorch).
    check_case(c.ref, X34(), [&](const Tensor& x) {
      return F::smooth_l1_loss(x, T34(), O().reduction(c.r), 0.5);
    });
    // tapegrad also honours options.beta() when there is no 4th argument.
    check_case(c.ref, X34(), [&](const Tensor& x) {
      return F::smooth_l1_loss(x, T34(), O().reduction(c.r).beta(0.5));
    });
    tg::nn::SmoothL1Loss m(tg::nn::SmoothL1LossOptions().beta(0.5).reduction(c.r));
    check_case(c.ref, X34(), [&](const Tensor& x) { return m(x, T34()); });
  }
  // An explicit 4th argument wins over options.beta().
  check_case(kSl1_mean, X34(),
             [](const Tensor& x) { return F::smooth_l1_loss(x, T34(), O().beta(0.5), 1.0); });
  check_case(kSl1_b0, X34(),
             [](const Tensor& x) { return F::smooth_l1_loss(x, T34(), O().beta(0.0)); });
}

TEST_CASE("kl_div: every reduction incl. batchmean, log_target, zero targets") {
  using O = F::KLDivFuncOptions;
  const std::vector<std::pair<O::reduction_t, std::pair<const RefCase*, const RefCase*>>> cases = {
      {tg::kMean, {&kKl_mean, &kKl_logt_mean}},
      {tg::kSum, {&kKl_sum, &kKl_logt_sum}},
      {tg::kNone, {&kKl_none, &kKl_logt_none}},
      {tg::kBatchMean, {&kKl_batchmean, &kKl_logt_batchmean}}};
  for (const auto& [r, refs] : cases) {
    check_case(*refs.first, LP34(),
               [&](const Tensor& x) { return F::kl_div(x, Q34(), O().reduction(r)); });
    tg::nn::KLDivLoss m(tg::nn::KLDivLossOptions().reduction(r).log_target(true));
    check_case(*refs.second, LP34(), [&](const Tensor& x) { return m(x, Q34().log()); });
  }
  std::vector<double> q = values(Q34());
  q[1] = 0.0, q[11] = 0.0;
  Tensor qz = tg::tensor(q, tg::kDouble).reshape({3, 4});
  check_case(kKl_zero_target_sum, LP34(),
             [&](const Tensor& x) { return F::kl_div(x, qz, O().reduction(tg::kSum)); });
  CHECK(std::isfinite(F::kl_div(LP34(), qz).item<double>()));
}

TEST_CASE("poisson_nll_loss: every reduction, log_input, full, eps") {
  using O = F::PoissonNLLLossFuncOptions;
  for (const Red& c :
       {Red{tg::kMean, kPois_mean}, Red{tg::kSum, kPois_sum}, Red{tg::kNone, kPois_none}})
    check_case(c.ref, X34() * 0.5, [&](const Tensor& x) {
      return F::poisson_nll_loss(x, COUNT34(), O().reduction(c.r));
    });
  tg::nn::PoissonNLLLoss m(tg::nn::PoissonNLLLossOptions().log_input(false).full(true));
  check_case(kPois_rate_full_mean, XP34(), [&](const Tensor& x) { return m(x, COUNT34()); });
  check_case(kPois_log_full_sum, X34() * 0.5, [](const Tensor& x) {
    return F::poisson_nll_loss(x, COUNT34(), O().full(true).reduction(tg::kSum));
  });
  check_case(kPois_rate_eps_none, XP34(), [](const Tensor& x) {
    return F::poisson_nll_loss(x, COUNT34(), O().log_input(false).eps(0.1).reduction(tg::kNone));
  });
}

TEST_CASE("gaussian_nll_loss: every reduction, full, one variance per sample, eps clamp") {
  using O = F::GaussianNLLLossFuncOptions;
  for (const Red& c :
       {Red{tg::kMean, kGauss_mean}, Red{tg::kSum, kGauss_sum}, Red{tg::kNone, kGauss_none}})
    check_cases(c.ref, {X34(), VAR34()}, [&](const L& in) {
      return F::gaussian_nll_loss(in[0], T34(), in[1], O().reduction(c.r));
    });
  tg::nn::GaussianNLLLoss full(tg::nn::GaussianNLLLossOptions().full(true));
  check_cases(kGauss_full_mean, {X34(), VAR34()},
              [&](const L& in) { return full(in[0], T34(), in[1]); });
  check_cases(kGauss_homo_mean, {X34(), VAR34().select(1, 0)},
              [](const L& in) { return F::gaussian_nll_loss(in[0], T34(), in[1]); });
  check_cases(kGauss_last1_sum, {X34(), VAR34().narrow(1, 0, 1)}, [](const L& in) {
    return F::gaussian_nll_loss(in[0], T34(), in[1], O().reduction(tg::kSum));
  });
  // Entries below eps are clamped in value, but their gradient passes through (as PyTorch).
  std::vector<double> v = values(VAR34());
  v[6] = 1e-9, v[8] = 0.0;
  check_cases(kGauss_clamp_sum, {X34(), tg::tensor(v, tg::kDouble).reshape({3, 4})},
              [](const L& in) {
                return F::gaussian_nll_loss(in[0], T34(), in[1], O().eps(1e-3).reduction(tg::kSum));
              });
}

TEST_CASE("sigmoid_focal_loss: torchvision's definition, every reduction, alpha off, |x| = 1e4") {
  for (const Red& c :
       {Red{tg::kMean, kFocal_mean}, Red{tg::kSum, kFocal_sum}, Red{tg::kNone, kFocal_none}})
    check_case(c.ref, X34(),
               [&](const Tensor& x) { return F::sigmoid_focal_loss(x, BIN34(), 0.25, 2, c.r); });
  check_case(kFocal_none, X34(), [](const Tensor& x) { return F::sigmoid_focal_loss(x, BIN34()); });
  check_case(kFocal_soft_noalpha_sum, X34(),
             [](const Tensor& x) { return F::sigmoid_focal_loss(x, Y34(), -1, 1.5, tg::kSum); });
  Tensor y = tg::tensor({{0.0, 1.0, 0.0}, {1.0, 0.0, 1.0}}, tg::kDouble);
  check_case(kFocal_big_sum, BIG(),
             [&](const Tensor& x) { return F::sigmoid_focal_loss(x, y, 0.3, 2, tg::kSum); });
}

TEST_CASE("gradcheck and gradgradcheck: regression losses (away from kinks)") {
  check_grads([](const L& in) { return F::l1_loss(in[0], in[1]); }, {X34(), T34()});
  check_grads([](const L& in) { return F::mse_loss(in[0], in[1], tg::kSum); }, {X34(), T34()});
  check_grads(
      [](const L& in) { return F::huber_loss(in[0], in[1], F::HuberLossFuncOptions().delta(0.5)); },
      {X34(), T34()});
  check_grads([](const L& in) { return F::smooth_l1_loss(in[0], in[1], tg::kSum, 0.5); },
              {X34(), T34()});
  check_grads([](const L& in) { return F::kl_div(in[0], in[1].softmax(1), tg::kBatchMean); },
              {LP34(), seq({3, 4}, 1.3)});
  check_grads(
      [](const L& in) {
        return F::kl_div(in[0], in[1], F::KLDivFuncOptions(tg::kSum).log_target(true));
      },
      {LP34(), Q34().log()});
  check_grads(
      [](const L& in) {
        return F::poisson_nll_loss(in[0], COUNT34(), F::PoissonNLLLossFuncOptions().full(true));
      },
      {X34() * 0.5});
  check_grads(
      [](const L& in) {
        return F::poisson_nll_loss(in[0], COUNT34(),
                                   F::PoissonNLLLossFuncOptions().log_input(false));
      },
      {XP34()});
  check_grads(
      [](const L& in) {
        return F::gaussian_nll_loss(in[0], in[1], in[2],
                                    F::GaussianNLLLossFuncOptions().full(true));
      },
      {X34(), T34(), VAR34()});
  check_grads([](const L& in) { return F::sigmoid_focal_loss(in[0], Y34(), 0.25, 2, tg::kMean); },
              {X34()});
}

TEST_CASE("errors: regression losses name the loss and the shapes") {
  CHECK(error_of([] { F::l1_loss(X34(), seq({3}, 0.0)); }) ==
        "l1_loss: target size [3] is not broadcastable with input size [3, 4]");
  CHECK(contains(error_of([] {
                   F::huber_loss(X34(), seq({2, 4}, 0.0));
                 }),
                 "huber_loss: target size [2, 4] is not broadcastable with input size [3, 4]"));
  CHECK(contains(error_of([] { F::huber_loss(X34(), T34(), F::HuberLossFuncOptions().delta(0)); }),
                 "huber_loss: delta must be positive"));
  CHECK(error_of([] { F::smooth_l1_loss(X34(), T34().t()); }) ==
        "smooth_l1_loss: target size [4, 3] is not broadcastable with input size [3, 4]");
  CHECK(contains(error_of([] { F::gaussian_nll_loss(X34(), seq({2}, 0.0), VAR34()); }),
                 "gaussian_nll_loss: target size [2] is not broadcastable with input size [3, 4]"));
  CHECK(contains(error_of([] {
                   F::gaussian_nll_loss(X34(), T34(), idx({1, 1, 1}));
                 }),
                 "gaussian_nll_loss: expected a floating-point var, got Long of shape [3]"));
  CHECK(contains(error_of([] { F::smooth_l1_loss(X34(), T34(), {}, -1.0); }),
                 "smooth_l1_loss: beta must not be negative"));
  CHECK(contains(error_of([] { F::kl_div(LP34(), seq({5}, 0.0)); }),
                 "kl_div: target size [5] is not broadcastable with input size [3, 4]"));
  CHECK(contains(error_of([] {
                   F::poisson_nll_loss(X34(), idx({1, 2, 3, 4}));
                 }),
                 "poisson_nll_loss: expected a floating-point target, got Long of shape [4]"));
  CHECK(error_of([] { F::gaussian_nll_loss(X34(), T34(), seq({4}, 0.0, 0.1, 1.0)); }) ==
        "gaussian_nll_loss: var of shape [4] must have the input's shape [3, 4], or that shape "
        "without its last dimension, or with a last dimension of 1");
  CHECK(contains(error_of([] { F::gaussian_nll_loss(X34(), T34(), VAR34() - 1.0); }),
                 "gaussian_nll_loss: var has negative entries (var shape [3, 4])"));
  CHECK(contains(error_of([] {
                   F::sigmoid_focal_loss(X34(), Y34().reshape({4, 3}));
                 }),
                 "sigmoid_focal_loss: targets size [4, 3] must match inputs size [3, 4]"));
}
