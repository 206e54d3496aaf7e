// tg::autograd::Function: user-defined ops with a hand-written backward, as libtorch's.
#include <doctest/doctest.h>

#include <cmath>

#include "autograd/tape.hpp"
#include "helpers.hpp"

using tg::Tensor;
using namespace tg::autograd;

namespace {

// y = k * x^3; saves the input, so its backward (written with tg:: ops) differentiates again.
struct Cube : Function<Cube> {
  static Tensor forward(AutogradContext* ctx, Tensor x, double k) {
    ctx->save_for_backward({x});
    ctx->saved_data["k"] = k;
    CHECK_FALSE(tg::GradMode::is_enabled());  // forward runs without recording
    return x * x * x * k;
  }
  static tensor_list backward(AutogradContext* ctx, tensor_list g) {
    Tensor x = ctx->get_saved_variables()[0];
    double k = ctx->saved_data["k"].toDouble();
    return {g[0] * x * x * (3 * k), Tensor()};
  }
};

// exp saves its output: the saved output is attached to the op's own entry for create_graph.
struct Exp : Function<Exp> {
  static Tensor forward(AutogradContext* ctx, Tensor x) {
    Tensor y = x.exp();
    ctx->save_for_backward({y});
    return y;
  }
  static tensor_list backward(AutogradContext* ctx, tensor_list g) {
    return {g[0] * ctx->get_saved_variables()[0]};
  }
};

// Two inputs, two outputs (sum and product), and a non-differentiable index output.
struct SumProd : Function<SumProd> {
  static variable_list forward(AutogradContext* ctx, Tensor a, Tensor b) {
    ctx->save_for_backward({a, b});
    Tensor idx = (a > b).to(tg::kLong);
    ctx->mark_non_differentiable({idx});
    return {a + b, a * b, idx};
  }
  static variable_list backward(AutogradContext* ctx, variable_list g) {
    auto s = ctx->get_saved_variables();
    return {g[0] + g[1] * s[1], g[0] + g[1] * s[0]};
  }
};

// A deliberately wrong backward: the derivative of sin is cos, not -cos at element 2.
struct BadSin : Function<BadSin> {
  static Tensor forward(AutogradContext* ctx, Tensor x) {
    ctx->save_for_backward({x});
    return x.sin();
  }
  static tensor_list backward(AutogradContext* ctx, tensor_list g) {
    Tensor x = ctx->get_saved_variables()[0];
    Tensor sign = tg::ones_like(x);
    sign.data_ptr<double>()[2] = -1;
    return {g[0] * x.cos() * sign};
  }
};

// Right first derivative, but the backward detaches x: no second derivative.
struct DetachedSin : Function<DetachedSin> {
  static Tensor forward(AutogradContext* ctx, Tensor x) {
    ctx->save_for_backward({x});
    return x.sin();
  }
  static tensor_list backward(AutogradContext* ctx, tensor_list g) {
    return {g[0] * ctx->get_saved_variables()[0].detach().cos()};
  }
};

}  // namespace

TEST_CASE("Function: one tape entry, values and first derivative") {
  auto x = test::seq({2, 3}, 0.4).requires_grad_();
  tg::Tape::get().collect();  // earlier tests' dead entries would be popped by the next record
  size_t before = tg::Tape::get().size();
  auto y = Cube::apply(x, 2.0);
  CHECK(tg::Tape::get().size() == before + 1);
  CHECK(std::string(tg::Tape::get().entry(y.unsafeGetTensorImpl()->node).op) ==
        "(anonymous namespace)::Cube");
  CHECK(y.requires_grad());
  (y * test::go({2, 3})).sum().backward();
  auto xs = x.detach(), w = test::go({2, 3});
  for (int64_t i = 0; i < 6; ++i) {
    double v = xs.data_ptr<double>()[i];
    CHECK(y.detach().data_ptr<double>()[i] == doctest::Approx(2 * v * v * v).epsilon(1e-14));
    CHECK(x.grad().data_ptr<double>()[i] ==
          doctest::Approx(6 * v * v * w.data_ptr<double>()[i]).epsilon(1e-14));
  }
}

TEST_CASE("Function: gradcheck and gradgradcheck like a built-in op") {
  auto x = test::seq({3, 2}, 0.1).requires_grad_();
  auto f = [](const tg::TensorList& in) { return Cube::apply(in[0], 1.5).sin(); };
  auto r1 = gradcheck(f, {x});
  CHECK_MESSAGE(r1, r1.message);
  auto r2 = gradgradcheck(f, {x});
  CHECK_MESSAGE(r2, r2.message);
  auto e = [](const tg::TensorList& in) { return Exp::apply(in[0] * 0.5); };
  auto r3 = gradgradcheck(e, {x});
  CHECK_MESSAGE(r3, r3.message);
  // third derivative of exp through its saved output: still exp
  auto z = test::seq({3}, 0.2).requires_grad_();
  auto d1 = grad({Exp::apply(z).sum()}, {z}, {}, true, true)[0];
  auto d2 = grad({d1.sum()}, {z}, {}, true, true)[0];
  auto d3 = grad({d2.sum()}, {z})[0];
  for (int64_t i = 0; i < 3; ++i)
    CHECK(d3.data_ptr<double>()[i] == doctest::Approx(std::exp(z.detach().data_ptr<double>()[i])));
}

TEST_CASE("Function: several outputs, a non-differentiable one, needs_input_grad") {
  auto a = test::seq({4}, 0.3).requires_grad_();
  auto b = test::seq({4}, 1.9);  // no grad
  auto outs = SumProd::apply(a, b);
  REQUIRE(outs.size() == 3);
  CHECK(outs[0].requires_grad());
  CHECK(outs[1].requires_grad());
  CHECK_FALSE(outs[2].requires_grad());
  CHECK(outs[2].scalar_type() == tg::kLong);
  (outs[1] * 2.0).sum().backward();  // only the product is used: its gradient alone arrives
  for (int64_t i = 0; i < 4; ++i)
    CHECK(a.grad().data_ptr<double>()[i] == doctest::Approx(2 * b.data_ptr<double>()[i]));
  auto bb = b.clone().requires_grad_();
  auto f = [](const tg::TensorList& in) {
    auto o = SumProd::apply(in[0], in[1]);
    return o[0].sin() * o[1];
  };
  auto r = gradcheck(f, {a, bb});
  CHECK_MESSAGE(r, r.message);
  auto r2 = gradgradcheck(f, {a, bb});
  CHECK_MESSAGE(r2, r2.message);

  struct Probe : Function<Probe> {
    static Tensor forward(AutogradContext* ctx, Tensor p, Tensor q) {
      ctx->saved_data["p"] = ctx->needs_input_grad(0);
      ctx->saved_data["q"] = ctx->needs_input_grad(1);
      return p + q;
    }
    static tensor_list backward(AutogradContext* ctx, tensor_list g) {
      CHECK(ctx->saved_data["p"].toBool());
      CHECK_FALSE(ctx->saved_data["q"].toBool());
      return {g[0], ctx->needs_input_grad(1) ? g[0] : Tensor()};
    }
  };
  Probe::apply(a, b).sum().backward();
}

TEST_CASE("Function: saved variables get the tape's version check; errors as libtorch") {
  auto x = test::seq({3}, 0.5).requires_grad_();
  auto h = x * 1.0;
  auto y = Cube::apply(h, 1.0);
  {
    tg::NoGradGuard no_grad;
    h.mul_(2.0);
  }
  auto err = test::error_of([&] { y.sum().backward(); });
  CHECK(test::contains(err, "modified by an inplace operation"));
  CHECK(test::contains(err, "Cube"));

  struct TooFew : Function<TooFew> {
    static Tensor forward(AutogradContext*, Tensor p, double) { return p * 2.0; }
    static tensor_list backward(AutogradContext*, tensor_list g) { return {g[0]}; }
  };
  err = test::error_of([&] { TooFew::apply(x, 1.0).sum().backward(); });
  CHECK(test::contains(err, "returned an incorrect number of gradients (expected 2, got 1)"));
  struct GradForDouble : Function<GradForDouble> {
    static Tensor forward(AutogradContext*, Tensor p, double) { return p * 2.0; }
    static tensor_list backward(AutogradContext*, tensor_list g) { return {g[0], g[0]}; }
  };
  err = test::error_of([&] { GradForDouble::apply(x, 1.0).sum().backward(); });
  CHECK(test::contains(err, "position 2, but the corresponding forward input was not a Variable"));
  struct WrongShape : Function<WrongShape> {
    static Tensor forward(AutogradContext*, Tensor p) { return p.sum(); }
    static tensor_list backward(AutogradContext*, tensor_list g) { return {g[0].expand({5})}; }
  };
  err = test::error_of([&] { WrongShape::apply(x).backward(); });
  CHECK(test::contains(
      err, "invalid gradient at index 0 - got [5] but expected shape compatible with [3]"));
  // a broadcast gradient is summed back, as libtorch does
  struct Broadcast : Function<Broadcast> {
    static Tensor forward(AutogradContext*, Tensor p) { return p.sum(); }
    static tensor_list backward(AutogradContext*, tensor_list g) { return {g[0].expand({2, 3})}; }
  };
  auto x2 = test::seq({3}, 0.5).requires_grad_();
  Broadcast::apply(x2).backward();
  CHECK(x2.grad().data_ptr<double>()[1] == doctest::Approx(2.0));

  tg::autograd::IValue v = int64_t(3);
  CHECK(v.toInt() == 3);
  CHECK(test::contains(test::error_of([&] { v.toDouble(); }), "expected Double but got Int"));
  tg::autograd::IValue s = "name";
  CHECK(s.isString());
  CHECK(s.toStringRef() == "name");
}

TEST_CASE("Function: no record without grad; identity forward does not re-base its input") {
  auto x = test::seq({3}, 0.5);
  size_t before = tg::Tape::get().size();
  auto y = Cube::apply(x, 1.0);
  CHECK_FALSE(y.requires_grad());
  CHECK(tg::Tape::get().size() == before);

  struct Identity : Function<Identity> {
    static Tensor forward(AutogradContext*, Tensor p) { return p; }
    static tensor_list backward(AutogradContext*, tensor_list g) { return {g[0] * 3.0}; }
  };
  auto leaf = test::seq({3}, 0.5).requires_grad_();
  auto out = Identity::apply(leaf);
  CHECK(leaf.is_leaf());
  CHECK_FALSE(out.is_leaf());
  out.sum().backward();
  CHECK(leaf.grad().data_ptr<double>()[0] == doctest::Approx(3.0));
}

TEST_CASE("gradcheck report names the element a wrong custom backward gets wrong") {
  auto x = test::seq({5}, 0.3).requires_grad_();
  auto r = gradcheck([](const tg::TensorList& in) { return BadSin::apply(in[0]); }, {x});
  CHECK_FALSE(r);
  CHECK(r.input == 0);
  CHECK(r.index == 2);
  CHECK(r.output == 2);
  double c = std::cos(x.detach().data_ptr<double>()[2]);
  CHECK(r.analytic == doctest::Approx(-c));
  CHECK(r.numeric == doctest::Approx(c).epsilon(1e-8));
  // the per-element list: exactly the one wrong element, and the printed report names it
  REQUIRE(r.failures.size() == 1);
  CHECK(r.failures[0].index == 2);
  CHECK(r.failures[0].abs_err == doctest::Approx(2 * std::abs(c)).epsilon(1e-6));
  CHECK_FALSE(r.failures[0].kink);
  CHECK(r.checked == 25);
  const std::string printed = doctest::toString(r).c_str();  // what CHECK(r) would print
  CHECK(test::contains(printed, "gradcheck FAILED (25 Jacobian elements"));
  CHECK(test::contains(printed, "1 failing elements:\n    input 0 element 2 -> output element 2"));
  // gradgradcheck checks the backward's own derivative: a backward that detaches its saved
  // input has right first derivatives but no second ones, and every d(v^T J)/dx entry fails
  auto r1 = gradcheck([](const tg::TensorList& in) { return DetachedSin::apply(in[0]); }, {x});
  CHECK_MESSAGE(r1, r1.str());
  auto r2 = gradgradcheck([](const tg::TensorList& in) { return DetachedSin::apply(in[0]); }, {x});
  CHECK_FALSE(r2);
  CHECK(r2.failures.size() == 5);  // the diagonal of d(v^T J)/dx, input 0
  for (const auto& f : r2.failures) CHECK(f.input == 0);
  CHECK(test::contains(r2.str(), "gradgradcheck FAILED"));
}

namespace {
// |x| with the derivative at 0 chosen by the caller (a valid subgradient lies in [-1, 1]).
struct AbsAt0 : Function<AbsAt0> {
  static Tensor forward(AutogradContext* ctx, Tensor x, double slope0) {
    ctx->save_for_backward({x});
    ctx->saved_data["s"] = slope0;
    return x.abs();
  }
  static tensor_list backward(AutogradContext* ctx, tensor_list g) {
    Tensor x = ctx->get_saved_variables()[0];
    Tensor slope = tg::where(x == 0.0, ctx->saved_data["s"].toDouble(), x.sign());
    return {g[0] * slope, Tensor()};
  }
};
}  // namespace

TEST_CASE("gradcheck at kinks: excused when the analytic slope is one-sided, listed apart") {
  auto x = tg::tensor({0.0, 0.5, -0.5}, tg::kDouble).requires_grad_();
  auto relu = [](const tg::TensorList& in) { return in[0].relu(); };
  auto r = gradcheck(relu, {x});  // relu'(0) = 0, between the one-sided slopes 0 and 1
  CHECK_MESSAGE(r, r.str());
  REQUIRE(r.kinks.size() == 1);
  CHECK(r.kinks[0].index == 0);
  CHECK(r.kinks[0].kink);
  CHECK(r.kinks[0].backward == doctest::Approx(0.0));
  CHECK(r.kinks[0].forward == doctest::Approx(1.0));
  CHECK(r.kinks[0].numeric == doctest::Approx(0.5));
  CHECK(test::contains(r.str(), "1 elements at kinks"));
  auto strict = gradcheck(relu, {x}, 1e-6, 1e-5, 1e-3, /*allow_kinks=*/false);
  CHECK_FALSE(strict);
  REQUIRE(strict.failures.size() == 1);
  CHECK(strict.failures[0].kink);
  // a slope outside [-1, 1] at the kink of |x| is wrong even with kinks allowed
  auto good = gradcheck([](const tg::TensorList& in) { return AbsAt0::apply(in[0], 0.3); }, {x});
  CHECK_MESSAGE(good, good.str());
  auto bad = gradcheck([](const tg::TensorList& in) { return AbsAt0::apply(in[0], 5.0); }, {x});
  CHECK_FALSE(bad);
  REQUIRE(bad.failures.size() == 1);
  CHECK(bad.failures[0].index == 0);
  CHECK(bad.failures[0].kink);
  CHECK(test::contains(bad.str(), "(kink: one-sided -1 | 1)"));
}
