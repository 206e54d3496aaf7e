// The elementwise kernels (autograd/kernels.hpp): every broadcast layout against a plain loop,
// tails that are not a whole SIMD batch, xsimd's float64 transcendentals against libm, the
// in-place fast path (aliasing, versions) and the fused optimizer and backward passes.
#include <doctest/doctest.h>

#include <cmath>
#include <vector>

#include "helpers.hpp"
#include "tapegrad.hpp"

using tg::Tensor;

static std::vector<double> values(const Tensor& t) {
  Tensor d = t.detach().to(tg::kDouble).contiguous().reshape({-1});
  return {d.data_ptr<double>(), d.data_ptr<double>() + d.numel()};
}

// a op b over the broadcast of shapes (as, bs) computed by the kernel and by an index loop.
static void check_broadcast(std::vector<int64_t> as, std::vector<int64_t> bs, tg::ScalarType t) {
  Tensor a = test::seq(as, 0.3, 2.0, 0.1).to(t), b = test::seq(bs, 1.1, 1.5, 2.5).to(t);
  Tensor sum = a + b * 0.5, prod = a * b, quot = a / b;
  Tensor ea = a.expand(sum.sizes()).contiguous(), eb = b.expand(sum.sizes()).contiguous();
  std::vector<double> x = values(ea), y = values(eb), s = values(sum), p = values(prod),
                      q = values(quot);
  REQUIRE(s.size() == x.size());
  const double tol = t == tg::kFloat ? 1e-6 : 1e-15;
  for (size_t i = 0; i < x.size(); ++i) {
    CHECK(s[i] == doctest::Approx(x[i] + y[i] * 0.5).epsilon(tol));
    CHECK(p[i] == doctest::Approx(x[i] * y[i]).epsilon(tol));
    CHECK(q[i] == doctest::Approx(x[i] / y[i]).epsilon(tol));
  }
}

TEST_CASE("kernels: every broadcast layout, with tails shorter than a SIMD batch") {
  for (tg::ScalarType t : {tg::kFloat, tg::kDouble}) {
    check_broadcast({37}, {37}, t);               // same shape, 4 batches + a tail
    check_broadcast({5, 11}, {11}, t);            // row broadcast
    check_broadcast({5, 11}, {5, 1}, t);          // column broadcast (inner stride 0)
    check_broadcast({5, 1}, {1, 11}, t);          // outer product
    check_broadcast({3}, {}, t);                  // tensor with a 0-d tensor
    check_broadcast({}, {2, 9}, t);               // 0-d with a tensor
    check_broadcast({2, 3, 1, 4}, {3, 5, 1}, t);  // four dims, both sides broadcast
  }
  Tensor c = tg::maximum(tg::tensor({1.0, double(NAN), 3.0}), tg::tensor({2.0, 0.0, double(NAN)}));
  std::vector<double> m = values(c);
  CHECK(m[0] == 2.0);
  CHECK(std::isnan(m[1]));  // NaN wins on either side, as in PyTorch
  CHECK(std::isnan(m[2]));
}

TEST_CASE("kernels: float64 transcendentals agree with libm; results do not depend on position") {
  Tensor x = tg::linspace(-30, 30, 1001, tg::kDouble);
  auto check = [&](Tensor y, auto ref) {
    std::vector<double> xs = values(x), ys = values(y);
    for (size_t i = 0; i < xs.size(); ++i)
      CHECK(ys[i] == doctest::Approx(ref(xs[i])).epsilon(1e-14));
  };
  check(x.exp(), [](double v) { return std::exp(v); });
  check(x.tanh(), [](double v) { return std::tanh(v); });
  check(x.sigmoid(), [](double v) { return 1 / (1 + std::exp(-v)); });
  check(tg::log_sigmoid(x),
        [](double v) { return std::min(v, 0.0) - std::log1p(std::exp(-std::abs(v))); });
  Tensor p = x.abs() + 1e-3;
  std::vector<double> ps = values(p), logs = values(p.log()), log1ps = values(p.log1p());
  for (size_t i = 0; i < ps.size(); ++i) {
    CHECK(logs[i] == doctest::Approx(std::log(ps[i])).epsilon(1e-14));
    CHECK(log1ps[i] == doctest::Approx(std::log1p(ps[i])).epsilon(1e-14));
  }
  // log_sigmoid stays finite where exp overflows
  std::vector<double> big = values(tg::log_sigmoid(tg::tensor({-1000.0, 1000.0}, tg::kDouble)));
  CHECK(big[0] == -1000.0);
  CHECK(big[1] == 0.0);
  // An element gives the same bits in the SIMD body and in the padded tail.
  Tensor v = test::seq({19}, 0.2, 3.0);
  std::vector<double> whole = values(v.exp());
  for (int64_t i = 0; i < 19; ++i) CHECK(values(v.narrow(0, i, 1).exp())[0] == whole[size_t(i)]);
}

TEST_CASE("kernels: in-place ops write into self, and read a partly overlapping operand first") {
  tg::NoGradGuard no_grad;
  Tensor x = test::seq({3, 4}, 0.5);
  std::vector<double> before = values(x);
  const int64_t version = x._version();
  x.add_(x[0]);  // x[0] shares x's storage: computed out of place, then written
  std::vector<double> after = values(x);
  for (size_t i = 0; i < 12; ++i) CHECK(after[i] == before[i] + before[i % 4]);
  CHECK(x._version() == version + 1);
  const void* data = x.data_ptr<double>();
  x.mul_(2.0).sub_(x, 0.5).div_(tg::full({4}, 4.0, tg::kDouble));  // the fast path
  CHECK(x.data_ptr<double>() == data);
  CHECK(x._version() == version + 4);
  std::vector<double> last = values(x);
  for (size_t i = 0; i < 12; ++i) CHECK(last[i] == doctest::Approx(after[i] * 2 * 0.5 / 4));
  // dtype rules are those of the out-of-place op
  Tensor n = tg::tensor({1, 2});
  CHECK(test::contains(test::error_of([&] { n.mul_(0.5); }), "can't be cast"));
}

TEST_CASE("kernels: a fused optimizer step bumps versions, so stale saved values are caught") {
  Tensor w = test::seq({2, 3}, 0.1).requires_grad_(true);
  tg::optim::Adam adam({w}, tg::optim::AdamOptions(0.1));
  Tensor y = (w * w).sum();  // saves w
  y.backward({}, /*retain_graph=*/true);
  const int64_t version = w._version();
  adam.step();
  CHECK(w._version() == version + 1);
  CHECK(test::contains(test::error_of([&] { y.backward(); }), "modified by an inplace"));
}

TEST_CASE("kernels: fused backward passes agree with the recorded formulas (create_graph)") {
  Tensor x = test::seq({7, 3}, 0.4, 3.0).requires_grad_(true);
  Tensor g = test::seq({7, 3}, 1.3);
  for (auto f :
       {+[](const Tensor& v) { return v.relu(); }, +[](const Tensor& v) { return v.sigmoid(); },
        +[](const Tensor& v) { return v.tanh(); },
        +[](const Tensor& v) { return tg::log_sigmoid(v); },
        +[](const Tensor& v) {
          return v.sum({1}, true).expand({7, 3});
        }}) {
    Tensor fused = tg::autograd::grad({f(x)}, {x}, {g})[0];
    Tensor formula = tg::autograd::grad({f(x)}, {x}, {g}, true, /*create_graph=*/true)[0];
    CHECK(tg::allclose(fused, formula.detach(), 1e-14, 0));  // an FMA may round once less
  }
}
