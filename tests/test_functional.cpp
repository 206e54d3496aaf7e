// Higher-order gradients and tg::autograd::functional, against closed forms.
#include <doctest/doctest.h>

#include <cmath>
#include <sstream>

#include "tapegrad.hpp"

using tg::Tensor;
namespace F = tg::autograd::functional;

static std::vector<double> values(const Tensor& t) {
  Tensor d = t.detach().to(tg::kDouble).reshape({-1});
  return {d.data_ptr<double>(), d.data_ptr<double>() + d.numel()};
}
static Tensor dbl(std::vector<double> v) { return tg::tensor(v, tg::kDouble); }

TEST_CASE("create_graph: second and third derivatives of x^3 and exp(x) sin(x)") {
  auto x = dbl({1.5}).requires_grad_();
  auto y = x.pow(3);
  auto g1 = tg::autograd::grad({y}, {x}, {}, true, true)[0];   // 3x^2
  auto g2 = tg::autograd::grad({g1}, {x}, {}, true, true)[0];  // 6x
  auto g3 = tg::autograd::grad({g2}, {x})[0];                  // 6
  CHECK(g1.item<double>() == doctest::Approx(6.75));
  CHECK(g2.item<double>() == doctest::Approx(9.0));
  CHECK(g3.item<double>() == doctest::Approx(6.0));
  auto z = x.exp() * x.sin();  // z'' = 2 e^x cos x
  auto d1 = tg::autograd::grad({z}, {x}, {}, true, true)[0];
  auto d2 = tg::autograd::grad({d1}, {x})[0];
  CHECK(d2.item<double>() == doctest::Approx(2 * std::exp(1.5) * std::cos(1.5)).epsilon(1e-13));
}

TEST_CASE("create_graph: backward(create_graph) leaves a differentiable .grad()") {
  auto x = dbl({0.3, -0.7}).requires_grad_();
  auto y = x.tanh().sum();
  y.backward({}, std::nullopt, true);
  auto g = x.grad();  // 1 - tanh^2
  REQUIRE(g.requires_grad());
  auto gg = tg::autograd::grad({g.sum()}, {x})[0];  // -2 tanh (1 - tanh^2)
  for (int i = 0; i < 2; ++i) {
    double v = values(x)[size_t(i)], t = std::tanh(v);
    CHECK(values(gg)[size_t(i)] == doctest::Approx(-2 * t * (1 - t * t)).epsilon(1e-13));
  }
}

TEST_CASE("gradgradcheck passes for smooth ops and catches a wrong second derivative") {
  tg::manual_seed(3);
  auto a = tg::randn({2, 3}, tg::kDouble).requires_grad_();
  auto b = tg::randn({3, 2}, tg::kDouble).requires_grad_();
  auto r = tg::autograd::gradgradcheck(
      [](const tg::TensorList& in) { return in[0].matmul(in[1]).tanh().softmax(1); }, {a, b});
  CHECK_MESSAGE(r, r.message);
  auto c = (tg::rand({4}, tg::kDouble) + 0.5).requires_grad_();
  auto r2 = tg::autograd::gradgradcheck(
      [](const tg::TensorList& in) { return (in[0].log() * in[0].sigmoid()).pow(2).sum(); }, {c});
  CHECK_MESSAGE(r2, r2.message);
}

TEST_CASE("gradcheck fast mode agrees with the full check") {
  auto x = dbl({0.2, 0.9, -1.3}).requires_grad_();
  auto good = [](const tg::TensorList& in) { return (in[0].exp() * in[0].cos()).sum({0}, true); };
  CHECK(tg::autograd::gradcheck_fast(good, {x}));
  CHECK(tg::autograd::gradcheck(good, {x}));
}

TEST_CASE("functional: jacobian, vjp, jvp of a vector function") {
  // f(x, y) = [x0 * y0, x1^2 + y0]
  auto f = [](const tg::TensorList& in) {
    return tg::stack({in[0][0] * in[1][0], in[0][1] * in[0][1] + in[1][0]});
  };
  auto x = dbl({2.0, 3.0}), y = dbl({5.0});
  auto J = F::jacobian(f, {x, y});
  REQUIRE(J.size() == 2);
  CHECK(J[0].sizes().vec() == std::vector<int64_t>{2, 2});
  CHECK(values(J[0]) == std::vector<double>{5, 0, 0, 6});
  CHECK(values(J[1]) == std::vector<double>{2, 1});
  auto [fx, vj] = F::vjp(f, {x, y}, dbl({1.0, 10.0}));
  CHECK(values(fx) == std::vector<double>{10, 14});
  CHECK(values(vj[0]) == std::vector<double>{5, 60});
  CHECK(values(vj[1]) == std::vector<double>{12});
  auto [fx2, jv] = F::jvp(f, {x, y}, {dbl({1.0, 1.0}), dbl({2.0})});
  CHECK(values(jv) == std::vector<double>{5 + 4, 6 + 2});
  CHECK_FALSE(x.requires_grad());  // the caller's tensors are untouched
}

TEST_CASE("functional: hessian, hvp and vhp of a scalar function") {
  // f(x) = sum(x^3) + x0 x1  =>  H = diag(6x) + [[0,1],[1,0]]
  auto f = [](const tg::TensorList& in) {
    return (in[0] * in[0] * in[0]).sum() + in[0][0] * in[0][1];
  };
  auto x = dbl({1.0, 2.0});
  auto H = F::hessian(f, {x});
  CHECK(values(H[0][0]) == std::vector<double>{6, 1, 1, 12});
  auto [fx, hv] = F::hvp(f, {x}, {dbl({1.0, -1.0})});
  CHECK(fx.item<double>() == doctest::Approx(11.0));
  CHECK(values(hv[0]) == std::vector<double>{5, -11});
  auto [fx2, vh] = F::vhp(f, {x}, {dbl({0.0, 1.0})});
  CHECK(values(vh[0]) == std::vector<double>{1, 12});
}

TEST_CASE("functional: Hessian-vector products match finite differences of gradients") {
  tg::manual_seed(7);
  auto w1 = tg::randn({3, 4}, tg::kDouble), w2 = tg::randn({4, 1}, tg::kDouble);
  auto xin = tg::randn({5, 3}, tg::kDouble);
  auto loss = [&](const tg::TensorList& in) {
    return xin.matmul(in[0]).tanh().matmul(in[1]).sigmoid().sum();
  };
  auto v1 = tg::randn({3, 4}, tg::kDouble), v2 = tg::randn({4, 1}, tg::kDouble);
  auto hv = F::hvp(loss, {w1, w2}, {v1, v2}).second;
  const double h = 1e-5;
  auto gplus = F::vjp(loss, {w1 + v1 * h, w2 + v2 * h}).second;
  auto gminus = F::vjp(loss, {w1 - v1 * h, w2 - v2 * h}).second;
  for (int k = 0; k < 2; ++k) {
    auto fd = (gplus[size_t(k)] - gminus[size_t(k)]) / (2 * h);
    CHECK(tg::allclose(hv[size_t(k)], fd, 1e-6, 1e-8));
  }
}

TEST_CASE("tape introspection: the table and the DOT graph show what was recorded") {
  auto x = dbl({1.0, 2.0}).requires_grad_();
  auto y = x * x;
  auto loss = (y + x).sum();
  std::ostringstream table;
  tg::autograd::print_tape(table);
  std::string t = table.str();
  CHECK(t.find("mul") != std::string::npos);
  CHECK(t.find("leaf,leaf") != std::string::npos);
  CHECK(t.find("live") != std::string::npos);
  std::string dot = tg::autograd::to_dot(loss);
  CHECK(dot.rfind("digraph tape {", 0) == 0);
  CHECK(dot.find(" sum\\n[]") != std::string::npos);
  CHECK(dot.find(" add\\n[2]") != std::string::npos);
  CHECK(dot.find("leaf [2]") != std::string::npos);
  loss.backward();
  std::ostringstream after;
  tg::autograd::print_tape(after);
  CHECK(after.str().find("released") != std::string::npos);
}

TEST_CASE("DetectAnomalyGuard: the first NaN in forward or backward throws, naming the op") {
  auto x = dbl({-1.0, 4.0}).requires_grad_();
  {
    tg::autograd::DetectAnomalyGuard anomaly;
    try {
      (void)x.log();  // log(-1) = NaN
      FAIL("expected tg::Error");
    } catch (const tg::Error& e) {
      CHECK(std::string(e.what()).find("forward of log") != std::string::npos);
    }
    auto z = dbl({0.0, 4.0}).requires_grad_();
    auto s = z.sqrt().sum();  // finite forward, infinite gradient at 0
    try {
      s.backward();
      FAIL("expected tg::Error");
    } catch (const tg::Error& e) {
      CHECK(std::string(e.what()).find("backward of sqrt") != std::string::npos);
    }
  }
  CHECK_FALSE(tg::autograd::anomaly_mode_enabled());
  (void)x.log();  // without the guard, NaN is just a value
}
