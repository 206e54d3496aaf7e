// Elementwise ops of api.md Tier 1: values and gradients, float64 (plus float32/ rows).
#include "common.hpp"

using Shp = std::vector<int64_t>;

int main() {
  // Broadcasting pairs: each one reduces the gradient back to the input shape differently
  // (none, leading dim, both sides, a middle dim of size 1, a 0-d tensor on either side).
  const std::vector<std::pair<Shp, Shp>> pairs = {
      {{3}, {3}}, {{2, 3}, {3}}, {{2, 1}, {1, 4}}, {{4, 1, 3}, {2, 3}}, {{}, {2, 3}}, {{2, 3}, {}}};
  for (const auto& [sa, sb] : pairs) {
    const std::string tag = "/" + shape_tag(sa) + "_" + shape_tag(sb);
    auto A = [&] { return leaf(sa, 1.0, 0.3); };
    auto B = [&] { return leaf(sb, 0.8, 1.1); };
    auto Bpos = [&] { return leaf(sb, 0.5, 1.1, 1.5); };  // in [1, 2]: a safe divisor / exponent
    auto Apos = [&] { return leaf(sa, 0.5, 0.3, 1.5); };
    section("add" + tag, [&](auto n) {
      auto a = A(), b = B();
      check(n, a + b, {a, b});
    });
    section("sub" + tag, [&](auto n) {
      auto a = A(), b = B();
      check(n, a - b, {a, b});
    });
    section("mul" + tag, [&](auto n) {
      auto a = A(), b = B();
      check(n, a * b, {a, b});
    });
    section("div" + tag, [&](auto n) {
      auto a = A(), b = Bpos();
      check(n, a / b, {a, b});
    });
    section("add_alpha" + tag, [&](auto n) {
      auto a = A(), b = B();
      check(n, torch::add(a, b, 2.5), {a, b});
    });
    section("sub_alpha" + tag, [&](auto n) {
      auto a = A(), b = B();
      check(n, a.sub(b, 0.5), {a, b});
    });
    section("mul_fn" + tag, [&](auto n) {
      auto a = A(), b = B();
      check(n, torch::mul(a, b), {a, b});
    });
    section("div_fn" + tag, [&](auto n) {
      auto a = A(), b = Bpos();
      check(n, a.div(b), {a, b});
    });
    section("maximum" + tag, [&](auto n) {
      auto a = A(), b = B();
      check(n, torch::maximum(a, b), {a, b});
    });
    section("minimum" + tag, [&](auto n) {
      auto a = A(), b = B();
      check(n, a.minimum(b), {a, b});
    });
    section("pow_tt" + tag, [&](auto n) {
      auto a = Apos(), b = B();
      check(n, a.pow(b), {a, b});
    });
    section("where" + tag, [&](auto n) {
      auto a = A(), b = B();
      check(n, torch::where(a.detach() > 0.2, a, b), {a, b});
    });
    section("cmp" + tag, [&](auto n) {
      auto a = A(), b = B();
      emit(n + "/gt", a.gt(b));
      emit(n + "/ge", torch::ge(a, b));
      emit(n + "/lt", a < b);
      emit(n + "/le", a <= b);
      emit(n + "/opgt", a > b);
      emit(n + "/opge", a >= b);
    });
  }

  // Tensor-scalar and scalar-tensor forms, int and double scalars.
  auto A = [] { return leaf({2, 3}, 1.0, 0.3); };
  auto P = [] { return leaf({2, 3}, 0.5, 0.3, 1.5); };  // positive
  section("add_scalar", [&](auto n) {
    auto a = A();
    check(n, a + 2.5, {a});
  });
  section("add_scalar_alpha", [&](auto n) {
    auto a = A();
    check(n, a.add(2.5, 2), {a});
  });
  section("sub_scalar", [&](auto n) {
    auto a = A();
    check(n, a - 1.5, {a});
  });
  section("mul_scalar", [&](auto n) {
    auto a = A();
    check(n, a * 3.0, {a});
  });
  section("mul_int", [&](auto n) {
    auto a = A();
    check(n, a * 2, {a});
  });
  section("div_scalar", [&](auto n) {
    auto a = A();
    check(n, a / 4.0, {a});
  });
  section("scalar_add", [&](auto n) {
    auto a = A();
    check(n, 2.5 + a, {a});
  });
  section("scalar_sub", [&](auto n) {
    auto a = A();
    check(n, 1.5 - a, {a});
  });
  section("scalar_mul", [&](auto n) {
    auto a = A();
    check(n, 3.0 * a, {a});
  });
  section("scalar_div", [&](auto n) {
    auto p = P();
    check(n, 2.0 / p, {p});
  });
  section("cmp_scalar", [&](auto n) {
    auto a = A();
    emit(n + "/gt", a.gt(0.1));
    emit(n + "/ge", a >= 0.2);
    emit(n + "/lt", a.lt(-0.2));
    emit(n + "/le", a <= 0.5);
    auto c = torch::tensor({1.0, 2.0, 3.0, 2.0}, torch::kDouble);
    auto d = torch::tensor({1.0, 0.0, 3.0, 5.0}, torch::kDouble);
    emit(n + "/eq", c.eq(d));
    emit(n + "/ne", c.ne(d));
    emit(n + "/opeq", c == d);
    emit(n + "/opne", c != d);
    emit(n + "/eq_scalar", c.eq(2.0));
    emit(n + "/ne_scalar", c != 2);
  });

  // Unary ops on a (3,4) input spanning [-1.5, 1.5], so clamp bounds cut both ways.
  auto U = [] { return leaf({3, 4}, 1.5, 0.3); };
  auto Up = [] { return leaf({3, 4}, 1.0, 0.3, 1.5); };  // in [0.5, 2.5]
  auto Uaway = [] { return leaf_away({3, 4}); };         // |x| >= 0.25
  section("neg", [&](auto n) {
    auto x = U();
    check(n, x.neg(), {x});
  });
  section("neg_op", [&](auto n) {
    auto x = U();
    check(n, -x, {x});
  });
  section("exp", [&](auto n) {
    auto x = U();
    check(n, torch::exp(x), {x});
  });
  section("log", [&](auto n) {
    auto x = Up();
    check(n, x.log(), {x});
  });
  section("log1p", [&](auto n) {
    auto x = leaf({3, 4}, 0.9, 0.3);
    check(n, x.log1p(), {x});
  });
  section("sqrt", [&](auto n) {
    auto x = Up();
    check(n, torch::sqrt(x), {x});
  });
  section("abs", [&](auto n) {
    auto x = Uaway();
    check(n, x.abs(), {x});
  });
  section("sin", [&](auto n) {
    auto x = U();
    check(n, x.sin(), {x});
  });
  section("cos", [&](auto n) {
    auto x = U();
    check(n, torch::cos(x), {x});
  });
  section("tanh", [&](auto n) {
    auto x = U();
    check(n, x.tanh(), {x});
  });
  section("sigmoid", [&](auto n) {
    auto x = U();
    check(n, torch::sigmoid(x), {x});
  });
  section("relu", [&](auto n) {
    auto x = Uaway();
    check(n, x.relu(), {x});
  });
  section("relu_fn", [&](auto n) {
    auto x = Uaway();
    check(n, torch::relu(x), {x});
  });
  section("sign", [&](auto n) {
    auto x = Uaway();
    check(n, x.sign(), {x});
  });
  section("clamp", [&](auto n) {
    auto x = U();
    check(n, x.clamp(-0.5, 0.7), {x});
  });
  section("clamp_fn", [&](auto n) {
    auto x = U();
    check(n, torch::clamp(x, -0.9, 0.2), {x});
  });
  section("clamp_max_only", [&](auto n) {
    auto x = U();
    check(n, x.clamp({}, 0.3), {x});
  });
  section("clamp_min_only", [&](auto n) {
    auto x = U();
    check(n, x.clamp(-0.2), {x});
  });
  section("clamp_min", [&](auto n) {
    auto x = U();
    check(n, x.clamp_min(0.1), {x});
  });
  section("pow2", [&](auto n) {
    auto x = U();
    check(n, x.pow(2), {x});
  });
  section("pow3", [&](auto n) {
    auto x = U();
    check(n, torch::pow(x, 3), {x});
  });
  section("pow_half", [&](auto n) {
    auto x = Up();
    check(n, x.pow(0.5), {x});
  });
  section("pow_neg", [&](auto n) {
    auto x = Up();
    check(n, x.pow(-1.5), {x});
  });
  section("pow_scalar_base", [&](auto n) {
    auto x = U();
    check(n, torch::pow(2.0, x), {x});
  });
  section("exp_0d", [&](auto n) {
    auto x = leaf({}, 1.0, 0.9);
    check(n, x.exp() * x, {x});
  });

  // Compositions: the same leaf reached along several paths.
  section("compose/tanh_sigmoid", [&](auto n) {
    auto x = U();
    check(n, x.tanh() * x.sigmoid() + x.sin() / (x.exp() + 1.0), {x});
  });
  section("compose/softplus_like", [&](auto n) {
    auto x = U();
    check(n, (x.exp() + 1).log(), {x});
  });

  // float32: same ops in single precision (compared at 1e-5).
  auto F = [](Shp s, double scale, double phase, double shift = 0.0) {
    return det(std::move(s), scale, phase).add(shift).to(torch::kFloat32).requires_grad_(true);
  };
  section("float32/add", [&](auto n) {
    auto a = F({2, 3}, 1, 0.3), b = F({3}, 0.8, 1.1);
    check(n, a + b, {a, b});
  });
  section("float32/mul", [&](auto n) {
    auto a = F({2, 1}, 1, 0.3), b = F({1, 4}, 0.8, 1.1);
    check(n, a * b, {a, b});
  });
  section("float32/div", [&](auto n) {
    auto a = F({2, 3}, 1, 0.3), b = F({2, 3}, 0.5, 1.1, 1.5);
    check(n, a / b, {a, b});
  });
  section("float32/scalar", [&](auto n) {
    auto a = F({2, 3}, 1, 0.3);
    check(n, (a * 0.1 + 2.0) / 3.0 - 1, {a});
  });
  section("float32/exp_log", [&](auto n) {
    auto a = F({2, 3}, 0.5, 0.3, 1.5);
    check(n, a.exp() + a.log() + a.sqrt(), {a});
  });
  section("float32/tanh_sigmoid", [&](auto n) {
    auto a = F({2, 3}, 1.5, 0.3);
    check(n, a.tanh() + a.sigmoid(), {a});
  });
  section("float32/pow", [&](auto n) {
    auto a = F({2, 3}, 0.5, 0.3, 1.5);
    check(n, a.pow(1.7) + a.pow(2), {a});
  });
  section("float32/clamp", [&](auto n) {
    auto a = F({3, 4}, 1.5, 0.3);
    check(n, a.clamp(-0.5, 0.7), {a});
  });
  section("float32/maximum", [&](auto n) {
    auto a = F({2, 3}, 1, 0.3), b = F({3}, 0.8, 1.1);
    check(n, torch::maximum(a, b), {a, b});
  });
  return 0;
}
