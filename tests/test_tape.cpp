// The tape's semantics: accumulation, graphs side by side, retain_graph, grad mode, version
// counters, hooks, autograd::grad, collection of dropped outputs, flat memory in a loop.
#include <doctest/doctest.h>

#include <cmath>

#include "autograd/tape.hpp"
#include "tapegrad.hpp"

using tg::Tensor;

static Tensor leaf(std::vector<double> v) {
  return tg::tensor(v, tg::dtype(tg::kDouble).requires_grad(true));
}
static std::vector<double> values(const Tensor& t) {
  Tensor d = t.detach().to(tg::kDouble).reshape({-1});
  return {d.data_ptr<double>(), d.data_ptr<double>() + d.numel()};
}

TEST_CASE("tape: reused subexpression y = x*x + x accumulates both paths") {
  auto x = leaf({1.0, -2.0, 3.0});
  auto y = x * x + x;  // dy/dx = 2x + 1
  y.sum().backward();
  CHECK(values(x.grad()) == std::vector<double>{3.0, -3.0, 7.0});
}

TEST_CASE("tape: the same leaf used by several ops gets the sum of their gradients") {
  auto x = leaf({2.0});
  auto z = x.exp() * x.sin() + x.pow(3);  // e^x sin x + x^3
  z.backward();
  double v = 2.0, want = std::exp(v) * std::sin(v) + std::exp(v) * std::cos(v) + 3 * v * v;
  CHECK(x.grad().item<double>() == doctest::Approx(want).epsilon(1e-14));
}

TEST_CASE("tape: gradients accumulate across backward calls until zeroed") {
  auto x = leaf({1.0, 2.0});
  (x * 3).sum().backward();
  (x * x).sum().backward();
  CHECK(values(x.grad()) == std::vector<double>{5.0, 7.0});
  x.mutable_grad().zero_();
  (x * 2).sum().backward();
  CHECK(values(x.grad()) == std::vector<double>{2.0, 2.0});
}

TEST_CASE("tape: backward twice without retain_graph is a clear error") {
  auto x = leaf({1.0, 2.0});
  auto y = (x * x).sum();
  y.backward();
  try {
    y.backward();
    FAIL("expected tg::Error");
  } catch (const tg::Error& e) {
    CHECK(std::string(e.what()).find("second time") != std::string::npos);
  }
}

TEST_CASE("tape: retain_graph keeps the graph for a second backward") {
  auto x = leaf({1.0, 2.0});
  auto y = (x * x).sum();
  y.backward({}, true);
  y.backward();
  CHECK(values(x.grad()) == std::vector<double>{4.0, 8.0});
}

TEST_CASE("tape: two graphs side by side do not interfere") {
  auto a = leaf({1.0});
  auto b = leaf({2.0});
  auto ya = (a * a * 5).sum();  // recorded first
  auto yb = (b * b * b).sum();  // recorded after, not yet swept
  ya.backward();
  CHECK(a.grad().item<double>() == doctest::Approx(10.0));
  CHECK_FALSE(b.grad().defined());  // not reached by ya's sweep
  yb.backward();                    // still usable: ya's backward did not free it
  CHECK(b.grad().item<double>() == doctest::Approx(12.0));
}

TEST_CASE("tape: a graph kept for a later backward survives other steps") {
  auto w = leaf({0.5});
  auto kept = (w * w).sum();  // backward later
  for (int i = 0; i < 50; ++i) {
    auto tmp = (w * 3.0).sum();
    tmp.backward();
  }
  w.mutable_grad().zero_();
  kept.backward();
  CHECK(w.grad().item<double>() == doctest::Approx(1.0));
}

TEST_CASE("tape: NoGradGuard and detach record nothing") {
  auto x = leaf({1.0, 2.0});
  size_t before = tg::Tape::get().size();
  {
    tg::NoGradGuard guard;
    auto y = x * x;
    CHECK_FALSE(y.requires_grad());
    CHECK(tg::Tape::get().size() == before);
  }
  auto d = x.detach();
  auto z = d * d;
  CHECK_FALSE(z.requires_grad());
  CHECK(z.is_leaf());
  CHECK(tg::Tape::get().size() == before);
  CHECK(tg::GradMode::is_enabled());
}

TEST_CASE("tape: modifying a saved tensor in place makes backward throw, naming the op") {
  auto x = leaf({1.0, 2.0});
  auto y = x * 2;    // non-leaf
  auto z = y.exp();  // saves its output
  auto w = y * y;    // saves y
  y.add_(1.0);       // bumps y's version
  try {
    w.sum().backward();
    FAIL("expected tg::Error");
  } catch (const tg::Error& e) {
    std::string msg = e.what();
    CHECK(msg.find("inplace") != std::string::npos);
    CHECK(msg.find("mul") != std::string::npos);
  }
  CHECK(z.requires_grad());
}

TEST_CASE("tape: in-place on a leaf that requires grad is refused, allowed under NoGradGuard") {
  auto x = leaf({1.0, 2.0});
  CHECK_THROWS_AS(x.add_(1.0), tg::Error);
  {
    tg::NoGradGuard g;
    x.add_(1.0);
  }
  CHECK(values(x) == std::vector<double>{2.0, 3.0});
  CHECK(x._version() == 1);
}

TEST_CASE("tape: in-place on a non-leaf is recorded (add_ re-bases the tensor)") {
  auto x = leaf({1.0, 2.0});
  auto y = x * 3;
  y.add_(x);    // y = 3x + x
  y.mul_(2.0);  // y = 8x
  y.sum().backward();
  CHECK(values(x.grad()) == std::vector<double>{8.0, 8.0});
}

TEST_CASE("tape: retain_grad and hooks on non-leaves and leaves") {
  auto x = leaf({1.0, 2.0});
  auto y = x * x;
  y.retain_grad();
  Tensor seen;
  y.register_hook([&](const Tensor& g) { seen = g.clone(); });
  x.register_hook([](const Tensor& g) { return g * 10; });  // replaces x's gradient
  (y * 3).sum().backward();
  CHECK(values(y.grad()) == std::vector<double>{3.0, 3.0});
  CHECK(values(seen) == std::vector<double>{3.0, 3.0});
  CHECK(values(x.grad()) == std::vector<double>{60.0, 120.0});
}

TEST_CASE("tape: autograd::grad returns gradients without touching .grad()") {
  auto x = leaf({1.0, 2.0});
  auto y = leaf({3.0});
  auto z = (x * y).sum();
  auto g = tg::autograd::grad({z}, {x, y});
  REQUIRE(g.size() == 2);
  CHECK(values(g[0]) == std::vector<double>{3.0, 3.0});
  CHECK(values(g[1]) == std::vector<double>{3.0});
  CHECK_FALSE(x.grad().defined());
  auto unused = leaf({1.0});
  auto z2 = (x * 2).sum();
  CHECK_THROWS_AS(tg::autograd::grad({z2}, {unused}), tg::Error);
  auto ok = tg::autograd::grad({(x * 2).sum()}, {unused}, {}, std::nullopt, false, true);
  CHECK_FALSE(ok[0].defined());
}

TEST_CASE("tape: autograd::grad with respect to a non-leaf") {
  auto x = leaf({1.0, 2.0});
  auto h = x * x;
  auto z = (h * h).sum();  // dz/dh = 2h
  auto g = tg::autograd::grad({z}, {h});
  CHECK(values(g[0]) == std::vector<double>{2.0, 8.0});
}

TEST_CASE("tape: backward with an explicit gradient for a non-scalar output") {
  auto x = leaf({1.0, 2.0, 3.0});
  auto y = x * x;
  y.backward(tg::tensor({1.0, 0.5, 0.0}, tg::kDouble));
  CHECK(values(x.grad()) == std::vector<double>{2.0, 2.0, 0.0});
  auto y2 = x * 2;
  CHECK_THROWS_AS(y2.backward(), tg::Error);  // implicit gradient needs one element
  CHECK_THROWS_AS(y2.backward(tg::ones({2}, tg::kDouble)), tg::Error);  // wrong shape
}

TEST_CASE("tape: backward on a tensor that does not require grad is an error") {
  auto x = tg::tensor({1.0, 2.0});
  CHECK_THROWS_AS((x * 2).sum().backward(), tg::Error);
}

TEST_CASE("tape: an error mid-sweep leaves no stale gradients behind") {
  auto x = leaf({1.0, 2.0});
  auto y = x * 2;
  auto w = y * y;
  y.add_(1.0);
  CHECK_THROWS_AS(w.sum().backward(), tg::Error);
  auto v = (x * 5).sum();
  v.backward();
  CHECK(values(x.grad()) == std::vector<double>{5.0, 5.0});
}

TEST_CASE("tape: outputs dropped without backward are collected") {
  auto w = leaf({0.5, -0.5});
  size_t start = tg::Tape::get().size();
  for (int i = 0; i < 5000; ++i) {
    auto metric = (w * w).sum();  // never backwarded: dies at the end of the iteration
    (void)metric;
  }
  CHECK(tg::Tape::get().size() <= start + 2);
  // Outputs kept alive keep their history (and only that).
  std::vector<Tensor> kept;
  for (int i = 0; i < 3000; ++i) {
    auto m = (w * double(i)).sum();
    if (i % 1000 == 0) kept.push_back(m);
  }
  CHECK(tg::Tape::get().size() <= start + 2 * 1024 + 16);
  kept[2].backward();
  CHECK(values(w.grad()) == std::vector<double>{2000.0, 2000.0});
}

TEST_CASE("tape: an in-place op on a tensor its own op saved is still collected") {
  // mul saves its inputs as they are (no alias); y.mul_(w) makes the saved y the entry's output,
  // which must not keep itself alive.
  auto w = leaf({0.5, -0.5});
  size_t start = tg::Tape::get().size();
  for (int i = 0; i < 3000; ++i) {
    auto y = w * 2.0;
    y.mul_(w);
  }
  CHECK(tg::Tape::get().size() <= start + 2);
  auto y = w * 2.0;
  y.mul_(w);
  CHECK_THROWS_AS(y.sum().backward(), tg::Error);  // y was saved, then overwritten
}

TEST_CASE("tape: an op that saves its own output is collected once the output is dropped") {
  // tanh keeps its output itself for backward; that reference must not keep the entry alive,
  // nor may it once an in-place op re-bases the output onto a new entry.
  auto w = leaf({0.5, -0.5});
  size_t start = tg::Tape::get().size();
  for (int i = 0; i < 3000; ++i) {
    auto y = w.tanh();
    auto z = w.tanh();
    z.add_(1.0);
  }
  CHECK(tg::Tape::get().size() <= start + 2);
  auto z = w.tanh();
  z.add_(1.0);
  CHECK_THROWS_AS(z.sum().backward(), tg::Error);  // tanh's saved output was overwritten
  auto y = w.tanh();
  y.sum().backward();
  const double t = std::tanh(0.5);
  CHECK(values(w.grad())[0] == doctest::Approx(1 - t * t).epsilon(1e-15));
}

TEST_CASE("tape: backward reuses a gradient's buffer only when nothing else can see it") {
  auto x = leaf({0.5, -1.0});
  // A gradient the user passes in stays as it was.
  auto gy = tg::tensor({2.0, 3.0}, tg::kDouble);
  auto y = x.tanh().sigmoid();
  y.backward(gy);
  CHECK(values(gy) == std::vector<double>{2.0, 3.0});
  // retain_grad's copy and a hook's captured gradient keep their values while the sweep
  // goes on through tanh and mul.
  x.mutable_grad() = Tensor();
  auto a = x.tanh();
  auto b = a.sigmoid();
  b.retain_grad();
  Tensor seen;
  b.register_hook([&seen](const Tensor& g) {
    seen = g;
    return Tensor();
  });
  auto c = (b * 3.0).relu().sum();
  c.backward();
  CHECK(values(b.grad()) == std::vector<double>{3.0, 3.0});
  CHECK(values(seen) == std::vector<double>{3.0, 3.0});
  std::vector<double> want;
  for (double v : {0.5, -1.0}) {
    const double t = std::tanh(v), s = 1 / (1 + std::exp(-t));
    want.push_back(3.0 * s * (1 - s) * (1 - t * t));
  }
  CHECK(values(x.grad())[0] == doctest::Approx(want[0]).epsilon(1e-14));
  CHECK(values(x.grad())[1] == doctest::Approx(want[1]).epsilon(1e-14));
}

TEST_CASE("tape: mm, bmm and linear add into a leaf's .grad in place only when nothing sees it") {
  // Each product's backward may add straight into an existing .grad (a gemm with beta = 1).
  // Whichever way the sum is formed, it must equal old .grad + this backward's gradient, which
  // autograd::grad computes without touching .grad.
  auto mat = [](int64_t r, int64_t c, double phase) {
    return tg::sin(tg::arange(r * c, tg::kDouble) * 0.7 + phase).reshape({r, c}).requires_grad_();
  };
  for (int64_t k : {3, 64}) {  // the small loops and OpenBLAS
    auto a = mat(5, k, 0.1), b = mat(k, 6, 0.2), w = mat(4, k, 0.3);
    auto bias = mat(1, 4, 0.4).reshape({4}).detach().requires_grad_();
    auto loss = [&] {  // a feeds two products: its .grad is lent twice in one sweep
      auto y = a.mm(b) * 1.5 + tg::nn::functional::linear(a, w, bias).sum();
      return (y * y).sum();
    };
    loss().backward();
    const std::vector<Tensor> ps{a, b, w, bias};
    auto more = tg::autograd::grad({loss()}, ps);
    std::vector<Tensor> before;
    for (auto& p : ps) before.push_back(p.grad().clone());
    CHECK(values(a.grad()) == values(before[0]));  // autograd::grad left .grad alone
    Tensor held = b.grad();  // a second handle: b's gradient takes the ordinary path
    auto b_ptr = held.raw_data();
    SUBCASE("plain backward") { loss().backward(); }
    SUBCASE("anomaly mode") {
      tg::autograd::DetectAnomalyGuard anomaly;
      loss().backward();
    }
    for (size_t i = 0; i < ps.size(); ++i) {
      auto got = values(ps[i].grad()), want = values(before[i] + more[i]);
      REQUIRE(got.size() == want.size());
      for (size_t j = 0; j < got.size(); ++j)
        CHECK(got[j] == doctest::Approx(want[j]).epsilon(1e-12));
    }
    CHECK(held.raw_data() == b_ptr);          // added in place (as libtorch)...
    CHECK(values(held) == values(b.grad()));  // ...so the held handle sees the sum
    CHECK_FALSE(a.grad().requires_grad());
  }
  // A leaf used by both operands (a.mm(a)) is lent once; its other part is added at the end.
  auto sq = mat(4, 4, 0.5);
  sq.mm(sq).sum().backward();
  auto first = sq.grad().clone();
  sq.mm(sq).sum().backward();
  auto got = values(sq.grad()), want = values(first * 2.0);
  for (size_t j = 0; j < got.size(); ++j) CHECK(got[j] == doctest::Approx(want[j]).epsilon(1e-14));
  // bmm, and create_graph: there .grad becomes old + new as a recorded sum, not in place.
  auto p = mat(2, 6, 0.6).reshape({2, 3, 2}).detach().requires_grad_();
  auto q = mat(2, 4, 0.7).reshape({2, 2, 2}).detach().requires_grad_();
  (p.bmm(q) * p.bmm(q)).sum().backward();
  auto p1 = p.grad().clone();
  (p.bmm(q) * p.bmm(q)).sum().backward({}, std::nullopt, true);
  CHECK(p.grad().requires_grad());
  got = values(p.grad()), want = values(p1 * 2.0);
  for (size_t j = 0; j < got.size(); ++j) CHECK(got[j] == doctest::Approx(want[j]).epsilon(1e-14));
}

TEST_CASE("tape: a number operand saves nothing and passes gradients exactly") {
  auto x = leaf({1.5, -2.0});
  auto y = ((x + 0.25) * 3.0 - 1.0) / 4.0;  // each records one input: x's history only
  CHECK(tg::Tape::get().entry(y.unsafeGetTensorImpl()->node).n_in == 1);
  y.sum().backward();
  CHECK(values(x.grad()) == std::vector<double>{0.75, 0.75});
  CHECK(values(y) == std::vector<double>{(1.75 * 3.0 - 1.0) / 4.0, (-1.75 * 3.0 - 1.0) / 4.0});
}

TEST_CASE("tape: a 100000-step training loop keeps the tape flat") {
  auto w = tg::zeros({3, 1}, tg::kDouble).requires_grad_();
  auto b = tg::zeros({1}, tg::kDouble).requires_grad_();
  auto x = tg::arange(12, tg::kDouble).reshape({4, 3}).sin();
  auto y = tg::arange(4, tg::kDouble).reshape({4, 1}).cos();
  size_t start = tg::Tape::get().size(), peak = 0;
  double first = 0, last = 0;
  for (int step = 0; step < 100000; ++step) {
    auto loss = (x.matmul(w) + b - y).pow(2).mean();
    if (w.grad().defined()) w.mutable_grad().zero_(), b.mutable_grad().zero_();
    loss.backward();
    {
      tg::NoGradGuard g;
      w.sub_(w.grad() * 0.05);
      b.sub_(b.grad() * 0.05);
    }
    auto metric = (x.matmul(w) - y).abs().mean();  // a dropped output with a history
    (void)metric;
    if (step == 0) first = loss.item<double>();
    last = loss.item<double>();
    peak = std::max(peak, tg::Tape::get().size());
  }
  CHECK(peak <= start + 16);
  CHECK(tg::Tape::get().live_entries() <= start + 16);
  CHECK(last < first);
}

TEST_CASE("tape: writes through views of recorded tensors are refused, not silently wrong") {
  auto x = leaf({1.0, 2.0, 3.0, 4.0});
  auto y = x * 1.0;
  // Writing through a view would change y behind its recorded history.
  CHECK_THROWS_AS(y.narrow(0, 0, 2).mul_(2.0), tg::Error);
  // A recorded in-place write into the base makes older views stale for the graph.
  auto v = y.reshape({2, 2});
  y.mul_(2.0);
  CHECK_THROWS_AS((v * 1.0).sum().backward(), tg::Error);
  auto fresh = y.reshape({2, 2});
  (fresh * 1.0).sum().backward();
  CHECK(values(x.grad()) == std::vector<double>{2.0, 2.0, 2.0, 2.0});
}

TEST_CASE("tape: views of parameters stay usable across NoGradGuard updates") {
  auto w = leaf({1.0, 2.0});
  auto v = w.reshape({2, 1});
  {
    tg::NoGradGuard g;
    w.add_(1.0);  // an optimizer step
  }
  (v * v).sum().backward();  // v sees the new values and its history is still right
  CHECK(values(w.grad()) == std::vector<double>{4.0, 6.0});
}
