#include <doctest/doctest.h>

#include "helpers.hpp"
#include "tapegrad.hpp"

// tg::nn::init: gains, fans, eye_ and dirac_ against PyTorch (tests/ref/init_ref.py), and the
// sample statistics of every random initialiser with fixed seeds: mean, standard deviation and
// bounds within what 10^4 to 10^5 draws allow.

#include <algorithm>
#include <cmath>
#include <vector>

namespace {

using test::contains;
using test::error_of;
using tg::Tensor;
namespace init = tg::nn::init;

#include "ref/init_ref.inc"

struct Stats {
  double mean, sd, min, max;
};
Stats stats(const Tensor& t) {
  Tensor d = t.detach().to(tg::kDouble).reshape({-1});
  const double* p = d.data_ptr<double>();
  const auto n = double(d.numel());
  double sum = 0, sq = 0;
  for (int64_t i = 0; i < d.numel(); ++i) sum += p[i];
  const double mean = sum / n;
  for (int64_t i = 0; i < d.numel(); ++i) sq += (p[i] - mean) * (p[i] - mean);
  auto [mn, mx] = std::minmax_element(p, p + d.numel());
  return {mean, std::sqrt(sq / (n - 1)), *mn, *mx};
}

// A uniform U(-b, b) sample of n values: mean ~ 0 (sd b / sqrt(3n)), sd b / sqrt(3), filling
// the range up to its ends.
void check_uniform(const Tensor& t, double b) {
  Stats s = stats(t);
  const double n = double(t.numel());
  CHECK(std::abs(s.mean) < 5 * b / std::sqrt(3 * n));
  CHECK(s.sd == doctest::Approx(b / std::sqrt(3.0)).epsilon(0.03));
  CHECK(s.min >= -b);
  CHECK(s.max <= b);
  CHECK(s.min < -0.99 * b);
  CHECK(s.max > 0.99 * b);
}

// A normal N(m, sd) sample: mean within 5 standard errors, sd within 3%.
void check_normal(const Tensor& t, double m, double sd) {
  Stats s = stats(t);
  CHECK(std::abs(s.mean - m) < 5 * sd / std::sqrt(double(t.numel())));
  CHECK(s.sd == doctest::Approx(sd).epsilon(0.03));
}

}  // namespace

TEST_CASE("init::calculate_gain matches PyTorch for every nonlinearity") {
  std::vector<double> got = {init::calculate_gain(tg::kLinear),
                             init::calculate_gain(tg::kConv1D),
                             init::calculate_gain(tg::kConv2D),
                             init::calculate_gain(tg::kConv3D),
                             init::calculate_gain(tg::kConvTranspose1D),
                             init::calculate_gain(tg::kConvTranspose2D),
                             init::calculate_gain(tg::kConvTranspose3D),
                             init::calculate_gain(tg::kSigmoid),
                             init::calculate_gain(tg::kTanh),
                             init::calculate_gain(tg::kReLU),
                             init::calculate_gain(tg::kLeakyReLU),
                             init::calculate_gain(tg::kLeakyReLU, 0.2),
                             init::calculate_gain(tg::kLeakyReLU, std::sqrt(5.0))};
  REQUIRE(got.size() == kGains.size());
  for (size_t i = 0; i < got.size(); ++i)
    CHECK(got[i] == doctest::Approx(kGains[i]).epsilon(1e-15));
}

TEST_CASE("init::_calculate_fan_in_and_fan_out matches PyTorch for 2-D to 5-D weights") {
  std::vector<std::vector<int64_t>> shapes = {{3, 4}, {5, 2, 3}, {6, 4, 3, 2}, {2, 3, 1, 2, 2}};
  for (size_t i = 0; i < shapes.size(); ++i) {
    auto [in, out] = init::_calculate_fan_in_and_fan_out(tg::empty(shapes[i]));
    CHECK(in == kFans[2 * i]);
    CHECK(out == kFans[2 * i + 1]);
  }
  CHECK(contains(error_of([] { init::_calculate_fan_in_and_fan_out(tg::empty({5})); }),
                 "fewer than 2 dimensions (shape [5])"));
}

TEST_CASE("init::eye_, dirac_, constant_, zeros_, ones_ give PyTorch's values") {
  Tensor e = init::eye_(tg::empty({3, 5}));
  CHECK(e.equal(tg::tensor(kEye).reshape({3, 5})));
  Tensor d = init::dirac_(tg::empty({3, 2, 3, 2}, tg::kDouble));
  CHECK(d.equal(tg::tensor(kDirac, tg::kDouble).reshape({3, 2, 3, 2})));
  CHECK(init::constant_(tg::empty({4}), 2.5).equal(tg::full({4}, 2.5)));
  CHECK(init::zeros_(tg::ones({2, 2})).equal(tg::zeros({2, 2})));
  CHECK(init::ones_(tg::zeros({3})).equal(tg::ones({3})));
  // In place, under no grad: a parameter stays a leaf that requires grad.
  Tensor w = tg::empty({2, 2}).requires_grad_(true);
  init::eye_(w);
  CHECK(w.is_leaf());
  CHECK(w.requires_grad());
  CHECK(w.detach().equal(tg::eye(2)));
  CHECK(error_of([] {
          init::eye_(tg::empty({2, 2, 2}));
        }) == "nn::init::eye_: only tensors with 2 dimensions are supported, got shape [2, 2, 2]");
  CHECK(contains(error_of([] {
                   init::dirac_(tg::empty({2, 2}));
                 }),
                 "only tensors with 3, 4, or 5 dimensions are supported, got shape [2, 2]"));
}

TEST_CASE("init::uniform_ and normal_: distributions with fixed seeds") {
  tg::manual_seed(11);
  Tensor u = init::uniform_(tg::empty({200, 100}), -0.5, 1.5);
  Stats s = stats(u);
  CHECK(s.min >= -0.5);
  CHECK(s.max <= 1.5);
  CHECK(std::abs(s.mean - 0.5) < 5 * 2 / std::sqrt(12.0 * 20000));
  CHECK(s.sd == doctest::Approx(2 / std::sqrt(12.0)).epsilon(0.03));
  check_normal(init::normal_(tg::empty({200, 100}, tg::kDouble), 3.0, 0.25), 3.0, 0.25);
  CHECK(contains(error_of([] { init::uniform_(tg::empty({2}), 1, 0); }), "expected low <= high"));
  CHECK(contains(error_of([] { init::normal_(tg::empty({2}), 0, -1); }), "expected std >= 0"));
}

TEST_CASE("init::xavier_uniform_ and xavier_normal_: std = gain sqrt(2 / (fan_in + fan_out))") {
  tg::manual_seed(12);
  // (out, in, k) = (64, 32, 5): fan_in 160, fan_out 320.
  const double sd = 1.5 * std::sqrt(2.0 / (160 + 320));
  check_uniform(init::xavier_uniform_(tg::empty({64, 32, 5}), 1.5), std::sqrt(3.0) * sd);
  check_normal(init::xavier_normal_(tg::empty({64, 32, 5}), 1.5), 0, sd);
  CHECK(
      contains(error_of([] { init::xavier_uniform_(tg::empty({4})); }), "fewer than 2 dimensions"));
}

TEST_CASE("init::kaiming_uniform_ and kaiming_normal_: a, mode and nonlinearity") {
  tg::manual_seed(13);
  // (out, in) = (300, 100): fan_in 100, fan_out 300.
  const double leaky = std::sqrt(2.0 / (1 + 0.2 * 0.2));
  check_uniform(init::kaiming_uniform_(tg::empty({300, 100}), 0.2),
                std::sqrt(3.0) * leaky / std::sqrt(100.0));
  check_uniform(init::kaiming_uniform_(tg::empty({300, 100}), 0, tg::kFanOut, tg::kReLU),
                std::sqrt(3.0) * std::sqrt(2.0) / std::sqrt(300.0));
  check_normal(init::kaiming_normal_(tg::empty({300, 100})), 0, std::sqrt(2.0) / 10);
  check_normal(init::kaiming_normal_(tg::empty({300, 100}), 0, tg::kFanOut, tg::kTanh), 0,
               (5.0 / 3.0) / std::sqrt(300.0));
  // Linear's default: kaiming_uniform_(a = sqrt(5)) is U(-1/sqrt(fan_in), 1/sqrt(fan_in)).
  check_uniform(init::kaiming_uniform_(tg::empty({300, 100}), std::sqrt(5.0)), 0.1);
  // Empty tensors are left alone, as in PyTorch; integer tensors are refused.
  CHECK(init::kaiming_uniform_(tg::empty({0, 3})).numel() == 0);
  CHECK(contains(error_of([] {
                   init::kaiming_normal_(tg::zeros({3, 3}, tg::kLong));
                 }),
                 "expected a floating-point tensor, got Long"));
}

TEST_CASE("init: the same seed gives the same values") {
  tg::manual_seed(5);
  Tensor a = init::xavier_normal_(tg::empty({4, 4}));
  tg::manual_seed(5);
  Tensor b = init::xavier_normal_(tg::empty({4, 4}));
  CHECK(a.equal(b));
}
