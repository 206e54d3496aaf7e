// Higher derivatives against PyTorch (third order, Hessian-vector products; the numbers come
// from tests/ref/higher_ref.py) and prod's double backward at zeros against closed forms.
#include <doctest/doctest.h>

#include <cmath>
#include <limits>
#include <vector>

#include "helpers.hpp"

using test::go;
using test::seq;
using tg::Tensor;
namespace F = tg::autograd::functional;

namespace {
struct Ref3 {
  std::vector<double> g1, g2, g3;
};
struct RefHvp {
  std::vector<double> value, hv;
};
#include "ref/higher_ref.inc"

std::vector<double> values(const Tensor& t) {
  Tensor d = t.detach().to(tg::kDouble).reshape({-1});
  return {d.data_ptr<double>(), d.data_ptr<double>() + d.numel()};
}

// Every value within 1e-10 relative (absolute below 1) of PyTorch's.
void check_near(const Tensor& got, const std::vector<double>& want, const char* what) {
  auto g = values(got);
  REQUIRE_MESSAGE(g.size() == want.size(), what);
  for (size_t i = 0; i < g.size(); ++i)
    CHECK_MESSAGE(std::abs(g[i] - want[i]) <= 1e-10 * std::max(1.0, std::abs(want[i])),
                  what << " element " << i << ": " << g[i] << " vs PyTorch " << want[i]);
}

using Fn1 = Tensor (*)(const Tensor&);
// g1, g2, g3 as higher_ref.py's third(): each the gradient of sum(previous * go).
void check_third(const Ref3& ref, Fn1 f, Tensor x) {
  x = x.clone().requires_grad_();
  Tensor y = f(x);
  Tensor g1 = tg::autograd::grad({(y * go(y.sizes())).sum()}, {x}, {}, true, true)[0];
  Tensor g2 = tg::autograd::grad({(g1 * go(g1.sizes())).sum()}, {x}, {}, true, true)[0];
  Tensor g3 = tg::autograd::grad({(g2 * go(g2.sizes())).sum()}, {x})[0];
  check_near(g1, ref.g1, "first derivative");
  check_near(g2, ref.g2, "second derivative");
  check_near(g3, ref.g3, "third derivative");
}

void check_hvp(const RefHvp& ref, Fn1 f, const Tensor& x) {
  auto [value, hv] =
      F::hvp([f](const tg::TensorList& in) { return f(in[0]); }, {x}, {seq(x.sizes().vec(), 2.1)});
  check_near(value, ref.value, "value");
  check_near(hv[0], ref.hv, "Hessian-vector product");
}

Tensor W() { return seq({3, 4}, 0.9, 0.8); }
Tensor X() { return seq({3, 4}, 0.2); }
Tensor Z() {
  return tg::tensor({{0.5, 0.0, -1.5, 2.0}, {0.0, 0.0, 1.2, -0.7}, {1.1, -0.9, 0.8, 1.3}},
                    tg::kDouble);
}
}  // namespace

TEST_CASE("third derivatives match PyTorch") {
  check_third(
      kTanh3, [](const Tensor& x) { return x.tanh(); }, X());
  check_third(
      kSigmoid3, [](const Tensor& x) { return x.sigmoid(); }, X());
  check_third(
      kExpSin3, [](const Tensor& x) { return x.exp() * x.sin(); }, X());
  check_third(
      kLogSoftmax3, [](const Tensor& x) { return x.log_softmax(1); }, X());
  check_third(
      kLogsumexp3, [](const Tensor& x) { return x.logsumexp({1}); }, X());
  check_third(
      kPowDiv3, [](const Tensor& x) { return x.pow(3) / (1 + x * x); }, X());
  check_third(
      kSqrtLog3, [](const Tensor& x) { return x.sqrt() * x.log(); }, seq({3, 4}, 0.2, 0.4, 1.0));
  check_third(
      kStd3, [](const Tensor& x) { return x.std({1}); }, X());
  check_third(
      kProd3, [](const Tensor& x) { return x.prod(1); }, X());
  check_third(
      kProdZeros3, [](const Tensor& x) { return x.prod(1); }, Z());
  check_third(
      kProdOneZero3, [](const Tensor& x) { return x.prod(); },
      tg::tensor({{0.9, -1.1, 0.7}, {1.2, 0.0, -0.8}}, tg::kDouble));
  check_third(
      kMlp3, [](const Tensor& x) { return x.matmul(W().t()).tanh().matmul(W()); }, X());
}

TEST_CASE("Hessian-vector products match PyTorch") {
  check_hvp(
      kHvpLogsumexp, [](const Tensor& x) { return x.logsumexp({1}).sum(); }, X());
  check_hvp(
      kHvpSoftmaxCe,
      [](const Tensor& x) {
        return -(x.log_softmax(1) * seq({3, 4}, 1.3).softmax(1)).sum();
      },
      X());
  check_hvp(
      kHvpMlp, [](const Tensor& x) { return x.matmul(W().t()).tanh().matmul(W()).pow(2).sum(); },
      X());
  check_hvp(
      kHvpProdZeros, [](const Tensor& x) { return x.prod(1).sum(); }, Z());
  check_hvp(
      kHvpNorm, [](const Tensor& x) { return x.norm() * x.sigmoid().sum(); }, X());
}

TEST_CASE("prod: second and third derivatives at zeros, in closed form") {
  // d2 prod / dx_i dx_j = product of the others but x_i, x_j; with zeros at 1 and 3 only the
  // (1, 3) entry survives. (PyTorch's prod() returns a constant zero gradient once two
  // elements are zero, so its Hessian here is 0; tapegrad's is exact.)
  auto x = tg::tensor({2.0, 0.0, 3.0, 0.0}, tg::kDouble).requires_grad_();
  auto fn = [](const tg::TensorList& in) { return in[0].prod(); };
  auto H = F::hessian(fn, {x}, true)[0][0];
  std::vector<double> want(16, 0.0);
  want[1 * 4 + 3] = want[3 * 4 + 1] = 6.0;
  check_near(H, want, "Hessian of prod, two zeros");
  // third: d/dx of H[1][3] = x0 * x2 is (x2, 0, x0, 0)
  auto t = tg::autograd::grad({H.select(0, 1).select(0, 3)}, {x})[0];
  check_near(t, {3.0, 0.0, 2.0, 0.0}, "third derivative of prod, two zeros");
  // one zero at 1: row/column 1 holds the products of the others, everything else is 0
  auto y = tg::tensor({2.0, 0.0, 3.0, -1.0}, tg::kDouble).requires_grad_();
  auto H1 = F::hessian(fn, {y})[0][0];
  check_near(H1.select(0, 1), {-3.0, 0.0, -2.0, 6.0}, "Hessian of prod, one zero, row 1");
  check_near(H1.select(0, 0), {0.0, -3.0, 0.0, 0.0}, "Hessian of prod, one zero, row 0");
  // gradgradcheck at zeros, all-elements and along a dim (prod is multilinear: differences
  // are exact up to rounding)
  auto r = tg::autograd::gradgradcheck(fn, {x});
  CHECK_MESSAGE(r, r.str());
  auto z = Z().requires_grad_();
  auto r2 =
      tg::autograd::gradgradcheck([](const tg::TensorList& in) { return in[0].prod(1); }, {z});
  CHECK_MESSAGE(r2, r2.str());
  auto r3 = tg::autograd::gradgradcheck(
      [](const tg::TensorList& in) { return tg::prod(in[0], 0, true); }, {z});
  CHECK_MESSAGE(r3, r3.str());
}

namespace {
// A helper in "user code": TG_HERE marks its body, so anomalies name this file and line.
Tensor user_model(const Tensor& x, int* line) {
  *line = __LINE__ + 1;
  TG_HERE;
  return x.sqrt() * 2.0;
}
}  // namespace

TEST_CASE("anomaly mode names the user's file:line where the op was recorded (TG_HERE)") {
  tg::autograd::DetectAnomalyGuard anomaly;
  int line = 0;
  // forward: sqrt(-1) is NaN
  auto bad = tg::tensor({-1.0, 4.0}, tg::kDouble).requires_grad_();
  auto err = test::error_of([&] { user_model(bad, &line); });
  CHECK(test::contains(err, "forward of sqrt"));
  CHECK(test::contains(err, "test_higher.cpp:" + std::to_string(line) + " in '"));
  CHECK(test::contains(err, "user_model"));
  // backward: sqrt'(0) is infinite; the site was kept on the entry when it was recorded, and
  // the sweep (outside any TG_HERE) still names it
  auto z = tg::tensor({0.0, 4.0}, tg::kDouble).requires_grad_();
  auto s = user_model(z, &line).sum();
  err = test::error_of([&] { s.backward(); });
  CHECK(test::contains(err, "backward of sqrt"));
  CHECK(test::contains(err, "test_higher.cpp:" + std::to_string(line)));
  // sites nest and unwind with their scopes
  CHECK(tg::autograd::CallSite::current() == nullptr);
  {
    TG_HERE;
    const int outer = __LINE__ - 1;
    {
      TG_HERE;
      CHECK(tg::autograd::CallSite::current()->line == unsigned(outer + 3));
    }
    CHECK(tg::autograd::CallSite::current()->line == unsigned(outer));
  }
  CHECK(tg::autograd::CallSite::current() == nullptr);
}

namespace {
// More "user code", with no marker: the line comes from the call stack kept in anomaly mode.
Tensor user_layer(const Tensor& x, int* line) {
  *line = __LINE__ + 1;
  return (x * 3.0).sqrt();
}
}  // namespace

TEST_CASE("anomaly mode names the user's file:line from the call stack, without a marker") {
#ifdef TG_EXPECT_SOURCE_LINES  // set by tests/meson.build when tapegrad found libdw
  REQUIRE(tg::autograd::anomaly_source_lines_supported());
#endif
  tg::autograd::DetectAnomalyGuard anomaly;
  auto here = [](int line) { return "test_higher.cpp:" + std::to_string(line) + " in '"; };
  if (!tg::autograd::anomaly_source_lines_supported()) {  // then the message says how to get a line
    auto w = tg::tensor({-1.0}, tg::kDouble).requires_grad_();
    CHECK(test::contains(test::error_of([&] { (void)w.log(); }), "put TG_HERE; before the op"));
    return;
  }
  // forward, an op called directly: log(-1) is NaN
  auto w = tg::tensor({-1.0, 2.0}, tg::kDouble).requires_grad_();
  int line = __LINE__ + 1;
  auto err = test::error_of([&] { (void)w.log(); });
  CHECK(test::contains(err, "forward of log"));
  CHECK(test::contains(err, here(line)));
  // forward through an operator and a helper of the user's: the helper's line, not tapegrad's
  int inner = 0;
  err = test::error_of([&] { user_layer(-w, &inner); });
  CHECK(test::contains(err, "forward of sqrt"));
  CHECK(test::contains(err, here(inner) + "user_layer'"));
  // backward: the stack was kept when the entry was recorded (sqrt'(0) is infinite)
  auto z = tg::tensor({0.0, 4.0}, tg::kDouble).requires_grad_();
  auto s = user_layer(z, &inner).sum();
  err = test::error_of([&] { s.backward(); });
  CHECK(test::contains(err, "backward of sqrt"));
  CHECK(test::contains(err, here(inner)));
  // through a module: the line that called it, not nn/linear.cpp
  tg::nn::Linear lin(2, 1);
  {
    tg::NoGradGuard no_grad;
    lin->weight.fill_(std::numeric_limits<double>::infinity());
    lin->bias.fill_(-std::numeric_limits<double>::infinity());
  }
  line = __LINE__ + 1;
  err = test::error_of([&] { (void)lin(tg::ones({1, 2})); });
  CHECK(test::contains(err, "anomaly detected: the forward of"));
  CHECK(test::contains(err, here(line)));
  CHECK_FALSE(test::contains(err, "linear.cpp"));
  // a TG_HERE site still wins over the stack
  err = test::error_of([&] { user_model(w, &line); });
  CHECK(test::contains(err, here(line)));
  CHECK(test::contains(err, "user_model"));
}

TEST_CASE("anomaly mode: an error in backward first warns where the op was recorded (libtorch)") {
  tg::autograd::DetectAnomalyGuard detect_anomaly;
  {
    test::WarningCapture warnings;
    auto x = tg::tensor({5.0}, tg::requires_grad());
    auto y = x * x;
    auto z = y * y;
    y += 1;
    CHECK(test::contains(test::error_of([&] { z.backward(); }), "inplace"));
    REQUIRE(warnings.msgs.size() == 1);
    CHECK(test::contains(warnings.msgs[0],
                         "Error detected in MulBackward0. Traceback of forward "
                         "call that caused the error:\n"));
  }
  // A NaN in a double backward: the failing entry was recorded by pow's backward, so a second
  // warning says where pow was recorded (x.pow(1.5) is tapegrad's PowBackward1, README).
  auto x = tg::tensor({0.0}, tg::requires_grad());
  auto y = x.pow(1.5);
  auto gr = tg::autograd::grad({y}, {x}, {}, /*retain_graph=*/true, /*create_graph=*/true);
  test::WarningCapture warnings;
  const std::string err =
      test::error_of([&] { tg::autograd::grad({gr[0]}, {x}, {tg::tensor({0.0})}); });
  CHECK(test::contains(err, "returned nan values in its 0th output"));
  REQUIRE(warnings.msgs.size() == 2);
  CHECK(test::contains(warnings.msgs[0], "Traceback of forward call that caused the error"));
  CHECK(test::contains(warnings.msgs[1],
                       "Previous calculation was induced by PowBackward1. "
                       "Traceback of forward call that induced the previous "
                       "calculation"));
}
